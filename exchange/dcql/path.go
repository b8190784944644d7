package dcql

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Bounds on claims paths: a relying party names claims a few levels deep.
const (
	// MaxClaimsPath bounds the components of one claims path pointer.
	MaxClaimsPath = 16
	// maxPathIndex bounds an array index in a path (no credential holds more elements).
	maxPathIndex = 1 << 20
)

// ErrClaimsPath marks a claims path pointer that is not a non-empty array of strings, nulls and
// non-negative integers within the bounds.
var ErrClaimsPath = errors.New("invalid claims path")

// ClaimsPath is a DCQL claims path pointer (OpenID4VP 1.0 §7): from the credential's top, each
// component selects an object member (string), every element of an array (nil) or one element (int).
type ClaimsPath []any

// UnmarshalJSON reads a path and checks it (ParseClaimsPath).
func (p *ClaimsPath) UnmarshalJSON(b []byte) error {
	var raw []any
	if err := json.Unmarshal(b, &raw); err != nil {
		return fmt.Errorf("%w: %v", ErrClaimsPath, err)
	}
	out, err := ParseClaimsPath(raw)
	if err != nil {
		return err
	}
	*p = out
	return nil
}

// ParseClaimsPath checks a path decoded from JSON (strings, nil, float64 integers) and returns it with
// int indexes.
func ParseClaimsPath(raw []any) (ClaimsPath, error) {
	if len(raw) == 0 || len(raw) > MaxClaimsPath {
		return nil, fmt.Errorf("%w: want 1-%d components", ErrClaimsPath, MaxClaimsPath)
	}
	out := make(ClaimsPath, len(raw))
	for i, c := range raw {
		switch x := c.(type) {
		case nil:
		case string:
			if x == "" || len(x) > 256 {
				return nil, fmt.Errorf("%w: component %d: a member name of 1-256 bytes", ErrClaimsPath, i)
			}
			out[i] = x
		case float64:
			if x < 0 || x > maxPathIndex || x != math.Trunc(x) {
				return nil, fmt.Errorf("%w: component %d: an index must be an integer 0-%d", ErrClaimsPath, i, maxPathIndex)
			}
			out[i] = int(x)
		case int:
			if x < 0 || x > maxPathIndex {
				return nil, fmt.Errorf("%w: component %d: an index must be an integer 0-%d", ErrClaimsPath, i, maxPathIndex)
			}
			out[i] = x
		default:
			return nil, fmt.Errorf("%w: component %d is a %T, not a string, null or integer", ErrClaimsPath, i, c)
		}
	}
	return out, nil
}

// String writes the path as JSON, the form relying parties wrote it in.
func (p ClaimsPath) String() string {
	var b strings.Builder
	b.WriteByte('[')
	for i, c := range p {
		if i > 0 {
			b.WriteByte(',')
		}
		switch x := c.(type) {
		case string:
			b.WriteString(strconv.Quote(x))
		case int:
			b.WriteString(strconv.Itoa(x))
		default:
			b.WriteString("null")
		}
	}
	b.WriteByte(']')
	return b.String()
}

// Select evaluates the path over a credential's claims (decoded JSON: maps, slices, scalars) as DCQL
// processing does: a string selects that member of every selected object, nil every element of every
// selected array, an integer that element. Selecting a member of a non-object, or an element of a
// non-array, is an error; so is a path that selects nothing (the claim is not there). It is pure and
// does work linear in the claims it walks (each value is visited at most once: a tree's nodes at one
// depth are selected at most once each); steps counts that work.
func (p ClaimsPath) Select(claims any) (selected []any, steps int, err error) {
	if len(p) == 0 {
		return nil, 0, fmt.Errorf("%w: empty", ErrClaimsPath)
	}
	cur := []any{claims}
	for depth, c := range p {
		next := make([]any, 0, len(cur))
		for _, v := range cur {
			steps++
			switch x := c.(type) {
			case string:
				obj, ok := v.(map[string]any)
				if !ok {
					return nil, steps, fmt.Errorf("%s: component %d names a member of a non-object", p, depth)
				}
				if m, ok := obj[x]; ok {
					next = append(next, m)
				}
			case int:
				arr, ok := v.([]any)
				if !ok {
					return nil, steps, fmt.Errorf("%s: component %d indexes a non-array", p, depth)
				}
				if x < len(arr) {
					next = append(next, arr[x])
				}
			case nil:
				arr, ok := v.([]any)
				if !ok {
					return nil, steps, fmt.Errorf("%s: component %d selects the elements of a non-array", p, depth)
				}
				steps += len(arr)
				next = append(next, arr...)
			default:
				return nil, steps, fmt.Errorf("%w: component %d is a %T", ErrClaimsPath, depth, c)
			}
		}
		if len(next) == 0 {
			return nil, steps, fmt.Errorf("%s: no such claim", p)
		}
		cur = next
	}
	return cur, steps, nil
}

package presex

import (
	"errors"
	"fmt"
	"strconv"
)

// maxPathBytes bounds one JSONPath expression of a submission.
const maxPathBytes = 256

// ErrPath marks a JSONPath expression outside the supported subset.
var ErrPath = errors.New("unsupported JSONPath")

// Path is a parsed JSONPath of the subset PE's descriptor maps and field constraints use: the root $
// followed by member steps (.name, ['name'] or ["name"]) and array index steps ([0]). Wildcards, slices,
// filters and recursive descent select sets of values; a descriptor map must name one value, so they
// are refused rather than half-supported.
type Path struct {
	raw   string
	steps []step
}

type step struct {
	name  string
	index int // -1 for a member step
}

// ParsePath parses s.
func ParsePath(s string) (Path, error) {
	if len(s) > maxPathBytes {
		return Path{}, fmt.Errorf("%w: over %d bytes", ErrPath, maxPathBytes)
	}
	if len(s) == 0 || s[0] != '$' {
		return Path{}, fmt.Errorf("%w: %q does not start at $", ErrPath, s)
	}
	p := Path{raw: s}
	for i := 1; i < len(s); {
		switch s[i] {
		case '.':
			j := i + 1
			for j < len(s) && isNameByte(s[j]) {
				j++
			}
			if j == i+1 {
				return Path{}, fmt.Errorf("%w: %q: a member name must follow '.' at %d", ErrPath, s, i)
			}
			p.steps = append(p.steps, step{name: s[i+1 : j], index: -1})
			i = j
		case '[':
			st, n, err := bracket(s[i:])
			if err != nil {
				return Path{}, fmt.Errorf("%w: %q at %d: %v", ErrPath, s, i, err)
			}
			p.steps = append(p.steps, st)
			i += n
		default:
			return Path{}, fmt.Errorf("%w: %q: unexpected %q at %d", ErrPath, s, s[i], i)
		}
	}
	return p, nil
}

func isNameByte(c byte) bool {
	return c == '_' || c == '-' || c == '@' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

// bracket reads one [N], ['name'] or ["name"] step at the start of s and returns it and its length.
func bracket(s string) (step, int, error) {
	if len(s) < 3 {
		return step{}, 0, errors.New("unterminated '['")
	}
	if q := s[1]; q == '\'' || q == '"' {
		for j := 2; j < len(s); j++ {
			switch s[j] {
			case '\\':
				return step{}, 0, errors.New("escapes in quoted names are not supported")
			case q:
				if j+1 >= len(s) || s[j+1] != ']' {
					return step{}, 0, errors.New("a quoted name must be followed by ']'")
				}
				return step{name: s[2:j], index: -1}, j + 2, nil
			}
		}
		return step{}, 0, errors.New("unterminated quoted name")
	}
	j := 1
	for j < len(s) && s[j] >= '0' && s[j] <= '9' {
		j++
	}
	if j == 1 || j >= len(s) || s[j] != ']' {
		return step{}, 0, errors.New("only [index], ['name'] and [\"name\"] are supported")
	}
	if j > 7 || (j > 2 && s[1] == '0') {
		return step{}, 0, errors.New("an index is a number of at most 6 digits without leading zeros")
	}
	n, _ := strconv.Atoi(s[1:j])
	return step{index: n}, j + 1, nil
}

// String is the expression as written.
func (p Path) String() string { return p.raw }

// Eval returns the value p names in v (a value decoded by encoding/json into any), and whether there is
// one.
func (p Path) Eval(v any) (any, bool) {
	for _, st := range p.steps {
		if st.index < 0 {
			m, ok := v.(map[string]any)
			if !ok {
				return nil, false
			}
			if v, ok = m[st.name]; !ok {
				return nil, false
			}
			continue
		}
		a, ok := v.([]any)
		if !ok || st.index >= len(a) {
			return nil, false
		}
		v = a[st.index]
	}
	return v, true
}

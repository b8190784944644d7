// Package jsonlimit bounds JSON from outside (HTTP bodies of wallets and relying parties) before it is
// decoded: encoding/json accepts nesting up to 10,000 levels, far more than any request needs.
package jsonlimit

import (
	"errors"
	"fmt"
)

// Errors of Check, matched with errors.Is.
var (
	ErrTooLarge = errors.New("JSON too large")
	ErrTooDeep  = errors.New("JSON nested too deep")
)

// Check fails when data is longer than maxSize bytes or nests arrays and objects deeper than maxDepth.
func Check(data []byte, maxSize, maxDepth int) error {
	if len(data) > maxSize {
		return fmt.Errorf("%w: more than %d bytes", ErrTooLarge, maxSize)
	}
	if Depth(data) > maxDepth {
		return fmt.Errorf("%w: deeper than %d", ErrTooDeep, maxDepth)
	}
	return nil
}

// Depth returns the deepest nesting of arrays and objects in data, skipping strings. It reads each byte
// once and does not validate the JSON.
func Depth(data []byte) int {
	depth, deepest, inString, escaped := 0, 0, false, false
	for _, c := range data {
		switch {
		case inString:
			switch {
			case escaped:
				escaped = false
			case c == '\\':
				escaped = true
			case c == '"':
				inString = false
			}
		case c == '"':
			inString = true
		case c == '{' || c == '[':
			depth++
			deepest = max(deepest, depth)
		case c == '}' || c == ']':
			depth--
		}
	}
	return deepest
}

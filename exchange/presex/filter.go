package presex

import (
	"regexp"
	"slices"
)

// Filter is the subset of JSON Schema that field filters use here: type, const, enum, pattern (RE2,
// linear in the value) and contains. The node writes its own filters, so every keyword it writes is one
// it evaluates.
type Filter struct {
	Type     string   `json:"type,omitempty"`
	Const    string   `json:"const,omitempty"`
	Enum     []string `json:"enum,omitempty"`
	Pattern  string   `json:"pattern,omitempty"`
	Contains *Filter  `json:"contains,omitempty"`
}

// Accepts reports whether v (decoded by encoding/json into any) passes f.
func (f *Filter) Accepts(v any) bool {
	if f == nil {
		return true
	}
	if f.Type != "" && !hasType(v, f.Type) {
		return false
	}
	s, isString := v.(string)
	if f.Const != "" && (!isString || s != f.Const) {
		return false
	}
	if len(f.Enum) > 0 && (!isString || !slices.Contains(f.Enum, s)) {
		return false
	}
	if f.Pattern != "" {
		re, err := regexp.Compile(f.Pattern)
		if err != nil || !isString || !re.MatchString(s) {
			return false
		}
	}
	if f.Contains != nil {
		a, ok := v.([]any)
		if !ok || !slices.ContainsFunc(a, f.Contains.Accepts) {
			return false
		}
	}
	return true
}

func hasType(v any, t string) bool {
	switch v.(type) {
	case string:
		return t == "string"
	case []any:
		return t == "array"
	case map[string]any:
		return t == "object"
	case float64:
		return t == "number"
	case bool:
		return t == "boolean"
	case nil:
		return t == "null"
	}
	return false
}

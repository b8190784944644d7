package anchor

import (
	"strconv"
	"strings"

	"github.com/ionode/ionode/sidetree"
)

// MaxOperationsPerBatch is the protocol's limit on an anchor string's operation count (every ION
// protocol version so far).
const MaxOperationsPerBatch = 10_000

// Anchor is a parsed anchor string: "<operation count>.<core index file URI>".
type Anchor struct {
	Operations   int
	CoreIndexURI string
}

// String formats the anchor string as ION writes it (AnchoredDataSerializer.serialize).
func (a Anchor) String() string {
	return strconv.Itoa(a.Operations) + "." + a.CoreIndexURI
}

// ParseAnchorString parses an anchor string exactly as ION's AnchoredDataSerializer.deserialize: exactly
// one '.', an operation count that is a positive decimal integer without leading zeros and at most
// MaxOperationsPerBatch, and the rest, unchecked (an empty or bad URI fails later, when the file is
// fetched). Errors are *sidetree.Error with ION's codes.
func ParseAnchorString(s string) (Anchor, error) {
	parts := strings.Split(s, ".")
	if len(parts) != 2 {
		return Anchor{}, sidetree.Errorf(sidetree.CodeAnchoredDataIncorrectFormat, "input is not in correct format: %q", s)
	}
	count := parts[0]
	if !isPositiveDecimal(count) {
		return Anchor{}, sidetree.Errorf(sidetree.CodeAnchoredDataNumberOfOperationsNotPositiveInteger,
			"number of operations %q is not a positive integer without leading zeros", count)
	}
	// Longer digit strings are above the limit whatever they say; only short ones need converting.
	n, err := strconv.Atoi(count)
	if len(count) > 6 || err != nil || n > MaxOperationsPerBatch {
		return Anchor{}, sidetree.Errorf(sidetree.CodeAnchoredDataNumberOfOperationsGreaterThanMax,
			"number of operations %s must be less than or equal to %d", count, MaxOperationsPerBatch)
	}
	return Anchor{Operations: n, CoreIndexURI: parts[1]}, nil
}

// isPositiveDecimal matches /^[1-9]\d*$/ (JavaScript's \d is ASCII digits only).
func isPositiveDecimal(s string) bool {
	if s == "" || s[0] < '1' || s[0] > '9' {
		return false
	}
	for i := 1; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

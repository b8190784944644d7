package batch

import (
	"strconv"
	"strings"

	"github.com/ionode/ionode/sidetree"
)

// AnchorString is the string a batch is anchored with (AnchoredDataSerializer.serialize):
// "<operation count>.<core index file URI>".
func AnchorString(count int, coreIndexURI string) string {
	return strconv.Itoa(count) + "." + coreIndexURI
}

// ParseAnchorString parses an anchor string as the reference's AnchoredDataSerializer.deserialize: exactly
// one ".", a count that matches /^[1-9]\d*$/ and is at most maxOperationsPerBatch, and a URI that is not
// checked here (an empty or malformed one fails when its file is fetched, as in the reference).
func ParseAnchorString(s string, p sidetree.Parameters) (count int, coreIndexURI string, err error) {
	parts := strings.Split(s, ".")
	if len(parts) != 2 {
		return 0, "", sidetree.Errorf(sidetree.CodeAnchoredDataIncorrectFormat, "Input is not in correct format: %s", s)
	}
	digits := parts[0]
	ok := digits != "" && digits[0] >= '1' && digits[0] <= '9'
	for i := 1; ok && i < len(digits); i++ {
		ok = digits[i] >= '0' && digits[i] <= '9'
	}
	if !ok {
		return 0, "", sidetree.Errorf(sidetree.CodeAnchoredDataNumberOfOperationsNotPositiveInteger,
			"Number of operations '%s' is not a positive integer without leading zeros.", digits)
	}
	// Any count of more than nine digits is above every ION limit; shorter ones convert exactly.
	n, convErr := strconv.Atoi(digits)
	if len(digits) > 9 || convErr != nil || n > p.MaxOperationsPerBatch {
		return 0, "", sidetree.Errorf(sidetree.CodeAnchoredDataNumberOfOperationsGreaterThanMax,
			"Number of operations %s must be less than or equal to %d", digits, p.MaxOperationsPerBatch)
	}
	return n, parts[1], nil
}

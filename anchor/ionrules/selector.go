package ionrules

import (
	"cmp"
	"slices"
	"strconv"
	"strings"

	"github.com/ionode/ionode/sidetree"
)

// Candidate is an ION transaction as the transaction selector sees it (the fields of the reference's
// TransactionModel it reads).
type Candidate struct {
	Number       int64  // transaction number: height × 1,000,000 + index in block
	Time         int64  // transaction time: the block height
	AnchorString string // "<operation count>.<core index file URI>", as read from the chain
	FeePaid      int64  // satoshis: the transaction's inputs minus its outputs
	Writer       string // the public key hash of the first input's spent output, as asm text
}

// Select picks the transactions of one block the core processes, as ION's TransactionSelector (both
// core versions, 1.0 and latest, are the same) and Observer do:
//
//  1. every candidate must have the same Time, else sidetree.CodeTransactionsNotInSameBlock;
//  2. only the first candidate (in the given order, which is transaction-number order) of each writer
//     is considered, even when its anchor string is malformed;
//  3. they are ranked by FeePaid, the whole transaction's fee and not the fee per operation, highest first,
//     then by lower transaction number;
//  4. going down the ranking, a candidate whose anchor string does not parse is skipped; otherwise its
//     operation count is added to the running total, and the candidate is taken if the total is still
//     within maxNumberOfOperationsPerTransactionTime. The walk stops as soon as maxNumberOfTransactions-
//     PerTransactionTime are taken or the total reaches or passes the operation cap: the first candidate
//     that overflows ends the selection, even if smaller ones further down would fit.
//
// processed are the transactions of the same block the core has already processed and stored (normally
// none; after a restart in the middle of a block, those of it already done): they count against both
// caps, each one transaction, and operations for those whose anchor string parses.
//
// The result is in transaction-number order, the order the Observer processes it in (the reference's
// selector returns it in ranking order, and the Observer sorts it by number).
func Select(candidates []Candidate, processed []Candidate, p sidetree.Parameters) ([]Candidate, error) {
	if len(candidates) == 0 {
		return nil, nil
	}
	t := candidates[0].Time
	for _, c := range candidates {
		if c.Time != t {
			return nil, sidetree.Errorf(sidetree.CodeTransactionsNotInSameBlock,
				"transaction must be in the same block to perform rate limiting, investigate and fix")
		}
	}
	seenWriter := make(map[string]bool, len(candidates))
	queue := make([]Candidate, 0, len(candidates))
	for _, c := range candidates {
		if !seenWriter[c.Writer] {
			seenWriter[c.Writer] = true
			queue = append(queue, c)
		}
	}
	slices.SortFunc(queue, func(a, b Candidate) int {
		if c := cmp.Compare(b.FeePaid, a.FeePaid); c != 0 {
			return c
		}
		return cmp.Compare(a.Number, b.Number)
	})

	var processedOps int64
	for _, c := range processed {
		if n, ok := AnchorOperationCount(c.AnchorString, p); ok {
			processedOps += int64(n)
		}
	}
	opsToQualify := int64(p.MaxNumberOfOperationsPerTransactionTime) - processedOps
	txsToQualify := p.MaxNumberOfTransactionsPerTransactionTime - len(processed)

	var selected []Candidate
	var opsSeen int64
	for _, c := range queue {
		if len(selected) >= txsToQualify || opsSeen >= opsToQualify {
			break
		}
		n, ok := AnchorOperationCount(c.AnchorString, p)
		if !ok {
			continue
		}
		opsSeen += int64(n)
		if opsSeen <= opsToQualify {
			selected = append(selected, c)
		}
	}
	slices.SortFunc(selected, func(a, b Candidate) int { return cmp.Compare(a.Number, b.Number) })
	return selected, nil
}

// AnchorOperationCount is the operation count of an anchor string as ION's AnchoredDataSerializer.
// deserialize reads it: exactly one '.', a count matching /^[1-9]\d*$/ and at most maxOperationsPerBatch.
// ok is false for any other anchor string (the selector skips those).
func AnchorOperationCount(anchor string, p sidetree.Parameters) (int, bool) {
	count, _, found := strings.Cut(anchor, ".")
	if !found || strings.Count(anchor, ".") != 1 || count == "" || count[0] < '1' || count[0] > '9' {
		return 0, false
	}
	for i := 1; i < len(count); i++ {
		if count[i] < '0' || count[i] > '9' {
			return 0, false
		}
	}
	if len(count) > 9 { // far above any batch limit; keeps Atoi in range
		return 0, false
	}
	n, err := strconv.Atoi(count)
	if err != nil || n > p.MaxOperationsPerBatch {
		return 0, false
	}
	return n, true
}

package rules

import (
	"cmp"
	"slices"

	"github.com/ionode/ionode/anchor"
	"github.com/ionode/ionode/sidetree"
)

// Candidate is an ION transaction of one block competing for the block's capacity.
type Candidate struct {
	Number       uint64
	AnchorString string
	FeePaid      uint64
	Writer       string
}

// Select is TransactionSelector.selectQualifiedTransactions over one whole block: it returns the indexes
// (into txs, which are in block order) of the transactions that count, in transaction-number order.
// Only each writer's first transaction competes; then the highest fee first (ties: the earlier
// transaction), while the block's transaction and operation caps allow. A transaction whose anchor string
// does not parse takes a turn but is not selected; one that would overflow the operation cap is skipped,
// and selection stops once the operations seen reach the cap.
func Select(txs []Candidate, p sidetree.Parameters) []int {
	seenWriter := map[string]bool{}
	var queue []int
	for i, tx := range txs {
		if seenWriter[tx.Writer] {
			continue
		}
		seenWriter[tx.Writer] = true
		queue = append(queue, i)
	}
	slices.SortStableFunc(queue, func(a, b int) int {
		if c := cmp.Compare(txs[b].FeePaid, txs[a].FeePaid); c != 0 {
			return c
		}
		return cmp.Compare(txs[a].Number, txs[b].Number)
	})
	var selected []int
	operationsSeen := 0
	for _, i := range queue {
		if len(selected) >= p.MaxNumberOfTransactionsPerTransactionTime || operationsSeen >= p.MaxNumberOfOperationsPerTransactionTime {
			break
		}
		n, ok := operationCount(txs[i].AnchorString)
		if !ok {
			continue
		}
		operationsSeen += n
		if operationsSeen <= p.MaxNumberOfOperationsPerTransactionTime {
			selected = append(selected, i)
		}
	}
	slices.SortFunc(selected, func(a, b int) int { return cmp.Compare(txs[a].Number, txs[b].Number) })
	return selected
}

// operationCount is the count of an anchor string AnchoredDataSerializer.deserialize accepts.
func operationCount(anchorString string) (int, bool) {
	a, err := anchor.ParseAnchorString(anchorString)
	return a.Operations, err == nil
}

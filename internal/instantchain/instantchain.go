// Package instantchain is the operation queue and log of a test node that anchors every accepted
// operation at once, each in its own transaction: with node.API and ion.Resolver over it, a test runs
// the node's real HTTP handler without batching, IPFS or Bitcoin in the way.
package instantchain

import (
	"context"
	"sync"

	"github.com/ionode/ionode/sidetree"
)

// Chain is a node.OperationQueue and the node's operation log (node.OperationReader, ion.OperationLog).
type Chain struct {
	mu  sync.Mutex
	ops map[string][]sidetree.AnchoredOperation
	txn uint64
}

// New returns an empty chain.
func New() *Chain { return &Chain{ops: map[string][]sidetree.AnchoredOperation{}} }

// Enqueue anchors the operation in the next transaction.
func (c *Chain) Enqueue(_ context.Context, suffix string, t sidetree.OperationType, req []byte) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.txn++
	c.ops[suffix] = append(c.ops[suffix], sidetree.AnchoredOperation{
		Type: t, DIDSuffix: suffix, Raw: req, TransactionNumber: 700_000_000_000 + c.txn, TransactionTime: 700_000,
	})
	return nil
}

// Operations returns the DID's anchored operations in order.
func (c *Chain) Operations(_ context.Context, suffix string) ([]sidetree.AnchoredOperation, uint64, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]sidetree.AnchoredOperation(nil), c.ops[suffix]...), c.txn, nil
}

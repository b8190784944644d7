package cas

import (
	"context"
	"fmt"

	"github.com/ipfs/go-cid"
	ipld "github.com/ipfs/go-ipld-format"
)

// ComputeCID returns the CID `ipfs add` (default settings) gives data,
// without storing anything: what `ipfs add --only-hash` prints. The Kubo
// client uses it to check that an external node imported a file the way ION
// expects.
func ComputeCID(data []byte) (string, error) {
	c, err := importUnixFS(discardDAG{}, data)
	if err != nil {
		return "", fmt.Errorf("cas: compute CID: %w", err)
	}
	return c.String(), nil
}

// discardDAG accepts nodes and keeps none; the balanced importer only adds.
type discardDAG struct{}

func (discardDAG) Add(context.Context, ipld.Node) error        { return nil }
func (discardDAG) AddMany(context.Context, []ipld.Node) error  { return nil }
func (discardDAG) Remove(context.Context, cid.Cid) error       { return nil }
func (discardDAG) RemoveMany(context.Context, []cid.Cid) error { return nil }

func (discardDAG) Get(_ context.Context, c cid.Cid) (ipld.Node, error) {
	return nil, ipld.ErrNotFound{Cid: c}
}

func (discardDAG) GetMany(_ context.Context, cs []cid.Cid) <-chan *ipld.NodeOption {
	out := make(chan *ipld.NodeOption, len(cs))
	for _, c := range cs {
		out <- &ipld.NodeOption{Err: ipld.ErrNotFound{Cid: c}}
	}
	close(out)
	return out
}

package cas

import "context"

// Store is content-addressed storage for ION batch files.
//
// Put stores data as `ipfs add` with default settings would and returns its
// CIDv0 string ("Qm…") once the content is durable (it survives a crash of
// the process): the batch writer anchors the CID next, and the writer's node
// may be the content's only copy. Get returns the bytes of the UnixFS file named by cid
// (CIDv0 or CIDv1), reading at most maxSize+1 bytes; it gives up with
// ErrNotFound when ctx is done before the content arrives.
type Store interface {
	Put(ctx context.Context, data []byte) (string, error)
	Get(ctx context.Context, cid string, maxSize int64) ([]byte, error)
}

package cas

import (
	"bytes"
	"context"
	"errors"
	"fmt"

	"github.com/ipfs/boxo/blockservice"
	chunker "github.com/ipfs/boxo/chunker"
	"github.com/ipfs/boxo/ipld/merkledag"
	"github.com/ipfs/boxo/ipld/unixfs/importer"
	uio "github.com/ipfs/boxo/ipld/unixfs/io"
	"github.com/ipfs/go-cid"
	"github.com/ipfs/go-datastore"
	ipld "github.com/ipfs/go-ipld-format"
)

// ChunkSize is the fixed chunk size of `ipfs add` ("size-262144").
const ChunkSize = 262144

// Put stores data as a UnixFS file exactly as `ipfs add` with default
// settings does (fixed 256 KiB chunks, balanced layout of at most 174 links
// per node, dag-pb leaves, CIDv0) and returns its CID ("Qm…") once the file is
// on disk: it survives the process being killed. The blocks stay
// in the blockstore and are served to peers over bitswap; with the DHT on, the
// file is announced there too (and again every ReprovideInterval).
func (n *Node) Put(ctx context.Context, data []byte) (string, error) {
	if err := ctx.Err(); err != nil {
		return "", err
	}
	// Batching the writes is what `ipfs add` does too; it only changes speed.
	batch := ipld.NewBufferedDAG(ctx, n.dag)
	root, err := importUnixFS(batch, data)
	if err != nil {
		return "", fmt.Errorf("cas: put %d bytes: %w", len(data), err)
	}
	if err := batch.Commit(); err != nil {
		return "", fmt.Errorf("cas: put %d bytes: %w", len(data), err)
	}
	if err := n.recordForAnnouncing(ctx, root); err != nil {
		return "", err
	}
	// The datastore writes without syncing, and Pebble keeps such writes in memory until a 32 KiB block
	// of its log is full: a crash lost the few hundred bytes of a batch's files after the writer had
	// anchored their CID, when this node was their only copy (TestNodePutSurvivesKill). Blocks fetched
	// from peers stay unsynced: they have other copies.
	if err := n.ds.Sync(ctx, datastore.NewKey("")); err != nil {
		return "", fmt.Errorf("cas: put %d bytes: sync: %w", len(data), err)
	}
	n.announce(root)
	return root.String(), nil
}

// importUnixFS builds the UnixFS DAG of data into dag with the `ipfs add`
// defaults: boxo's importer with a nil CID builder (CIDv0, sha2-256), no raw
// leaves, helpers.DefaultLinksPerBlock (174) and balanced layout.
func importUnixFS(dag ipld.DAGService, data []byte) (cid.Cid, error) {
	nd, err := importer.BuildDagFromReader(dag, chunker.NewSizeSplitter(bytes.NewReader(data), ChunkSize))
	if err != nil {
		return cid.Undef, err
	}
	return nd.Cid(), nil
}

// Get returns the content of the UnixFS file named by c (CIDv0 or CIDv1),
// from the blockstore or, failing that, from connected peers over bitswap.
// Every block is checked against its CID before use. If ctx has no deadline,
// NodeConfig.FetchTimeout applies. Errors wrap ErrInvalidCID, ErrNotFound,
// ErrTooLarge or ErrNotAFile; at most maxSize+1 bytes are read.
func (n *Node) Get(ctx context.Context, c string, maxSize int64) ([]byte, error) {
	if _, ok := ctx.Deadline(); !ok {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, n.cfg.FetchTimeout)
		defer cancel()
	}
	return getFile(ctx, n.bserv, merkledag.NewSession(ctx, n.dag), c, maxSize)
}

// GetLocal is Get from the node's own blockstore only: a file (or any block of it) the node does not
// hold is ErrNotFound at once, and no peer is asked.
func (n *Node) GetLocal(ctx context.Context, c string, maxSize int64) ([]byte, error) {
	return getFile(ctx, n.local, merkledag.NewDAGService(n.local), c, maxSize)
}

func getFile(ctx context.Context, blocks blockservice.BlockGetter, ng ipld.NodeGetter, c string, maxSize int64) ([]byte, error) {
	id, err := ParseCID(c)
	if err != nil {
		return nil, err
	}
	if maxSize < 0 {
		return nil, fmt.Errorf("cas: negative maximum size %d", maxSize)
	}
	data, err := readUnixFS(ctx, blocks, ng, id, maxSize)
	if err != nil {
		return nil, fmt.Errorf("%w (cid %s)", err, c)
	}
	return data, nil
}

// readUnixFS reads the file under root. The root is fetched and decoded here
// (rather than through the DAG service) so that "could not get it" and "got
// it, but it is no file" stay apart: the first is retried, the second never
// changes.
func readUnixFS(ctx context.Context, blocks blockservice.BlockGetter, ng ipld.NodeGetter, root cid.Cid, maxSize int64) ([]byte, error) {
	blk, err := blocks.GetBlock(ctx, root)
	if err != nil {
		return nil, fetchError(ctx, err)
	}
	var nd ipld.Node
	switch root.Type() {
	case cid.DagProtobuf:
		nd, err = merkledag.DecodeProtobufBlock(blk)
	case cid.Raw:
		nd, err = merkledag.DecodeRawBlock(blk)
	default:
		err = fmt.Errorf("codec 0x%x", root.Type())
	}
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrNotAFile, err)
	}
	r, err := uio.NewDagReader(ctx, nd, ng)
	if err != nil {
		if ctx.Err() != nil || ipld.IsNotFound(err) {
			return nil, fetchError(ctx, err)
		}
		// A directory, HAMT shard, symlink or data that is no UnixFS node:
		// the root is verified content, so this answer is final. (Kubo says
		// "this dag node is a directory", which ION maps to NotAFile.)
		return nil, fmt.Errorf("%w: %w", ErrNotAFile, err)
	}
	defer r.Close()
	hint := int64(-1)
	if size := r.Size(); size <= uint64(maxSize) {
		hint = int64(size)
	}
	data, err := ReadAtMost(r, maxSize, hint)
	switch {
	case err == nil:
		return data, nil
	case errors.Is(err, ErrTooLarge):
		return nil, err
	case ctx.Err() != nil || ipld.IsNotFound(err):
		return nil, fetchError(ctx, err)
	default:
		// Malformed inner nodes land here too; ION (through Kubo) retries
		// those as "not found" forever, so they stay non-permanent here.
		return nil, fmt.Errorf("cas: read unixfs file: %w", err)
	}
}

// fetchError turns a failure to obtain blocks into ErrNotFound, keeping the
// cause (typically context.DeadlineExceeded) matchable too.
func fetchError(ctx context.Context, err error) error {
	if cerr := ctx.Err(); cerr != nil && !errors.Is(err, cerr) {
		return fmt.Errorf("%w: %w: %w", ErrNotFound, cerr, err)
	}
	return fmt.Errorf("%w: %w", ErrNotFound, err)
}

package anchor

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/btcsuite/btcd/chainhash/v2"
	"github.com/btcsuite/btcd/wire/v2"
)

// RESTBlocks is a BlockSource over Bitcoin Core's REST interface (bitcoind -rest=1): GET
// /rest/block/<hash>.bin returns the block in binary, without authentication, so only use it on a
// node whose RPC port is reachable by you alone. Its zero value is not usable: use NewRESTBlocks.
type RESTBlocks struct {
	base   string
	client *http.Client
}

// NewRESTBlocks returns a source for the node whose RPC server is at baseURL (http://host:port).
func NewRESTBlocks(baseURL string) *RESTBlocks {
	return &RESTBlocks{
		base: strings.TrimSuffix(baseURL, "/"),
		client: &http.Client{Transport: &http.Transport{
			MaxIdleConnsPerHost: 32, // one per concurrent fetcher, kept alive
			IdleConnTimeout:     90 * time.Second,
		}},
	}
}

// Close releases idle connections.
func (s *RESTBlocks) Close() { s.client.CloseIdleConnections() }

func (s *RESTBlocks) GetBlock(ctx context.Context, hash chainhash.Hash) (*wire.MsgBlock, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, s.base+"/rest/block/"+hash.String()+".bin", nil)
	if err != nil {
		return nil, fmt.Errorf("anchor: rest: %w", err)
	}
	resp, err := s.client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("anchor: rest block %s: %w", hash, err)
	}
	defer resp.Body.Close()
	// A block is at most MaxBlockPayload bytes; anything longer is not one.
	body := io.LimitReader(resp.Body, wire.MaxBlockPayload+1)
	switch resp.StatusCode {
	case http.StatusOK:
	case http.StatusNotFound:
		return nil, fmt.Errorf("%w: %s", ErrBlockNotFound, hash)
	default:
		msg, _ := io.ReadAll(io.LimitReader(body, 200))
		return nil, fmt.Errorf("anchor: rest block %s: HTTP %s: %s", hash, resp.Status, bytes.TrimSpace(msg))
	}
	var buf bytes.Buffer
	if resp.ContentLength > 0 && resp.ContentLength <= wire.MaxBlockPayload {
		buf.Grow(int(resp.ContentLength))
	}
	if _, err := buf.ReadFrom(body); err != nil {
		return nil, fmt.Errorf("anchor: rest block %s: %w", hash, err)
	}
	if buf.Len() > wire.MaxBlockPayload {
		return nil, fmt.Errorf("anchor: rest block %s: more than %d bytes", hash, wire.MaxBlockPayload)
	}
	var b wire.MsgBlock
	if err := b.Deserialize(&buf); err != nil {
		return nil, fmt.Errorf("anchor: rest block %s: %w", hash, err)
	}
	if buf.Len() != 0 {
		return nil, fmt.Errorf("anchor: rest block %s: %d bytes after the block", hash, buf.Len())
	}
	if got := b.BlockHash(); got != hash {
		return nil, fmt.Errorf("anchor: rest block %s: got block %s", hash, got)
	}
	return &b, nil
}

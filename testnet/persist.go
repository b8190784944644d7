package testnet

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// btcd deletes a regtest database every time it starts ("Removing regression test database"), with no
// option to keep it. So that a network in a configured data directory survives a restart, Stop writes
// the chain's blocks to chainFile and Start submits them again, in order.
const chainFile = "chain.hex"

// saveChain writes every block above the genesis block, one hex-encoded block per line, replacing the
// file atomically.
func (n *Node) saveChain() error {
	raw, err := n.client.RawRequest("getblockcount", nil)
	if err != nil {
		return err
	}
	var tip int64
	if err := json.Unmarshal(raw, &tip); err != nil {
		return err
	}
	path := filepath.Join(n.dataDir, chainFile)
	f, err := os.CreateTemp(n.dataDir, chainFile+".*")
	if err != nil {
		return err
	}
	defer os.Remove(f.Name())
	w := bufio.NewWriter(f)
	for h := int64(1); h <= tip; h++ {
		var hash, block string
		if err := n.rawCall(&hash, "getblockhash", h); err != nil {
			f.Close()
			return err
		}
		if err := n.rawCall(&block, "getblock", hash, 0); err != nil {
			f.Close()
			return err
		}
		w.WriteString(block)
		w.WriteByte('\n')
	}
	if err := errors.Join(w.Flush(), f.Sync(), f.Close()); err != nil {
		return err
	}
	return os.Rename(f.Name(), path)
}

// restoreChain submits the saved blocks; a missing file is an empty chain.
func (n *Node) restoreChain(ctx context.Context) error {
	f, err := os.Open(filepath.Join(n.dataDir, chainFile))
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	defer f.Close()
	s := bufio.NewScanner(f)
	s.Buffer(make([]byte, 1<<20), 8<<20) // a regtest block of ION anchors is far below 4 MB of hex
	count := 0
	for s.Scan() {
		if err := ctx.Err(); err != nil {
			return err
		}
		line := strings.TrimSpace(s.Text())
		if line == "" {
			continue
		}
		count++
		var reason *string
		if err := n.rawCall(&reason, "submitblock", line); err != nil {
			return fmt.Errorf("block %d: %w", count, err)
		}
		if reason != nil && *reason != "duplicate" {
			return fmt.Errorf("block %d refused: %s", count, *reason)
		}
	}
	if err := s.Err(); err != nil {
		return err
	}
	n.log.Debug("btcd chain restored", "blocks", count)
	return nil
}

func (n *Node) rawCall(out any, method string, params ...any) error {
	args := make([]json.RawMessage, len(params))
	for i, p := range params {
		b, err := json.Marshal(p)
		if err != nil {
			return err
		}
		args[i] = b
	}
	raw, err := n.client.RawRequest(method, args)
	if err != nil {
		return fmt.Errorf("%s: %w", method, err)
	}
	if err := json.Unmarshal(raw, out); err != nil {
		return fmt.Errorf("%s: %w", method, err)
	}
	return nil
}

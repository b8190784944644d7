package anchor

import (
	"encoding/json"
	"fmt"

	"github.com/btcsuite/btcd/chainhash/v2"
)

// Cursor is the watcher's resume position: the last block it reported and the hashes of the blocks
// before it, kept to find the fork point of a reorganization. The zero Cursor starts at the genesis
// height. The caller persists the cursor that comes with each event (MarshalBinary) and passes it back
// after a restart.
type Cursor struct {
	Height int64            // height of the last reported block; meaningless when Hashes is empty
	Hashes []chainhash.Hash // hashes of blocks Height-len(Hashes)+1 … Height, oldest first
}

// Empty reports whether no block has been reported yet (or all were reverted).
func (c Cursor) Empty() bool { return len(c.Hashes) == 0 }

// hashAt returns the remembered hash of a block.
func (c Cursor) hashAt(height int64) (chainhash.Hash, bool) {
	i := height - (c.Height - int64(len(c.Hashes)) + 1)
	if i < 0 || i >= int64(len(c.Hashes)) {
		return chainhash.Hash{}, false
	}
	return c.Hashes[i], true
}

// advance returns the cursor after a block, keeping at most keep hashes.
func (c Cursor) advance(height int64, hash chainhash.Hash, keep int) Cursor {
	hashes := c.Hashes
	if len(hashes) >= keep {
		hashes = hashes[len(hashes)-keep+1:]
	}
	next := make([]chainhash.Hash, len(hashes), len(hashes)+1)
	copy(next, hashes)
	return Cursor{Height: height, Hashes: append(next, hash)}
}

// truncate returns the cursor with the blocks above height removed.
func (c Cursor) truncate(height int64) Cursor {
	if c.Empty() || height >= c.Height {
		return c
	}
	n := int64(len(c.Hashes)) - (c.Height - height)
	if n <= 0 {
		return Cursor{}
	}
	return Cursor{Height: height, Hashes: append([]chainhash.Hash(nil), c.Hashes[:n]...)}
}

type cursorJSON struct {
	Height int64    `json:"height"`
	Hashes []string `json:"hashes"`
}

// MarshalBinary encodes the cursor (JSON, so that it stays readable in a store).
func (c Cursor) MarshalBinary() ([]byte, error) {
	j := cursorJSON{Height: c.Height, Hashes: make([]string, len(c.Hashes))}
	for i, h := range c.Hashes {
		j.Hashes[i] = h.String()
	}
	return json.Marshal(j)
}

// UnmarshalBinary decodes a cursor written by MarshalBinary.
func (c *Cursor) UnmarshalBinary(b []byte) error {
	var j cursorJSON
	if err := json.Unmarshal(b, &j); err != nil {
		return fmt.Errorf("anchor: cursor: %w", err)
	}
	hashes := make([]chainhash.Hash, len(j.Hashes))
	for i, s := range j.Hashes {
		h, err := chainhash.NewHashFromStr(s)
		if err != nil {
			return fmt.Errorf("anchor: cursor: %w", err)
		}
		hashes[i] = *h
	}
	if len(hashes) > 0 && j.Height < int64(len(hashes))-1 {
		return fmt.Errorf("anchor: cursor: height %d below its %d hashes", j.Height, len(hashes))
	}
	*c = Cursor{Height: j.Height, Hashes: hashes}
	return nil
}

package mainnetblocks

import (
	"bytes"
	"context"
	"encoding/hex"
	"encoding/json"
	"fmt"

	"github.com/btcsuite/btcd/wire/v2"
)

// RawCaller is the part of a btcd RPC client Submit uses (rpcclient.Client has it).
type RawCaller interface {
	RawRequest(method string, params []json.RawMessage) (json.RawMessage, error)
}

// Submit hands blocks to a node with submitblock, in order; the node checks each with its full
// consensus rules (scripts and signatures included) and refuses the first invalid one.
func Submit(ctx context.Context, node RawCaller, blocks []*wire.MsgBlock) error {
	var buf bytes.Buffer
	for _, b := range blocks {
		if err := ctx.Err(); err != nil {
			return err
		}
		buf.Reset()
		if err := b.Serialize(&buf); err != nil {
			return err
		}
		arg, _ := json.Marshal(hex.EncodeToString(buf.Bytes()))
		res, err := node.RawRequest("submitblock", []json.RawMessage{arg})
		if err != nil {
			return fmt.Errorf("mainnetblocks: submit block %s: %w", b.BlockHash(), err)
		}
		var reason *string
		if err := json.Unmarshal(res, &reason); err != nil {
			return fmt.Errorf("mainnetblocks: submit block %s: %w", b.BlockHash(), err)
		}
		if reason != nil {
			return fmt.Errorf("mainnetblocks: block %s refused: %s", b.BlockHash(), *reason)
		}
	}
	return nil
}

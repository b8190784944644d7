package testnet

import (
	"context"
	"fmt"
	"time"

	"github.com/btcsuite/btcd/btcjson"
	"github.com/btcsuite/btcd/chainhash/v2"

	"github.com/ionode/ionode/internal/blocking"
)

// Two nodes on loopback make a network that can fork: start A with Config.ListenPeer and B with
// Config.ConnectPeers = {A.PeerAddr()}; B.Disconnect(ctx, A.PeerAddr()) splits them, each mines its own
// branch, and B.Connect(ctx, A.PeerAddr()) joins them again, after which both follow the longer branch
// (btcd's reorganization). WaitSameTip waits for that.
//
// The connections are btcd's one-shot ones (`node connect <peer> temp`), not persistent ones
// (--addpeer, `node connect <peer> perm`): btcd v0.26 reconnects a persistent peer a few seconds after
// `node remove` dropped it (handleDonePeerMsg retries every persistent connection), which would join
// the two branches while a test still wants them apart. A one-shot connection that drops stays down;
// loopback addresses never enter btcd's address manager, so nothing else dials the peer.

// pollInterval is how often the waits below ask btcd again.
const pollInterval = 50 * time.Millisecond

// redialAfter is how long Connect waits for a connection before asking btcd to dial again (a one-shot
// dial that failed is not retried by btcd).
const redialAfter = 2 * time.Second

// Connect connects the node to a peer (host:port) and waits until the peers have shaken hands, or ctx
// ends. It is a no-op when they are connected already.
func (n *Node) Connect(ctx context.Context, peer string) error {
	for {
		if ok, err := n.connectedTo(ctx, peer); err != nil || ok {
			return err
		}
		temp := "temp"
		_, err := blocking.Call(ctx, func() (struct{}, error) {
			return struct{}{}, n.client.Node(btcjson.NConnect, peer, &temp)
		})
		if err != nil {
			return fmt.Errorf("testnet: connect %s: %w", peer, err)
		}
		deadline := time.Now().Add(redialAfter)
		for time.Now().Before(deadline) {
			select {
			case <-ctx.Done():
				return fmt.Errorf("testnet: connect %s: %w", peer, ctx.Err())
			case <-time.After(pollInterval):
			}
			if ok, err := n.connectedTo(ctx, peer); err != nil || ok {
				return err
			}
		}
	}
}

// Disconnect drops the node's connections to a peer it connected to (the host:port given to Connect
// or ConnectPeers) and waits until they are gone.
func (n *Node) Disconnect(ctx context.Context, peer string) error {
	_, err := blocking.Call(ctx, func() (struct{}, error) {
		return struct{}{}, n.client.Node(btcjson.NDisconnect, peer, nil)
	})
	if err != nil {
		return fmt.Errorf("testnet: disconnect %s: %w", peer, err)
	}
	for {
		ok, err := n.connectedTo(ctx, peer)
		if err != nil || !ok {
			return err
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("testnet: disconnect %s: %w", peer, ctx.Err())
		case <-time.After(pollInterval):
		}
	}
}

// connectedTo reports whether the node has a connection to peer (an outbound one: the address it
// dialled) that has completed the handshake.
func (n *Node) connectedTo(ctx context.Context, peer string) (bool, error) {
	peers, err := blocking.Call(ctx, n.client.GetPeerInfo)
	if err != nil {
		return false, fmt.Errorf("testnet: getpeerinfo: %w", err)
	}
	for _, p := range peers {
		if p.Addr == peer {
			return true, nil
		}
	}
	return false, nil
}

// PeerCount returns the number of connected peers.
func (n *Node) PeerCount(ctx context.Context) (int, error) {
	c, err := blocking.Call(ctx, func() (int64, error) { return n.client.GetConnectionCount() })
	return int(c), err
}

// WaitPeers waits until the node has exactly want connected peers, or ctx ends.
func (n *Node) WaitPeers(ctx context.Context, want int) error {
	for {
		got, err := n.PeerCount(ctx)
		if err == nil && got == want {
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("testnet: %d peers, want %d (last error %v): %w", got, want, err, ctx.Err())
		case <-time.After(pollInterval):
		}
	}
}

// Tip is a node's best block.
type Tip struct {
	Height int64
	Hash   chainhash.Hash
}

// Tip returns the node's best block.
func (n *Node) Tip(ctx context.Context) (Tip, error) {
	tip, err := blocking.Call(ctx, func() (Tip, error) {
		hash, height, err := n.client.GetBestBlock()
		if err != nil {
			return Tip{}, err
		}
		return Tip{Height: int64(height), Hash: *hash}, nil
	})
	if err != nil {
		return Tip{}, fmt.Errorf("testnet: best block: %w", err)
	}
	return tip, nil
}

// WaitSameTip waits until every node has the same best block and returns it, or fails when ctx ends.
// After a reconnection this is the point where the shorter branch's node has reorganized.
func WaitSameTip(ctx context.Context, nodes ...*Node) (Tip, error) {
	if len(nodes) == 0 {
		return Tip{}, fmt.Errorf("testnet: WaitSameTip: no nodes")
	}
	tips := make([]Tip, len(nodes))
	for {
		var err error
		same := true
		for i, n := range nodes {
			if tips[i], err = n.Tip(ctx); err != nil {
				break
			}
			same = same && tips[i] == tips[0]
		}
		if err == nil && same {
			return tips[0], nil
		}
		select {
		case <-ctx.Done():
			return Tip{}, fmt.Errorf("testnet: tips still differ %v (last error %v): %w", tips, err, ctx.Err())
		case <-time.After(pollInterval):
		}
	}
}

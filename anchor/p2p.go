package anchor

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"sync"
	"time"

	"github.com/btcsuite/btcd/chaincfg/v2"
	"github.com/btcsuite/btcd/chainhash/v2"
	"github.com/btcsuite/btcd/peer"
	"github.com/btcsuite/btcd/wire/v2"
)

// BlockSource fetches whole blocks by hash. When a Watcher has one, it reads blocks from it instead of
// Chain.GetBlock (the JSON-RPC getblock call hex-encodes the block inside JSON, which costs both sides
// far more than the block itself); everything else still goes through Chain.
type BlockSource interface {
	GetBlock(ctx context.Context, hash chainhash.Hash) (*wire.MsgBlock, error)
}

// ErrBlockNotFound is returned by a BlockSource that the node answered "not found" (P2P notfound).
var ErrBlockNotFound = errors.New("anchor: block not found")

// PeerConfig configures DialPeer.
type PeerConfig struct {
	// Addr is the node's P2P address, host:port: btcd's --listen, bitcoind's -bind/port (8333 on
	// mainnet, 18444 on regtest). A local or otherwise trusted node: the blocks are checked against the
	// requested hash (so their content is authentic), but a peer can still withhold them.
	Addr string
	// Params selects the network (its message magic); nil means mainnet.
	Params *chaincfg.Params
	// Timeout bounds each block request (default 1 minute). Bitcoin Core does not answer requests for
	// blocks it does not have, so this is how such a request ends.
	Timeout time.Duration
	// Batch is how many concurrent requests are sent in one getdata message (default 16): a node serves
	// one getdata message at a time per peer, so bigger messages keep it busy.
	Batch  int
	Logger *slog.Logger
}

// PeerBlocks is a BlockSource over the Bitcoin P2P protocol: getdata for witness blocks, answered by
// binary block messages. Many requests share one connection; a lost connection is re-established by
// the next request. It is safe for concurrent use.
type PeerBlocks struct {
	cfg PeerConfig

	mu     sync.Mutex
	conn   *peerConn
	closed bool
}

// DialPeer connects to a node's P2P port and completes the version handshake, so that a wrong address
// or network is reported at once.
func DialPeer(ctx context.Context, cfg PeerConfig) (*PeerBlocks, error) {
	if cfg.Params == nil {
		cfg.Params = &chaincfg.MainNetParams
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = time.Minute
	}
	if cfg.Batch <= 0 {
		cfg.Batch = 16
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	s := &PeerBlocks{cfg: cfg}
	if _, err := s.connection(ctx); err != nil {
		return nil, err
	}
	return s, nil
}

// Close disconnects; later requests fail.
func (s *PeerBlocks) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.closed = true
	if s.conn != nil {
		s.conn.close()
		s.conn = nil
	}
	return nil
}

var (
	errPeerClosed = errors.New("anchor: peer block source closed")
	errPeerGone   = errors.New("anchor: peer disconnected")
)

// connection returns the live connection, dialling a new one when there is none.
func (s *PeerBlocks) connection(ctx context.Context) (*peerConn, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil, errPeerClosed
	}
	if s.conn != nil && !s.conn.dead() {
		return s.conn, nil
	}
	c, err := dialPeerConn(ctx, s.cfg)
	if err != nil {
		return nil, err
	}
	s.conn = c
	return c, nil
}

// GetBlock requests one block and waits for it. Concurrent calls are pipelined on the connection.
func (s *PeerBlocks) GetBlock(ctx context.Context, hash chainhash.Hash) (*wire.MsgBlock, error) {
	c, err := s.connection(ctx)
	if err != nil {
		return nil, err
	}
	return c.getBlock(ctx, hash, s.cfg.Timeout)
}

type blockReply struct {
	block *wire.MsgBlock
	err   error
}

type blockRequest struct {
	hash  chainhash.Hash
	reply chan blockReply
}

// peerConn is one handshaken connection and the requests waiting on it.
type peerConn struct {
	p        *peer.Peer
	log      *slog.Logger
	requests chan blockRequest
	batch    int

	mu      sync.Mutex
	waiting map[chainhash.Hash][]chan blockReply
}

func dialPeerConn(ctx context.Context, cfg PeerConfig) (*peerConn, error) {
	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", cfg.Addr)
	if err != nil {
		return nil, fmt.Errorf("anchor: peer %s: %w", cfg.Addr, err)
	}
	c := &peerConn{
		log: cfg.Logger, requests: make(chan blockRequest, 4*cfg.Batch), batch: cfg.Batch,
		waiting: make(map[chainhash.Hash][]chan blockReply),
	}
	ready := make(chan struct{})
	var once sync.Once
	pcfg := &peer.Config{
		UserAgentName:    "ionode",
		UserAgentVersion: "0.1",
		ChainParams:      cfg.Params,
		DisableRelayTx:   true,
		// Our own per-request timeout replaces the stall handler, which would drop the connection
		// while a long pipeline of big blocks is still arriving.
		DisableStallHandler: true,
		Listeners: peer.MessageListeners{
			OnVerAck:   func(*peer.Peer, *wire.MsgVerAck) { once.Do(func() { close(ready) }) },
			OnBlock:    func(_ *peer.Peer, msg *wire.MsgBlock, _ []byte) { c.deliver(msg.BlockHash(), blockReply{block: msg}) },
			OnNotFound: c.onNotFound,
		},
	}
	// The resolved address: NewOutboundPeer cannot parse host names by itself.
	p, err := peer.NewOutboundPeer(pcfg, conn.RemoteAddr().String())
	if err != nil {
		conn.Close()
		return nil, fmt.Errorf("anchor: peer %s: %w", cfg.Addr, err)
	}
	c.p = p
	p.AssociateConnection(conn)
	timer := time.NewTimer(cfg.Timeout)
	defer timer.Stop()
	select {
	case <-ready:
	case <-p.Done():
		return nil, fmt.Errorf("anchor: peer %s: handshake failed (wrong network or not a Bitcoin node?)", cfg.Addr)
	case <-timer.C:
		p.Disconnect()
		return nil, fmt.Errorf("anchor: peer %s: handshake timed out", cfg.Addr)
	case <-ctx.Done():
		p.Disconnect()
		return nil, ctx.Err()
	}
	cfg.Logger.Debug("connected to peer for blocks", "addr", cfg.Addr, "user_agent", p.UserAgent(),
		"protocol", p.ProtocolVersion())
	go c.send()
	go func() {
		<-p.Done()
		c.failAll(fmt.Errorf("anchor: peer %s disconnected", cfg.Addr))
	}()
	return c, nil
}

func (c *peerConn) dead() bool {
	select {
	case <-c.p.Done():
		return true
	default:
		return false
	}
}

func (c *peerConn) close() { c.p.Disconnect() }

// send turns queued requests into getdata messages, as many per message as are waiting (up to batch).
func (c *peerConn) send() {
	for {
		var first blockRequest
		select {
		case first = <-c.requests:
		case <-c.p.Done():
			return
		}
		msg := wire.NewMsgGetDataSizeHint(uint(c.batch))
		_ = msg.AddInvVect(wire.NewInvVect(wire.InvTypeWitnessBlock, &first.hash))
	more:
		for len(msg.InvList) < c.batch {
			select {
			case r := <-c.requests:
				_ = msg.AddInvVect(wire.NewInvVect(wire.InvTypeWitnessBlock, &r.hash))
			default:
				break more
			}
		}
		c.p.QueueMessage(msg, nil)
	}
}

func (c *peerConn) getBlock(ctx context.Context, hash chainhash.Hash, timeout time.Duration) (*wire.MsgBlock, error) {
	reply := make(chan blockReply, 1)
	c.mu.Lock()
	c.waiting[hash] = append(c.waiting[hash], reply)
	c.mu.Unlock()
	defer c.forget(hash, reply)
	timer := time.NewTimer(timeout)
	defer timer.Stop()
	select {
	case c.requests <- blockRequest{hash: hash, reply: reply}:
	case r := <-reply: // the connection failed before the request was sent
		return r.block, r.err
	case <-c.p.Done():
		return nil, errPeerGone
	case <-timer.C:
		return nil, fmt.Errorf("anchor: block %s: peer request timed out", hash)
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	select {
	case r := <-reply:
		return r.block, r.err
	case <-c.p.Done():
		// failAll may have answered first; either way the connection is gone.
		select {
		case r := <-reply:
			return r.block, r.err
		default:
			return nil, errPeerGone
		}
	case <-timer.C:
		return nil, fmt.Errorf("anchor: block %s: no answer from peer in %v", hash, timeout)
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// forget removes a waiter that gave up (or was answered: then it is already gone).
func (c *peerConn) forget(hash chainhash.Hash, reply chan blockReply) {
	c.mu.Lock()
	defer c.mu.Unlock()
	list := c.waiting[hash]
	for i, ch := range list {
		if ch == reply {
			list = append(list[:i], list[i+1:]...)
			break
		}
	}
	if len(list) == 0 {
		delete(c.waiting, hash)
	} else {
		c.waiting[hash] = list
	}
}

// deliver answers every waiter for hash. Blocks nobody asked for (a peer may announce new blocks by
// sending them) are dropped; a block is matched by its computed hash, so its content is the one asked for.
func (c *peerConn) deliver(hash chainhash.Hash, r blockReply) {
	c.mu.Lock()
	list := c.waiting[hash]
	delete(c.waiting, hash)
	c.mu.Unlock()
	if list == nil && r.block != nil {
		c.log.Debug("unrequested block from peer", "hash", hash)
	}
	for _, ch := range list {
		ch <- r // buffered, one reply per waiter
	}
}

func (c *peerConn) onNotFound(_ *peer.Peer, msg *wire.MsgNotFound) {
	for _, iv := range msg.InvList {
		if iv.Type == wire.InvTypeBlock || iv.Type == wire.InvTypeWitnessBlock {
			c.deliver(iv.Hash, blockReply{err: fmt.Errorf("%w: %s", ErrBlockNotFound, iv.Hash)})
		}
	}
}

func (c *peerConn) failAll(err error) {
	c.mu.Lock()
	all := c.waiting
	c.waiting = make(map[chainhash.Hash][]chan blockReply)
	c.mu.Unlock()
	for _, list := range all {
		for _, ch := range list {
			ch <- blockReply{err: err}
		}
	}
}

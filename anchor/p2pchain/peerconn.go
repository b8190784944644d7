package p2pchain

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/btcsuite/btcd/chainhash/v2"
	"github.com/btcsuite/btcd/peer"
	"github.com/btcsuite/btcd/wire/v2"
)

// maxUnconnected is how many header messages in a row that do not connect a peer may send before it is
// treated as invalid (Bitcoin Core's MAX_NUM_UNCONNECTING_HEADERS_MSGS is 10).
const maxUnconnected = 10

// peerConn is one handshaken outbound connection.
type peerConn struct {
	addr string
	p    *peer.Peer
	src  *Source

	mu          sync.Mutex
	waiting     map[chainhash.Hash]chan blockReply
	tip         chainhash.Hash // the highest header it sent: it claims that block and its ancestors
	tipHeight   int64
	bestHeight  int64     // its version message's height, or tipHeight when higher
	synced      bool      // its last headers answer was not full
	headersAt   time.Time // when getheaders was sent and not yet answered (zero: none)
	unconnected int
	served      int64
	failed      int64
}

type blockReply struct {
	block *wire.MsgBlock
	err   error
}

// errNotFound is a peer's notfound answer.
var errNotFound = errors.New("p2pchain: peer has no such block")

func dialPeer(ctx context.Context, s *Source, addr string) (*peerConn, error) {
	dctx, cancel := context.WithTimeout(ctx, s.cfg.HeaderTimeout)
	defer cancel()
	conn, err := s.cfg.Dial(dctx, "tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("p2pchain: dial %s: %w", addr, err)
	}
	pc := &peerConn{
		addr: addr, src: s, waiting: make(map[chainhash.Hash]chan blockReply), tipHeight: -1,
	}
	ready := make(chan struct{})
	var once sync.Once
	cfg := &peer.Config{
		UserAgentName:    "ionode",
		UserAgentVersion: "0.1",
		ChainParams:      s.cfg.Params,
		DisableRelayTx:   true,
		// Our own timeouts decide stalls, per request.
		DisableStallHandler: true,
		// The node never listens, so it cannot dial itself; btcd's check would only misfire on a peer
		// in the same process (the version nonces are process-wide), as the tests' adversaries are.
		AllowSelfConns: true,
		NewestBlock: func() (*chainhash.Hash, int32, error) {
			t := s.headers.Tip()
			return &t.Hash, int32(t.Height), nil
		},
		Listeners: peer.MessageListeners{
			OnVersion: func(p *peer.Peer, msg *wire.MsgVersion) *wire.MsgReject {
				s.clock.AddTimeSample(addr, msg.Timestamp)
				return nil
			},
			OnVerAck:   func(*peer.Peer, *wire.MsgVerAck) { once.Do(func() { close(ready) }) },
			OnHeaders:  pc.onHeaders,
			OnInv:      pc.onInv,
			OnBlock:    func(_ *peer.Peer, msg *wire.MsgBlock, _ []byte) { pc.deliver(msg.BlockHash(), blockReply{block: msg}) },
			OnNotFound: pc.onNotFound,
			OnReject:   func(_ *peer.Peer, msg *wire.MsgReject) { s.onReject(addr, msg) },
		},
	}
	p, err := peer.NewOutboundPeer(cfg, conn.RemoteAddr().String())
	if err != nil {
		conn.Close()
		return nil, fmt.Errorf("p2pchain: peer %s: %w", addr, err)
	}
	pc.p = p
	p.AssociateConnection(conn)
	select {
	case <-ready:
	case <-p.Done():
		return nil, fmt.Errorf("p2pchain: peer %s: handshake failed", addr)
	case <-dctx.Done():
		p.Disconnect()
		return nil, fmt.Errorf("p2pchain: peer %s: handshake: %w", addr, dctx.Err())
	}
	pc.bestHeight = int64(p.StartingHeight())
	// Ask for new blocks to be announced with their headers rather than an inv.
	p.QueueMessage(wire.NewMsgSendHeaders(), nil)
	go pc.watchHeaders()
	return pc, nil
}

// requestHeaders sends getheaders from the best chain's locator, preceded by from when not nil (to
// continue along the peer's own branch when it is not the best one).
func (pc *peerConn) requestHeaders(from *chainhash.Hash) {
	msg := wire.NewMsgGetHeaders()
	msg.ProtocolVersion = pc.p.ProtocolVersion()
	if from != nil {
		_ = msg.AddBlockLocatorHash(from)
	}
	for _, h := range pc.src.headers.Locator() {
		if len(msg.BlockLocatorHashes) >= wire.MaxBlockLocatorsPerMsg {
			break
		}
		_ = msg.AddBlockLocatorHash(h)
	}
	pc.mu.Lock()
	pc.headersAt = time.Now()
	pc.mu.Unlock()
	pc.p.QueueMessage(msg, nil)
}

// watchHeaders replaces a peer that leaves getheaders unanswered.
func (pc *peerConn) watchHeaders() {
	tick := time.NewTicker(pc.src.cfg.HeaderTimeout / 4)
	defer tick.Stop()
	for {
		select {
		case <-pc.p.Done():
			return
		case <-tick.C:
		}
		pc.mu.Lock()
		at := pc.headersAt
		pc.mu.Unlock()
		if !at.IsZero() && time.Since(at) > pc.src.cfg.HeaderTimeout {
			pc.src.punish(pc, KindStall, "getheaders unanswered for "+time.Since(at).Round(time.Second).String())
			return
		}
	}
}

func (pc *peerConn) caughtUp() bool {
	pc.mu.Lock()
	defer pc.mu.Unlock()
	return pc.synced && pc.headersAt.IsZero()
}

// onHeaders adds a peer's headers to the chain (btcd's wire has already bounded the message to 2,000
// headers). Invalid ones ban the peer; a full message asks for the next ones.
func (pc *peerConn) onHeaders(_ *peer.Peer, msg *wire.MsgHeaders) {
	pc.mu.Lock()
	pc.headersAt = time.Time{}
	pc.mu.Unlock()
	if len(msg.Headers) == 0 {
		pc.mu.Lock()
		pc.synced = true
		pc.mu.Unlock()
		pc.src.changedPeers()
		return
	}
	hs := make([]wire.BlockHeader, len(msg.Headers))
	for i, h := range msg.Headers {
		hs[i] = *h
	}
	ch, err := pc.src.headers.AddHeaders(hs)
	if errors.Is(err, ErrInvalidHeader) {
		pc.src.punish(pc, KindInvalidHeader, err.Error())
		return
	}
	if errors.Is(err, ErrUnconnected) {
		pc.mu.Lock()
		pc.unconnected++
		n := pc.unconnected
		pc.mu.Unlock()
		if n > maxUnconnected {
			pc.src.punish(pc, KindInvalidHeader, fmt.Sprintf("%d header messages that do not connect", n))
			return
		}
		pc.requestHeaders(nil)
		return
	}
	if err != nil {
		// Not the peer's fault (the header file could not be written): the headers are asked again.
		pc.src.log.Warn("headers not stored", "peer", pc.addr, "err", err)
	}
	last := hs[len(hs)-1].BlockHash()
	height, _, _, _ := pc.src.headers.Lookup(last)
	pc.mu.Lock()
	pc.unconnected = 0
	if height > pc.tipHeight {
		pc.tip, pc.tipHeight = last, height
	}
	pc.bestHeight = max(pc.bestHeight, height)
	pc.synced = len(hs) < headerMsgMax
	pc.mu.Unlock()
	if ch.Reorged {
		pc.src.log.Info("header chain reorganization", "fork_height", ch.ForkHeight, "tip", ch.Tip.Height, "peer", pc.addr)
	}
	if ch.Added > 0 {
		pc.src.log.Debug("headers", "peer", pc.addr, "added", ch.Added, "tip", ch.Tip.Height)
	}
	if len(hs) == headerMsgMax {
		pc.requestHeaders(&last)
	}
	pc.src.changedPeers()
}

// onInv answers a block announcement with getheaders (blocks are fetched only once their headers
// are validated and on the best chain).
func (pc *peerConn) onInv(_ *peer.Peer, msg *wire.MsgInv) {
	for _, iv := range msg.InvList {
		if iv.Type == wire.InvTypeBlock || iv.Type == wire.InvTypeWitnessBlock {
			pc.requestHeaders(nil)
			return
		}
	}
}

func (s *Source) changedPeers() {
	s.mu.Lock()
	s.notify()
	s.mu.Unlock()
}

// has reports whether the peer may have the block at height: its version message or its headers
// reached that height.
func (pc *peerConn) has(height int64) bool {
	pc.mu.Lock()
	defer pc.mu.Unlock()
	return height <= pc.bestHeight
}

// announcedBlock reports whether the peer itself sent the header of hash or of a descendant: it then
// claimed to have the block, and not serving it is withholding, not a guess from its height.
func (pc *peerConn) announcedBlock(hash chainhash.Hash, height int64) bool {
	pc.mu.Lock()
	tip, tipHeight := pc.tip, pc.tipHeight
	pc.mu.Unlock()
	return tipHeight >= height && pc.src.headers.IsAncestor(hash, height, tip)
}

// request sends getdata for one witness block and waits for the answer or the timeout.
func (pc *peerConn) request(ctx context.Context, hash chainhash.Hash, timeout time.Duration) (*wire.MsgBlock, error) {
	reply := make(chan blockReply, 1)
	pc.mu.Lock()
	if _, dup := pc.waiting[hash]; dup {
		pc.mu.Unlock()
		return nil, fmt.Errorf("p2pchain: block %s already requested from %s", hash, pc.addr)
	}
	pc.waiting[hash] = reply
	pc.mu.Unlock()
	defer func() {
		pc.mu.Lock()
		if pc.waiting[hash] == reply {
			delete(pc.waiting, hash)
		}
		pc.mu.Unlock()
	}()
	msg := wire.NewMsgGetData()
	_ = msg.AddInvVect(wire.NewInvVect(wire.InvTypeWitnessBlock, &hash))
	pc.p.QueueMessage(msg, nil)
	timer := time.NewTimer(timeout)
	defer timer.Stop()
	select {
	case r := <-reply:
		return r.block, r.err
	case <-pc.p.Done():
		return nil, errPeerGone
	case <-timer.C:
		return nil, errStalled
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

var errStalled = errors.New("p2pchain: peer did not serve the block in time")

// deliver hands a block to the request waiting for it; an unrequested block is dropped.
func (pc *peerConn) deliver(hash chainhash.Hash, r blockReply) {
	pc.mu.Lock()
	ch := pc.waiting[hash]
	delete(pc.waiting, hash)
	pc.mu.Unlock()
	if ch != nil {
		ch <- r
	}
}

func (pc *peerConn) onNotFound(_ *peer.Peer, msg *wire.MsgNotFound) {
	for _, iv := range msg.InvList {
		if iv.Type == wire.InvTypeBlock || iv.Type == wire.InvTypeWitnessBlock {
			pc.deliver(iv.Hash, blockReply{err: errNotFound})
		}
	}
}

func (pc *peerConn) failAll(err error) {
	pc.mu.Lock()
	all := pc.waiting
	pc.waiting = make(map[chainhash.Hash]chan blockReply)
	pc.mu.Unlock()
	for _, ch := range all {
		ch <- blockReply{err: err}
	}
}

func (pc *peerConn) load() int {
	pc.mu.Lock()
	defer pc.mu.Unlock()
	return len(pc.waiting)
}

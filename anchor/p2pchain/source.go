package p2pchain

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"sync"
	"time"

	"github.com/btcsuite/btcd/blockchain"
	"github.com/btcsuite/btcd/chaincfg/v2"
	"github.com/btcsuite/btcd/chainhash/v2"
	"github.com/btcsuite/btcd/wire/v2"

	"github.com/ionode/ionode/anchor"
)

// Config configures a Source. Zero durations and counts take the defaults documented on each field.
type Config struct {
	// Params selects the network; nil means mainnet.
	Params *chaincfg.Params
	// Peers are host:port addresses to connect to. Empty means the network's DNS seeds (mainnet and
	// testnet; regtest has none). One trusted peer listed alone is "pinning" it: the chain is then that
	// peer's, checked for proof of work.
	Peers []string
	// MaxPeers is how many peers are kept connected at once (default 8).
	MaxPeers int
	// Headers is the header chain to extend; nil means a new in-memory one.
	Headers *HeaderChain
	// BlockTimeout is how long a peer has to serve a requested block before it counts as stalling and
	// is replaced (default 30 s).
	BlockTimeout time.Duration
	// HeaderTimeout is how long a peer has to answer getheaders (default 30 s).
	HeaderTimeout time.Duration
	// BanFor is how long a peer that sent invalid data is not dialled again (default 24 h); a stalling
	// or withholding peer is set aside for a tenth of it.
	BanFor time.Duration
	// TxWindow is how many recent blocks' transaction IDs are remembered to answer GetRawTransaction
	// (the watcher's look-ups of the outputs an ION transaction spends); default 2,016 (two weeks).
	TxWindow int
	// Fallback, when set, is a trusted node asked for previous transactions outside the window.
	Fallback anchor.Chain
	// Dial opens connections (default a net.Dialer).
	Dial   func(ctx context.Context, network, addr string) (net.Conn, error)
	Logger *slog.Logger
}

// Source is a Bitcoin chain read from the P2P network: headers validated by proof of work from several
// peers, blocks fetched from them and verified against those headers. It implements anchor.Chain, so
// an anchor.Watcher follows it as it would a node's RPC.
type Source struct {
	cfg     Config
	headers *HeaderChain
	log     *slog.Logger
	clock   blockchain.MedianTimeSource
	ctx     context.Context
	cancel  context.CancelFunc
	wg      sync.WaitGroup
	txs     *txIndex

	mu       sync.Mutex
	peers    map[string]*peerConn // connected (handshaken), by dialled address
	dialing  map[string]bool
	bans     map[string]ban
	changed  chan struct{} // closed and replaced whenever peers or fetches change
	served   int64         // highest best-chain block served to the watcher
	inflight int           // GetBlock calls in progress
	sent     map[chainhash.Hash]sentTx
	events   []PeerEvent
}

type ban struct {
	until  time.Time
	reason string
}

// PeerEvent records why a peer was banned or replaced.
type PeerEvent struct {
	Time   time.Time `json:"time"`
	Addr   string    `json:"addr"`
	Kind   string    `json:"kind"` // "invalid-header", "invalid-block", "stall", "withholding"
	Reason string    `json:"reason"`
}

// Start begins connecting to peers and syncing headers; it returns at once. Close stops it.
func Start(ctx context.Context, cfg Config) (*Source, error) {
	if cfg.Params == nil {
		cfg.Params = &chaincfg.MainNetParams
	}
	if cfg.MaxPeers <= 0 {
		cfg.MaxPeers = 8
	}
	if cfg.BlockTimeout <= 0 {
		cfg.BlockTimeout = 30 * time.Second
	}
	if cfg.HeaderTimeout <= 0 {
		cfg.HeaderTimeout = 30 * time.Second
	}
	if cfg.BanFor <= 0 {
		cfg.BanFor = 24 * time.Hour
	}
	if cfg.TxWindow <= 0 {
		cfg.TxWindow = 2016
	}
	if cfg.Dial == nil {
		var d net.Dialer
		cfg.Dial = d.DialContext
	}
	log := cfg.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	clock := blockchain.NewMedianTime()
	hc := cfg.Headers
	if hc == nil {
		var err error
		if hc, err = NewHeaderChain(cfg.Params, nil, clock); err != nil {
			return nil, err
		}
	} else if hc.Params().Net != cfg.Params.Net {
		return nil, fmt.Errorf("p2pchain: header chain is for %s, peers for %s", hc.Params().Name, cfg.Params.Name)
	}
	if len(cfg.Peers) == 0 && len(cfg.Params.DNSSeeds) == 0 {
		return nil, fmt.Errorf("p2pchain: no peers given and %s has no DNS seeds", cfg.Params.Name)
	}
	ctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	s := &Source{
		cfg: cfg, headers: hc, log: log, clock: clock, ctx: ctx, cancel: cancel,
		txs:   newTxIndex(cfg.TxWindow),
		peers: make(map[string]*peerConn), dialing: make(map[string]bool), bans: make(map[string]ban),
		changed: make(chan struct{}), served: -1, sent: make(map[chainhash.Hash]sentTx),
	}
	s.wg.Add(1)
	go s.manage()
	return s, nil
}

// Close disconnects every peer and stops.
func (s *Source) Close() error {
	s.cancel()
	s.mu.Lock()
	for _, p := range s.peers {
		p.p.Disconnect()
	}
	s.mu.Unlock()
	s.wg.Wait()
	return nil
}

// Headers returns the header chain.
func (s *Source) Headers() *HeaderChain { return s.headers }

// notify wakes everyone waiting on a change; the caller holds s.mu.
func (s *Source) notify() {
	close(s.changed)
	s.changed = make(chan struct{})
}

// manage keeps up to MaxPeers connections, replacing peers that were dropped, banned or set aside.
func (s *Source) manage() {
	defer s.wg.Done()
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	var seeds []string
	for {
		candidates := s.cfg.Peers
		if len(candidates) == 0 {
			if len(seeds) == 0 {
				seeds = s.resolveSeeds()
			}
			candidates = seeds
		}
		s.mu.Lock()
		want := s.cfg.MaxPeers - len(s.peers) - len(s.dialing)
		now := time.Now()
		for _, addr := range candidates {
			if want <= 0 {
				break
			}
			if s.peers[addr] != nil || s.dialing[addr] || now.Before(s.bans[addr].until) {
				continue
			}
			s.dialing[addr] = true
			want--
			s.wg.Add(1)
			go s.connect(addr)
		}
		s.mu.Unlock()
		select {
		case <-s.ctx.Done():
			return
		case <-tick.C:
		}
	}
}

// resolveSeeds looks the network's DNS seeds up (each answers with addresses of reachable nodes).
func (s *Source) resolveSeeds() []string {
	port := s.cfg.Params.DefaultPort
	var out []string
	for _, seed := range s.cfg.Params.DNSSeeds {
		ctx, cancel := context.WithTimeout(s.ctx, 10*time.Second)
		ips, err := net.DefaultResolver.LookupHost(ctx, seed.Host)
		cancel()
		if err != nil {
			s.log.Debug("DNS seed failed", "seed", seed.Host, "err", err)
			continue
		}
		for _, ip := range ips {
			out = append(out, net.JoinHostPort(ip, port))
		}
	}
	return out
}

func (s *Source) connect(addr string) {
	defer s.wg.Done()
	pc, err := dialPeer(s.ctx, s, addr)
	s.mu.Lock()
	delete(s.dialing, addr)
	if err == nil {
		s.peers[addr] = pc
		s.notify()
		if s.ctx.Err() != nil {
			pc.p.Disconnect() // Close ran during the handshake, after disconnecting the others
		}
	}
	s.mu.Unlock()
	if err != nil {
		s.log.Debug("peer connection failed", "addr", addr, "err", err)
		return
	}
	s.log.Info("connected to bitcoin peer", "addr", addr, "user_agent", pc.p.UserAgent(), "height", pc.p.StartingHeight())
	pc.requestHeaders(nil)
	pc.p.WaitForDisconnect()
	pc.failAll(errPeerGone)
	s.mu.Lock()
	if s.peers[addr] == pc {
		delete(s.peers, addr)
	}
	s.notify()
	s.mu.Unlock()
	s.log.Info("bitcoin peer disconnected", "addr", addr)
}

// punish disconnects a peer and keeps it from being dialled again for a while.
func (s *Source) punish(pc *peerConn, kind, reason string) {
	d := s.cfg.BanFor
	if kind == KindStall || kind == KindWithholding {
		d /= 10
	}
	s.mu.Lock()
	s.bans[pc.addr] = ban{until: time.Now().Add(d), reason: kind + ": " + reason}
	s.events = append(s.events, PeerEvent{Time: time.Now(), Addr: pc.addr, Kind: kind, Reason: reason})
	if len(s.events) > 100 {
		s.events = s.events[len(s.events)-100:]
	}
	s.mu.Unlock()
	s.log.Warn("bitcoin peer banned", "addr", pc.addr, "kind", kind, "reason", reason, "for", d)
	pc.p.Disconnect()
}

// What a peer is punished for.
const (
	KindInvalidHeader = "invalid-header"
	KindInvalidBlock  = "invalid-block"
	KindStall         = "stall"
	KindWithholding   = "withholding"
)

// Events returns the recent bans and replacements, oldest first.
func (s *Source) Events() []PeerEvent {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]PeerEvent(nil), s.events...)
}

// Synced reports whether at least min peers are connected and every connected peer has given all the
// headers it has (its last answer to getheaders was not full).
func (s *Source) Synced(min int) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.peers) < min {
		return false
	}
	for _, p := range s.peers {
		if !p.caughtUp() {
			return false
		}
	}
	return true
}

// WaitSynced waits until Synced(min), or ctx ends.
func (s *Source) WaitSynced(ctx context.Context, min int) error {
	for {
		if s.Synced(min) {
			return nil
		}
		s.mu.Lock()
		ch := s.changed
		s.mu.Unlock()
		select {
		case <-ch:
		case <-time.After(100 * time.Millisecond): // headers arrive without a peer change
		case <-ctx.Done():
			return fmt.Errorf("p2pchain: waiting for header sync: %w", ctx.Err())
		}
	}
}

// GetBlockCount returns the height of the best header (anchor.Chain).
func (s *Source) GetBlockCount(context.Context) (int64, error) { return s.headers.Tip().Height, nil }

// GetBlockHash returns the best chain's hash at height (anchor.Chain).
func (s *Source) GetBlockHash(_ context.Context, height int64) (chainhash.Hash, error) {
	h, ok := s.headers.HashAt(height)
	if !ok {
		return chainhash.Hash{}, fmt.Errorf("p2pchain: no block at height %d (header tip %d)", height, s.headers.Tip().Height)
	}
	return h, nil
}

var errPeerGone = errors.New("p2pchain: peer disconnected")

// Compile-time check: the watcher can follow a Source.
var _ anchor.Chain = (*Source)(nil)

// headerMsgMax is the most headers a peer returns for one getheaders; a full answer means "ask again".
const headerMsgMax = wire.MaxBlockHeadersPerMsg

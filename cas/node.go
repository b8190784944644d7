package cas

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/ipfs/boxo/bitswap"
	"github.com/ipfs/boxo/bitswap/network/bsnet"
	"github.com/ipfs/boxo/blockservice"
	"github.com/ipfs/boxo/blockstore"
	"github.com/ipfs/boxo/exchange/offline"
	"github.com/ipfs/boxo/ipld/merkledag"
	"github.com/ipfs/boxo/peering"
	pebbleds "github.com/ipfs/go-ds-pebble"
	ipld "github.com/ipfs/go-ipld-format"
	"github.com/libp2p/go-libp2p"
	dht "github.com/libp2p/go-libp2p-kad-dht"
	"github.com/libp2p/go-libp2p/core/crypto"
	"github.com/libp2p/go-libp2p/core/host"
	"github.com/libp2p/go-libp2p/core/peer"
	"github.com/libp2p/go-libp2p/core/routing"

	"github.com/ionode/ionode/internal/atomicfile"
)

// Defaults applied by OpenNode to zero NodeConfig fields.
const (
	// DefaultFetchTimeout bounds a Get whose context has no deadline. It is the
	// ION reference node's ipfsFetchTimeoutInSeconds (ion src/core.ts).
	DefaultFetchTimeout = 10 * time.Second
	// DefaultGatewayMaxSize is ION's largest batch file limit
	// (maxChunkFileSizeInBytes).
	DefaultGatewayMaxSize = 10_000_000
	// DefaultGatewayTimeout is how long the gateway looks for content before
	// answering 404.
	DefaultGatewayTimeout = 10 * time.Second
)

// DefaultListenAddr is where a node listens when NodeConfig.ListenAddrs is
// empty: loopback, a port chosen by the system.
const DefaultListenAddr = "/ip4/127.0.0.1/tcp/0"

// Files inside NodeConfig.DataDir.
const (
	blocksDirName   = "blocks"
	identityKeyName = "identity.key"
)

// NodeConfig configures an embedded IPFS node. Zero values are useful
// defaults, except DataDir which is required.
type NodeConfig struct {
	// DataDir holds the blockstore (Pebble) and the node's libp2p identity
	// key, so the node keeps its content and its peer ID across restarts.
	DataDir string
	// ListenAddrs are libp2p multiaddrs to listen on, e.g.
	// "/ip4/0.0.0.0/tcp/4001". Default: DefaultListenAddr.
	ListenAddrs []string
	// Peers are multiaddrs with a /p2p/<peer id> part that the node dials at
	// start and keeps reconnecting to; bitswap asks them for content.
	Peers []string
	// DHT joins the IPFS DHT to find who holds a file and to announce the files Put stores (default:
	// DHTOff, bitswap asks only connected peers).
	DHT DHTMode
	// PublicDHT joins the public IPFS DHT through its bootstrap peers, advertising and dialing public
	// addresses only (Kubo's WAN DHT); otherwise the DHT is a private one among Bootstrap and the peers
	// they know.
	PublicDHT bool
	// Bootstrap are multiaddrs (with /p2p/<id>) the DHT is joined through, beside the public
	// bootstrap peers when PublicDHT is set.
	Bootstrap []string
	// FetchTimeout bounds a Get whose context has no deadline.
	FetchTimeout time.Duration
	// GatewayMaxSize, GatewayTimeout and GatewayConcurrency configure Handler.
	GatewayMaxSize     int64
	GatewayTimeout     time.Duration
	GatewayConcurrency int // Gateway.MaxConcurrent; default DefaultGatewayConcurrency
	// Logger receives the node's own log lines. Default: slog.Default().
	Logger *slog.Logger
}

// Node is an embedded IPFS node: a persistent blockstore, bitswap over
// libp2p to fetch from and serve to other IPFS peers, UnixFS import and read.
// It implements Store. It is safe for concurrent use.
type Node struct {
	cfg   NodeConfig
	log   *slog.Logger
	ds    *pebbleds.Datastore
	host  host.Host
	bswap *bitswap.Bitswap
	bserv blockservice.BlockService
	dag   ipld.DAGService
	// local reads the blockstore only: what the gateway serves (an anonymous request must not make the
	// node fetch, store and re-serve arbitrary content).
	local   blockservice.BlockService
	peering *peering.PeeringService
	dht     *dht.IpfsDHT // nil with DHTOff
	life    context.Context
	cancel  context.CancelFunc
	// background is the announcing goroutines, which Close waits for before it closes the datastore
	// they read.
	background sync.WaitGroup

	closeOnce sync.Once
	closeErr  error
}

var _ Store = (*Node)(nil)

// OpenNode opens (creating if needed) the node's data directory, starts
// libp2p listening on cfg.ListenAddrs and bitswap, and starts dialing
// cfg.Peers. ctx bounds only the opening; Close stops the node.
func OpenNode(ctx context.Context, cfg NodeConfig) (_ *Node, err error) {
	if cfg.DataDir == "" {
		return nil, errors.New("cas: NodeConfig.DataDir is required")
	}
	if len(cfg.ListenAddrs) == 0 {
		cfg.ListenAddrs = []string{DefaultListenAddr}
	}
	if cfg.FetchTimeout <= 0 {
		cfg.FetchTimeout = DefaultFetchTimeout
	}
	if cfg.GatewayMaxSize <= 0 {
		cfg.GatewayMaxSize = DefaultGatewayMaxSize
	}
	if cfg.GatewayTimeout <= 0 {
		cfg.GatewayTimeout = DefaultGatewayTimeout
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	peers, err := parsePeers("peer", cfg.Peers)
	if err != nil {
		return nil, err
	}
	bootstrap, err := parsePeers("bootstrap peer", cfg.Bootstrap)
	if err != nil {
		return nil, err
	}
	dhtMode, err := ParseDHTMode(string(cfg.DHT))
	if err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if err := os.MkdirAll(cfg.DataDir, 0o700); err != nil {
		return nil, fmt.Errorf("cas: data directory: %w", err)
	}
	key, err := loadOrCreateIdentity(filepath.Join(cfg.DataDir, identityKeyName))
	if err != nil {
		return nil, err
	}

	n := &Node{cfg: cfg, log: cfg.Logger.With("component", "cas")}
	defer func() {
		if err != nil {
			err = errors.Join(err, n.Close())
		}
	}()

	// Pebble: maintained (CockroachDB), pure Go, one directory, crash safe;
	// Kubo ships it as a datastore too. It takes a lock file, so a second node
	// on the same directory fails to open instead of corrupting it.
	n.ds, err = pebbleds.NewDatastore(filepath.Join(cfg.DataDir, blocksDirName))
	if err != nil {
		return nil, fmt.Errorf("cas: open blockstore: %w", err)
	}
	// The identity store answers identity-hash CIDs from the CID itself, as
	// Kubo does; they are never stored or fetched.
	bstore := blockstore.NewIdStore(blockstore.NewBlockstore(n.ds))

	// libp2p's default connection manager (160–192 connections) trims the peers DHT queries leave
	// connected; the peering service protects the configured peers from it.
	n.host, err = libp2p.New(
		libp2p.Identity(key),
		libp2p.ListenAddrStrings(cfg.ListenAddrs...),
	)
	if err != nil {
		return nil, fmt.Errorf("cas: start libp2p: %w", err)
	}

	// The node-lifetime context outlives ctx (which only bounds opening).
	life, cancel := context.WithCancel(context.WithoutCancel(ctx))
	n.life, n.cancel = life, cancel
	// Without the DHT bitswap asks only the peers it is connected to.
	var providers routing.ContentDiscovery
	if dhtMode != DHTOff {
		if n.dht, err = n.startDHT(life, dhtMode, cfg.PublicDHT, bootstrap); err != nil {
			return nil, err
		}
		providers = n.dht
		n.background.Go(n.reprovide)
	}
	n.bswap = bitswap.New(life, bsnet.NewFromIpfsHost(n.host), providers, bstore)
	n.bserv = blockservice.New(bstore, n.bswap)
	n.dag = merkledag.NewDAGService(n.bserv)
	n.local = blockservice.New(bstore, offline.Exchange(bstore))

	n.peering = peering.NewPeeringService(n.host)
	for _, p := range peers {
		n.peering.AddPeer(p)
	}
	if err := n.peering.Start(); err != nil {
		return nil, fmt.Errorf("cas: start peering: %w", err)
	}
	n.dialPeers(ctx, peers)
	n.log.Info("ipfs node started", "peer_id", n.host.ID().String(), "addrs", n.Addrs(), "data_dir", cfg.DataDir, "dht", dhtMode)
	return n, nil
}

// parsePeers reads multiaddrs that end in /p2p/<id>.
func parsePeers(what string, addrs []string) ([]peer.AddrInfo, error) {
	peers := make([]peer.AddrInfo, 0, len(addrs))
	for _, s := range addrs {
		info, err := peer.AddrInfoFromString(s)
		if err != nil {
			return nil, fmt.Errorf("cas: %s %q (want a multiaddr ending in /p2p/<id>): %w", what, s, err)
		}
		peers = append(peers, *info)
	}
	return peers, nil
}

// dialPeers connects to the configured peers before OpenNode returns (within
// ctx), so that the first Get can already ask them; the peering service
// dials on its own only after a delay. A peer that is down is no error: the
// peering service keeps trying.
func (n *Node) dialPeers(ctx context.Context, peers []peer.AddrInfo) {
	var wg sync.WaitGroup
	for _, p := range peers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			dctx, cancel := context.WithTimeout(ctx, 5*time.Second)
			defer cancel()
			if err := n.host.Connect(dctx, p); err != nil {
				n.log.Warn("ipfs peer not reachable yet", "peer", p.ID.String(), "err", err)
			}
		}()
	}
	wg.Wait()
}

// loadOrCreateIdentity keeps the libp2p key in the data directory so the
// node's peer ID (what other nodes put in their peer lists) survives restarts.
func loadOrCreateIdentity(path string) (crypto.PrivKey, error) {
	raw, err := os.ReadFile(path)
	if err == nil {
		key, err := crypto.UnmarshalPrivateKey(raw)
		if err != nil {
			return nil, fmt.Errorf("cas: identity key %s: %w", path, err)
		}
		return key, nil
	}
	if !errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("cas: identity key: %w", err)
	}
	key, _, err := crypto.GenerateEd25519Key(rand.Reader)
	if err != nil {
		return nil, fmt.Errorf("cas: generate identity key: %w", err)
	}
	raw, err = crypto.MarshalPrivateKey(key)
	if err != nil {
		return nil, fmt.Errorf("cas: encode identity key: %w", err)
	}
	// Replaced atomically: a crash never leaves a truncated key behind.
	if err := atomicfile.Write(path, raw, 0o600); err != nil {
		return nil, fmt.Errorf("cas: identity key: %w", err)
	}
	return key, nil
}

// ID returns the node's libp2p peer ID.
func (n *Node) ID() string { return n.host.ID().String() }

// Addrs returns the multiaddrs other IPFS nodes can dial to reach this node,
// each ending in /p2p/<peer id> (the form NodeConfig.Peers and Kubo's
// `ipfs swarm connect` take).
func (n *Node) Addrs() []string {
	full, err := peer.AddrInfoToP2pAddrs(&peer.AddrInfo{ID: n.host.ID(), Addrs: n.host.Addrs()})
	if err != nil {
		return nil
	}
	out := make([]string, len(full))
	for i, a := range full {
		out[i] = a.String()
	}
	return out
}

// Connect dials a peer (a multiaddr with /p2p/<id>) now, in addition to
// NodeConfig.Peers.
func (n *Node) Connect(ctx context.Context, addr string) error {
	info, err := peer.AddrInfoFromString(addr)
	if err != nil {
		return fmt.Errorf("cas: peer %q: %w", addr, err)
	}
	if err := n.host.Connect(ctx, *info); err != nil {
		return fmt.Errorf("cas: connect %s: %w", info.ID, err)
	}
	return nil
}

// Close stops dialing, bitswap and libp2p, then closes the blockstore. It is
// safe to call more than once.
func (n *Node) Close() error {
	n.closeOnce.Do(func() {
		var errs []error
		if n.peering != nil {
			n.peering.Stop()
		}
		if n.bswap != nil {
			errs = append(errs, n.bswap.Close())
		}
		if n.dht != nil {
			errs = append(errs, n.dht.Close())
		}
		if n.host != nil {
			errs = append(errs, n.host.Close())
		}
		if n.cancel != nil {
			n.cancel()
		}
		n.background.Wait()
		if n.ds != nil {
			errs = append(errs, n.ds.Close())
		}
		n.closeErr = errors.Join(errs...)
		if n.closeErr != nil {
			n.closeErr = fmt.Errorf("cas: close node: %w", n.closeErr)
		}
	})
	return n.closeErr
}

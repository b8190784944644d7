package daemon

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"path/filepath"
	"sync"
	"time"

	"golang.org/x/time/rate"

	"github.com/ionode/ionode/cas"
	"github.com/ionode/ionode/cas/kubo"
	"github.com/ionode/ionode/internal/gcfloor"
	"github.com/ionode/ionode/internal/httpserve"
	"github.com/ionode/ionode/node"
	"github.com/ionode/ionode/node/store"
	"github.com/ionode/ionode/node/store/mongo"
	"github.com/ionode/ionode/node/store/pebble"
	"github.com/ionode/ionode/resolver"
	"github.com/ionode/ionode/resolver/ion"
	"github.com/ionode/ionode/sidetree"
	"github.com/ionode/ionode/signer"
)

// Version is the node's version string (set by the binary).
var Version = "dev"

// Daemon is a running node: its store, its CAS, its HTTP server and (unless read-only) the chain
// follower and the batch writer.
type Daemon struct {
	cfg     Config
	network sidetree.Network
	log     *slog.Logger
	Store   store.Store
	CAS     cas.Store
	CASNode *cas.Node // the embedded IPFS node, nil with Kubo
	Metrics *node.Metrics
	Syncer  *node.Syncer
	chain   *chain
	// signerM counts signings by backend and outcome (made once, on first use).
	signerOnce sync.Once
	signerM    *signer.Metrics
	methods    *resolver.Dispatcher
	listener   net.Listener
	server     *httpserve.Server
	requests   *gcfloor.RequestRate // the HTTP requests' rate, the heap floor's demand; nil without a floor

	closers []func(context.Context) error
	wg      sync.WaitGroup
	errs    chan error
}

// Start opens everything the configuration names and starts serving. Close stops it.
func Start(ctx context.Context, cfg Config, log *slog.Logger) (_ *Daemon, err error) {
	network, err := cfg.Validate()
	if err != nil {
		return nil, err
	}
	if err := cfg.checkSecretFiles(); err != nil {
		return nil, err
	}
	d := &Daemon{cfg: cfg, network: network, log: log, Metrics: node.NewMetrics(), errs: make(chan error, 8)}
	// The heap floor holds while the node answers requests at DefaultBusyRate or more (newHTTPServer
	// counts them): that is when collections sit in the requests' latency. Without a floor (0, or GOGC
	// set) nothing reads the count, so requests are not counted.
	rate := &gcfloor.RequestRate{MinPerSecond: gcfloor.DefaultBusyRate}
	if floor := gcfloor.Apply(cfg.GCPercent, cfg.GCHeapFloorMB, rate, log); floor != nil {
		d.requests = rate
		d.closers = append(d.closers, func(context.Context) error { floor.Stop(); return nil })
	}
	defer func() {
		if err != nil {
			d.Close(context.Background())
		}
	}()
	cfg.warnUnsafe(log)
	if err := ownerOnlyDir(cfg.DataDir, log); err != nil {
		return nil, err
	}
	if err := d.openStore(ctx); err != nil {
		return nil, err
	}
	if !cfg.ReadOnly {
		if err := d.openCAS(ctx); err != nil {
			return nil, err
		}
	}
	if err := d.startChain(ctx); err != nil {
		return nil, err
	}
	if err := d.serveHTTP(ctx); err != nil {
		return nil, err
	}
	return d, nil
}

func (d *Daemon) openStore(ctx context.Context) error {
	if d.cfg.MongoURI != "" {
		s, err := mongo.Open(ctx, mongo.Options{URI: d.cfg.MongoURI, Database: d.cfg.MongoDatabase, ReadOnly: d.cfg.ReadOnly,
			ReadPrimary: d.cfg.MongoReadPrimary, Logger: d.log})
		if err != nil {
			return fmt.Errorf("open MongoDB store: %w", err)
		}
		d.Store = s
		d.log.Info("store: MongoDB", "database", d.cfg.MongoDatabase, "read_only", d.cfg.ReadOnly)
	} else {
		dir := filepath.Join(d.cfg.DataDir, "store")
		if err := ownerOnlyDir(dir, d.log); err != nil {
			return err
		}
		s, err := pebble.Open(dir, pebble.Options{CacheSize: int64(d.cfg.StoreCacheMB) << 20})
		if err != nil {
			return fmt.Errorf("open embedded store (is another ionode using %s?): %w", d.cfg.DataDir, err)
		}
		d.Store = s
		d.log.Info("store: embedded", "dir", dir)
	}
	d.closers = append(d.closers, d.Store.Close)
	return nil
}

func (d *Daemon) openCAS(ctx context.Context) error {
	if d.cfg.IPFS != "embedded" {
		c, err := kubo.New(d.cfg.IPFS, &http.Client{})
		if err != nil {
			return err
		}
		c.Logger = d.log
		d.CAS = c
		d.log.Info("CAS: Kubo", "api", d.cfg.IPFS)
		return nil
	}
	dhtMode, public := d.cfg.ipfsDHT()
	n, err := cas.OpenNode(ctx, cas.NodeConfig{
		DataDir: filepath.Join(d.cfg.DataDir, "ipfs"), ListenAddrs: d.cfg.IPFSListen, Peers: d.cfg.IPFSPeers,
		DHT: dhtMode, PublicDHT: public, Bootstrap: d.cfg.IPFSBootstrap, GatewayConcurrency: d.cfg.GatewayConcurrency, Logger: d.log,
	})
	if err != nil {
		return fmt.Errorf("start the embedded IPFS node: %w", err)
	}
	d.CAS, d.CASNode = n, n
	d.closers = append(d.closers, func(context.Context) error { return n.Close() })
	d.log.Info("CAS: embedded IPFS node", "peer_id", n.ID(), "addrs", n.Addrs(), "dht", dhtMode, "public_dht", public && dhtMode != cas.DHTOff)
	return nil
}

// Resolver returns the node's did:ion resolver.
func (d *Daemon) Resolver() *ion.Resolver {
	return &ion.Resolver{Network: d.network, Log: d.Store, Cache: d.Store, Logger: d.log}
}

// Methods returns the dispatcher the node resolves every DID method with (set once serving).
func (d *Daemon) Methods() *resolver.Dispatcher { return d.methods }

func (d *Daemon) routes(ctx context.Context, baseURL string) (*node.Routes, error) {
	res := d.Resolver()
	client, err := d.cfg.Credentials.webClient()
	if err != nil {
		return nil, err
	}
	answers := ion.NewAnswers(res, d.cfg.answerBytes()) // one cache for GET /identifiers and the verifiers
	d.methods = d.dispatcher(answers, client)
	creds, err := d.openCredentials(ctx, d.methods, client, baseURL)
	if err != nil {
		return nil, err
	}
	api := &node.API{Network: d.network, Resolver: identifiers{answers: answers, methods: d.methods}, Version: Version, Logger: d.log, Metrics: d.Metrics, MaxQueueDepth: d.cfg.MaxQueueDepth}
	if d.acceptsOperations() {
		api.Queue, api.Log = d.Store, d.Store
		guard := &node.WriteGuard{PerIP: rate.Limit(d.cfg.WriteRatePerIP), Burst: max(1, int(2*d.cfg.WriteRatePerIP))}
		for _, h := range d.cfg.WriteTokenHashes {
			sum, err := node.ParseTokenHash(h)
			if err != nil {
				return nil, err
			}
			guard.TokenHashes = append(guard.TokenHashes, sum)
		}
		api.Guard = guard
	}
	xmux, requests, dispatcher, err := d.openExchange(ctx, creds, baseURL)
	if err != nil {
		return nil, err
	}
	d.closers = append(d.closers, func(context.Context) error { dispatcher.Wait(); return nil })
	rt := &node.Routes{API: api, Driver: &node.Driver{Resolver: res, Methods: d.methods, Metrics: d.Metrics}, Metrics: d.Metrics, Logger: d.log,
		Credentials: creds.handler(d.cfg.Credentials, d.log), Exchange: xmux}
	if rt.Issuance, err = d.openIssuance(creds, baseURL, xmux, requests, dispatcher); err != nil {
		return nil, err
	}
	if d.CASNode != nil {
		rt.Gateway = d.CASNode.Handler()
		rt.GatewayRate, rt.GatewayBurst = d.cfg.gatewayRate()
	}
	if d.Syncer != nil {
		rt.Ready = d.Syncer.Ready
	}
	d.explorerRoutes(rt)
	return rt, nil
}

// explorerRoutes adds the explorer's API: node status, recent transactions, a DID's operations.
func (d *Daemon) explorerRoutes(rt *node.Routes) {
	_, net := chainParams(d.cfg.Network)
	genesis := net.Genesis
	if d.cfg.GenesisHeight >= 0 {
		genesis = d.cfg.GenesisHeight
	}
	st := &node.Status{Network: d.network, Version: Version, CAS: d.casCheck(), Genesis: uint64(max(genesis, 0))}
	if d.acceptsOperations() {
		st.Queue = d.Store
	}
	if d.Syncer != nil {
		st.Progress, st.Ready = d.Syncer.Progress, d.Syncer.Ready
	}
	if c := d.chain; c != nil {
		st.Bitcoin = func(ctx context.Context) error { _, err := c.watcher.Chain.GetBlockCount(ctx); return err }
		if c.p2p != nil {
			st.Bitcoin = c.p2pCheck
			st.BitcoinP2P = func() any { return c.p2p.Status() }
		}
	}
	rt.Status = st
	rt.Transactions = &node.Transactions{Network: d.network, Store: d.Store, CAS: d.CAS, TxIDs: d.anchorTxIDs, Logger: d.log}
	rt.History = &node.History{Network: d.network, Log: d.Store, Logger: d.log}
}

// casCheck probes the CAS: the embedded node is in-process and always there; Kubo is asked for the empty
// directory every Kubo node has, which answers at once ("not a file") when the daemon is up.
func (d *Daemon) casCheck() func(context.Context) error {
	switch {
	case d.CAS == nil:
		return nil
	case d.CASNode != nil:
		return func(context.Context) error { return nil }
	}
	return func(ctx context.Context) error {
		_, err := d.CAS.Get(ctx, "QmUNLLsPACCz1vLxQVkXqqLX5R1X345qqfHbsf67hvA3Nn", 0)
		if err == nil || cas.Permanent(err) {
			return nil
		}
		return err
	}
}

// anchorTxIDs names the Bitcoin transaction of each anchor this node's writer still remembers (the
// latest replacement when a fee bump replaced one).
func (d *Daemon) anchorTxIDs(ctx context.Context) (map[string]string, error) {
	pending, err := d.Store.PendingTxs(ctx)
	if err != nil {
		return nil, err
	}
	m := map[string]string{}
	for _, p := range pending {
		if p.Anchor != "" && (p.ReplacedBy == "" || m[p.Anchor] == "") {
			m[p.Anchor] = p.TxID
		}
	}
	return m, nil
}

// acceptsOperations: only a node that can pay for anchors takes operations.
func (d *Daemon) acceptsOperations() bool {
	return !d.cfg.ReadOnly && d.cfg.hasWriterKey()
}

func (d *Daemon) serveHTTP(ctx context.Context) error {
	l, err := net.Listen("tcp", d.cfg.Listen)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", d.cfg.Listen, err)
	}
	d.listener = l
	baseURL := d.cfg.Credentials.PublicURL
	if baseURL == "" {
		baseURL = d.scheme() + "://" + l.Addr().String()
	}
	rt, err := d.routes(ctx, baseURL)
	if err != nil {
		l.Close()
		return err
	}
	d.harden(rt)
	d.server = d.newHTTPServer(rt.Handler(), rt.RefuseTooLarge)
	// The request the node serves most, an answer at hand, is answered natively (node.FastResolution).
	d.server.SetFast(rt.FastResolution())
	d.wg.Add(1)
	go func() {
		defer d.wg.Done()
		if err := d.server.Serve(l); err != nil && !errors.Is(err, httpserve.ErrServerClosed) {
			d.errs <- fmt.Errorf("HTTP server: %w", err)
		}
	}()
	d.log.Info("serving HTTP", "tls", d.tls(), "addr", l.Addr().String(), "network", d.network.Name, "accepts_operations", d.acceptsOperations())
	return nil
}

// Addr is the HTTP address the node listens on.
func (d *Daemon) Addr() string { return d.listener.Addr().String() }

// Wait blocks until ctx ends or a component fails.
func (d *Daemon) Wait(ctx context.Context) error {
	select {
	case <-ctx.Done():
		return nil
	case err := <-d.errs:
		return err
	}
}

// Close stops serving and closes everything, in reverse order of opening.
func (d *Daemon) Close(ctx context.Context) error {
	var errs []error
	if d.server != nil {
		shutdown, cancel := context.WithTimeout(ctx, 10*time.Second)
		errs = append(errs, d.server.Shutdown(shutdown))
		cancel()
	}
	d.stopChain()
	d.wg.Wait()
	for i := len(d.closers) - 1; i >= 0; i-- {
		errs = append(errs, d.closers[i](ctx))
	}
	return errors.Join(errs...)
}

// tokenHash is the hash form of a bearer token, as --write-token-hash takes it.
func tokenHash(token string) string {
	sum := sha256.Sum256([]byte(token))
	return fmt.Sprintf("%x", sum)
}

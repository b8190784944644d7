package daemon

import (
	"fmt"
	"net"
	"net/url"
	"os"
	"time"

	"github.com/ionode/ionode/anchor"
	"github.com/ionode/ionode/cas"
	"github.com/ionode/ionode/internal/bearer"
	"github.com/ionode/ionode/node"
	"github.com/ionode/ionode/sidetree"
)

// Config is everything the node can be told (ionode serve binds each field to a flag).
type Config struct {
	Network       string
	Listen        string
	DataDir       string
	MongoURI      string
	MongoDatabase string
	// MongoReadPrimary reads from the MongoDB primary whatever the URI's readPreference says (see
	// node/store/mongo: a writer refuses a URI reading from secondaries; a read-only replica reads
	// secondaries through causally consistent sessions unless this pins it to the primary).
	MongoReadPrimary bool
	ReadOnly         bool
	// StoreCacheMB is the embedded store's block cache in MiB (0: pebble.DefaultCacheSize). Reads of
	// DIDs whose blocks are not cached cost a file read each: size it to the store for the fastest
	// resolution.
	StoreCacheMB int
	// AnswerCacheMB bounds the did:ion resolution answers kept serialized in memory, in MiB (0:
	// ion.DefaultAnswerBytes; negative: none), for GET /identifiers and the node's verifiers alike. Each
	// is served only while the DID's generation in the store is the one read before it was computed.
	// The serialized answers are kept outside the Go heap in whole 32 MiB (internal/bytecache); the
	// verifiers' parsed results take up to an eighth more.
	AnswerCacheMB int
	// GCPercent is the Go garbage collector's target (GOGC) that Start sets for the process; it is left
	// alone when 0 or when the GOGC environment variable is set. See gc.go.
	GCPercent int
	// GCHeapFloorMB lets the heap grow to this many MiB before a collection while the live heap is small
	// and the node answers 1,000 requests/s or more, whatever GCPercent says (0: no floor; GOGC in the
	// environment turns it off). See gc.go.
	GCHeapFloorMB int

	BitcoinRPC      string // host:port or URL of btcd / Bitcoin Core RPC
	BitcoinUser     string
	BitcoinPassword string
	// BitcoinCookie is Bitcoin Core's RPC cookie file (<datadir>/.cookie): it holds the user and a password
	// Core writes anew at each start, so the clients read it again (the watcher's at each request, the wallet's
	// btcsuite client when it changes, at most every 30 s), not once.
	BitcoinCookie string
	BitcoinCert   string // btcd's RPC TLS certificate; empty: plain HTTP
	BitcoinP2P    string // host:port of the same node's P2P port to read blocks from; empty: blocks over RPC
	// BitcoinPeers makes the node follow the chain from these Bitcoin peers (host:port), verifying proof
	// of work, instead of trusting an RPC node; "seeds" alone means the network's DNS seeds.
	BitcoinPeers  []string
	Confirmations int
	GenesisHeight int64 // -1: the network's default

	IPFS       string // "embedded" or a Kubo RPC URL
	IPFSListen []string
	IPFSPeers  []string
	// IPFSDHT is the embedded node's DHT mode (off, client, server, auto). Empty: auto on mainnet and
	// testnet, where ION's files are found and announced on the public IPFS DHT; off on regtest.
	IPFSDHT string
	// IPFSBootstrap are DHT bootstrap peers (multiaddrs with /p2p/<id>), beside the public IPFS ones on
	// mainnet and testnet; on regtest they make a private DHT among ionode nodes.
	IPFSBootstrap []string

	// WriterKeyFile is the writer key's file, or a pkcs11: URI naming it in a token.
	WriterKeyFile string
	// PKCS11Module is the PKCS#11 module for pkcs11: key URIs without a module-path.
	PKCS11Module string
	// WriterKey is the writer key itself (hex or WIF), from the ION_WRITER_KEY environment variable; it
	// wins over WriterKeyFile. Never set from a flag or a config file, never logged or encoded.
	WriterKey       string `json:"-"`
	FeeBudgetPerDay uint64 // satoshis the writer may pay in fees per UTC day; 0: no cap
	// MaxFee (satoshis) and MaxFeeRate (satoshis per 1,000 bytes) cap one transaction's fee, fee bumps
	// included; 0: no cap. MaxFeeBumps is how often one transaction may be replaced (0: never).
	MaxFee             int64
	MaxFeeRate         int64
	MaxFeeBumps        int
	BatchInterval      time.Duration
	BatchConfirmations int      // confirmations of a batch before the next is written (ION: 6)
	WriteTokenHashes   []string // SHA-256 hex of bearer tokens accepted on POST /operations; empty: open
	WriteRatePerIP     float64  // POST /operations per second per client IP; 0: unlimited
	WriteRatePerToken  float64  // POST /operations per second per bearer token; 0: unlimited
	MaxQueueDepth      int      // refuse operations while this many wait; 0: no cap
	// GatewayRatePerIP limits GET /ipfs/{cid} per client (an IPv4 address or IPv6 /64; 0: unlimited), and
	// GatewayConcurrency the files read at once (more get 503).
	GatewayRatePerIP   float64
	GatewayConcurrency int
	PollInterval       time.Duration
	MaxDownloads       int
	// CASFetchTimeout bounds each batch file fetch, UnresolvableRetry is the backoff unit of transactions
	// whose files could not be fetched (the n-th retry waits 2^n units); zero: ION's 10 s and one minute.
	CASFetchTimeout   time.Duration
	UnresolvableRetry time.Duration
	ReadyLagBlocks    int
	LogLevel          string
	LogFormat         string

	HTTP HTTPConfig

	Credentials CredentialConfig
}

// HTTPConfig is the HTTP server's limits, TLS and CORS.
type HTTPConfig struct {
	ReadHeaderTimeout time.Duration // a client must send its headers within this
	ReadTimeout       time.Duration // ... and then its body within this
	WriteTimeout      time.Duration // an answer must be written within this
	IdleTimeout       time.Duration // an idle keep-alive connection is closed after this
	MaxHeaderBytes    int
	MaxBodyBytes      int64    // cap on any request body (routes cap tighter)
	TLSCertFile       string   // PEM certificate chain; with TLSKeyFile the node serves HTTPS
	TLSKeyFile        string   // PEM private key (owner-only)
	CORSOrigins       []string // origins allowed to read answers from a browser; "*": any; empty: none
}

// CredentialConfig configures DID resolution of other methods than ion and the credential routes.
type CredentialConfig struct {
	// did:web and every other outgoing fetch of the verifier (status lists, DID configurations).
	WebAllowLoopback bool          // tests and local development only: loopback addresses, plain HTTP to them
	WebAllowPrivate  bool          // issuers on an internal network: RFC 1918 / ULA / CGNAT addresses
	WebCAFile        string        // PEM certificates trusted besides the system roots; empty: system roots
	WebMaxTTL        time.Duration // cap on how long a did:web document is cached
	// AdminTokenHashes are SHA-256 (hex) of the bearer tokens accepted on issuing and status routes;
	// none: those routes always answer 401.
	AdminTokenHashes []string
	TrustPolicyFile  string // trusted issuers per credential type; empty: every verifiable issuer
	// IssuerKeyFile is the private JWK the node issues and signs its status lists with, IssuerKID the DID
	// URL of its verification method (in the DID's assertionMethod). Empty: the node issues nothing.
	IssuerKeyFile string
	IssuerKID     string
	// PublicURL is the node's external base URL; status list credential URLs are built on it. Empty:
	// http:// and the listen address.
	PublicURL      string
	StatusList     string // id of the node's status list
	StatusListKind string // StatusList2021 or BitstringStatusList
	// StatusCacheTTL is how long another issuer's status list is reused before it is fetched again
	// (the node's own lists are always read fresh).
	StatusCacheTTL time.Duration
	// OID4VCIConfigFile lists the credentials the node offers to wallets over OpenID4VCI (and through
	// createIssuanceRequest); empty: no wallet issuance. Needs the issuer key.
	OID4VCIConfigFile string
	// VerifierKeyFile is the private JWK that signs OpenID4VP request objects, VerifierKID the DID URL of
	// its verification method: its DID is the verifier's client_id. Empty: no presentation requests.
	VerifierKeyFile string
	VerifierKID     string
	// CallbackAllowLoopback and CallbackAllowPrivate let relying-party callbacks reach loopback or
	// private addresses (refused by default: the SSRF guard of did:web).
	CallbackAllowLoopback bool
	CallbackAllowPrivate  bool
}

// DefaultConfig returns ION's defaults.
func DefaultConfig() Config {
	return Config{
		Network:            "mainnet",
		Listen:             "127.0.0.1:3000",
		DataDir:            defaultDataDir(),
		MongoDatabase:      "ionode",
		GCPercent:          DefaultGCPercent,
		GCHeapFloorMB:      DefaultGCHeapFloorMB,
		Confirmations:      1,
		GenesisHeight:      -1,
		IPFS:               "embedded",
		IPFSListen:         []string{"/ip4/0.0.0.0/tcp/4001"},
		BatchInterval:      600 * time.Second, // ION's default batching interval
		BatchConfirmations: 6,                 // ION's BatchWriter
		MaxFee:             1_000_000,         // 0.01 BTC: ION batches pay a few thousand satoshis
		MaxFeeRate:         500_000,           // 500 satoshis per byte
		MaxFeeBumps:        anchor.DefaultMaxBumps,
		WriteRatePerIP:     10,
		WriteRatePerToken:  10,
		MaxQueueDepth:      100_000,
		GatewayRatePerIP:   float64(node.DefaultGatewayRate),
		GatewayConcurrency: cas.DefaultGatewayConcurrency,
		PollInterval:       60 * time.Second, // ION's default observing interval
		MaxDownloads:       20,               // ION's default concurrent downloads
		ReadyLagBlocks:     2,
		LogLevel:           "info",
		LogFormat:          "text",
		HTTP: HTTPConfig{
			ReadHeaderTimeout: 5 * time.Second,
			ReadTimeout:       15 * time.Second,
			WriteTimeout:      60 * time.Second,
			IdleTimeout:       120 * time.Second,
			MaxHeaderBytes:    16 << 10,
			MaxBodyBytes:      1 << 20,
		},
		Credentials: CredentialConfig{
			WebMaxTTL:      time.Hour,
			StatusList:     "revocation",
			StatusListKind: "StatusList2021",
			StatusCacheTTL: 5 * time.Minute,
		},
	}
}

func defaultDataDir() string {
	if home, err := os.UserHomeDir(); err == nil {
		return home + "/.ionode"
	}
	return ".ionode"
}

// ipfsDHT is the embedded IPFS node's DHT mode and whether it joins the public IPFS DHT.
func (c Config) ipfsDHT() (mode cas.DHTMode, public bool) {
	public = c.Network != "regtest"
	mode, _ = cas.ParseDHTMode(c.IPFSDHT) // checked by Validate
	if c.IPFSDHT == "" && public {
		mode = cas.DHTAuto
	}
	return mode, public
}

// Validate checks the settings together and returns the network.
func (c *Config) Validate() (sidetree.Network, error) {
	network, err := sidetree.NetworkByName(c.Network)
	if err != nil {
		return sidetree.Network{}, err
	}
	if _, _, err := net.SplitHostPort(c.Listen); err != nil {
		return network, fmt.Errorf("--listen %q: %w", c.Listen, err)
	}
	if c.BitcoinP2P != "" {
		if _, _, err := net.SplitHostPort(c.BitcoinP2P); err != nil {
			return network, fmt.Errorf("--bitcoin-p2p %q: want host:port: %w", c.BitcoinP2P, err)
		}
	}
	if c.GCPercent < 0 {
		return network, fmt.Errorf("--gc-percent %d: must be 0 (Go's default) or more", c.GCPercent)
	}
	if c.GCHeapFloorMB < 0 {
		return network, fmt.Errorf("--gc-heap-floor-mb %d: must be 0 (no floor) or more", c.GCHeapFloorMB)
	}
	if c.StoreCacheMB < 0 {
		return network, fmt.Errorf("--store-cache-mb %d: must be 0 (the default) or more", c.StoreCacheMB)
	}
	if c.ReadOnly && c.MongoURI == "" {
		return network, fmt.Errorf("--read-only needs --mongodb-uri: replicas share the observer's MongoDB")
	}
	if c.ReadOnly && c.hasWriterKey() {
		return network, fmt.Errorf("--read-only and a writer key (--writer-key-file, ION_WRITER_KEY) exclude each other")
	}
	if err := c.validateBitcoinPeers(); err != nil {
		return network, err
	}
	if !c.ReadOnly && c.BitcoinRPC == "" && len(c.BitcoinPeers) == 0 {
		return network, fmt.Errorf("--bitcoin-rpc or --bitcoin-peers is required (or --read-only with a shared MongoDB)")
	}
	if c.IPFS != "embedded" {
		u, err := url.Parse(c.IPFS)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return network, fmt.Errorf(`--ipfs must be "embedded" or an http(s) Kubo RPC URL, not %q`, c.IPFS)
		}
		if c.IPFSDHT != "" || len(c.IPFSBootstrap) > 0 {
			return network, fmt.Errorf("--ipfs-dht and --ipfs-bootstrap configure the embedded IPFS node; Kubo has its own (Routing, Bootstrap)")
		}
	}
	if _, err := cas.ParseDHTMode(c.IPFSDHT); err != nil {
		return network, fmt.Errorf("--ipfs-dht: %w", err)
	}
	if c.Confirmations < 1 {
		return network, fmt.Errorf("--confirmations must be at least 1")
	}
	if c.BatchInterval < time.Second || c.PollInterval < 100*time.Millisecond {
		return network, fmt.Errorf("--batch-interval must be ≥ 1s and --poll-interval ≥ 100ms")
	}
	if c.MaxDownloads < 1 || c.MaxDownloads > 1000 {
		return network, fmt.Errorf("--max-downloads must be between 1 and 1000")
	}
	for _, h := range c.WriteTokenHashes {
		if _, err := bearer.ParseHash(h); err != nil {
			return network, fmt.Errorf("--write-token-hash: %w", err)
		}
	}
	if c.MaxFee < 0 || c.MaxFeeRate < 0 || c.MaxFeeBumps < 0 {
		return network, fmt.Errorf("--max-fee, --max-fee-rate and --max-fee-bumps must not be negative")
	}
	if c.BatchConfirmations < 1 {
		return network, fmt.Errorf("--batch-confirmations must be at least 1")
	}
	if err := c.HTTP.validate(); err != nil {
		return network, err
	}
	switch c.LogFormat {
	case "text", "json":
	default:
		return network, fmt.Errorf("--log-format must be text or json")
	}
	if err := c.Credentials.validate(); err != nil {
		return network, err
	}
	// Checked last, so that the specific errors above come first. Without both, btcsuite's rpcclient
	// falls back to a cookie file at an empty path and fails with "stat : no such file or directory".
	if c.BitcoinCookie != "" && (c.BitcoinUser != "" || c.BitcoinPassword != "") {
		return network, fmt.Errorf("--bitcoin-cookie excludes --bitcoin-user and --bitcoin-password: the cookie file holds both")
	}
	if !c.ReadOnly && c.BitcoinRPC != "" && c.BitcoinUser == "" && c.BitcoinPassword == "" && c.BitcoinCookie == "" {
		return network, fmt.Errorf("no Bitcoin RPC credentials: set --bitcoin-user and --bitcoin-password " +
			"(or ION_BITCOIN_USER and ION_BITCOIN_PASSWORD) to btcd's rpcuser/rpcpass or Bitcoin Core's rpcuser/rpcpassword, " +
			"or --bitcoin-cookie to Bitcoin Core's .cookie file")
	}
	return network, nil
}

func (h HTTPConfig) validate() error {
	if h.ReadHeaderTimeout <= 0 || h.ReadTimeout <= 0 || h.WriteTimeout <= 0 || h.IdleTimeout <= 0 {
		return fmt.Errorf("--http-read-header-timeout, --http-read-timeout, --http-write-timeout and --http-idle-timeout must be positive")
	}
	if h.MaxHeaderBytes < 1024 || h.MaxBodyBytes < 1024 {
		return fmt.Errorf("--http-max-header-bytes and --http-max-body-bytes must be at least 1024")
	}
	if (h.TLSCertFile == "") != (h.TLSKeyFile == "") {
		return fmt.Errorf("--tls-cert-file and --tls-key-file go together")
	}
	for _, o := range h.CORSOrigins {
		if o == "*" {
			continue
		}
		u, err := url.Parse(o)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.Path != "" || u.RawQuery != "" {
			return fmt.Errorf("--cors-origin %q: want * or an origin such as https://explorer.example.com", o)
		}
	}
	return nil
}

// answerBytes is ion.NewAnswers's budget for AnswerCacheMB.
func (c Config) answerBytes() int64 {
	if c.AnswerCacheMB < 0 {
		return -1
	}
	return int64(c.AnswerCacheMB) << 20
}

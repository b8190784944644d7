package main

import (
	"encoding/json"
	"fmt"
	"os"
	"strings"

	"github.com/spf13/pflag"

	"github.com/ionode/ionode/node/daemon"
)

// serveConfig is the daemon's configuration; each field is a flag. The same setting can come from the
// environment (ION_ and the flag name in upper snake case: --bitcoin-rpc → ION_BITCOIN_RPC) or from a
// JSON config file whose keys are the flag names. A flag given on the command line wins, then the
// environment, then the file, then the default.
type serveConfig = daemon.Config

func defaultServeConfig() serveConfig { return daemon.DefaultConfig() }

func bindServeFlags(c *serveConfig, f *pflag.FlagSet) {
	f.StringVar(&c.Network, "network", c.Network, "ION network: mainnet, testnet or regtest")
	f.StringVar(&c.Listen, "listen", c.Listen, "HTTP listen address")
	f.StringVar(&c.DataDir, "data-dir", c.DataDir, "directory for the embedded store, the IPFS blockstore and the chain position")
	f.StringVar(&c.MongoURI, "mongodb-uri", c.MongoURI, "MongoDB URI; empty: the embedded store in --data-dir")
	f.StringVar(&c.MongoDatabase, "mongodb-database", c.MongoDatabase, "MongoDB database name")
	f.BoolVar(&c.MongoReadPrimary, "mongodb-read-primary", c.MongoReadPrimary, "read from the MongoDB primary whatever the URI's readPreference says; without it a writer refuses a URI reading from secondaries and a --read-only replica reads them through causally consistent sessions")
	f.IntVar(&c.StoreCacheMB, "store-cache-mb", c.StoreCacheMB, "embedded store's block cache in MiB; 0: 256. Size it to the store (about 0.85 GB per million operations) for the fastest resolution")
	f.IntVar(&c.AnswerCacheMB, "answer-cache-mb", c.AnswerCacheMB, "did:ion resolution answers kept serialized in memory, in MiB (each served only while the DID's state is unchanged); 0: 128, negative: none")
	f.IntVar(&c.GCPercent, "gc-percent", c.GCPercent, "Go garbage collector target (as GOGC, which wins when set); lower keeps the heap smaller and resolution's latency tail shorter on small VMs; 0: Go's default (100)")
	f.IntVar(&c.GCHeapFloorMB, "gc-heap-floor-mb", c.GCHeapFloorMB, "while the node answers 1,000 HTTP requests/s or more and its live heap is small, let the heap grow to this many MiB before the garbage collector runs, whatever --gc-percent says (fewer collections, a shorter latency tail under load; up to that much more memory while busy); 0: no floor; GOGC, when set, turns it off")
	f.BoolVar(&c.ReadOnly, "read-only", c.ReadOnly, "resolver replica: serve resolution from a shared MongoDB, observe and write nothing")
	f.StringVar(&c.BitcoinRPC, "bitcoin-rpc", c.BitcoinRPC, "Bitcoin RPC address (btcd or Bitcoin Core), host:port")
	f.StringVar(&c.BitcoinUser, "bitcoin-user", c.BitcoinUser, "Bitcoin RPC user")
	f.StringVar(&c.BitcoinPassword, "bitcoin-password", c.BitcoinPassword, "Bitcoin RPC password")
	f.StringVar(&c.BitcoinCookie, "bitcoin-cookie", c.BitcoinCookie, "Bitcoin Core's RPC cookie file (<datadir>/.cookie), read again when Core restarts and writes a new one; instead of --bitcoin-user and --bitcoin-password")
	f.StringVar(&c.BitcoinCert, "bitcoin-cert", c.BitcoinCert, "btcd RPC TLS certificate file; empty: plain HTTP")
	f.StringVar(&c.BitcoinP2P, "bitcoin-p2p", c.BitcoinP2P, "the Bitcoin node's P2P address (host:port) to read blocks from, about twice as fast as RPC; a trusted node: empty reads blocks over RPC")
	f.StringSliceVar(&c.BitcoinPeers, "bitcoin-peers", c.BitcoinPeers, `Bitcoin peers (host:port,…) to follow the chain from, verifying proof of work, without trusting an RPC node ("seeds": the network's DNS seeds); several recommended. With --bitcoin-rpc too, RPC only answers look-ups older than the scanned blocks and serves the writer`)
	f.IntVar(&c.Confirmations, "confirmations", c.Confirmations, "blocks on top of a block before its anchors are processed (1: the tip counts)")
	f.Int64Var(&c.GenesisHeight, "genesis-height", c.GenesisHeight, "first block to scan; -1: the network's ION genesis")
	f.StringVar(&c.IPFS, "ipfs", c.IPFS, `"embedded" (an IPFS node inside ionode) or a Kubo RPC URL such as http://127.0.0.1:5001`)
	f.StringSliceVar(&c.IPFSListen, "ipfs-listen", c.IPFSListen, "libp2p listen multiaddrs of the embedded IPFS node")
	f.StringSliceVar(&c.IPFSPeers, "ipfs-peers", c.IPFSPeers, "IPFS peers to connect to (multiaddrs with /p2p/<id>)")
	f.StringVar(&c.IPFSDHT, "ipfs-dht", c.IPFSDHT, "embedded IPFS node's DHT: off, client, server or auto (a server once reachable from the internet); empty: auto on mainnet and testnet (the public IPFS DHT finds and announces ION's files), off on regtest")
	f.StringSliceVar(&c.IPFSBootstrap, "ipfs-bootstrap", c.IPFSBootstrap, "DHT bootstrap peers (multiaddrs with /p2p/<id>), beside the public IPFS ones on mainnet and testnet; on regtest: a private DHT among ionode nodes")
	f.StringVar(&c.WriterKeyFile, "writer-key-file", c.WriterKeyFile, "secp256k1 key (hex or WIF) paying for anchors, or a key URI naming it in a token or KMS (pkcs11:, awskms:///, azurekv://, gcpkms://; docs/keys.md); empty: the node accepts no operations")
	f.StringVar(&c.PKCS11Module, "pkcs11-module", c.PKCS11Module, "PKCS#11 module (.so) for pkcs11: key URIs without module-path; the PIN comes from IONODE_PKCS11_PIN or the URI's pin-source file")
	f.DurationVar(&c.BatchInterval, "batch-interval", c.BatchInterval, "how often queued operations are batched and anchored")
	f.IntVar(&c.BatchConfirmations, "batch-confirmations", c.BatchConfirmations, "confirmations of a batch's transaction before the next batch is written (ION: 6)")
	f.StringSliceVar(&c.WriteTokenHashes, "write-token-hash", c.WriteTokenHashes, "SHA-256 (hex) of a bearer token accepted on POST /operations (repeatable, for rotation); none: open")
	f.Float64Var(&c.WriteRatePerIP, "write-rate", c.WriteRatePerIP, "POST /operations requests per second per client IP (0: unlimited)")
	f.Float64Var(&c.WriteRatePerToken, "write-token-rate", c.WriteRatePerToken, "POST /operations requests per second per bearer token (0: unlimited)")
	f.Float64Var(&c.GatewayRatePerIP, "ipfs-gateway-rate", c.GatewayRatePerIP, "GET /ipfs/{cid} requests per second per client (an IPv4 address or IPv6 /64) to the embedded IPFS node's gateway (0: unlimited)")
	f.IntVar(&c.GatewayConcurrency, "ipfs-gateway-concurrency", c.GatewayConcurrency, "files the /ipfs/ gateway reads at once; more requests get 503")
	f.IntVar(&c.MaxQueueDepth, "max-queue", c.MaxQueueDepth, "refuse new operations while this many wait to be batched (0: no cap)")
	f.DurationVar(&c.PollInterval, "poll-interval", c.PollInterval, "how often the chain is polled for new blocks")
	f.IntVar(&c.MaxDownloads, "max-downloads", c.MaxDownloads, "concurrent batch file downloads")
	f.IntVar(&c.ReadyLagBlocks, "ready-lag", c.ReadyLagBlocks, "/readyz fails while the node is more than this many blocks behind the tip")
	f.Uint64Var(&c.FeeBudgetPerDay, "fee-budget", c.FeeBudgetPerDay, "satoshis the writer may pay in fees per UTC day; when reached, operations stay queued until 00:00 UTC (0: no cap)")
	f.Int64Var(&c.MaxFee, "max-fee", c.MaxFee, "most satoshis one anchor transaction may pay in fees, fee bumps included (0: no cap)")
	f.Int64Var(&c.MaxFeeRate, "max-fee-rate", c.MaxFeeRate, "most satoshis per 1,000 bytes one anchor transaction may pay, fee bumps included (0: no cap)")
	f.IntVar(&c.MaxFeeBumps, "max-fee-bumps", c.MaxFeeBumps, "how often a stuck transaction may be replaced with a higher fee (0: never)")
	f.DurationVar(&c.HTTP.ReadHeaderTimeout, "http-read-header-timeout", c.HTTP.ReadHeaderTimeout, "time a client has to send its request headers")
	f.DurationVar(&c.HTTP.ReadTimeout, "http-read-timeout", c.HTTP.ReadTimeout, "time a client has to send its request body, counted from the end of its headers")
	f.DurationVar(&c.HTTP.WriteTimeout, "http-write-timeout", c.HTTP.WriteTimeout, "time to write an answer before the connection is closed")
	f.DurationVar(&c.HTTP.IdleTimeout, "http-idle-timeout", c.HTTP.IdleTimeout, "idle keep-alive connections are closed after this")
	f.IntVar(&c.HTTP.MaxHeaderBytes, "http-max-header-bytes", c.HTTP.MaxHeaderBytes, "largest request header block accepted")
	f.Int64Var(&c.HTTP.MaxBodyBytes, "http-max-body-bytes", c.HTTP.MaxBodyBytes, "largest request body accepted on any route (routes cap tighter)")
	f.StringVar(&c.HTTP.TLSCertFile, "tls-cert-file", c.HTTP.TLSCertFile, "PEM certificate (chain) to serve HTTPS with; empty: plain HTTP (put a TLS reverse proxy in front)")
	f.StringVar(&c.HTTP.TLSKeyFile, "tls-key-file", c.HTTP.TLSKeyFile, "PEM private key of --tls-cert-file (owner-only permissions)")
	f.StringSliceVar(&c.HTTP.CORSOrigins, "cors-origin", c.HTTP.CORSOrigins, "origin allowed to call the API from browser pages (repeatable; * for any); none: no CORS (the explorer is same-origin)")
	f.StringVar(&c.LogLevel, "log-level", c.LogLevel, "debug, info, warn or error")
	f.StringVar(&c.LogFormat, "log-format", c.LogFormat, "text or json")
	bindCredentialFlags(&c.Credentials, f)
}

func bindCredentialFlags(c *daemon.CredentialConfig, f *pflag.FlagSet) {
	f.BoolVar(&c.WebAllowLoopback, "did-web-allow-loopback", c.WebAllowLoopback, "TESTS ONLY: let did:web, status list and DID configuration fetches reach loopback addresses (plain HTTP too)")
	f.BoolVar(&c.WebAllowPrivate, "did-web-allow-private", c.WebAllowPrivate, "let did:web and other verifier fetches reach private (RFC 1918, ULA, CGNAT) addresses")
	f.StringVar(&c.WebCAFile, "did-web-ca-file", c.WebCAFile, "PEM certificates trusted for did:web and verifier fetches besides the system roots")
	f.DurationVar(&c.WebMaxTTL, "did-web-max-ttl", c.WebMaxTTL, "longest time a did:web document is cached, whatever its Cache-Control says")
	f.StringSliceVar(&c.AdminTokenHashes, "admin-token-hash", c.AdminTokenHashes, "SHA-256 (hex) of a bearer token accepted on POST /credentials/issue and /status/{list}/{index} (repeatable); none: those routes answer 401")
	f.StringVar(&c.TrustPolicyFile, "trust-policy-file", c.TrustPolicyFile, "JSON file of trusted issuers per credential type; empty: every issuer whose signature verifies")
	f.StringVar(&c.IssuerKeyFile, "issuer-key-file", c.IssuerKeyFile, "private JWK (written by ionode keys generate or did create --out), or a key URI naming the key in a token or KMS (pkcs11:, awskms:///, azurekv://, gcpkms://), the node issues credentials and signs its status list with")
	f.StringVar(&c.IssuerKID, "issuer-kid", c.IssuerKID, "DID URL of the issuer key's verification method (in its DID's assertionMethod), e.g. did:ion:EiA…#key-1")
	f.StringVar(&c.PublicURL, "public-url", c.PublicURL, "the node's external base URL, for status list credential URLs; empty: http://<listen address>")
	f.StringVar(&c.StatusList, "status-list", c.StatusList, "id of the node's revocation status list (served at <public-url>/status/<id>)")
	f.StringVar(&c.StatusListKind, "status-list-kind", c.StatusListKind, "StatusList2021 or BitstringStatusList")
	f.StringVar(&c.OID4VCIConfigFile, "oid4vci-config-file", c.OID4VCIConfigFile, "JSON file of the credentials offered to wallets over OpenID4VCI and createIssuanceRequest (display, types, validity, status); empty: none")
	f.StringVar(&c.VerifierKeyFile, "verifier-key-file", c.VerifierKeyFile, "private JWK, or a key URI naming the key in a token or KMS (pkcs11:, awskms:///, azurekv://, gcpkms://), that signs OpenID4VP request objects (createPresentationRequest); empty: no presentation requests")
	f.StringVar(&c.VerifierKID, "verifier-kid", c.VerifierKID, "DID URL of the verifier key's verification method; its DID is the verifier's client_id")
	f.BoolVar(&c.CallbackAllowLoopback, "callback-allow-loopback", c.CallbackAllowLoopback, "TESTS ONLY: let relying-party callbacks reach loopback addresses (plain HTTP too)")
	f.BoolVar(&c.CallbackAllowPrivate, "callback-allow-private", c.CallbackAllowPrivate, "let relying-party callbacks reach private (RFC 1918, ULA, CGNAT) addresses")
	f.DurationVar(&c.StatusCacheTTL, "status-cache-ttl", c.StatusCacheTTL, "how long another issuer's status list is reused before it is fetched again (revocation latency)")
}

// noEnvAnnotation marks a flag that only the command line sets.
const noEnvAnnotation = "ionode_no_env"

// noEnv exempts flags from the environment and the config file.
func noEnv(f *pflag.FlagSet, names ...string) {
	for _, n := range names {
		f.SetAnnotation(n, noEnvAnnotation, []string{"true"})
	}
}

// envBound reports whether a flag can be set from its ION_ variable.
func envBound(fl *pflag.Flag) bool {
	_, no := fl.Annotations[noEnvAnnotation]
	return !no && fl.Name != "help"
}

// envName is the environment variable for a flag.
func envName(flag string) string {
	return "ION_" + strings.ToUpper(strings.ReplaceAll(flag, "-", "_"))
}

// applySources fills every flag not given on the command line from the environment, then from the
// config file (a JSON object keyed by flag name; lists as JSON arrays).
func applySources(f *pflag.FlagSet, file string, getenv func(string) string) error {
	fileValues := map[string]json.RawMessage{}
	if file != "" {
		data, err := os.ReadFile(file)
		if err != nil {
			return fmt.Errorf("read config file: %w", err)
		}
		if err := json.Unmarshal(data, &fileValues); err != nil {
			return fmt.Errorf("config file %s: %w", file, err)
		}
		for key := range fileValues {
			if f.Lookup(key) == nil || key == "config" {
				return fmt.Errorf("config file %s: unknown setting %q", file, key)
			}
		}
	}
	var errs []string
	f.VisitAll(func(fl *pflag.Flag) {
		if fl.Changed || fl.Name == "config" || !envBound(fl) {
			return
		}
		if v := getenv(envName(fl.Name)); v != "" {
			if err := f.Set(fl.Name, v); err != nil {
				errs = append(errs, fmt.Sprintf("%s: %v", envName(fl.Name), err))
			}
			return
		}
		raw, ok := fileValues[fl.Name]
		if !ok {
			return
		}
		var list []string
		var scalar any
		switch {
		case json.Unmarshal(raw, &list) == nil:
			if err := f.Set(fl.Name, strings.Join(list, ",")); err != nil {
				errs = append(errs, fmt.Sprintf("config %s: %v", fl.Name, err))
			}
		case json.Unmarshal(raw, &scalar) == nil:
			if err := f.Set(fl.Name, fmt.Sprint(scalar)); err != nil {
				errs = append(errs, fmt.Sprintf("config %s: %v", fl.Name, err))
			}
		}
	})
	if len(errs) > 0 {
		return fmt.Errorf("invalid settings: %s", strings.Join(errs, "; "))
	}
	return nil
}

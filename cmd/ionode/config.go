package main

import (
	"encoding/json"
	"fmt"
	"net"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/spf13/pflag"

	"github.com/ionode/ionode/sidetree"
)

// serveConfig is everything `ionode serve` can be told. Each field is a flag; the same setting can come
// from the environment (ION_ and the flag name in upper snake case: --bitcoin-rpc → ION_BITCOIN_RPC) or
// from a JSON config file whose keys are the flag names. A flag given on the command line wins, then the
// environment, then the file, then the default.
type serveConfig struct {
	Network       string
	Listen        string
	DataDir       string
	MongoURI      string
	MongoDatabase string
	ReadOnly      bool

	BitcoinRPC      string // host:port or URL of btcd / Bitcoin Core RPC
	BitcoinUser     string
	BitcoinPassword string
	BitcoinCert     string // btcd's RPC TLS certificate; empty: plain HTTP
	Confirmations   int
	GenesisHeight   int64 // -1: the network's default

	IPFS       string // "embedded" or a Kubo RPC URL
	IPFSListen []string
	IPFSPeers  []string

	WriterKeyFile  string
	BatchInterval  time.Duration
	PollInterval   time.Duration
	MaxDownloads   int
	ReadyLagBlocks int
	LogLevel       string
	LogFormat      string
}

func defaultServeConfig() serveConfig {
	return serveConfig{
		Network:        "mainnet",
		Listen:         "127.0.0.1:3000",
		DataDir:        defaultDataDir(),
		MongoDatabase:  "ionode",
		Confirmations:  1,
		GenesisHeight:  -1,
		IPFS:           "embedded",
		IPFSListen:     []string{"/ip4/0.0.0.0/tcp/4001"},
		BatchInterval:  600 * time.Second, // ION's default batching interval
		PollInterval:   60 * time.Second,  // ION's default observing interval
		MaxDownloads:   20,                // ION's default concurrent downloads
		ReadyLagBlocks: 2,
		LogLevel:       "info",
		LogFormat:      "text",
	}
}

func defaultDataDir() string {
	if home, err := os.UserHomeDir(); err == nil {
		return home + "/.ionode"
	}
	return ".ionode"
}

func (c *serveConfig) bind(f *pflag.FlagSet) {
	f.StringVar(&c.Network, "network", c.Network, "ION network: mainnet, testnet or regtest")
	f.StringVar(&c.Listen, "listen", c.Listen, "HTTP listen address")
	f.StringVar(&c.DataDir, "data-dir", c.DataDir, "directory for the embedded store, the IPFS blockstore and the chain position")
	f.StringVar(&c.MongoURI, "mongodb-uri", c.MongoURI, "MongoDB URI; empty: the embedded store in --data-dir")
	f.StringVar(&c.MongoDatabase, "mongodb-database", c.MongoDatabase, "MongoDB database name")
	f.BoolVar(&c.ReadOnly, "read-only", c.ReadOnly, "resolver replica: serve resolution from a shared MongoDB, observe and write nothing")
	f.StringVar(&c.BitcoinRPC, "bitcoin-rpc", c.BitcoinRPC, "Bitcoin RPC address (btcd or Bitcoin Core), host:port")
	f.StringVar(&c.BitcoinUser, "bitcoin-user", c.BitcoinUser, "Bitcoin RPC user")
	f.StringVar(&c.BitcoinPassword, "bitcoin-password", c.BitcoinPassword, "Bitcoin RPC password")
	f.StringVar(&c.BitcoinCert, "bitcoin-cert", c.BitcoinCert, "btcd RPC TLS certificate file; empty: plain HTTP")
	f.IntVar(&c.Confirmations, "confirmations", c.Confirmations, "blocks on top of a block before its anchors are processed (1: the tip counts)")
	f.Int64Var(&c.GenesisHeight, "genesis-height", c.GenesisHeight, "first block to scan; -1: the network's ION genesis")
	f.StringVar(&c.IPFS, "ipfs", c.IPFS, `"embedded" (an IPFS node inside ionode) or a Kubo RPC URL such as http://127.0.0.1:5001`)
	f.StringSliceVar(&c.IPFSListen, "ipfs-listen", c.IPFSListen, "libp2p listen multiaddrs of the embedded IPFS node")
	f.StringSliceVar(&c.IPFSPeers, "ipfs-peers", c.IPFSPeers, "IPFS peers to connect to (multiaddrs with /p2p/<id>)")
	f.StringVar(&c.WriterKeyFile, "writer-key-file", c.WriterKeyFile, "secp256k1 key (hex or WIF) paying for anchors; empty: the node accepts no operations")
	f.DurationVar(&c.BatchInterval, "batch-interval", c.BatchInterval, "how often queued operations are batched and anchored")
	f.DurationVar(&c.PollInterval, "poll-interval", c.PollInterval, "how often the chain is polled for new blocks")
	f.IntVar(&c.MaxDownloads, "max-downloads", c.MaxDownloads, "concurrent batch file downloads")
	f.IntVar(&c.ReadyLagBlocks, "ready-lag", c.ReadyLagBlocks, "/readyz fails while the node is more than this many blocks behind the tip")
	f.StringVar(&c.LogLevel, "log-level", c.LogLevel, "debug, info, warn or error")
	f.StringVar(&c.LogFormat, "log-format", c.LogFormat, "text or json")
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
		if fl.Changed || fl.Name == "config" {
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

// validate checks the settings together and returns the network.
func (c *serveConfig) validate() (sidetree.Network, error) {
	network, err := sidetree.NetworkByName(c.Network)
	if err != nil {
		return sidetree.Network{}, err
	}
	if _, _, err := net.SplitHostPort(c.Listen); err != nil {
		return network, fmt.Errorf("--listen %q: %w", c.Listen, err)
	}
	if c.ReadOnly && c.MongoURI == "" {
		return network, fmt.Errorf("--read-only needs --mongodb-uri: replicas share the observer's MongoDB")
	}
	if c.ReadOnly && c.WriterKeyFile != "" {
		return network, fmt.Errorf("--read-only and --writer-key-file exclude each other")
	}
	if !c.ReadOnly && c.BitcoinRPC == "" {
		return network, fmt.Errorf("--bitcoin-rpc is required (or --read-only with a shared MongoDB)")
	}
	if c.IPFS != "embedded" {
		u, err := url.Parse(c.IPFS)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return network, fmt.Errorf(`--ipfs must be "embedded" or an http(s) Kubo RPC URL, not %q`, c.IPFS)
		}
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
	switch c.LogFormat {
	case "text", "json":
	default:
		return network, fmt.Errorf("--log-format must be text or json")
	}
	return network, nil
}

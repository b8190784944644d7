package daemon

import (
	"bytes"
	"context"
	"crypto/rand"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ionode/ionode/internal/ferrettest"
	"github.com/ionode/ionode/sidetree"
	"github.com/ionode/ionode/testnet"
)

func testLogger(t *testing.T) *slog.Logger {
	t.Helper()
	if os.Getenv("IONODE_TEST_LOG") != "" {
		return slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	return slog.New(slog.NewTextHandler(io.Discard, nil))
}

// nodeSetup is what an option of regtestNode may change before the daemon starts.
type nodeSetup struct {
	Config *Config
	Log    *slog.Logger
}

// regtestNode starts a btcd regtest and a daemon with a funded writer key over it; options adjust the
// configuration and the logger.
func regtestNode(t *testing.T, ctx context.Context, btc *testnet.Node, mongoURI string, options ...func(*nodeSetup)) *Daemon {
	t.Helper()
	dir := t.TempDir()
	keyFile := fundedWriterKey(t, ctx, btc, dir)
	rpc := btc.RPCConfig()
	cfg := DefaultConfig()
	cfg.Network = "regtest"
	cfg.Listen = "127.0.0.1:0"
	cfg.DataDir = filepath.Join(dir, "data")
	cfg.MongoURI = mongoURI
	cfg.BitcoinRPC, cfg.BitcoinUser, cfg.BitcoinPassword = rpc.Host, rpc.User, rpc.Pass
	cfg.IPFSListen = []string{"/ip4/127.0.0.1/tcp/0"}
	cfg.WriterKeyFile = keyFile
	cfg.BatchInterval = time.Second
	cfg.BatchConfirmations = 1
	cfg.PollInterval = 200 * time.Millisecond
	cfg.WriteRatePerIP = 0
	setup := nodeSetup{Config: &cfg, Log: testLogger(t)}
	for _, o := range options {
		o(&setup)
	}
	d, err := Start(ctx, cfg, setup.Log)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close(context.Background()) })
	return d
}

type client struct {
	t    *testing.T
	base string
}

func (c client) post(body []byte) (int, string) {
	c.t.Helper()
	resp, err := http.Post(c.base+"/operations", "application/json", bytes.NewReader(body))
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func (c client) resolve(did string) (int, sidetree.Value) {
	c.t.Helper()
	resp, err := http.Get(c.base + "/identifiers/" + did)
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	v, _ := sidetree.ParseJSON(b)
	return resp.StatusCode, v
}

// mineUntil mines a block every 300 ms until cond holds.
func mineUntil(t *testing.T, ctx context.Context, btc *testnet.Node, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(90 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		if _, err := btc.Generate(ctx, 1); err != nil {
			t.Fatal(err)
		}
		time.Sleep(300 * time.Millisecond)
	}
}

// TestEndToEnd runs the whole node on a real btcd regtest: operations posted over HTTP are batched,
// written to the embedded IPFS node, anchored by the node's wallet, observed back from the chain and
// resolved; a second node started later syncs the same state over bitswap.
//
// It runs over both stores: the embedded one (Pebble) and MongoDB (FerretDB servers speaking its wire
// protocol, on SQLite and on PostgreSQL); with MongoDB a read-only replica on the writer's database
// serves the same resolutions.
func TestEndToEnd(t *testing.T) {
	if testing.Short() {
		t.Skip("starts btcd and two nodes")
	}
	for _, tc := range []struct {
		name  string
		mongo func(*testing.T) string
	}{
		{"embedded store", nil},
		{"MongoDB store", startMongo},
		{"MongoDB store, FerretDB on PostgreSQL", startMongoPostgreSQL},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var mongoURI string
			if tc.mongo != nil {
				mongoURI = tc.mongo(t)
			}
			runEndToEnd(t, mongoURI)
		})
	}
}

// startMongoPostgreSQL starts a FerretDB server on a PostgreSQL cluster of its own for the test; without
// PostgreSQL installed the test is skipped, except in CI, where it fails.
func startMongoPostgreSQL(t *testing.T) string {
	t.Helper()
	srv, err := ferrettest.StartPostgreSQL()
	if errors.Is(err, ferrettest.ErrNoPostgreSQL) && os.Getenv("CI") != "true" {
		t.Skip(err)
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Stop)
	return srv.URI
}

// startMongo starts a FerretDB server for the test.
func startMongo(t *testing.T) string {
	t.Helper()
	srv, err := ferrettest.Start()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Stop)
	return srv.URI
}

// runEndToEnd is TestEndToEnd over one store: mongoURI empty means the embedded store.
func runEndToEnd(t *testing.T, mongoURI string) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	btc := startBitcoin(t, ctx, testnet.Config{ListenPeer: true})
	d := regtestNode(t, ctx, btc, mongoURI)
	c := client{t, "http://" + d.Addr()}
	p := sidetree.Regtest().Latest()

	rec, upd := mustKey(t), mustKey(t)
	doc := sidetree.Document{Services: []sidetree.Service{{ID: "hub", Type: "LinkedDomains", Endpoint: sidetree.String("https://hub.example.com/")}}}
	create, err := sidetree.NewCreateRequest("ion", rec, upd, doc, p)
	if err != nil {
		t.Fatal(err)
	}
	did := "did:ion:" + create.DIDSuffix
	if status, body := c.post(create.Body.Stringify()); status != 200 || !strings.Contains(body, `"published":false`) {
		t.Fatalf("create: %d %s", status, body)
	}
	if status, body := c.post(create.Body.Stringify()); status != 400 || !strings.Contains(body, "queueing_multiple_operations_per_did_not_allowed") {
		t.Fatalf("second create for the same DID: %d %s", status, body)
	}
	published := func() bool {
		status, v := c.resolve(did)
		ok, _ := v.Field("didDocumentMetadata").Field("method").Field("published").Boolean()
		return status == 200 && ok
	}
	mineUntil(t, ctx, btc, "the create to be anchored and resolved", published)

	// Update, recover and deactivate, each anchored and observed.
	next := mustKey(t)
	update, err := sidetree.NewUpdateRequest(create.DIDSuffix, upd, next, sidetree.UpdateChanges{
		AddServices: []sidetree.Service{{ID: "extra", Type: "LinkedDomains", Endpoint: sidetree.String("https://extra.example.com/")}},
	}, p)
	if err != nil {
		t.Fatal(err)
	}
	mustPost(t, c, update)
	mineUntil(t, ctx, btc, "the update", func() bool {
		_, v := c.resolve(did)
		return strings.Contains(string(v.Stringify()), "#extra")
	})
	nextRec, nextUpd := mustKey(t), mustKey(t)
	recover, err := sidetree.NewRecoverRequest(create.DIDSuffix, rec, nextRec, nextUpd, sidetree.Document{}, p)
	if err != nil {
		t.Fatal(err)
	}
	mustPost(t, c, recover)
	mineUntil(t, ctx, btc, "the recover", func() bool {
		_, v := c.resolve(did)
		return !strings.Contains(string(v.Stringify()), "#hub")
	})
	deactivate, err := sidetree.NewDeactivateRequest(create.DIDSuffix, nextRec, p)
	if err != nil {
		t.Fatal(err)
	}
	mustPost(t, c, deactivate)
	mineUntil(t, ctx, btc, "the deactivate", func() bool {
		status, _ := c.resolve(did)
		return status == 410
	})
	hash1, err := d.Store.StateHash(ctx)
	if err != nil {
		t.Fatal(err)
	}

	// A second node with no writer, fetching files from the first over bitswap and blocks from btcd's
	// P2P port, reaches the same state.
	second := observerNode(t, ctx, btc, d, func(cfg *Config) {
		cfg.BitcoinP2P = btc.PeerAddr()
		if mongoURI != "" {
			cfg.MongoURI, cfg.MongoDatabase = mongoURI, "second"
		}
	})
	waitState(t, ctx, second, hash1, "the second node")
	status, v := client{t, "http://" + second.Addr()}.resolve(did)
	if status != 410 {
		t.Fatalf("second node resolves %d %s", status, v.Stringify())
	}
	if mongoURI != "" {
		checkReplica(t, ctx, mongoURI, did, hash1, create.Body)
	}
}

// checkReplica starts a read-only daemon on the writer's MongoDB database: it resolves what the writer
// observed, has the same state, and refuses operations.
func checkReplica(t *testing.T, ctx context.Context, mongoURI, did string, hash []byte, op sidetree.Value) {
	t.Helper()
	cfg := DefaultConfig()
	cfg.Network, cfg.Listen, cfg.DataDir = "regtest", "127.0.0.1:0", filepath.Join(t.TempDir(), "replica")
	cfg.MongoURI, cfg.ReadOnly = mongoURI, true
	replica, err := Start(ctx, cfg, testLogger(t))
	if err != nil {
		t.Fatal(err)
	}
	defer replica.Close(context.Background())
	if got, err := replica.Store.StateHash(ctx); err != nil || !bytes.Equal(got, hash) {
		t.Fatalf("replica state hash %x (%v), writer's %x", got, err, hash)
	}
	rc := client{t, "http://" + replica.Addr()}
	if status, v := rc.resolve(did); status != 410 {
		t.Fatalf("replica resolves %d %s", status, v.Stringify())
	}
	unknown := "did:ion:EiDahaOGH-liLLdDtTxEAdc8i-cfCz-WUcQdRJheMVNn3A"
	if status, _ := rc.resolve(unknown); status != 404 {
		t.Fatalf("replica resolves an unknown DID with %d", status)
	}
	if status, body := rc.post(op.Stringify()); status != http.StatusServiceUnavailable || !strings.Contains(body, "read_only") {
		t.Fatalf("replica accepted an operation: %d %s", status, body)
	}
}

func mustKey(t *testing.T) sidetree.JWK {
	t.Helper()
	k, err := sidetree.GenerateES256K(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// mustPost posts an operation; while the DID's previous operation is still being settled by the batch
// writer (anchored, confirmation not yet seen) the node refuses it, so it retries until it is settled.
func mustPost(t *testing.T, c client, body sidetree.Value) {
	t.Helper()
	deadline := time.Now().Add(2 * time.Minute) // a safety net: under load a step takes many times its usual time
	for {
		status, resp := c.post(body.Stringify())
		if status == 200 {
			return
		}
		if !strings.Contains(resp, "queueing_multiple_operations_per_did_not_allowed") || time.Now().After(deadline) {
			t.Fatalf("POST %s: %d %s", body.Field("type").String(), status, resp)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

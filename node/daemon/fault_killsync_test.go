package daemon

import (
	"bytes"
	"context"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/btcsuite/btcd/btcutil/v2"

	"github.com/ionode/ionode/anchor"
	"github.com/ionode/ionode/anchor/ionrules"
	"github.com/ionode/ionode/cas"
	"github.com/ionode/ionode/node"
	"github.com/ionode/ionode/node/store"
	"github.com/ionode/ionode/node/store/mongo"
	"github.com/ionode/ionode/node/store/pebble"
	"github.com/ionode/ionode/sidetree"
	"github.com/ionode/ionode/sidetree/batch"
	"github.com/ionode/ionode/testnet"
)

// killSyncSize sizes the chain TestFaultKillSync replays: big enough that ingesting a batch takes a
// good part of the node's time, so kills land while it downloads, parses or writes one.
type killSyncSize struct {
	creates, updates int // batches of creates, then of updates of the first DIDs
	batch            int // operations per batch
}

// TestFaultKillSync kills an observer-only node with SIGKILL at random points while it syncs from
// genesis a chain of many big batches (downloading files over bitswap, parsing and verifying them,
// writing thousands of operations at a time), restarting it each time on the same data directory. Once
// it has caught up, its store must equal that of a node that synced the same chain without
// interruption: the same state hash, the same processed transactions each holding all its operations
// exactly once, and the same resolution of every sampled DID. After every kill the store must hold
// each transaction it records complete (a transaction recorded with operations missing would be
// skipped for good).
func TestFaultKillSync(t *testing.T) {
	if testing.Short() {
		t.Skip("starts btcd, IPFS nodes and node processes")
	}
	for _, tc := range []struct {
		name  string
		mongo bool
		size  killSyncSize
		kills int // kills that must land before the node has caught up
	}{
		{"embedded store", false, killSyncSize{creates: 12, updates: 4, batch: 1500}, 12},
		// FerretDB stores some 300 operations a second: a smaller chain, still of batches above the 100
		// update statements that once hung it.
		{"MongoDB", true, killSyncSize{creates: 6, updates: 2, batch: 250}, 6},
	} {
		t.Run(tc.name, func(t *testing.T) {
			// A safety net against a hang, not a speed requirement: at load average 20 every step takes
			// several times as long.
			ctx, cancel := context.WithTimeout(context.Background(), 12*time.Minute)
			defer cancel()
			start := time.Now()
			ch := buildKillSyncChain(t, ctx, tc.size)
			t.Logf("chain: %d operations in %d batches, tip %d, built in %s", ch.operations(), len(ch.batches), ch.tip, time.Since(start).Round(time.Millisecond))
			ref := ch.reference(t, ctx)
			mongoURI := ""
			if tc.mongo {
				mongoURI = startMongo(t)
			}
			ch.killDuringSync(t, ctx, ref, mongoURI, tc.kills)
		})
	}
}

// killSyncBatch is one anchored batch as the chain holds it.
type killSyncBatch struct {
	anchor string
	ops    int
	height int64 // the block holding it
}

// killSyncChain is the regtest chain, the IPFS node holding its batch files, and what was anchored.
type killSyncChain struct {
	btc      *testnet.Node
	ipfs     *cas.Node
	batches  []killSyncBatch // in chain order
	suffixes []string        // every created DID, in order
	updated  int             // the first updated suffixes were updated once
	tip      int64           // height of the last anchor's block
}

// anchorBlocks lists the heights of the blocks holding a batch.
func (c *killSyncChain) anchorBlocks() []int64 {
	out := make([]int64, len(c.batches))
	for i, b := range c.batches {
		out[i] = b.height
	}
	return out
}

func (c *killSyncChain) operations() int {
	n := 0
	for _, b := range c.batches {
		n += b.ops
	}
	return n
}

// buildKillSyncChain anchors the batches from a writer whose value time lock allows full batches, one
// batch a block, with the files in an IPFS node of the test's own.
func buildKillSyncChain(t *testing.T, ctx context.Context, size killSyncSize) *killSyncChain {
	t.Helper()
	c := &killSyncChain{btc: startBitcoin(t, ctx, testnet.Config{})}
	var err error
	c.ipfs, err = cas.OpenNode(ctx, cas.NodeConfig{DataDir: t.TempDir(), ListenAddrs: []string{"/ip4/127.0.0.1/tcp/0"}, Logger: testLogger(t)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.ipfs.Close() })
	rpc, err := anchor.DialRPC(c.btc.RPCConfig())
	if err != nil {
		t.Fatal(err)
	}
	defer rpc.Close()

	// ION allows a writer more than 100 operations a batch only with a value time lock covering them
	// (ValueTimeLockVerifier). Regtest's normalized fee stays at its initial value for the first 1,000
	// blocks, so the amount is known in advance.
	net := ionrules.BitcoinRegtest()
	params := net.Versions[0].Parameters
	p := sidetree.Regtest().Latest()
	normalizedFee := int64(params.InitialNormalizedFeeInSatoshis)
	amount := ionrules.LockAmountForOperations(normalizedFee, size.batch, p)
	ws := newLockWriters(t, ctx, c.btc, rpc, "writer")
	w := ws.writers["writer"]
	if _, err := c.btc.Fund(ctx, w.Key.Address(), btcutil.Amount(amount)); err != nil {
		t.Fatal(err)
	}
	ws.mine(t, ctx, 1)
	lock := ws.lock(t, ctx, "writer", amount, params.ValueTimeLockDurationInBlocks)
	ws.mine(t, ctx, 1)

	// Every DID shares the same keys: key generation is not what this test is about.
	recovery, update, nextUpdate, docKey := mustKey(t), mustKey(t), mustKey(t), mustKey(t)
	anchorBatch := func(requests [][]byte) {
		s, _, err := batch.Build(requests, lock.Identifier, p, func(data []byte) (string, error) { return c.ipfs.Put(ctx, data) })
		if err != nil {
			t.Fatal(err)
		}
		fee, err := ionrules.MinimumFeeSatoshis(2*normalizedFee, len(requests), p)
		if err != nil {
			t.Fatal(err)
		}
		if _, _, err := w.Anchor(ctx, s, uint64(fee)); err != nil {
			t.Fatalf("anchor %s: %v", s, err)
		}
		ws.mine(t, ctx, 1) // one anchor a block: ION counts only a writer's first transaction in a block
		c.batches = append(c.batches, killSyncBatch{anchor: s, ops: len(requests), height: ws.height})
	}
	for b := range size.creates {
		requests := make([][]byte, size.batch)
		for i := range requests {
			n := b*size.batch + i
			doc := sidetree.Document{
				PublicKeys: []sidetree.PublicKey{{ID: "key-1", Type: "EcdsaSecp256k1VerificationKey2019", JWK: docKey.Public().Value(),
					Purposes: []string{"authentication"}}},
				Services: []sidetree.Service{{ID: "dwn", Type: "DecentralizedWebNode", Endpoint: sidetree.String(fmt.Sprintf("https://dwn.example.com/%d", n))}},
			}
			create, err := sidetree.NewCreateRequest("ion", recovery, update, doc, p)
			if err != nil {
				t.Fatal(err)
			}
			requests[i] = create.Body.Stringify()
			c.suffixes = append(c.suffixes, create.DIDSuffix)
		}
		anchorBatch(requests)
	}
	for b := range size.updates {
		requests := make([][]byte, size.batch)
		for i := range requests {
			n := b*size.batch + i
			u, err := sidetree.NewUpdateRequest(c.suffixes[n], update, nextUpdate, sidetree.UpdateChanges{
				AddServices: []sidetree.Service{{ID: "hub", Type: "LinkedDomains", Endpoint: sidetree.String(fmt.Sprintf("https://hub.example.com/%d", n))}},
			}, p)
			if err != nil {
				t.Fatal(err)
			}
			requests[i] = u.Stringify()
		}
		anchorBatch(requests)
		c.updated += size.batch
	}
	c.tip = ws.height
	return c
}

// observerConfig is the configuration of an observer-only node (no writer key) syncing the chain.
func (c *killSyncChain) observerConfig(dir, mongoURI string) Config {
	rpc := c.btc.RPCConfig()
	cfg := DefaultConfig()
	cfg.Network, cfg.Listen, cfg.DataDir = "regtest", "127.0.0.1:0", filepath.Join(dir, "data")
	cfg.MongoURI, cfg.MongoDatabase = mongoURI, "killsync"
	cfg.BitcoinRPC, cfg.BitcoinUser, cfg.BitcoinPassword = rpc.Host, rpc.User, rpc.Pass
	cfg.IPFSListen, cfg.IPFSPeers = []string{"/ip4/127.0.0.1/tcp/0"}, c.ipfs.Addrs()
	cfg.PollInterval = 100 * time.Millisecond
	return cfg
}

// killSyncReference is the node that synced the chain without interruption.
type killSyncReference struct {
	d         *Daemon
	syncTime  time.Duration // from start to caught up
	blockTime time.Duration // ingesting one batch, on average
	hash      []byte
	txs       []node.Transaction
}

// reference syncs an in-process observer over the chain without interruption and checks that it took
// every batch.
func (c *killSyncChain) reference(t *testing.T, ctx context.Context) *killSyncReference {
	t.Helper()
	start := time.Now()
	d, err := Start(ctx, c.observerConfig(t.TempDir(), ""), testLogger(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close(context.Background()) })
	var ingestStart time.Time // when the node reached the first batch
	for h := d.Syncer.Progress().Height; h < uint64(c.tip); h = d.Syncer.Progress().Height {
		if ingestStart.IsZero() && h+1 >= uint64(c.batches[0].height) {
			ingestStart = time.Now()
		}
		if ctx.Err() != nil {
			t.Fatalf("reference node stuck at height %d of %d", d.Syncer.Progress().Height, c.tip)
		}
		noFailure(t, d)
		time.Sleep(20 * time.Millisecond)
	}
	if ingestStart.IsZero() {
		ingestStart = start
	}
	r := &killSyncReference{d: d, syncTime: time.Since(start), blockTime: time.Since(ingestStart) / time.Duration(len(c.batches))}
	if r.hash, err = d.Store.StateHash(ctx); err != nil {
		t.Fatal(err)
	}
	if r.txs, err = d.Store.TransactionsAfter(ctx, 0, 10*len(c.batches)); err != nil {
		t.Fatal(err)
	}
	if len(r.txs) != len(c.batches) {
		t.Fatalf("reference node recorded %d transactions, %d batches were anchored", len(r.txs), len(c.batches))
	}
	for i, tx := range r.txs {
		if tx.AnchorString != c.batches[i].anchor {
			t.Fatalf("reference transaction %d anchors %q, batch %d was %q", tx.Number, tx.AnchorString, i, c.batches[i].anchor)
		}
	}
	c.checkComplete(t, ctx, d.Store, r.txs)
	t.Logf("reference node synced %d operations in %s (%s a batch); state hash %x", c.operations(), r.syncTime.Round(time.Millisecond), r.blockTime.Round(time.Millisecond), r.hash[:8])
	return r
}

// checkComplete fails unless each of txs has all its batch's operations stored, and no more.
func (c *killSyncChain) checkComplete(t *testing.T, ctx context.Context, s store.Store, txs []node.Transaction) {
	t.Helper()
	for _, tx := range txs {
		if got, want := storedOperations(t, ctx, s, tx.Number), c.opsOf(tx.AnchorString); got != want {
			t.Fatalf("transaction %d is recorded with %d operations stored, its batch has %d", tx.Number, got, want)
		}
	}
}

func (c *killSyncChain) opsOf(anchorString string) int {
	for _, b := range c.batches {
		if b.anchor == anchorString {
			return b.ops
		}
	}
	return -1
}

func storedOperations(t *testing.T, ctx context.Context, s store.Store, number uint64) int {
	t.Helper()
	counts, err := s.OperationCounts(ctx, number)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, c := range counts {
		n += c
	}
	return n
}

// killSyncNode is the node process under test and how its store is opened while it is down.
type killSyncNode struct {
	*child
	cfg Config
}

func (n *killSyncNode) openStore(t *testing.T, ctx context.Context) store.Store {
	t.Helper()
	var (
		s   store.Store
		err error
	)
	if n.cfg.MongoURI != "" {
		s, err = mongo.Open(ctx, mongo.Options{URI: n.cfg.MongoURI, Database: n.cfg.MongoDatabase, ReadOnly: true})
	} else {
		// Read-only: the next start must recover the store exactly as the kill left it.
		s, err = pebble.Open(filepath.Join(n.cfg.DataDir, "store"), pebble.Options{ReadOnly: true, CacheSize: 8 << 20})
	}
	if err != nil {
		t.Fatalf("open the killed node's store: %v", err)
	}
	return s
}

// height asks the running node how far it has synced (-1 when it does not answer).
func (n *killSyncNode) height() int64 {
	if !n.address() {
		return -1
	}
	client := http.Client{Timeout: 2 * time.Second}
	resp, err := client.Get(n.base + "/status")
	if err != nil {
		return -1
	}
	defer resp.Body.Close()
	var st struct {
		Sync *struct {
			Height int64 `json:"height"`
		} `json:"sync"`
	}
	if json.NewDecoder(resp.Body).Decode(&st) != nil || st.Sync == nil {
		return -1
	}
	return st.Sync.Height
}

// waitHeight waits until the node reports height h at least. It returns how long the node took, from
// the first block holding a batch it was seen working on, and how many such blocks it handled then. A
// node that ends meanwhile fails the test at once; a slow one is waited for as long as ctx allows.
func (n *killSyncNode) waitHeight(t *testing.T, ctx context.Context, h int64, anchorBlocks []int64) (time.Duration, int) {
	t.Helper()
	var since time.Time
	from := int64(-1)
	for {
		got := n.height()
		if n.ended() {
			n.kill() // fails the test: the node exited by itself
		}
		if from < 0 && got >= 0 && slices.ContainsFunc(anchorBlocks, func(b int64) bool { return b > got && b <= h }) {
			from, since = got, time.Now()
		}
		if got >= h {
			batches := 0
			for _, b := range anchorBlocks {
				if from >= 0 && b > from && b <= got {
					batches++
				}
			}
			return time.Since(since), batches
		}
		if ctx.Err() != nil {
			t.Fatalf("node stuck at height %d, waiting for %d", got, h)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// killBy kills the node after wait, or as soon as it reports height limit, whichever comes first, and
// returns the last height it reported. The wait picks a random point of the node's work; the limit
// makes sure the kill lands before the node has got further than the test aims at, however much faster
// it runs now than when the wait was measured (the load of the machine changes under it).
func (n *killSyncNode) killBy(t *testing.T, wait time.Duration, limit int64) int64 {
	t.Helper()
	seen := int64(-1)
	for deadline := time.Now().Add(wait); ; {
		if h := n.height(); h >= 0 {
			seen = h
		}
		if seen >= limit || !time.Now().Before(deadline) || n.ended() {
			break
		}
		time.Sleep(time.Millisecond)
	}
	n.kill()
	return seen
}

// killSyncState is what a killed node's store holds.
type killSyncState struct {
	cursor   int64 // height of the persisted chain position (0: none yet)
	recorded int   // transactions recorded
	landed   string
	midSync  bool // the node had not caught up yet
}

// inspect reads the killed node's store: where the kill landed, and that every recorded transaction is
// complete.
func (c *killSyncChain) inspect(t *testing.T, ctx context.Context, s store.Store, txs []node.Transaction) killSyncState {
	t.Helper()
	var st killSyncState
	raw, err := s.Cursor(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if raw != nil {
		var pos position
		var cur anchor.Cursor
		if err := json.Unmarshal(raw, &pos); err != nil {
			t.Fatal(err)
		}
		if err := cur.UnmarshalBinary(pos.Watcher); err != nil {
			t.Fatal(err)
		}
		st.cursor = cur.Height
	}
	recorded, err := s.TransactionsAfter(ctx, 0, 10*len(txs))
	if err != nil {
		t.Fatal(err)
	}
	st.recorded = len(recorded)
	if !slices.Equal(recorded, txs[:min(len(recorded), len(txs))]) {
		t.Fatalf("after a kill the node has recorded %+v, want a prefix of %+v", recorded, txs)
	}
	c.checkComplete(t, ctx, s, recorded)
	st.midSync = st.cursor < c.tip
	switch {
	case !st.midSync:
		st.landed = "after the sync"
	case st.recorded > 0 && int64(recorded[st.recorded-1].Time) > st.cursor:
		st.landed = fmt.Sprintf("between recording transaction %d and moving the cursor past block %d", recorded[st.recorded-1].Number, recorded[st.recorded-1].Time)
	case st.recorded < len(txs) && storedOperations(t, ctx, s, txs[st.recorded].Number) > 0:
		next := txs[st.recorded]
		st.landed = fmt.Sprintf("between storing %d of %d operations of transaction %d and recording it", storedOperations(t, ctx, s, next.Number), c.opsOf(next.AnchorString), next.Number)
	case st.recorded < len(txs):
		st.landed = fmt.Sprintf("fetching or parsing the files of transaction %d (block %d; cursor at %d)", txs[st.recorded].Number, txs[st.recorded].Time, st.cursor)
	default:
		st.landed = fmt.Sprintf("reading empty blocks after the last batch (cursor at %d)", st.cursor)
	}
	return st
}

// killDuringSync runs an observer-only node as a child process over the chain, kills it with SIGKILL
// at random points of its sync until at least minKills kills landed before it caught up, then lets
// it finish and compares its store and resolutions with the reference node's.
func (c *killSyncChain) killDuringSync(t *testing.T, ctx context.Context, ref *killSyncReference, mongoURI string, minKills int) {
	t.Helper()
	dir := t.TempDir()
	n := &killSyncNode{cfg: c.observerConfig(dir, mongoURI)}
	raw, err := json.Marshal(n.cfg)
	if err != nil {
		t.Fatal(err)
	}
	cfgFile := filepath.Join(dir, "config.json")
	if err := os.WriteFile(cfgFile, raw, 0o600); err != nil {
		t.Fatal(err)
	}
	n.child = &child{t: t, cfg: cfgFile}
	t.Cleanup(n.stop) // a failed check leaves no node running

	// Kill number r aims at the batch r/kills of the way along the chain (never the last four, so
	// every kill lands before the node has caught up): wait until the node has handled the block before
	// it, then kill within about a batch's ingest time (first the reference's, then this node's latest),
	// at the latest when it reports that block done. When the node resumes at that batch already, kill
	// it in turn while it starts (opening its store and IPFS node) or while it handles its first block,
	// at the latest when it reports that block done. The random waits choose where a kill lands; the
	// limits keep every kill ahead of the tip, whatever the load does to the node's speed.
	blockTime := max(ref.blockTime, 20*time.Millisecond)
	startTime := 300 * time.Millisecond // spawn to serving, measured from the second round
	start := time.Now()
	cursor, resumes := int64(0), 0
	for r := range minKills {
		target := ref.txs[r*(len(ref.txs)-4)/minKills].Time
		var (
			how  string
			seen int64
		)
		switch {
		case cursor+1 < int64(target):
			how = fmt.Sprintf("while on block %d", target)
			n.start()
			if took, batches := n.waitHeight(t, ctx, int64(target)-1, c.anchorBlocks()); batches > 0 {
				blockTime = max(took/time.Duration(batches), 20*time.Millisecond)
			}
			seen = n.killBy(t, time.Duration(rand.Int64N(int64(3*blockTime/2))), int64(target))
		case resumes%2 == 0:
			resumes++
			how = "while starting"
			n.spawn()
			seen = n.killBy(t, time.Duration(rand.Int64N(int64(startTime))), cursor+1)
		default:
			resumes++
			how = "on its first block"
			spawned := time.Now()
			n.start()
			startTime = time.Since(spawned)
			seen = n.killBy(t, time.Duration(rand.Int64N(int64(blockTime))), cursor+1)
		}
		s := n.openStore(t, ctx)
		st := c.inspect(t, ctx, s, ref.txs)
		if err := s.Close(ctx); err != nil {
			t.Fatal(err)
		}
		if !st.midSync {
			t.Fatalf("kill %d (%s) landed after the node caught up", r+1, how)
		}
		cursor = st.cursor
		t.Logf("kill %d %s: status height %d; store: cursor %d, %d of %d transactions; landed %s", r+1, how, seen, st.cursor, st.recorded, len(ref.txs), st.landed)
	}
	killing := time.Since(start)

	start = time.Now()
	n.start()
	n.waitHeight(t, ctx, c.tip, nil)
	t.Logf("%d kills in %s (batch time %s at the end), then caught up in %s", minKills, killing.Round(time.Millisecond), blockTime.Round(time.Millisecond), time.Since(start).Round(time.Millisecond))
	// Restarted at the tip, with no block to come, the node reports its stored height at once.
	n.kill()
	n.start()
	n.waitHeight(t, ctx, c.tip, nil)
	c.compareResolutions(t, client{t, "http://" + ref.d.Addr()}, client{t, n.base})
	n.kill()

	s := n.openStore(t, ctx)
	defer s.Close(ctx)
	hash, err := s.StateHash(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(hash, ref.hash) {
		t.Errorf("state hash %s after the kills, %s without them", hex.EncodeToString(hash), hex.EncodeToString(ref.hash))
	}
	txs, err := s.TransactionsAfter(ctx, 0, 10*len(ref.txs))
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(txs, ref.txs) {
		t.Errorf("processed transactions after the kills:\n%+v\nwithout them:\n%+v", txs, ref.txs)
	}
	c.checkComplete(t, ctx, s, txs)
}

// compareResolutions resolves a sample of DIDs (created only, and created then updated) on both
// nodes and wants the same answers.
func (c *killSyncChain) compareResolutions(t *testing.T, ref, got client) {
	t.Helper()
	step := max(len(c.suffixes)/60, 1)
	for i := 0; i < len(c.suffixes); i += step {
		i := min(i+rand.IntN(step), len(c.suffixes)-1)
		did := "did:ion:" + c.suffixes[i]
		wantStatus, want := ref.resolve(did)
		status, res := got.resolve(did)
		if wantStatus != 200 || status != wantStatus || !bytes.Equal(res.Stringify(), want.Stringify()) {
			t.Fatalf("%s resolves to %d %s after the kills, %d %s without them", did, status, res.Stringify(), wantStatus, want.Stringify())
		}
		if updated := bytes.Contains(want.Stringify(), []byte(`#hub"`)); updated != (i < c.updated) {
			t.Fatalf("%s (number %d): updated %v in the reference resolution, want %v", did, i, updated, i < c.updated)
		}
	}
}

package daemon

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ionode/ionode/anchor"
	"github.com/ionode/ionode/node/store/pebble"
	"github.com/ionode/ionode/node/writer"
	"github.com/ionode/ionode/testnet"
)

// childLogLines is how much of the child node's log a failed fault test prints.
const childLogLines = 200

// chainAnchor is an ION anchor transaction as btcd's chain holds it.
type chainAnchor struct {
	Height int64
	TxID   string
	anchor.Anchor
}

// chainAnchors lists every ION anchor transaction on btcd's chain, oldest first.
func chainAnchors(ctx context.Context, btc *testnet.Node) ([]chainAnchor, error) {
	tip, err := btc.Client().GetBlockCount()
	if err != nil {
		return nil, err
	}
	var out []chainAnchor
	for h := int64(0); h <= tip; h++ {
		if err := ctx.Err(); err != nil {
			return out, err
		}
		hash, err := btc.Client().GetBlockHash(h)
		if err != nil {
			return out, err
		}
		block, err := btc.Client().GetBlock(hash)
		if err != nil {
			return out, err
		}
		for _, tx := range block.Transactions {
			for _, o := range tx.TxOut {
				s, ok := anchor.OutputAnchorString(o.PkScript, anchor.Prefix)
				if !ok {
					continue
				}
				a, err := anchor.ParseAnchorString(s)
				if err != nil {
					return out, fmt.Errorf("block %d: anchor %q: %w", h, s, err)
				}
				out = append(out, chainAnchor{Height: h, TxID: tx.TxHash().String(), Anchor: a})
			}
		}
	}
	return out, nil
}

// getText GETs url and returns the status and up to max bytes of the body; errors come back as text.
func getText(ctx context.Context, url string, max int64) (int, string) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return 0, err.Error()
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, err.Error()
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(io.LimitReader(resp.Body, max))
	return resp.StatusCode, string(b)
}

// diagnoseKill prints what a failed TestFaultKill needs to tell a lost operation from a slow one: for
// each DID not published the node's resolution, its status, every anchor on the chain with its
// operation count and whether the node still serves its core index file, then (after stopping the
// node) what its store, queue, wallet and kept batches hold, and the tail of its log.
func diagnoseKill(t *testing.T, node *child, btc *testnet.Node, dataDir string, dids []string) {
	t.Helper()
	// The test's own context may be what ran out: the diagnosis gets its own.
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	var missing []string
	if node.base != "" && !node.ended() {
		for _, did := range dids {
			status, body := getText(ctx, node.base+"/identifiers/"+did, 2000)
			if status == 200 && strings.Contains(body, `"published":true`) {
				continue
			}
			missing = append(missing, did)
			t.Logf("not published: %s: resolution %d %s", did, status, body)
		}
		status, body := getText(ctx, node.base+"/status", 4000)
		t.Logf("node status: %d %s", status, body)
	} else {
		missing = dids
		t.Logf("the node does not serve (ended: %v, %v)", node.ended(), node.waitErr)
	}
	anchors, err := chainAnchors(ctx, btc)
	if err != nil {
		t.Logf("chain anchors: %v", err)
	}
	total := 0
	for _, a := range anchors {
		total += a.Operations
		served := "node down"
		if node.base != "" && !node.ended() {
			status, _ := getText(ctx, node.base+"/ipfs/"+a.CoreIndexURI, 0)
			served = fmt.Sprint(status)
		}
		t.Logf("anchor at height %d: tx %s, %d operations, core index %s (node's gateway: %s)", a.Height, a.TxID, a.Operations, a.CoreIndexURI, served)
	}
	t.Logf("%d anchors carry %d operations; %d were posted", len(anchors), total, len(dids))

	node.stop()
	diagnoseStore(t, ctx, dataDir, missing)
	t.Logf("the node's log (last %d lines):\n%s", childLogLines, logTail(node.logPath(), childLogLines))
}

// diagnoseStore prints what the stopped node's data directory holds about the DIDs missing.
func diagnoseStore(t *testing.T, ctx context.Context, dataDir string, missing []string) {
	t.Helper()
	s, err := pebble.Open(filepath.Join(dataDir, "store"), pebble.Options{})
	if err != nil {
		t.Logf("open the store: %v", err)
		return
	}
	defer s.Close(ctx)
	inFlight, err := s.InFlight(ctx)
	if err != nil {
		t.Logf("in-flight operations: %v", err)
	}
	batchOf := map[string]string{}
	for _, op := range inFlight {
		batchOf[op.DIDSuffix] = op.BatchID
	}
	depth, _ := s.QueueDepth(ctx)
	t.Logf("store: %d operations queued, %d in flight", depth, len(inFlight))
	for _, did := range missing {
		suffix := strings.TrimPrefix(did, "did:ion:")
		ops, _, err := s.Operations(ctx, suffix)
		where := "not in flight (queued, completed or never accepted)"
		if b, ok := batchOf[suffix]; ok {
			where = "in flight in batch " + b
		}
		t.Logf("store: %s: %d operations anchored (%v), %s", did, len(ops), err, where)
	}
	unresolvable, err := s.DueUnresolvable(ctx, time.Now().AddDate(100, 0, 0), 100)
	for _, u := range unresolvable {
		t.Logf("store: unresolvable transaction %d (%s): %d attempts, next retry in %s", u.Transaction.Number, u.Transaction.AnchorString, u.Attempts, time.Until(u.NextRetry).Round(time.Second))
	}
	if err != nil {
		t.Logf("store: unresolvable transactions: %v", err)
	}
	if last, ok, err := s.LastTransaction(ctx); err == nil && ok {
		t.Logf("store: last processed transaction %d at height %d (%s)", last.Number, last.Time, last.AnchorString)
	}
	pending, err := s.PendingTxs(ctx)
	for _, p := range pending {
		t.Logf("wallet: %s tx %s %s, fee %d, broadcast at %d, confirmed at %d, replaced by %q: %s", p.Kind, p.TxID, p.Status, p.Fee, p.BroadcastHeight, p.ConfirmedHeight, p.ReplacedBy, p.Anchor)
	}
	if err != nil {
		t.Logf("wallet: %v", err)
	}
	kept, err := (&writer.DirKept{Dir: filepath.Join(dataDir, "writer-kept")}).LoadKept(ctx)
	for _, k := range kept {
		t.Logf("writer: kept batch %s, tx %s, %d operations, lost %v", k.ID, k.TxID, len(k.Ops), k.Lost)
	}
	if err != nil {
		t.Logf("writer: kept batches: %v", err)
	}
}

// logTail returns the last n lines of the node's log at path (or why it cannot), leaving out the
// access log lines of GET requests: the test's own polling would fill the tail.
func logTail(path string, n int) string {
	f, err := os.Open(path)
	if err != nil {
		return err.Error()
	}
	defer f.Close()
	ring := make([]string, n)
	lines := 0
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	skipped := 0
	for sc.Scan() {
		line := sc.Text()
		if strings.Contains(line, `msg="http request"`) && strings.Contains(line, "method=GET") {
			skipped++
			continue
		}
		ring[lines%n] = line
		lines++
	}
	var b strings.Builder
	fmt.Fprintf(&b, "(%d GET requests left out)\n", skipped)
	for i := max(lines-n, 0); i < lines; i++ {
		b.WriteString(ring[i%n])
		b.WriteByte('\n')
	}
	if err := sc.Err(); err != nil {
		b.WriteString("(reading the log: " + err.Error() + ")\n")
	}
	return b.String()
}

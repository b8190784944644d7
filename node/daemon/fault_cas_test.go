package daemon

import (
	"bytes"
	"context"
	"testing"
	"time"

	"github.com/ionode/ionode/node"
)

// TestFaultCASUnavailable anchors a create whose files nobody has yet, then an update of the same DID
// whose files are available. The create's transaction is recorded unresolvable and retried with backoff;
// the update alone changes nothing (its DID does not exist yet). When the create's files appear, the
// create takes its place before the update: the DID resolves with both applied, and a node syncing
// afresh (every file available) reaches the same state.
func TestFaultCASUnavailable(t *testing.T) {
	if testing.Short() {
		t.Skip("starts btcd and two nodes")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	btc, d := faultNode(t, ctx)
	c := client{t, "http://" + d.Addr()}

	create, _, upd := newCreate(t)
	did := "did:ion:" + create.DIDSuffix
	createAnchor, createFiles := buildBatch(t, create.Body)
	anchorRaw(t, ctx, d, btc, createAnchor, 1) // files in no CAS
	updateAnchor, updateFiles := buildBatch(t, newUpdate(t, create.DIDSuffix, upd))
	putFiles(t, ctx, d, updateFiles)
	anchorRaw(t, ctx, d, btc, updateAnchor, 1)

	// Blocks until the create's files have been retried twice (the second retry's wait is longer than
	// the first's: the backoff shows): each block is a retry opportunity once the backoff has passed.
	// How many blocks that takes depends on the machine's load (a fetch gives up after
	// CASFetchTimeout), so the test mines until it sees the retries rather than a fixed number.
	far := time.Now().Add(24 * time.Hour)
	var pending []node.Unresolvable
	for {
		if _, err := btc.Generate(ctx, 1); err != nil {
			t.Fatal(err)
		}
		waitSynced(t, ctx, d, btc)
		var err error
		if pending, err = d.Store.DueUnresolvable(ctx, far, 10); err != nil {
			t.Fatal(err)
		}
		if len(pending) > 1 || len(pending) == 1 && pending[0].Attempts >= 3 || ctx.Err() != nil {
			break
		}
		time.Sleep(500 * time.Millisecond) // the backoff unit: a retry may be due by the next block
	}
	if len(pending) != 1 || pending[0].Transaction.AnchorString != createAnchor || pending[0].Attempts < 3 {
		t.Fatalf("unresolvable transactions %+v, want the create's, retried", pending)
	}
	if !pending[0].NextRetry.After(pending[0].FirstFetch.Add(time.Second)) {
		t.Fatalf("retry not backed off: first %v, next %v after %d attempts", pending[0].FirstFetch, pending[0].NextRetry, pending[0].Attempts)
	}
	if published(c, did) {
		t.Fatal("DID published without its create's files")
	}

	putFiles(t, ctx, d, createFiles)
	mineUntil(t, ctx, btc, "the create to resolve and the update to apply after it", func() bool {
		return published(c, did) && hasService(c, did, "extra") && hasService(c, did, "hub")
	})
	if pending, err := d.Store.DueUnresolvable(ctx, far, 10); err != nil || len(pending) != 0 {
		t.Fatalf("still unresolvable: %+v %v", pending, err)
	}
	noFailure(t, d)

	// In-order state: a node syncing from genesis with every file available computes the same.
	hash, err := d.Store.StateHash(ctx)
	if err != nil {
		t.Fatal(err)
	}
	fresh := observerNode(t, ctx, btc, d)
	fc := client{t, "http://" + fresh.Addr()}
	deadline := time.Now().Add(60 * time.Second)
	for {
		got, err := fresh.Store.StateHash(ctx)
		if err == nil && bytes.Equal(got, hash) && hasService(fc, did, "extra") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("fresh node did not reach the same state (err %v)", err)
		}
		time.Sleep(300 * time.Millisecond)
	}
	_, a := c.resolve(did)
	_, b := fc.resolve(did)
	if !bytes.Equal(a.Field("didDocument").Stringify(), b.Field("didDocument").Stringify()) {
		t.Fatalf("documents differ:\n%s\n%s", a.Stringify(), b.Stringify())
	}
}

package daemon

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/rand"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ionode/ionode/cas"
)

// TestFaultMalformedBatches anchors what a hostile writer could: core index files that are garbage,
// oversized, gzip bombs, well-formed JSON of the wrong shape, more operations than the transaction paid
// for, CIDs nobody has and anchor strings that are no CID at all. Each is ignored as ION ignores it (the
// missing CID is kept for retry), the node stays up, and a valid batch after them is processed.
func TestFaultMalformedBatches(t *testing.T) {
	if testing.Short() {
		t.Skip("starts btcd")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	btc, d := faultNode(t, ctx)
	c := client{t, "http://" + d.Addr()}

	put := func(data []byte) string {
		t.Helper()
		cid, err := d.CAS.Put(ctx, data)
		if err != nil {
			t.Fatal(err)
		}
		return cid
	}
	random := func(n int) []byte {
		b := make([]byte, n)
		rand.Read(b)
		return b
	}
	gz := func(data []byte) []byte {
		var buf bytes.Buffer
		w := gzip.NewWriter(&buf)
		w.Write(data)
		w.Close()
		return buf.Bytes()
	}
	missing, err := cas.ComputeCID(random(64))
	if err != nil {
		t.Fatal(err)
	}

	// Two valid creates, in a batch that claims (and pays for) only one operation.
	c1, _, _ := newCreate(t)
	c2, _, _ := newCreate(t)
	twoAnchor, twoFiles := buildBatch(t, c1.Body, c2.Body)
	putFiles(t, ctx, d, twoFiles)
	overCount := "1." + strings.TrimPrefix(twoAnchor, "2.")

	// outcome is the transaction outcome the node counts (ionode_transactions_total); none for an anchor
	// string ION's parser refuses, which is reported but never processed.
	for _, tc := range []struct {
		name, anchor, outcome string
	}{
		{"garbage", "1." + put(random(1000)), "invalid"},
		{"oversized", "1." + put(random(1_100_000)), "invalid"},
		{"gzip bomb", "1." + put(gz(make([]byte, 64<<20))), "invalid"},
		{"JSON of the wrong shape", "1." + put(gz([]byte(`{"operations":{"create":[{"suffixData":1}]}}`))), "invalid"},
		{"more operations than paid", overCount, "invalid"},
		{"CID nobody has", "1." + missing, "unresolvable"},
		{"no CID", "1.notacid", "invalid"},
		{"zero operations", "0." + put(gz([]byte(`{}`))), ""},
	} {
		invalid, unresolvable := txOutcome(t, c, "invalid"), txOutcome(t, c, "unresolvable")
		anchorRaw(t, ctx, d, btc, tc.anchor, 1)
		noFailure(t, d)
		want := map[string]int{"invalid": invalid, "unresolvable": unresolvable}
		if tc.outcome != "" {
			want[tc.outcome]++
		}
		if got := txOutcome(t, c, "invalid"); got != want["invalid"] {
			t.Fatalf("%s: %d invalid transactions counted, want %d", tc.name, got, want["invalid"])
		}
		if got := txOutcome(t, c, "unresolvable"); got != want["unresolvable"] {
			t.Fatalf("%s: %d unresolvable transactions counted, want %d", tc.name, got, want["unresolvable"])
		}
		if status, _ := c.resolve("did:ion:" + c1.DIDSuffix); status != 404 {
			t.Fatalf("after %s: a create of the over-count batch resolves (%d)", tc.name, status)
		}
	}
	if status, _ := c.resolve("did:ion:" + c2.DIDSuffix); status != 404 {
		t.Fatalf("a create of the over-count batch resolves (%d)", status)
	}
	pending, err := d.Store.DueUnresolvable(ctx, time.Now().Add(24*time.Hour), 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(pending) != 1 || pending[0].Transaction.AnchorString != "1."+missing {
		t.Fatalf("unresolvable %+v, want only the missing CID's transaction", pending)
	}

	// The node keeps processing: a valid operation posted now is anchored and resolved.
	create, _, _ := newCreate(t)
	mustPost(t, c, create.Body)
	mineUntil(t, ctx, btc, "a valid batch after the hostile ones", func() bool { return published(c, "did:ion:"+create.DIDSuffix) })
	noFailure(t, d)
}

// txOutcome reads the node's count of observed transactions with an outcome from /metrics.
func txOutcome(t *testing.T, c client, outcome string) int {
	t.Helper()
	resp, err := http.Get(c.base + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	prefix := `ionode_transactions_total{outcome="` + outcome + `"} `
	for line := range strings.Lines(string(body)) {
		if v, ok := strings.CutPrefix(strings.TrimSpace(line), prefix); ok {
			n, err := strconv.ParseFloat(v, 64)
			if err != nil {
				t.Fatalf("metric line %q: %v", line, err)
			}
			return int(n)
		}
	}
	return 0
}

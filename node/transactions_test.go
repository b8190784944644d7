package node

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/gorilla/mux"
	"github.com/ionode/ionode/sidetree"
	"github.com/ionode/ionode/sidetree/batch"
)

// memoryTxs is the TransactionLister contract in memory.
type memoryTxs struct {
	txs    []Transaction
	counts map[uint64]map[sidetree.OperationType]int
}

func (m *memoryTxs) TransactionsBefore(_ context.Context, number uint64, limit int) ([]Transaction, error) {
	txs := append([]Transaction(nil), m.txs...)
	sort.Slice(txs, func(i, j int) bool { return txs[i].Number > txs[j].Number })
	var out []Transaction
	for _, tx := range txs {
		if tx.Number < number && len(out) < limit {
			out = append(out, tx)
		}
	}
	return out, nil
}

func (m *memoryTxs) OperationCounts(_ context.Context, number uint64) (map[sidetree.OperationType]int, error) {
	out := map[sidetree.OperationType]int{}
	for k, v := range m.counts[number] {
		out[k] = v
	}
	return out, nil
}

func TestTransactionsEndpoint(t *testing.T) {
	p := sidetree.Mainnet().Latest()
	files := mapCAS{}
	put := func(data []byte) (string, error) {
		sum := sha256.Sum256(data)
		uri := "Qm" + hex.EncodeToString(sum[:20])
		files[uri] = data
		return uri, nil
	}
	create, err := sidetree.NewCreateRequest("ion", testKey(t, rand.Reader), testKey(t, rand.Reader), sidetree.Document{}, p)
	if err != nil {
		t.Fatal(err)
	}
	anchorString, written, err := batch.Build([][]byte{create.Body.Stringify()}, "", p, put)
	if err != nil {
		t.Fatal(err)
	}
	kinds := map[string]string{}
	for _, w := range written {
		kinds[w.Kind] = w.URI
	}
	store := &memoryTxs{counts: map[uint64]map[sidetree.OperationType]int{}}
	for i := range uint64(25) {
		tx := Transaction{Number: (700_000 + i) * 1_000_000, Time: 700_000 + i, TimeHash: "h", AnchorString: anchorString, FeePaid: 1000 + i, NormalizedFee: 900, Writer: "w"}
		if i == 3 {
			tx.AnchorString = "1.QmUnknownUnknownUnknownUnknownUnknownUnknownUnk" // files not in the CAS
		}
		store.txs = append(store.txs, tx)
		store.counts[tx.Number] = map[sidetree.OperationType]int{sidetree.OpCreate: 1}
	}
	txids := func(context.Context) (map[string]string, error) { return map[string]string{anchorString: "ab12"}, nil }
	r := mux.NewRouter()
	(&Transactions{Network: sidetree.Mainnet(), Store: store, CAS: files, TxIDs: txids}).Register(r)
	srv := httptest.NewServer(r)
	t.Cleanup(srv.Close)

	get := func(path string) TransactionsPage {
		t.Helper()
		status, body := do(t, http.MethodGet, srv.URL+path, "")
		if status != 200 {
			t.Fatalf("GET %s: %d %s", path, status, body)
		}
		var page TransactionsPage
		if err := json.Unmarshal([]byte(body), &page); err != nil {
			t.Fatal(err)
		}
		return page
	}
	page := get("/transactions")
	if len(page.Transactions) != DefaultTransactionsLimit || page.Next == nil || *page.Next != "700005000000" {
		t.Fatalf("first page: %d transactions, next %v", len(page.Transactions), *page.Next)
	}
	first := page.Transactions[0]
	want := BatchFiles{CoreIndex: kinds["coreIndex"], ProvisionalIndex: kinds["provisionalIndex"], Chunk: kinds["chunk"], Complete: true}
	if first.Number != "700024000000" || first.Height != 700_024 || first.TxID != "ab12" || first.DeclaredOperations != 1 ||
		first.StoredOperations != 1 || first.Operations["create"] != 1 || first.FeePaid != 1024 || first.Files != want {
		t.Fatalf("newest transaction = %+v, want files %+v (written %v)", first, want, kinds)
	}
	page = get("/transactions?limit=10&before=" + *page.Next)
	if len(page.Transactions) != 5 || page.Next != nil || page.Transactions[0].Number != "700004000000" {
		t.Fatalf("last page: %+v", page)
	}
	unknown := page.Transactions[1]
	if unknown.Number != "700003000000" || unknown.Files.Complete || unknown.Files.CoreIndex == "" || unknown.TxID != "" {
		t.Fatalf("transaction whose files are missing: %+v", unknown)
	}
	// Index files are read once: emptied, the CAS still yields the names already read.
	for k := range files {
		delete(files, k)
	}
	if again := get("/transactions?limit=1"); again.Transactions[0].Files != want {
		t.Fatalf("files after the CAS forgot them: %+v", again.Transactions[0].Files)
	}
	if page := get("/transactions?before=0"); len(page.Transactions) != 0 || page.Next != nil {
		t.Fatalf("before=0: %+v", page)
	}

	tests := []struct{ query, want string }{
		{"limit=0", "limit must be"},
		{"limit=101", "limit must be"},
		{"limit=x", "limit must be"},
		{"limit=", "limit must be"},
		{"before=-1", "before must be"},
		{"before=1e9", "before must be"},
		{"before=18446744073709551616", "before must be"},
	}
	for _, tc := range tests {
		status, body := do(t, http.MethodGet, srv.URL+"/transactions?"+tc.query, "")
		if status != http.StatusBadRequest || !strings.Contains(body, `"code":"invalid_parameter"`) || !strings.Contains(body, tc.want) {
			t.Errorf("GET /transactions?%s = %d %s", tc.query, status, body)
		}
	}
}

// FuzzPageQuery: any query string either parses into a limit within bounds and a before that is the
// parameter's decimal value, or is refused with a sentence.
func FuzzPageQuery(f *testing.F) {
	for _, q := range []string{"", "limit=20", "limit=100&before=700000000001", "limit=0", "before=-1", "limit=1&limit=500", "before=18446744073709551615", "limit=%31%30"} {
		f.Add(q)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		q, err := url.ParseQuery(raw)
		if err != nil {
			return
		}
		limit, before, err := pageQuery(q)
		if err != nil {
			if msg := err.Error(); !strings.Contains(msg, " must be ") {
				t.Fatalf("refusal %q is not a sentence naming the parameter", msg)
			}
			return
		}
		if limit < 1 || limit > MaxTransactionsLimit {
			t.Fatalf("limit %d accepted from %q", limit, raw)
		}
		if s, ok := q["before"]; ok {
			digits := strings.TrimLeft(s[0], "0")
			if digits == "" {
				digits = "0"
			}
			if strconv.FormatUint(before, 10) != digits {
				t.Fatalf("before %d from %q", before, s[0])
			}
		}
	})
}

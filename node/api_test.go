package node

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/gorilla/mux"
	"github.com/ionode/ionode/resolver/ion"
	"github.com/ionode/ionode/sidetree"
)

// memoryQueue is the queue contract in memory: one pending operation per DID.
type memoryQueue struct {
	mu      sync.Mutex
	pending map[string][]byte
}

func (q *memoryQueue) Enqueue(_ context.Context, suffix string, _ sidetree.OperationType, req []byte) error {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.pending == nil {
		q.pending = map[string][]byte{}
	}
	if _, ok := q.pending[suffix]; ok {
		return ErrAlreadyQueued
	}
	q.pending[suffix] = req
	return nil
}

// memoryLog is an operation log in memory.
type memoryLog map[string][]sidetree.AnchoredOperation

func (l memoryLog) Operations(_ context.Context, suffix string) ([]sidetree.AnchoredOperation, uint64, error) {
	return l[suffix], uint64(len(l[suffix])), nil
}

type detReader struct{ n uint64 }

func (r *detReader) Read(p []byte) (int, error) {
	var b [8]byte
	binary.BigEndian.PutUint64(b[:], r.n)
	r.n++
	sum := sha256.Sum256(b[:])
	return copy(p, sum[:]), nil
}

func testKey(t *testing.T, r io.Reader) sidetree.JWK {
	t.Helper()
	k, err := sidetree.GenerateES256K(r)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func newTestAPI(t *testing.T, log memoryLog) (*httptest.Server, *memoryQueue) {
	t.Helper()
	q := &memoryQueue{}
	api := &API{Network: sidetree.Mainnet(), Resolver: &ion.Resolver{Network: sidetree.Mainnet(), Log: log}, Queue: q, Version: "test"}
	r := mux.NewRouter()
	api.Register(r)
	srv := httptest.NewServer(r)
	t.Cleanup(srv.Close)
	return srv, q
}

func do(t *testing.T, method, url, body string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if method == http.MethodPost {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func TestAPIOperationsAndResolution(t *testing.T) {
	r := &detReader{}
	recovery, update := testKey(t, r), testKey(t, r)
	doc := sidetree.Document{PublicKeys: []sidetree.PublicKey{{ID: "key-1", Type: "EcdsaSecp256k1VerificationKey2019", JWK: testKey(t, r).Public().Value(), Purposes: []string{"authentication"}}}}
	create, err := sidetree.NewCreateRequest("ion", recovery, update, doc, sidetree.Mainnet().Latest())
	if err != nil {
		t.Fatal(err)
	}
	log := memoryLog{}
	srv, q := newTestAPI(t, log)

	status, body := do(t, http.MethodPost, srv.URL+"/operations", create.Body.String())
	if status != 200 || !strings.Contains(body, `"published":false`) || !strings.Contains(body, `"canonicalId":"did:ion:`+create.DIDSuffix+`"`) {
		t.Fatalf("create: %d %s", status, body)
	}
	if _, ok := q.pending[create.DIDSuffix]; !ok {
		t.Fatal("create not queued")
	}
	status, body = do(t, http.MethodPost, srv.URL+"/operations", create.Body.String())
	if status != 400 || !strings.Contains(body, "queueing_multiple_operations_per_did_not_allowed") {
		t.Fatalf("second operation for the DID: %d %s", status, body)
	}

	short := "did:ion:" + create.DIDSuffix
	if status, body = do(t, http.MethodGet, srv.URL+"/identifiers/"+short, ""); status != 404 || body != `{"code":"did_not_found","message":"DID Not Found"}` {
		t.Fatalf("unanchored short form: %d %s", status, body)
	}
	if status, body = do(t, http.MethodGet, srv.URL+"/identifiers/"+create.LongForm, ""); status != 200 || !strings.Contains(body, `"published":false`) {
		t.Fatalf("unanchored long form: %d %s", status, body)
	}
	log[create.DIDSuffix] = []sidetree.AnchoredOperation{{Type: sidetree.OpCreate, DIDSuffix: create.DIDSuffix, Raw: create.Body.Stringify(), TransactionNumber: 7}}
	if status, body = do(t, http.MethodGet, srv.URL+"/identifiers/"+short, ""); status != 200 || !strings.Contains(body, `"published":true`) {
		t.Fatalf("anchored short form: %d %s", status, body)
	}
	if status, body = do(t, http.MethodGet, srv.URL+"/identifiers/"+create.LongForm, ""); status != 200 || !strings.Contains(body, `"published":true`) || !strings.Contains(body, `"canonicalId"`) {
		t.Fatalf("anchored long form: %d %s", status, body)
	}
}

func TestAPIRejectsBadInput(t *testing.T) {
	srv, q := newTestAPI(t, memoryLog{})
	tests := []struct {
		name, method, path, body string
		status                   int
		code                     string
	}{
		{"not JSON", http.MethodPost, "/operations", "{", 400, "invalid_json"},
		{"unknown type", http.MethodPost, "/operations", `{"type":"burn"}`, 400, "operation_type_unknown_or_missing"},
		{"delta too large", http.MethodPost, "/operations", `{"type":"create","delta":{"patches":[],"updateCommitment":"` + strings.Repeat("a", 2000) + `"}}`, 400, "delta_exceeds_maximum_size"},
		{"body too large", http.MethodPost, "/operations", strings.Repeat(" ", maxOperationRequestBytes+1), 413, "request_too_large"},
		{"wrong method prefix", http.MethodGet, "/identifiers/did:web:example.com", "", 400, "did_incorrect_prefix"},
		{"long form with a bad initial state", http.MethodGet, "/identifiers/did:ion:EiAAA:eyJiIjoxLCJhIjoyfQ", "", 400, "did_initial_state_jcs_is_not_jcs"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			status, body := do(t, tc.method, srv.URL+tc.path, tc.body)
			if status != tc.status || !strings.Contains(body, `"code":"`+tc.code+`"`) {
				t.Errorf("%d %s, want %d with code %s", status, body, tc.status, tc.code)
			}
		})
	}
	if len(q.pending) != 0 {
		t.Errorf("rejected requests were queued: %d", len(q.pending))
	}
}

// seenDID answers every resolution with the DID it was asked for.
type seenDID struct{}

func (seenDID) Resolve(_ context.Context, did string) (sidetree.Resolution, error) {
	return sidetree.Resolution{Status: http.StatusOK, Body: sidetree.String(did)}, nil
}

func TestAPIResolvePathDecoding(t *testing.T) {
	api := &API{Network: sidetree.Mainnet(), Resolver: seenDID{}, Version: "test"}
	r := mux.NewRouter()
	api.Register(r)
	srv := httptest.NewServer(r)
	t.Cleanup(srv.Close)
	tests := []struct{ path, want string }{
		// did:ion: decoded once, as ION's router does.
		{"/identifiers/did:ion:EiA", "did:ion:EiA"},
		{"/identifiers/did:ion:EiA%3Aabc", "did:ion:EiA:abc"},
		{"/identifiers/did%3Aion%3AEiA", "did:ion:EiA"},
		// Other methods keep their own percent-encoding when sent as they are.
		{"/identifiers/did:web:example.com%3A8443", "did:web:example.com%3A8443"},
		{"/identifiers/did%3Aweb%3Aexample.com%253A8443", "did:web:example.com%3A8443"},
	}
	for _, tc := range tests {
		code, body := do(t, http.MethodGet, srv.URL+tc.path, "")
		if want := strconv.Quote(tc.want); code != http.StatusOK || body != want {
			t.Errorf("GET %s: %d %s, want the resolver to get %s", tc.path, code, body, want)
		}
	}
}

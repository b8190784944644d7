package node

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gorilla/mux"

	"github.com/ionode/ionode/resolver/ion"
	"github.com/ionode/ionode/sidetree"
)

func createBody(t *testing.T) []byte {
	t.Helper()
	rec, upd := testKey(t, rand.Reader), testKey(t, rand.Reader)
	req, err := sidetree.NewCreateRequest("ion", rec, upd, sidetree.Document{}, sidetree.Mainnet().Latest())
	if err != nil {
		t.Fatal(err)
	}
	return req.Body.Stringify()
}

func guardedServer(t *testing.T, g *WriteGuard, q OperationQueue, maxDepth int) *httptest.Server {
	t.Helper()
	api := &API{Network: sidetree.Mainnet(), Resolver: &ion.Resolver{Network: sidetree.Mainnet(), Log: memoryLog{}}, Queue: q, Guard: g, MaxQueueDepth: maxDepth}
	r := mux.NewRouter()
	api.Register(r)
	srv := httptest.NewServer(r)
	t.Cleanup(srv.Close)
	return srv
}

func post(t *testing.T, url, token string, body []byte) *http.Response {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, url+"/operations", strings.NewReader(string(body)))
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp
}

func TestWriteGuardTokens(t *testing.T) {
	old, cur := sha256.Sum256([]byte("old-token")), sha256.Sum256([]byte("current-token"))
	q := &memoryQueue{}
	srv := guardedServer(t, &WriteGuard{TokenHashes: [][sha256.Size]byte{old, cur}}, q, 0)
	tests := []struct {
		token  string
		status int
	}{
		{"", 401},
		{"wrong", 401},
		{"current-token", 200},
		{"old-token", 200}, // rotation: both accepted
	}
	for _, tc := range tests {
		resp := post(t, srv.URL, tc.token, createBody(t))
		if resp.StatusCode != tc.status {
			t.Errorf("token %q: status %d, want %d", tc.token, resp.StatusCode, tc.status)
		}
		if tc.status == 401 && resp.Header.Get("WWW-Authenticate") == "" {
			t.Error("401 without WWW-Authenticate")
		}
	}
	if len(q.pending) != 2 {
		t.Errorf("queued %d operations, want 2 (nothing from rejected clients)", len(q.pending))
	}
}

// TestWriteGuardEmptyToken: with the empty token's hash configured (ParseTokenHash refuses it, but a
// guard may be built without it), no header gets in: not an empty token, not one of Unicode spaces
// (strings.TrimSpace would have made it empty). The scheme is matched case-insensitively.
func TestWriteGuardEmptyToken(t *testing.T) {
	cur := sha256.Sum256([]byte("current-token"))
	q := &memoryQueue{}
	srv := guardedServer(t, &WriteGuard{TokenHashes: [][sha256.Size]byte{sha256.Sum256(nil), cur}}, q, 0)
	for _, tc := range []struct {
		auth   string
		status int
	}{
		{"Bearer \u00a0", 401},
		{"Bearer \u2003\u00a0", 401},
		{"Bearer ", 401},
		{"Bearer \t", 401},
		{"bearer current-token", 200},
		{"BEARER current-token ", 200},
	} {
		req, _ := http.NewRequest(http.MethodPost, srv.URL+"/operations", strings.NewReader(string(createBody(t))))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", tc.auth)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != tc.status {
			t.Errorf("Authorization %q: status %d, want %d", tc.auth, resp.StatusCode, tc.status)
		}
	}
	if _, err := ParseTokenHash(hex.EncodeToString(sha256.New().Sum(nil))); err == nil {
		t.Error("ParseTokenHash accepted the empty token's hash")
	}
}

func TestWriteGuardRateLimit(t *testing.T) {
	h := sha256.Sum256([]byte("t"))
	srv := guardedServer(t, &WriteGuard{TokenHashes: [][sha256.Size]byte{h}, PerToken: 1, Burst: 3}, &memoryQueue{}, 0)
	var statuses []int
	for range 5 {
		resp := post(t, srv.URL, "t", createBody(t))
		statuses = append(statuses, resp.StatusCode)
		if resp.StatusCode == 429 && resp.Header.Get("Retry-After") == "" {
			t.Error("429 without Retry-After")
		}
	}
	if fmt.Sprint(statuses) != "[200 200 200 429 429]" {
		t.Errorf("statuses %v", statuses)
	}
}

func TestQueueCap(t *testing.T) {
	q := &memoryQueue{}
	srv := guardedServer(t, nil, depthQueue{q}, 2)
	var statuses []int
	for range 3 {
		statuses = append(statuses, post(t, srv.URL, "", createBody(t)).StatusCode)
	}
	if fmt.Sprint(statuses) != "[200 200 503]" {
		t.Errorf("statuses %v", statuses)
	}
}

type depthQueue struct{ *memoryQueue }

func (d depthQueue) QueueDepth(context.Context) (int, error) { return len(d.pending), nil }

func TestParseTokenHash(t *testing.T) {
	sum := sha256.Sum256([]byte("x"))
	if h, err := ParseTokenHash(hex.EncodeToString(sum[:]) + "\n"); err != nil || h != sum {
		t.Errorf("valid hash: %v", err)
	}
	for _, bad := range []string{"", "abc", strings.Repeat("g", 64)} {
		if _, err := ParseTokenHash(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}

func TestResolutionCaching(t *testing.T) {
	rec, upd := testKey(t, rand.Reader), testKey(t, rand.Reader)
	req, err := sidetree.NewCreateRequest("ion", rec, upd, sidetree.Document{}, sidetree.Mainnet().Latest())
	if err != nil {
		t.Fatal(err)
	}
	log := memoryLog{req.DIDSuffix: {{Type: sidetree.OpCreate, DIDSuffix: req.DIDSuffix, Raw: req.Body.Stringify(), TransactionNumber: 1}}}
	srv, _ := newTestAPI(t, log)
	get := func(path, inm string) *http.Response {
		r, _ := http.NewRequest(http.MethodGet, srv.URL+path, nil)
		if inm != "" {
			r.Header.Set("If-None-Match", inm)
		}
		resp, err := http.DefaultClient.Do(r)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp
	}
	published := get("/identifiers/did:ion:"+req.DIDSuffix, "")
	etag := published.Header.Get("ETag")
	if published.StatusCode != 200 || etag == "" || !strings.Contains(published.Header.Get("Cache-Control"), "max-age") {
		t.Fatalf("published: %d etag %q cache %q", published.StatusCode, etag, published.Header.Get("Cache-Control"))
	}
	if again := get("/identifiers/did:ion:"+req.DIDSuffix, etag); again.StatusCode != http.StatusNotModified {
		t.Errorf("conditional GET: %d", again.StatusCode)
	}
	// Not found and unpublished long-form answers must not be stored.
	other, _ := sidetree.NewCreateRequest("ion", upd, rec, sidetree.Document{}, sidetree.Mainnet().Latest())
	for _, path := range []string{"/identifiers/did:ion:" + other.DIDSuffix, "/identifiers/" + other.LongForm} {
		if resp := get(path, ""); resp.Header.Get("Cache-Control") != "no-store" || resp.Header.Get("ETag") != "" {
			t.Errorf("%s: cache %q etag %q", path, resp.Header.Get("Cache-Control"), resp.Header.Get("ETag"))
		}
	}
}

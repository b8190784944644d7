package anchor

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/btcsuite/btcd/rpcclient"
)

// TestRPCCookie: with a cookie file (Bitcoin Core's .cookie) both of DialRPC's clients authenticate
// with what the file holds, and the JSON-RPC client the watcher uses picks up the new password Core
// writes when it restarts at its next request (btcsuite's client, used for the wallet calls, looks at
// the file again at most every 30 s; a failed anchor is retried).
func TestRPCCookie(t *testing.T) {
	var password atomic.Value
	password.Store("first")
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		user, pass, ok := r.BasicAuth()
		if !ok || user != "__cookie__" || pass != password.Load().(string) {
			http.Error(w, "", http.StatusUnauthorized)
			return
		}
		var req struct {
			ID     json.RawMessage `json:"id"`
			Method string          `json:"method"`
		}
		if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		result := `7`
		if req.Method == "estimatesmartfee" {
			result = `{"feerate":0.0002,"blocks":2}`
		}
		w.Write([]byte(`{"result":` + result + `,"error":null,"id":` + string(req.ID) + `}`))
	}))
	defer srv.Close()
	cookie := filepath.Join(t.TempDir(), ".cookie")
	write := func(pass string) {
		t.Helper()
		if err := os.WriteFile(cookie, []byte("__cookie__:"+pass), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	write("first")
	rpc, err := DialRPC(&rpcclient.ConnConfig{Host: strings.TrimPrefix(srv.URL, "http://"), CookiePath: cookie, DisableTLS: true})
	if err != nil {
		t.Fatal(err)
	}
	defer rpc.Close()
	ctx := context.Background()
	if n, err := rpc.GetBlockCount(ctx); err != nil || n != 7 { // the keep-alive JSON-RPC client
		t.Fatalf("getblockcount = %d, %v", n, err)
	}
	if rate, err := rpc.EstimateFeeRate(ctx, 2); err != nil || rate <= 0 { // btcsuite's rpcclient
		t.Fatalf("estimatesmartfee = %d, %v", rate, err)
	}

	// Core restarted: a new password in a rewritten file.
	password.Store("second")
	write("second")
	if n, err := rpc.GetBlockCount(ctx); err != nil || n != 7 {
		t.Fatalf("after the cookie changed: getblockcount = %d, %v", n, err)
	}

	password.Store("third")
	if _, err := rpc.GetBlockCount(ctx); err == nil {
		t.Fatal("a stale cookie was accepted")
	}
}

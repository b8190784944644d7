package node

import (
	"crypto/ed25519"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"

	"github.com/gorilla/mux"

	"github.com/ionode/ionode/resolver"
	"github.com/ionode/ionode/resolver/ion"
	"github.com/ionode/ionode/resolver/key"
	"github.com/ionode/ionode/sidetree"
)

// TestDriverOtherMethods: with Methods set, the driver resolves did:key and did:jwk through it, maps
// resolution errors to the Universal Resolver's statuses, and still answers did:ion through ION's resolver.
func TestDriverOtherMethods(t *testing.T) {
	pub, _, err := ed25519.GenerateKey(nil)
	if err != nil {
		t.Fatal(err)
	}
	didKey, err := key.DIDKey(pub)
	if err != nil {
		t.Fatal(err)
	}
	didJWK, err := key.DIDJWK(pub)
	if err != nil {
		t.Fatal(err)
	}
	methods := &resolver.Dispatcher{Methods: map[string]resolver.Method{"key": key.Key{}, "jwk": key.JWK{}}}
	router := mux.NewRouter()
	(&Driver{Resolver: &ion.Resolver{Network: sidetree.Mainnet(), Log: memoryLog{}}, Methods: methods}).Register(router)
	srv := httptest.NewServer(router)
	defer srv.Close()

	get := func(did string) (int, map[string]any) {
		t.Helper()
		resp, err := http.Get(srv.URL + "/1.0/identifiers/" + url.PathEscape(did))
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		var m map[string]any
		if err := json.Unmarshal(b, &m); err != nil {
			t.Fatalf("%s: not JSON: %s", did, b)
		}
		return resp.StatusCode, m
	}
	errorOf := func(m map[string]any) string {
		meta, _ := m["didResolutionMetadata"].(map[string]any)
		s, _ := meta["error"].(string)
		return s
	}
	mk := didKey[len("did:key:"):]
	tests := []struct {
		name, did string
		status    int
		code      string
		id        string // expected "id" of the answer (document or dereferenced method)
	}{
		{"did:key", didKey, 200, "", didKey},
		{"did:jwk", didJWK, 200, "", didJWK},
		{"did:key fragment (absolute id)", didKey + "#" + mk, 200, "", didKey + "#" + mk},
		{"did:jwk fragment", didJWK + "#0", 200, "", didJWK + "#0"},
		{"unknown fragment", didKey + "#nope", 404, "notFound", ""},
		{"invalid did:key", "did:key:zNotAKey", 400, "invalidDid", ""},
		{"unsupported method", "did:example:123", 501, "methodNotSupported", ""},
		{"did:ion still ION's", "did:ion:EiDyOQbbZAa3aiRzeCkV7LOx3SERjjH93EXoIM3UoN4oWg", 404, "notFound", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			status, m := get(tc.did)
			if status != tc.status || errorOf(m) != tc.code {
				t.Fatalf("%d %v, want %d %q", status, m, tc.status, tc.code)
			}
			if tc.id == "" {
				return
			}
			id, _ := m["id"].(string)
			if doc, ok := m["didDocument"].(map[string]any); ok {
				id, _ = doc["id"].(string)
			}
			if id != tc.id {
				t.Errorf("id %q, want %q", id, tc.id)
			}
		})
	}
}

// FuzzDriver sends arbitrary DID paths and Accept headers to the driver over did:ion, did:key and did:jwk:
// it must answer one of its statuses with a JSON body, never panic.
func FuzzDriver(f *testing.F) {
	pub, _, _ := ed25519.GenerateKey(nil)
	didKey, _ := key.DIDKey(pub)
	for _, seed := range []string{didKey, url.PathEscape(didKey + "#" + didKey[len("did:key:"):]), "did:web:example.com%3A8443:user",
		"did%3Aweb%3Aexample.com%253A8443", "did:ion:EiDyOQbbZAa3aiRzeCkV7LOx3SERjjH93EXoIM3UoN4oWg%23key-1", "%zz", "did:jwk:e30", "did:"} {
		f.Add(seed, "")
		f.Add(seed, mediaDIDJSON)
	}
	methods := &resolver.Dispatcher{Methods: map[string]resolver.Method{"key": key.Key{}, "jwk": key.JWK{}}}
	router := mux.NewRouter()
	(&Driver{Resolver: &ion.Resolver{Network: sidetree.Mainnet(), Log: memoryLog{}}, Methods: methods}).Register(router)
	f.Fuzz(func(t *testing.T, path, accept string) {
		req, err := http.NewRequest(http.MethodGet, "http://node/1.0/identifiers/"+path, nil)
		if err != nil {
			return // not a URL a client could send
		}
		req.Header.Set("Accept", accept)
		var match mux.RouteMatch
		if !router.Match(req, &match) || match.MatchErr != nil {
			return // not a driver route (empty DID, a "/" in it): the router's own 404/405
		}
		rec := httptest.NewRecorder()
		router.ServeHTTP(rec, req)
		switch rec.Code {
		case 200, 400, 404, 406, 410, 500, 501:
		case 301: // gorilla's path cleaning
			return
		default:
			t.Fatalf("status %d for %q", rec.Code, path)
		}
		if !json.Valid(rec.Body.Bytes()) {
			t.Fatalf("body is not JSON for %q: %s", path, rec.Body)
		}
	})
}

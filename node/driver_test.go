package node

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/gorilla/mux"
	"github.com/ionode/ionode/resolver/ion"
	"github.com/ionode/ionode/sidetree"
)

func TestDriverNegotiationAndDereferencing(t *testing.T) {
	r := &detReader{n: 100}
	doc := sidetree.Document{
		PublicKeys: []sidetree.PublicKey{{ID: "key-1", Type: "EcdsaSecp256k1VerificationKey2019", JWK: testKey(t, r).Public().Value(), Purposes: []string{"assertionMethod"}}},
		Services:   []sidetree.Service{{ID: "hub", Type: "LinkedDomains", Endpoint: sidetree.String("https://example.com")}},
	}
	recovery := testKey(t, r)
	create, err := sidetree.NewCreateRequest("ion", recovery, testKey(t, r), doc, sidetree.Mainnet().Latest())
	if err != nil {
		t.Fatal(err)
	}
	deactivated, err := sidetree.NewDeactivateRequest(create.DIDSuffix, recovery, sidetree.Mainnet().Latest())
	if err != nil {
		t.Fatal(err)
	}
	log := memoryLog{}
	router := mux.NewRouter()
	(&Driver{Resolver: &ion.Resolver{Network: sidetree.Mainnet(), Log: log}}).Register(router)
	srv := httptest.NewServer(router)
	defer srv.Close()

	get := func(did, accept string) (int, string, map[string]any) {
		req, _ := http.NewRequest(http.MethodGet, srv.URL+"/1.0/identifiers/"+url.PathEscape(did), nil)
		if accept != "" {
			req.Header.Set("Accept", accept)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		var m map[string]any
		if err := json.Unmarshal(b, &m); err != nil {
			t.Fatalf("not JSON: %s", b)
		}
		return resp.StatusCode, resp.Header.Get("Content-Type"), m
	}

	status, ct, m := get(create.LongForm, "")
	if status != 200 || ct != mediaResolution || m["didDocument"] == nil || m["didResolutionMetadata"] == nil {
		t.Fatalf("default: %d %s %v", status, ct, m)
	}
	status, ct, m = get(create.LongForm, mediaDIDLDJSON)
	if status != 200 || ct != mediaDIDLDJSON || m["id"] != create.LongForm {
		t.Fatalf("did+ld+json: %d %s %v", status, ct, m)
	}
	status, _, m = get(create.LongForm+"#key-1", mediaJSON)
	if status != 200 || m["id"] != "#key-1" || m["type"] != "EcdsaSecp256k1VerificationKey2019" {
		t.Fatalf("dereference key: %d %v", status, m)
	}
	status, _, m = get(create.LongForm+"#hub", "")
	if status != 200 || m["serviceEndpoint"] != "https://example.com" {
		t.Fatalf("dereference service: %d %v", status, m)
	}
	errorOf := func(m map[string]any) string {
		meta, _ := m["didResolutionMetadata"].(map[string]any)
		s, _ := meta["error"].(string)
		return s
	}
	for _, tc := range []struct {
		did, accept string
		status      int
		code        string
	}{
		{create.LongForm + "#nope", "", 404, "notFound"},
		{"did:ion:" + create.DIDSuffix, "", 404, "notFound"},
		{"did:ion:" + create.DIDSuffix, "text/html", 406, "representationNotSupported"},
		{"did:example:123", "", 400, "invalidDid"},
	} {
		status, _, m := get(tc.did, tc.accept)
		if status != tc.status || errorOf(m) != tc.code {
			t.Errorf("%s (%s): %d %v, want %d %s", tc.did, tc.accept, status, m, tc.status, tc.code)
		}
	}
	log[create.DIDSuffix] = []sidetree.AnchoredOperation{
		{Type: sidetree.OpCreate, Raw: create.Body.Stringify(), TransactionNumber: 1},
		{Type: sidetree.OpDeactivate, Raw: deactivated.Stringify(), TransactionNumber: 2},
	}
	status, _, m = get("did:ion:"+create.DIDSuffix, "")
	meta, _ := m["didDocumentMetadata"].(map[string]any)
	if status != 410 || meta["deactivated"] != true {
		t.Fatalf("deactivated: %d %v", status, m)
	}
	if !strings.HasPrefix(create.LongForm, "did:ion:") {
		t.Fatal(create.LongForm)
	}
}

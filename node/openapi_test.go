package node

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/gorilla/mux"
	"github.com/ionode/ionode/credential/httpapi"
	"github.com/ionode/ionode/credential/status"
	"github.com/ionode/ionode/exchange"
	"github.com/ionode/ionode/exchange/issuance"
	"github.com/ionode/ionode/exchange/oid4vci"
	"github.com/ionode/ionode/exchange/oid4vp"
	"github.com/ionode/ionode/resolver/ion"
	"github.com/ionode/ionode/sidetree"
)

// fullRoutes is a node with every optional part, so that every route exists.
func fullRoutes() *Routes {
	metrics := NewMetrics()
	res := &ion.Resolver{Network: sidetree.Mainnet(), Log: memoryLog{}}
	return &Routes{
		API:          &API{Network: sidetree.Mainnet(), Resolver: res, Queue: &memoryQueue{}, Guard: &WriteGuard{}, Metrics: metrics, Version: "t"},
		Driver:       &Driver{Resolver: res, Metrics: metrics},
		Status:       &Status{Network: sidetree.Mainnet(), Version: "t"},
		Transactions: &Transactions{Network: sidetree.Mainnet(), Store: &memoryTxs{}},
		History:      &History{Network: sidetree.Mainnet(), Log: memoryLog{}},
		Metrics:      metrics,
		Ready:        func(context.Context) error { return nil },
		Gateway:      http.NotFoundHandler(),
		Credentials:  (&httpapi.API{Status: &status.Manager{}}).Handler(),
		Issuance:     (&oid4vci.Issuer{Config: &oid4vci.Config{}}).Handler(),
		Exchange:     exchangeMux(),
	}
}

// exchangeMux is the Request Service API with the verifier's and the issuance service's routes.
func exchangeMux() *exchange.Mux {
	m := exchange.NewMux(&exchange.Requests{}, nil)
	(&oid4vp.Verifier{}).Mount(m)
	(&issuance.Service{}).Mount(m)
	return m
}

// routeMux is a handler with routes of its own that says which pattern serves a request
// (*http.ServeMux, *exchange.Mux).
type routeMux interface {
	Handler(r *http.Request) (http.Handler, string)
}

type openAPIDoc struct {
	OpenAPI string                                `json:"openapi"`
	Paths   map[string]map[string]json.RawMessage `json:"paths"`
}

var pathParams = regexp.MustCompile(`\{[^}/]+\}`)

var openAPIMethods = []string{"get", "put", "post", "delete", "options", "head", "patch", "trace"}

// documentedRoutes lists "METHOD path" for every operation of the document.
func documentedRoutes(t *testing.T, doc openAPIDoc) []string {
	t.Helper()
	var out []string
	for path, item := range doc.Paths {
		for key, raw := range item {
			if !slices.Contains(openAPIMethods, key) {
				continue
			}
			var op struct {
				OperationID string                     `json:"operationId"`
				Summary     string                     `json:"summary"`
				Responses   map[string]json.RawMessage `json:"responses"`
			}
			if err := json.Unmarshal(raw, &op); err != nil {
				t.Fatalf("%s %s: %v", key, path, err)
			}
			if op.OperationID == "" || op.Summary == "" || len(op.Responses) == 0 {
				t.Errorf("%s %s: needs an operationId, a summary and responses", key, path)
			}
			out = append(out, strings.ToUpper(key)+" "+path)
		}
	}
	sort.Strings(out)
	return out
}

// servedRoutes lists "METHOD path" for every route of the router. A prefix route with methods (the
// gateway, the explorer's files) is written as the document writes it: the prefix and one path
// parameter, taken from the document's path of that shape. A prefix route without methods mounts a
// handler with routes of its own (the credential API, an http.ServeMux): it is listed in mounted, and
// each documented route under it is served when that ServeMux has a pattern for it.
func servedRoutes(t *testing.T, r *mux.Router, doc openAPIDoc, documented []string) []string {
	t.Helper()
	var out []string
	err := r.Walk(func(route *mux.Route, _ *mux.Router, _ []*mux.Route) error {
		tpl, err := route.GetPathTemplate()
		if err != nil {
			return err
		}
		re, err := route.GetPathRegexp()
		if err != nil {
			return err
		}
		if _, err := route.GetMethods(); err != nil && !strings.HasSuffix(re, "$") {
			sm, ok := route.GetHandler().(routeMux)
			if !ok {
				t.Errorf("prefix route %s mounts a %T without methods: only an http.ServeMux or exchange.Mux can be checked", tpl, route.GetHandler())
				return nil
			}
			found := false
			for _, d := range documented {
				method, path, _ := strings.Cut(d, " ")
				if !strings.HasPrefix(path, tpl) {
					continue
				}
				found = true
				req := httptest.NewRequest(method, pathParams.ReplaceAllString(path, "x1"), nil)
				if _, pattern := sm.Handler(req); pattern != "" {
					out = append(out, d)
				}
			}
			if !found {
				t.Errorf("the handler mounted at %s has no route in node/openapi.json", tpl)
			}
			return nil
		}
		if !strings.HasSuffix(re, "$") { // PathPrefix
			var match string
			for p := range doc.Paths {
				if rest, ok := strings.CutPrefix(p, tpl); ok && strings.HasPrefix(rest, "{") && strings.HasSuffix(rest, "}") && !strings.Contains(rest, "/") {
					match = p
				}
			}
			if match == "" {
				t.Errorf("prefix route %s has no path %s{param} in the document", tpl, tpl)
				return nil
			}
			tpl = match
		}
		methods, err := route.GetMethods()
		if err != nil {
			t.Errorf("route %s has no methods: every route must name its methods", tpl)
			return nil
		}
		for _, m := range methods {
			out = append(out, m+" "+tpl)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(out)
	return out
}

func loadOpenAPI(t *testing.T) openAPIDoc {
	t.Helper()
	var doc openAPIDoc
	if err := json.Unmarshal(OpenAPIDocument(), &doc); err != nil {
		t.Fatalf("openapi.json: %v", err)
	}
	if doc.OpenAPI != "3.1.0" {
		t.Fatalf("openapi = %q, want 3.1.0", doc.OpenAPI)
	}
	return doc
}

func TestOpenAPIMatchesRoutes(t *testing.T) {
	doc := loadOpenAPI(t)
	documented := documentedRoutes(t, doc)
	served := servedRoutes(t, fullRoutes().router(), doc, documented)
	for _, r := range served {
		if !slices.Contains(documented, r) {
			t.Errorf("route %s is served but missing from node/openapi.json", r)
		}
	}
	for _, r := range documented {
		if !slices.Contains(served, r) {
			t.Errorf("node/openapi.json lists %s, which the node does not serve", r)
		}
	}
	if len(served) < 15 {
		t.Errorf("only %d routes walked: %v", len(served), served)
	}
}

// TestOpenAPIReferences checks that every $ref names a schema the document defines.
func TestOpenAPIReferences(t *testing.T) {
	var doc map[string]any
	if err := json.Unmarshal(OpenAPIDocument(), &doc); err != nil {
		t.Fatal(err)
	}
	schemas := doc["components"].(map[string]any)["schemas"].(map[string]any)
	var walk func(v any)
	refs := 0
	walk = func(v any) {
		switch v := v.(type) {
		case map[string]any:
			if ref, ok := v["$ref"].(string); ok {
				refs++
				name, found := strings.CutPrefix(ref, "#/components/schemas/")
				if _, ok := schemas[name]; !found || !ok {
					t.Errorf("$ref %s names no schema of the document", ref)
				}
			}
			for _, x := range v {
				walk(x)
			}
		case []any:
			for _, x := range v {
				walk(x)
			}
		}
	}
	walk(doc)
	if refs == 0 {
		t.Fatal("no $ref found")
	}
}

func TestOpenAPIServed(t *testing.T) {
	srv := httptest.NewServer(fullRoutes().Handler())
	defer srv.Close()
	resp, err := http.Get(srv.URL + "/openapi.json")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var doc openAPIDoc
	if err := json.NewDecoder(resp.Body).Decode(&doc); err != nil || resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "application/json" {
		t.Fatalf("GET /openapi.json: %d %s %v", resp.StatusCode, resp.Header.Get("Content-Type"), err)
	}
	if _, ok := doc.Paths["/transactions"]; !ok {
		t.Fatal("served document lacks /transactions")
	}
}

// TestOpenAPIWalletRoutes: the wallet-exchange routes, named by their packages, are documented and
// served. (TestOpenAPIMatchesRoutes cannot list the routes of a mounted mux by itself: it checks the
// documented ones against it.)
func TestOpenAPIWalletRoutes(t *testing.T) {
	doc := loadOpenAPI(t)
	documented := documentedRoutes(t, doc)
	served := servedRoutes(t, fullRoutes().router(), doc, documented)
	for _, r := range []string{
		"POST " + exchange.APIPrefix + "/createPresentationRequest",
		"POST " + issuance.PathCreate,
		"GET " + exchange.APIPrefix + "/requests/{id}",
		"GET " + exchange.APIPrefix + "/oid4vp/{id}/request",
		"POST " + exchange.APIPrefix + "/oid4vp/{id}/response",
		"GET " + oid4vci.PathIssuerMetadata,
		"GET " + oid4vci.PathASMetadata,
		"GET " + oid4vci.PathOffers + "{id}",
		"POST " + oid4vci.PathToken,
		"POST " + oid4vci.PathNonce,
		"POST " + oid4vci.PathCredential,
	} {
		if !slices.Contains(documented, r) || !slices.Contains(served, r) {
			t.Errorf("%s: documented %v, served %v", r, slices.Contains(documented, r), slices.Contains(served, r))
		}
	}
}

package web_test

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ionode/ionode/internal/webtest"
	"github.com/ionode/ionode/resolver"
	"github.com/ionode/ionode/resolver/web"
)

func document(did string) []byte {
	return fmt.Appendf(nil, `{"@context":["https://www.w3.org/ns/did/v1"],"id":%q,`+
		`"verificationMethod":[{"id":"%s#key-1","type":"JsonWebKey2020","controller":%q,`+
		`"publicKeyJwk":{"kty":"OKP","crv":"Ed25519","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}}],`+
		`"assertionMethod":["#key-1"]}`, did, did, did)
}

type fakeClock struct{ now atomic.Int64 }

func (c *fakeClock) Now() time.Time          { return time.Unix(0, c.now.Load()) }
func (c *fakeClock) Advance(d time.Duration) { c.now.Add(int64(d)) }

func TestResolve(t *testing.T) {
	srv := webtest.NewServer(t)
	good := srv.DID()
	srv.PublishDocument(good, document(good), "")
	withPath := srv.DID("users", "alice")
	srv.PublishDocument(withPath, document(withPath), "")
	wrongID := srv.DID("wrong")
	srv.PublishDocument(wrongID, document(srv.DID("other")), "")
	notJSON := srv.DID("garbage")
	srv.PublishDocument(notJSON, []byte("<html>"), "")
	big := srv.DID("big")
	srv.PublishDocument(big, []byte(`{"id":"`+big+`","x":"`+strings.Repeat("a", 2<<20)+`"}`), "")

	r := web.New(srv.Client(), web.Options{})
	tests := []struct {
		name string
		did  string
		code resolver.Code // "" = success
	}{
		{"well-known", good, ""},
		{"path", withPath, ""},
		{"id mismatch", wrongID, resolver.CodeInvalidDIDDocument},
		{"not JSON", notJSON, resolver.CodeInvalidDIDDocument},
		{"too large", big, resolver.CodeInvalidDIDDocument},
		{"missing", srv.DID("nobody"), resolver.CodeNotFound},
		{"IP literal", "did:web:127.0.0.1%3A" + srv.Port, resolver.CodeInvalidDID},
		{"bad syntax", "did:web:exa mple.com", resolver.CodeInvalidDID},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := r.Resolve(context.Background(), tt.did)
			if tt.code == "" {
				if err != nil {
					t.Fatal(err)
				}
				if res.Document.ID != tt.did {
					t.Fatalf("id %q", res.Document.ID)
				}
				if _, err := res.Document.FindMethod("#key-1", resolver.AssertionMethod); err != nil {
					t.Fatal(err)
				}
				return
			}
			if !errors.Is(err, &resolver.Error{Code: tt.code}) {
				t.Fatalf("err = %v, want %s", err, tt.code)
			}
		})
	}
	_, err := r.Resolve(context.Background(), big)
	if !errors.Is(err, web.ErrTooLarge) {
		t.Fatalf("too large: %v", err)
	}
}

func TestResolveCache(t *testing.T) {
	srv := webtest.NewServer(t)
	var hits atomic.Int64
	did := srv.DID()
	maxAge := "max-age=30"
	srv.Mux.HandleFunc(webtest.DocumentPath(did), func(w http.ResponseWriter, _ *http.Request) {
		hits.Add(1)
		w.Header().Set("Cache-Control", maxAge)
		_, _ = w.Write(document(did))
	})
	noStore := srv.DID("nostore")
	srv.PublishDocument(noStore, document(noStore), "no-store")
	long := srv.DID("long")
	var longHits atomic.Int64
	srv.Mux.HandleFunc(webtest.DocumentPath(long), func(w http.ResponseWriter, _ *http.Request) {
		longHits.Add(1)
		w.Header().Set("Cache-Control", "public, max-age=86400")
		_, _ = w.Write(document(long))
	})

	clock := &fakeClock{}
	clock.now.Store(time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC).UnixNano())
	r := web.New(srv.Client(), web.Options{Now: clock.Now, MaxTTL: time.Hour, CacheSize: 2})
	ctx := context.Background()
	resolve := func(d string) {
		t.Helper()
		if _, err := r.Resolve(ctx, d); err != nil {
			t.Fatal(err)
		}
	}
	resolve(did)
	resolve(did)
	if hits.Load() != 1 {
		t.Fatalf("max-age=30: %d fetches, want 1", hits.Load())
	}
	clock.Advance(31 * time.Second)
	resolve(did)
	if hits.Load() != 2 {
		t.Fatalf("after expiry: %d fetches, want 2", hits.Load())
	}
	// MaxTTL caps a day-long max-age at an hour.
	resolve(long)
	clock.Advance(59 * time.Minute)
	resolve(long)
	if longHits.Load() != 1 {
		t.Fatalf("within MaxTTL: %d fetches", longHits.Load())
	}
	clock.Advance(2 * time.Minute)
	resolve(long)
	if longHits.Load() != 2 {
		t.Fatalf("past MaxTTL: %d fetches", longHits.Load())
	}
	// no-store: fetched every time (checked through the bounded cache: CacheSize 2 holds did and long).
	resolve(did) // refresh did's entry (expired after 61 min)
	before := hits.Load()
	for range 3 {
		resolve(noStore)
	}
	resolve(did)
	if hits.Load() != before {
		t.Fatalf("no-store evicted a cached entry or was cached")
	}
	// A third cached DID evicts the least recently used one (long).
	third := srv.DID("third")
	srv.PublishDocument(third, document(third), "max-age=600")
	resolve(third)
	resolve(long)
	if longHits.Load() != 3 {
		t.Fatalf("bounded cache kept 3 entries: long fetched %d times", longHits.Load())
	}
}

func TestRedirects(t *testing.T) {
	srv := webtest.NewServer(t)
	target := srv.DID("target")
	srv.PublishDocument(target, document(target), "")
	// A redirect chain within the server: the document at the final URL is the DID's.
	moved := srv.DID("moved")
	srv.Mux.HandleFunc(webtest.DocumentPath(moved), func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/moved-final", http.StatusFound)
	})
	srv.Publish("/moved-final", document(moved), "")
	loop := srv.DID("loop")
	srv.Mux.HandleFunc(webtest.DocumentPath(loop), func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, r.URL.Path+"?again", http.StatusFound)
	})
	plain := srv.DID("plain")
	srv.Mux.HandleFunc(webtest.DocumentPath(plain), func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "http://localhost:"+srv.Port+"/x", http.StatusFound)
	})
	private := srv.DID("private")
	srv.Mux.HandleFunc(webtest.DocumentPath(private), func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "https://internal.test/did.json", http.StatusFound)
	})
	metadata := srv.DID("metadata")
	srv.Mux.HandleFunc(webtest.DocumentPath(metadata), func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "https://169.254.169.254/latest/meta-data/", http.StatusFound)
	})

	client := srv.Client()
	lookups := lookupTable(t, map[string]string{"localhost": "127.0.0.1", "internal.test": "10.20.30.40"})
	client.LookupNetIP = lookups
	r := web.New(client, web.Options{})
	tests := []struct {
		name string
		did  string
		want error
	}{
		{"followed", moved, nil},
		{"loop", loop, web.ErrTooManyRedirects},
		{"to plain http", plain, web.ErrScheme},
		{"to a private address", private, web.ErrForbiddenAddress},
		{"to the metadata address", metadata, web.ErrForbiddenAddress},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := r.Resolve(context.Background(), tt.did)
			if tt.want == nil {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if !errors.Is(err, tt.want) {
				t.Fatalf("err = %v, want %v", err, tt.want)
			}
		})
	}
}

// lookupTable answers name lookups from a table: the tests choose which address a name has without a DNS
// server. Names outside the table fail the test.
func lookupTable(t *testing.T, table map[string]string) func(context.Context, string, string) ([]netip.Addr, error) {
	return func(_ context.Context, _, host string) ([]netip.Addr, error) {
		a, ok := table[host]
		if !ok {
			t.Errorf("unexpected lookup of %q", host)
			return nil, fmt.Errorf("no such host %q", host)
		}
		return []netip.Addr{netip.MustParseAddr(a)}, nil
	}
}

// TestSSRF points did:web names at addresses the Guard must refuse. The refusal happens before connect,
// so nothing is sent to those addresses.
func TestSSRF(t *testing.T) {
	srv := webtest.NewServer(t)
	tests := []struct {
		name  string
		host  string
		addr  string
		guard web.Guard
	}{
		{"loopback without AllowLoopback", "localhost", "127.0.0.1", web.Guard{}},
		{"loopback v6", "localhost", "::1", web.Guard{}},
		{"private 10/8", "intranet.test", "10.0.0.7", web.Guard{AllowLoopback: true}},
		{"private 192.168", "router.test", "192.168.0.1", web.Guard{AllowLoopback: true}},
		{"metadata", "metadata.test", "169.254.169.254", web.Guard{AllowLoopback: true, AllowPrivate: true}},
		{"CGNAT", "cgnat.test", "100.64.1.1", web.Guard{AllowLoopback: true}},
		{"unspecified", "zero.test", "0.0.0.0", web.Guard{AllowLoopback: true}},
		{"v4-mapped private", "mapped.test", "::ffff:10.0.0.7", web.Guard{AllowLoopback: true}},
		{"link-local v6", "ll.test", "fe80::1", web.Guard{AllowLoopback: true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			client := srv.Client()
			client.Guard = tt.guard
			client.LookupNetIP = lookupTable(t, map[string]string{tt.host: tt.addr})
			r := web.New(client, web.Options{})
			_, err := r.Resolve(context.Background(), "did:web:"+tt.host+"%3A"+srv.Port)
			if !errors.Is(err, web.ErrForbiddenAddress) {
				t.Fatalf("err = %v, want ErrForbiddenAddress", err)
			}
		})
	}
	// Plain HTTP is refused even to loopback unless explicitly allowed.
	c := srv.Client()
	if _, err := c.Get(context.Background(), "http://localhost:"+srv.Port+"/", ""); !errors.Is(err, web.ErrScheme) {
		t.Fatalf("plain http: %v", err)
	}
	c.AllowHTTPLoopback = true
	if _, err := c.Get(context.Background(), "http://example.com/", ""); !errors.Is(err, web.ErrScheme) {
		t.Fatalf("plain http to a non-loopback host: %v", err)
	}
}

func TestCacheTTL(t *testing.T) {
	tests := []struct {
		header string
		want   time.Duration
	}{
		{"", time.Minute},
		{"max-age=10", 10 * time.Second},
		{"public, max-age=7200", time.Hour},
		{"no-store", 0},
		{"max-age=60, no-cache", 0},
		{"max-age=abc", 0},
		{"max-age=-1", 0},
	}
	for _, tt := range tests {
		h := http.Header{}
		if tt.header != "" {
			h.Set("Cache-Control", tt.header)
		}
		if got := web.CacheTTL(h, time.Minute, time.Hour); got != tt.want {
			t.Errorf("CacheTTL(%q) = %v, want %v", tt.header, got, tt.want)
		}
	}
}

// TestErrorsHideInternalAddresses: a did:web failure tells the asker notFound (or invalidDidDocument)
// and nothing of the dial or DNS error behind it, which would name internal addresses and resolvers;
// the cause stays matchable for the node's own log.
func TestErrorsHideInternalAddresses(t *testing.T) {
	srv := webtest.NewServer(t)
	tests := []struct {
		name   string
		lookup func(context.Context, string, string) ([]netip.Addr, error)
		cause  error
	}{
		{"refused address", func(context.Context, string, string) ([]netip.Addr, error) {
			return []netip.Addr{netip.MustParseAddr("10.1.2.3")}, nil
		}, web.ErrForbiddenAddress},
		{"unknown name", func(_ context.Context, _, host string) ([]netip.Addr, error) {
			return nil, &net.DNSError{Err: "no such host", Name: host, Server: "10.9.9.53:53", IsNotFound: true}
		}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			client := srv.Client()
			client.Guard = web.Guard{}
			client.LookupNetIP = tt.lookup
			did := "did:web:host.internal%3A" + srv.Port
			_, err := web.New(client, web.Options{}).Resolve(context.Background(), did)
			if !errors.Is(err, resolver.ErrNotFound) {
				t.Fatalf("err = %v, want notFound", err)
			}
			if tt.cause != nil && !errors.Is(err, tt.cause) {
				t.Errorf("the cause %v is lost: %v", tt.cause, err)
			}
			answer := string(resolver.ResultJSON(nil, err))
			for _, secret := range []string{"10.1.2.3", "10.9.9.53", "dial", "lookup", "address not allowed", "no such host"} {
				if strings.Contains(answer, secret) {
					t.Errorf("the answer carries %q: %s", secret, answer)
				}
			}
			if !strings.Contains(answer, `"error":"notFound"`) {
				t.Errorf("answer %s", answer)
			}
		})
	}
}

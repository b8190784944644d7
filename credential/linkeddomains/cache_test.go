package linkeddomains_test

import (
	"context"
	"errors"
	"net/http"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ionode/ionode/credential"
	"github.com/ionode/ionode/credential/linkeddomains"
	"github.com/ionode/ionode/internal/credtest"
)

// TestCache: a verdict, linked or not, is fetched once per TTL per DID and origin.
func TestCache(t *testing.T) {
	ctx := context.Background()
	e := credtest.NewEnv(t)
	origin := e.Server.Origin()
	service := []map[string]any{{"id": "#ld", "type": linkeddomains.ServiceType, "serviceEndpoint": map[string]any{"origins": []string{origin}}}}
	key := []credtest.Method{{Fragment: "key-1", Alg: credential.EdDSA}}
	linkedDID, linked := e.WebDIDWithServices(t, key, service, "linked")
	unlinkedDID, _ := e.WebDIDWithServices(t, key, service, "unlinked")
	good, err := linkeddomains.Create(linked["key-1"], origin, e.Now(), 24*time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	var fetches atomic.Int32
	config := linkeddomains.Handler(good)
	e.Server.Mux.Handle(linkeddomains.WellKnownPath, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fetches.Add(1)
		config.ServeHTTP(w, r)
	}))
	c := &linkeddomains.Cache{
		Verifier: &linkeddomains.Verifier{Client: e.Client, Credentials: &credential.Verifier{Resolver: e.Resolver, Now: e.Now}},
		TTL:      time.Minute, Now: e.Now,
	}
	check := func(did string, linked bool, wantFetches int32) {
		t.Helper()
		res, err := e.Resolver.Resolve(ctx, did)
		if err != nil {
			t.Fatal(err)
		}
		err = c.Verify(ctx, res, origin)
		if (err == nil) != linked || (err != nil && !errors.Is(err, linkeddomains.ErrNotLinked)) {
			t.Fatalf("%s: %v", did, err)
		}
		if got := fetches.Load(); got != wantFetches {
			t.Fatalf("%s: %d fetches, want %d", did, got, wantFetches)
		}
	}
	check(linkedDID, true, 1)
	check(linkedDID, true, 1)
	check(unlinkedDID, false, 2)
	check(unlinkedDID, false, 2)
	e.Advance(time.Minute)
	check(linkedDID, true, 3)
	check(unlinkedDID, false, 4)
}

package exchange_test

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ionode/ionode/exchange"
	"github.com/ionode/ionode/node/store/pebble"
)

// openRequests returns Requests over a real Pebble store in a temporary directory, with a settable clock.
func openRequests(t testing.TB) (*exchange.Requests, *atomic.Int64) {
	t.Helper()
	s, err := pebble.Open(t.TempDir(), pebble.Options{CacheSize: 1 << 20, StateMemoSize: -1})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close(context.Background()) })
	var clock atomic.Int64
	clock.Store(time.Now().UnixNano())
	return &exchange.Requests{Sessions: s, Now: func() time.Time { return time.Unix(0, clock.Load()) }}, &clock
}

func TestRequestLifecycle(t *testing.T) {
	q, _ := openRequests(t)
	ctx := context.Background()
	r, err := q.Create(ctx, exchange.KindPresentation, &exchange.Callback{URL: "https://rp.example/cb"}, json.RawMessage(`{"a":1}`))
	if err != nil {
		t.Fatal(err)
	}
	if r.Status != exchange.StatusCreated || r.Nonce == "" || r.ID == r.Nonce || r.Expires.Sub(r.Created) != exchange.DefaultLifetime {
		t.Fatalf("created request %+v", r)
	}
	if _, err := q.Get(ctx, exchange.KindIssuance, r.ID); !errors.Is(err, exchange.ErrNotFound) {
		t.Fatalf("kinds share ids: err = %v", err)
	}
	steps := []struct {
		to      exchange.Status
		wantErr error
	}{
		{exchange.StatusPresentationVerified, exchange.ErrBadTransition}, // must be retrieved first
		{exchange.StatusRetrieved, nil},
		{exchange.StatusRetrieved, exchange.ErrBadTransition}, // request_uri fetched twice
		{exchange.StatusPresentationVerified, nil},
		{exchange.StatusPresentationError, exchange.ErrBadTransition}, // single use: terminal
		{exchange.StatusRetrieved, exchange.ErrBadTransition},
	}
	for _, step := range steps {
		got, err := q.Get(ctx, exchange.KindPresentation, r.ID)
		if err != nil {
			t.Fatal(err)
		}
		err = q.Move(ctx, got, step.to, json.RawMessage(`{"s":"`+string(step.to)+`"}`))
		if !errors.Is(err, step.wantErr) || (step.wantErr == nil) != (err == nil) {
			t.Fatalf("%s → %s: err = %v, want %v", got.Status, step.to, err, step.wantErr)
		}
	}
	got, _ := q.Get(ctx, exchange.KindPresentation, r.ID)
	if got.Status != exchange.StatusPresentationVerified || string(got.Result) != `{"s":"presentation_verified"}` || string(got.Spec) != `{"a":1}` {
		t.Fatalf("final record %+v", got)
	}
}

// TestRequestMoveRace: replicas or replayed responses racing on one request; exactly one wins.
func TestRequestMoveRace(t *testing.T) {
	q, _ := openRequests(t)
	ctx := context.Background()
	r, err := q.Create(ctx, exchange.KindPresentation, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	var wins atomic.Int32
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			got, err := q.Get(ctx, exchange.KindPresentation, r.ID)
			if err != nil {
				t.Error(err)
				return
			}
			switch err := q.Move(ctx, got, exchange.StatusRetrieved, nil); {
			case err == nil:
				wins.Add(1)
			case !errors.Is(err, exchange.ErrConflict) && !errors.Is(err, exchange.ErrBadTransition):
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if wins.Load() != 1 {
		t.Fatalf("%d movers won, want 1", wins.Load())
	}
}

func TestRequestExpiry(t *testing.T) {
	q, clock := openRequests(t)
	q.Lifetime, q.Retention = time.Minute, time.Millisecond
	ctx := context.Background()
	r, err := q.Create(ctx, exchange.KindPresentation, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	clock.Add(int64(2 * time.Minute))
	got, err := q.Get(ctx, exchange.KindPresentation, r.ID)
	if err != nil || !got.Expired(q.Now()) {
		t.Fatalf("request within retention: err = %v, expired = %v", err, got != nil && got.Expired(q.Now()))
	}
	// The store drops it after lifetime + retention on its own clock: a record created expired vanishes.
	q2, _ := openRequests(t)
	q2.Lifetime, q2.Retention = time.Nanosecond, time.Nanosecond
	r2, err := q2.Create(ctx, exchange.KindPresentation, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	time.Sleep(time.Millisecond)
	if _, err := q2.Get(ctx, exchange.KindPresentation, r2.ID); !errors.Is(err, exchange.ErrNotFound) {
		t.Fatalf("expired record: err = %v, want ErrNotFound", err)
	}
}

// TestRequestRawMembersMustBeJSON: the spec and the result are stored as given, so what is not JSON is
// refused before it could make the record unreadable.
func TestRequestRawMembersMustBeJSON(t *testing.T) {
	q, _ := openRequests(t)
	ctx := context.Background()
	if _, err := q.Create(ctx, exchange.KindPresentation, nil, json.RawMessage(`{"a":`)); err == nil {
		t.Fatal("a spec that is not JSON was stored")
	}
	r, err := q.Create(ctx, exchange.KindPresentation, nil, json.RawMessage(`{"a":1}`))
	if err != nil {
		t.Fatal(err)
	}
	if err := q.Move(ctx, r, exchange.StatusRetrieved, json.RawMessage(`{"s":}`)); err == nil {
		t.Fatal("a result that is not JSON was stored")
	}
	got, err := q.Get(ctx, exchange.KindPresentation, r.ID)
	if err != nil || got.Status != exchange.StatusCreated {
		t.Fatalf("after the refused move: %+v, %v", got, err)
	}
	if err := q.Move(ctx, got, exchange.StatusRetrieved, json.RawMessage(`{"s":1}`)); err != nil {
		t.Fatal(err)
	}
}

// BenchmarkRequestLifecycle: a request's records over a real Pebble store as one presentation writes
// and reads them (create, read, retrieved, read, outcome), with a spec and a result of bench/exchange's
// size.
func BenchmarkRequestLifecycle(b *testing.B) {
	q, _ := openRequests(b)
	ctx := context.Background()
	spec := json.RawMessage(`{"request":{"registration":{"clientName":"bench/exchange"},"callback":{"url":"http://127.0.0.1:1/cb","state":"s","headers":{"api-key":"k"}},"requestedCredentials":[{"type":"Badge","purpose":"bench","acceptedIssuers":["did:ion:` + strings.Repeat("x", 900) + `"],"configuration":{"validation":{"allowRevoked":false}}}]},"dcql":{"credentials":[{"id":"credential_0","format":"jwt_vc_json","meta":{"type_values":[["Badge"]]}}]}}`)
	result := json.RawMessage(`{"requestId":"r","requestStatus":"presentation_verified","state":"s","subject":"did:key:z6Mk","verifiedCredentialsData":[{"issuer":"did:ion:` + strings.Repeat("x", 900) + `","type":["VerifiableCredential","Badge"],"claims":{"name":"n"},"credentialState":{"revocationStatus":"VALID"}}]}`)
	b.ReportAllocs()
	for b.Loop() {
		r, err := q.Create(ctx, exchange.KindPresentation, nil, spec)
		if err != nil {
			b.Fatal(err)
		}
		for _, to := range []exchange.Status{exchange.StatusRetrieved, exchange.StatusPresentationVerified} {
			if r, err = q.Get(ctx, exchange.KindPresentation, r.ID); err != nil {
				b.Fatal(err)
			}
			if err := q.Move(ctx, r, to, result); err != nil {
				b.Fatal(err)
			}
		}
	}
}

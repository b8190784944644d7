package node

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/ionode/ionode/resolver/ion"
	"github.com/ionode/ionode/sidetree"
)

// TestHandlerContext: every handler gets its request's id and the configured deadline in its context.
func TestHandlerContext(t *testing.T) {
	for _, timeout := range []time.Duration{0, 3 * time.Second} {
		var id string
		var left time.Duration
		rt := &Routes{RequestTimeout: timeout, Credentials: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			id = RequestID(r.Context())
			if d, ok := r.Context().Deadline(); ok {
				left = time.Until(d)
			}
		})}
		req := httptest.NewRequest(http.MethodGet, "/credentials/x", nil)
		req.Header.Set("X-Request-Id", "req-1")
		rt.Handler().ServeHTTP(httptest.NewRecorder(), req)
		want := timeout
		if want == 0 {
			want = 30 * time.Second // the default
		}
		if id != "req-1" || left <= want-time.Second || left > want {
			t.Errorf("timeout %v: handler saw id %q and %v to its deadline", timeout, id, left)
		}
	}
}

// waitingResolver waits on its context, as a store's network round trip does, and records what the
// context carried.
type waitingResolver struct {
	id       string
	deadline bool
	err      error
}

func (w *waitingResolver) Resolve(ctx context.Context, _ string) (sidetree.Resolution, error) {
	w.id = RequestID(ctx)
	_, w.deadline = ctx.Deadline()
	select {
	case <-ctx.Done():
	case <-time.After(10 * time.Second): // the deadline did not apply: fail, do not hang
	}
	w.err = ctx.Err()
	return sidetree.Resolution{}, errors.New("store unreachable")
}

// heldNothing is a waitingResolver that could serve answers at hand, but has none.
type heldNothing struct{ *waitingResolver }

func (heldNothing) AnswerHeld(string) (*ion.Answer, bool) { return nil, false }

// TestResolutionDeadline: a resolution that waits on its store (no answer at hand) runs with the
// request's id and deadline in its context and is cut off at the deadline with ION's error body.
func TestResolutionDeadline(t *testing.T) {
	for _, tc := range []struct {
		name     string
		resolver func(*waitingResolver) DIDResolver
	}{
		{"resolver", func(w *waitingResolver) DIDResolver { return w }},
		{"nothing at hand", func(w *waitingResolver) DIDResolver { return heldNothing{w} }},
	} {
		w := &waitingResolver{}
		rt := &Routes{API: &API{Network: sidetree.Mainnet(), Resolver: tc.resolver(w), Logger: slog.New(slog.DiscardHandler)}, RequestTimeout: 50 * time.Millisecond,
			Logger: slog.New(slog.DiscardHandler)}
		req := httptest.NewRequest(http.MethodGet, "/identifiers/did:ion:EiA", nil)
		req.Header.Set("X-Request-Id", "req-2")
		rec := httptest.NewRecorder()
		rt.Handler().ServeHTTP(rec, req)
		if rec.Code != http.StatusInternalServerError || !strings.Contains(rec.Body.String(), "internal_error") {
			t.Errorf("%s: %d %s", tc.name, rec.Code, rec.Body)
		}
		if w.id != "req-2" || !w.deadline || !errors.Is(w.err, context.DeadlineExceeded) {
			t.Errorf("%s: the resolver saw id %q, a deadline %v, and ended with %v", tc.name, w.id, w.deadline, w.err)
		}
	}
}

// TestFreshRequestIDs: a request without a usable id of its own gets a fresh one, 16 hex digits, unique,
// the same in its header and its handler's context, and unchanged once later requests are served.
func TestFreshRequestIDs(t *testing.T) {
	var seen string
	rt := &Routes{Logger: slog.New(slog.DiscardHandler), Credentials: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		seen = RequestID(r.Context())
	})}
	h := rt.Handler()
	const n = 200
	recs := make([]*httptest.ResponseRecorder, n)
	ids := map[string]bool{}
	for i := range recs {
		req := httptest.NewRequest(http.MethodGet, "/credentials/x", nil)
		if i%2 == 1 {
			req.Header.Set("X-Request-Id", strings.Repeat("a", 65)) // too long: replaced
		}
		recs[i] = httptest.NewRecorder()
		h.ServeHTTP(recs[i], req)
		id := recs[i].Header().Get("X-Request-Id")
		if !generatedID.MatchString(id) || id != seen || ids[id] {
			t.Fatalf("request %d: id %q, handler saw %q, seen before: %v", i, id, seen, ids[id])
		}
		ids[id] = true
	}
	for i, rec := range recs {
		if id := rec.Header().Get("X-Request-Id"); !ids[id] || !generatedID.MatchString(id) {
			t.Fatalf("request %d's id changed to %q", i, id)
		}
	}
}

var generatedID = regexp.MustCompile(`^[0-9a-f]{16}$`)

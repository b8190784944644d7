package client_test

import (
	"context"
	"crypto/rand"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/ionode/ionode/client"
	"github.com/ionode/ionode/credential"
	"github.com/ionode/ionode/credential/httpapi"
	"github.com/ionode/ionode/exchange"
	"github.com/ionode/ionode/sidetree"
)

// newDID builds a create request with fresh keys.
func newDID(t *testing.T) (*sidetree.CreateRequest, sidetree.JWK) {
	t.Helper()
	recovery, err := sidetree.GenerateES256K(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	update, err := sidetree.GenerateES256K(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	req, err := sidetree.NewCreateRequest("ion", recovery, update, sidetree.Document{}, sidetree.Mainnet().Latest())
	if err != nil {
		t.Fatal(err)
	}
	return req, update
}

func waitCtx(t *testing.T) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	t.Cleanup(cancel)
	return ctx
}

func TestOperationLifecycle(t *testing.T) {
	n := startNode(t)
	c := newClient(t, n.URL)
	ctx := waitCtx(t)
	create, update := newDID(t)
	did := "did:ion:" + create.DIDSuffix
	fast := client.Wait{Interval: time.Millisecond}

	res, err := c.Resolve(ctx, did)
	if err != nil || res.Status != http.StatusNotFound {
		t.Fatalf("before create: %d %v", res.Status, err)
	}
	submitted := false
	res.Body, err = c.SubmitAndWait(ctx, did, create.Body.Stringify(), client.Wait{Interval: time.Millisecond, Submitted: func() { submitted = true }})
	if err != nil || !submitted {
		t.Fatalf("create: %v (submitted %v)", err, submitted)
	}
	if p, _ := res.Body.Field("didDocumentMetadata").Field("method").Field("published").Boolean(); !p {
		t.Fatalf("create not published: %s", res.Body.Stringify())
	}

	// A second create of the same DID is refused with ION-style code; waiting for it is done at once.
	_, err = c.Submit(ctx, create.Body.Stringify())
	var apiErr *client.APIError
	if !errors.Is(err, client.ErrAlreadyAnchored) || !errors.As(err, &apiErr) || apiErr.StatusCode != 400 || sidetree.CodeOf(err) != "did_already_anchored" {
		t.Fatalf("second create: %v", err)
	}
	if _, err := c.SubmitAndWait(ctx, did, create.Body.Stringify(), fast); err != nil {
		t.Fatalf("create already anchored is done: %v", err)
	}

	// An update while the node still holds an earlier operation for the DID is resubmitted until taken.
	next, err := sidetree.GenerateES256K(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	up, err := sidetree.NewUpdateRequest(create.DIDSuffix, update, next, sidetree.UpdateChanges{
		AddServices: []sidetree.Service{{ID: "hub", Type: "LinkedDomains", Endpoint: sidetree.String("https://hub.example.com")}}}, sidetree.Mainnet().Latest())
	if err != nil {
		t.Fatal(err)
	}
	n.Queue.refusals.Store(2)
	before := n.hits["/operations"].Load()
	resolved, err := c.SubmitAndWait(ctx, did, up.Stringify(), fast)
	if err != nil {
		t.Fatalf("update: %v", err)
	}
	if got := n.hits["/operations"].Load() - before; got != 3 {
		t.Errorf("update posted %d times, want 3 (two refusals)", got)
	}
	if !strings.Contains(string(resolved.Stringify()), "#hub") {
		t.Errorf("update not in the resolution: %s", resolved.Stringify())
	}

	h, err := c.Operations(ctx, did)
	if err != nil || len(h.Operations) != 2 || h.Operations[1].Outcome != "applied" || h.Operations[1].Type != "update" {
		t.Fatalf("history: %+v %v", h, err)
	}

	// Without a deadline-free retry: a refusal that is no "nothing done" answer comes back at once.
	n.Queue.refusals.Store(0)
	_, err = c.SubmitAndWait(ctx, did, []byte(`{"type":"update"}`), fast)
	if !errors.As(err, &apiErr) || apiErr.StatusCode != 400 || apiErr.Code == "" {
		t.Fatalf("malformed update: %v", err)
	}
}

func TestWaitEndsWithDeadline(t *testing.T) {
	n := startNode(t)
	c := newClient(t, n.URL)
	create, _ := newDID(t)
	// The operation is queued behind another one for ever: the wait ends with the context.
	n.Queue.refusals.Store(1 << 30)
	ctx, cancel := context.WithTimeout(t.Context(), 50*time.Millisecond)
	defer cancel()
	_, err := c.SubmitAndWait(ctx, "did:ion:"+create.DIDSuffix, create.Body.Stringify(), client.Wait{Interval: time.Millisecond})
	if !errors.Is(err, context.DeadlineExceeded) || !errors.Is(err, client.ErrOperationPending) {
		t.Fatalf("refused until the deadline: %v", err)
	}
	// Accepted but never anchored (a wrong DID to watch): ErrNotAnchored.
	n.Queue.refusals.Store(0)
	ctx, cancel = context.WithTimeout(t.Context(), 50*time.Millisecond)
	defer cancel()
	other, _ := newDID(t)
	_, err = c.SubmitAndWait(ctx, "did:ion:"+other.DIDSuffix, create.Body.Stringify(), client.Wait{Interval: time.Millisecond})
	if !errors.Is(err, client.ErrNotAnchored) || !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("not anchored: %v", err)
	}
}

func TestResolveRoutes(t *testing.T) {
	n := startNode(t)
	c := newClient(t, n.URL)
	ctx := t.Context()
	create, _ := newDID(t)
	tests := []struct {
		name, did string
		status    int
	}{
		{"long-form, unpublished", create.LongForm, http.StatusOK},
		{"short-form, unknown", "did:ion:" + create.DIDSuffix, http.StatusNotFound},
		{"malformed long-form", create.LongForm + "x", http.StatusBadRequest},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := c.Resolve(ctx, tt.did)
			if err != nil || res.Status != tt.status {
				t.Fatalf("ION route: %d %v, want %d", res.Status, err, tt.status)
			}
		})
	}
	resp, err := c.ResolveUniversal(ctx, n.Issuer.DID(), client.MediaDIDJSON)
	if err != nil || !strings.Contains(string(resp.Body), n.Issuer.DID()) {
		t.Fatalf("universal route, did:key: %v", err)
	}
	_, err = c.ResolveUniversal(ctx, "did:ion:"+create.DIDSuffix, "")
	var apiErr *client.APIError
	if !errors.Is(err, client.ErrNotFound) || !errors.As(err, &apiErr) || apiErr.Code != "notFound" {
		t.Fatalf("universal route, unknown DID: %v", err)
	}
}

func TestRetries(t *testing.T) {
	n := startNode(t)
	c := newClient(t, n.URL)
	failures := 0
	n.wrap = func(w http.ResponseWriter, r *http.Request) bool {
		if failures > 0 {
			failures--
			w.Header().Set("Retry-After", "0")
			http.Error(w, "overloaded", http.StatusServiceUnavailable)
			return true
		}
		return false
	}
	tests := []struct {
		name     string
		failures int
		call     func() error
		path     string
		attempts int32
		ok       bool
	}{
		{"GET retried until it works", 2, func() error { _, err := c.Status(t.Context()); return err }, "/status", 3, true},
		{"GET gives up after its attempts", 5, func() error { _, err := c.Status(t.Context()); return err }, "/status", 3, false},
		{"POST never resent", 1, func() error { _, err := c.VerifyCredential(t.Context(), "x.y.z"); return err }, "/credentials/verify", 1, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			failures = tt.failures
			before := n.hits[tt.path].Load()
			err := tt.call()
			if got := n.hits[tt.path].Load() - before; got != tt.attempts {
				t.Errorf("%d attempts, want %d", got, tt.attempts)
			}
			var apiErr *client.APIError
			if tt.ok != (err == nil) || !tt.ok && (!errors.As(err, &apiErr) || apiErr.StatusCode != 503) {
				t.Errorf("error %v", err)
			}
		})
	}
	failures = 0
	s, err := c.Status(t.Context())
	if err != nil || s.Network != "mainnet" || s.DIDMethod != "ion" {
		t.Fatalf("status: %+v %v", s, err)
	}
}

func TestCredentials(t *testing.T) {
	n := startNode(t)
	c := newClient(t, n.URL)
	ctx := t.Context()
	req := httpapi.IssueRequest{Types: []string{"VerifiedEmployee"}, Subject: map[string]any{"id": "did:example:alice", "name": "Alice"}}
	issued, err := c.IssueCredential(ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	res, err := c.VerifyCredential(ctx, issued.JWT)
	if err != nil || !res.Valid || res.TransactionID == "" {
		t.Fatalf("verify: %+v %v", res, err)
	}
	res, err = c.VerifyCredential(ctx, issued.JWT[:len(issued.JWT)-4]+"AAAA")
	if err != nil || res.Valid || res.Code != credential.CodeInvalidSignature {
		t.Fatalf("tampered: %+v %v", res, err)
	}
	anonymous := newClient(t, n.URL)
	anonymous.AdminToken = ""
	if _, err := anonymous.IssueCredential(ctx, req); !errors.Is(err, client.ErrUnauthorized) {
		t.Fatalf("issue without the admin token: %v", err)
	}
}

func TestExchangeRequests(t *testing.T) {
	n := startNode(t)
	c := newClient(t, n.URL)
	ctx := t.Context()
	body := exchange.PresentationRequest{Registration: exchange.Registration{ClientName: "client test"},
		RequestedCredentials: []exchange.RequestedCredential{{Type: "VerifiedEmployee"}}}
	created, err := c.CreatePresentationRequest(ctx, body)
	if err != nil || !strings.HasPrefix(created.URL, "openid4vp:") {
		t.Fatalf("create: %+v %v", created, err)
	}
	ev, err := c.RequestStatus(ctx, created.RequestID)
	if err != nil || ev.RequestStatus != exchange.StatusCreated {
		t.Fatalf("status: %+v %v", ev, err)
	}
	if _, err := c.RequestStatus(ctx, "no-such-request"); !errors.Is(err, client.ErrNotFound) {
		t.Fatalf("unknown request: %v", err)
	}
	body.RequestedCredentials = nil
	var apiErr *client.APIError
	if _, err := c.CreatePresentationRequest(ctx, body); !errors.As(err, &apiErr) || apiErr.StatusCode != 400 || apiErr.Code == "" {
		t.Fatalf("no credential asked for: %v", err)
	}
}

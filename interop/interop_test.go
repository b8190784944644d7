package interop

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/gorilla/mux"

	"github.com/ionode/ionode/node"
	"github.com/ionode/ionode/sidetree"
)

// startReference starts reference.mjs for one test; it skips when the npm packages are missing unless
// running under CI, where the cross-check is mandatory.
func startReference(t *testing.T) *Reference {
	t.Helper()
	ref, err := Start(context.Background())
	if errors.Is(err, ErrUnavailable) && os.Getenv("CI") == "" {
		t.Skipf("skipping the reference cross-check: %v (run `npm ci` in interop/)", err)
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ref.Close() })
	return ref
}

// anchoredOp is an anchored operation as reference.mjs takes and returns it.
type anchoredOp struct {
	Type              string `json:"type"`
	DIDSuffix         string `json:"didSuffix"`
	Raw               []byte `json:"raw"`
	TransactionNumber uint64 `json:"transactionNumber"`
	TransactionTime   uint64 `json:"transactionTime"`
	OperationIndex    uint32 `json:"operationIndex"`
}

func toSidetree(ops []anchoredOp) []sidetree.AnchoredOperation {
	out := make([]sidetree.AnchoredOperation, len(ops))
	for i, o := range ops {
		out[i] = sidetree.AnchoredOperation{
			Type: sidetree.OperationType(o.Type), DIDSuffix: o.DIDSuffix, Raw: o.Raw,
			TransactionNumber: o.TransactionNumber, TransactionTime: o.TransactionTime, OperationIndex: o.OperationIndex,
		}
	}
	return out
}

func fromSidetree(ops []sidetree.AnchoredOperation) []anchoredOp {
	out := make([]anchoredOp, len(ops))
	for i, o := range ops {
		out[i] = anchoredOp{
			Type: string(o.Type), DIDSuffix: o.DIDSuffix, Raw: o.Raw,
			TransactionNumber: o.TransactionNumber, TransactionTime: o.TransactionTime, OperationIndex: o.OperationIndex,
		}
	}
	return out
}

// response is an HTTP answer: status and the exact body bytes (nil for none).
type response struct {
	Status int     `json:"status"`
	Body   *string `json:"body"`
}

func (r response) String() string {
	if r.Body == nil {
		return http.StatusText(r.Status) + " (no body)"
	}
	return http.StatusText(r.Status) + " " + *r.Body
}

// referenceResolve resolves did over ops with the reference's RequestHandler.
func referenceResolve(t *testing.T, ref *Reference, method, did string, ops []anchoredOp) response {
	t.Helper()
	var got response
	if err := ref.Call("resolve", map[string]any{"method": method, "did": did, "ops": ops}, &got); err != nil {
		t.Fatal(err)
	}
	return got
}

// ourResolve resolves did over ops as ionode's GET /identifiers/{did} does: with the signature verdicts
// the node stores at ingest. It also resolves with no verdicts (every signature verified during
// resolution) and fails the test when the two answers differ in any byte.
func ourResolve(t *testing.T, method, did string, ops []sidetree.AnchoredOperation) response {
	t.Helper()
	withVerdicts := make([]sidetree.AnchoredOperation, len(ops))
	for i, op := range ops {
		withVerdicts[i] = op
		withVerdicts[i].Verdict = sidetree.ComputeVerdict(op.Raw)
	}
	got := ourResolveOnce(method, did, withVerdicts)
	if verified := ourResolveOnce(method, did, ops); got.Status != verified.Status || *got.Body != *verified.Body {
		t.Errorf("%s: stored verdicts change the answer:\nwith verdicts: %s\nverifying:     %s", did, got, verified)
	}
	return got
}

func ourResolveOnce(method, did string, ops []sidetree.AnchoredOperation) response {
	var res sidetree.Resolution
	parsed, err := sidetree.ParseDID(did, method, sidetree.Mainnet().Latest())
	if err != nil {
		res = sidetree.Resolution{Status: 400, Body: sidetree.ErrorBody(err)}
	} else {
		res = sidetree.ResolveDID(parsed, ops)
	}
	body := string(res.Body.Stringify())
	return response{Status: res.Status, Body: &body}
}

// sameResolution requires byte-identical answers, with one documented exception: where the reference
// meets a JavaScript exception rather than a SidetreeError (a TypeError on null where an object belongs, a
// payload its JSON parser rejects), it answers 500 without a body; ionode answers 400 invalid_json.
func sameResolution(t *testing.T, what string, want, got response) bool {
	t.Helper()
	if want.Status == 500 && want.Body == nil && isInvalidJSON(got) {
		return true
	}
	if want.Status != got.Status || want.Body == nil || got.Body == nil || *want.Body != *got.Body {
		t.Errorf("%s:\nreference: %s\nionode:    %s", what, want, got)
		return false
	}
	return true
}

// isInvalidJSON reports whether an answer is ionode's 400 for input on which the reference throws a
// JavaScript exception (code invalid_json, which ION does not have).
func isInvalidJSON(r response) bool {
	if r.Status != 400 || r.Body == nil {
		return false
	}
	code, _ := errorOf(*r.Body)
	return code == string(sidetree.CodeInvalidJSON)
}

// TestSDKLongFormDIDs resolves random unpublished long-form DIDs made by ion-sdk with both resolvers.
func TestSDKLongFormDIDs(t *testing.T) {
	ref := startReference(t)
	var made []struct {
		DID     string `json:"did"`
		Request string `json:"request"`
	}
	if err := ref.Call("sdkCreate", map[string]any{"count": 150}, &made); err != nil {
		t.Fatal(err)
	}
	for _, m := range made {
		want := referenceResolve(t, ref, "ion", m.DID, nil)
		if want.Status != 200 {
			t.Fatalf("reference cannot resolve its own long-form DID: %s", want)
		}
		sameResolution(t, m.DID, want, ourResolve(t, "ion", m.DID, nil))
		// The short form of an unpublished DID is not found on both.
		short := m.DID[:strings.LastIndex(m.DID, ":")]
		sameResolution(t, short, referenceResolve(t, ref, "ion", short, nil), ourResolve(t, "ion", short, nil))
	}
}

// TestSDKHistories resolves random ion-sdk operation histories (valid and invalid operations, duplicate
// creates, shared and out-of-order transactions) with both resolvers.
func TestSDKHistories(t *testing.T) {
	ref := startReference(t)
	for seed := 1; seed <= 60; seed++ {
		var h struct {
			DIDSuffix string       `json:"didSuffix"`
			LongForm  string       `json:"longForm"`
			Ops       []anchoredOp `json:"ops"`
		}
		if err := ref.Call("sdkHistory", map[string]any{"steps": 2 + seed%11, "seed": seed}, &h); err != nil {
			t.Fatal(err)
		}
		ops := toSidetree(h.Ops)
		for _, did := range []string{"did:ion:" + h.DIDSuffix, h.LongForm} {
			if !sameResolution(t, did, referenceResolve(t, ref, "ion", did, h.Ops), ourResolve(t, "ion", did, ops)) {
				t.Logf("seed %d operations: %d", seed, len(ops))
			}
		}
	}
}

// memoryQueue is the operation queue of a test node: one pending operation per DID, as the reference's.
type memoryQueue struct {
	mu     sync.Mutex
	queued map[string]bool
}

func (q *memoryQueue) Enqueue(_ context.Context, suffix string, _ sidetree.OperationType, _ []byte) error {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.queued[suffix] {
		return node.ErrAlreadyQueued
	}
	q.queued[suffix] = true
	return nil
}

// ourSubmit posts requests in order to a fresh ionode API and returns the answers.
func ourSubmit(t *testing.T, requests [][]byte) []response {
	t.Helper()
	api := &node.API{Network: sidetree.Mainnet(), Queue: &memoryQueue{queued: map[string]bool{}}, Logger: discardLogger()}
	r := mux.NewRouter()
	api.Register(r)
	var out []response
	for _, req := range requests {
		rec := httptest.NewRecorder()
		post := httptest.NewRequest(http.MethodPost, "/operations", bytes.NewReader(req))
		post.Header.Set("Content-Type", "application/json")
		r.ServeHTTP(rec, post)
		var body *string
		if rec.Body.Len() > 0 {
			s := rec.Body.String()
			body = &s
		}
		out = append(out, response{Status: rec.Code, Body: body})
	}
	return out
}

func referenceSubmit(t *testing.T, ref *Reference, requests [][]byte) []response {
	t.Helper()
	var got []response
	if err := ref.Call("submit", map[string]any{"method": "ion", "requests": requests}, &got); err != nil {
		t.Fatal(err)
	}
	return got
}

// sameSubmission compares POST /operations answers byte for byte. Where the reference answers 400
// without a body (a request it cannot parse, or one on which it throws a JavaScript exception), ionode
// deliberately answers {code: invalid_json, message}.
func sameSubmission(t *testing.T, what string, want, got response) bool {
	t.Helper()
	if want.Status == 400 && want.Body == nil && isInvalidJSON(got) {
		return true
	}
	if want.Status != got.Status || (want.Body == nil) != (got.Body == nil) || (want.Body != nil && *want.Body != *got.Body) {
		t.Errorf("%s:\nreference: %s\nionode:    %s", what, want, got)
		return false
	}
	return true
}

func errorOf(body string) (code, message string) {
	v, err := sidetree.ParseJSON([]byte(body))
	if err != nil {
		return "", ""
	}
	c, _ := v.Get("code")
	m, _ := v.Get("message")
	code, _ = c.Str()
	message, _ = m.Str()
	return code, message
}

func discardLogger() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

// TestSDKRequestsSubmitted posts ion-sdk's requests of random histories to both POST /operations handlers,
// in order, so the second operation for a DID meets the one-pending-operation rule on both.
func TestSDKRequestsSubmitted(t *testing.T) {
	ref := startReference(t)
	for seed := 100; seed < 130; seed++ {
		var h struct {
			Ops []anchoredOp `json:"ops"`
		}
		if err := ref.Call("sdkHistory", map[string]any{"steps": 3, "seed": seed}, &h); err != nil {
			t.Fatal(err)
		}
		var requests [][]byte
		for _, o := range h.Ops {
			requests = append(requests, o.Raw)
		}
		want, got := referenceSubmit(t, ref, requests), ourSubmit(t, requests)
		for i := range requests {
			sameSubmission(t, string(requests[i]), want[i], got[i])
		}
	}
}

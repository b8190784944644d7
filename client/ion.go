package client

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"time"

	"github.com/ionode/ionode/sidetree"
)

// Resolve resolves a DID with GET /identifiers/{did}: ION's status and body, as resolver.IONResolver
// wants them (so resolver.ION(c) resolves did:ion through the node). The resolution answers (200, 400,
// 404, 410, 501) are a Resolution; any other status is an *APIError.
func (c *Client) Resolve(ctx context.Context, did string) (sidetree.Resolution, error) {
	resp, err := c.send(ctx, request{method: http.MethodGet, path: "/identifiers/" + url.PathEscape(did), retry: true})
	if err != nil {
		return sidetree.Resolution{}, err
	}
	switch resp.StatusCode {
	case http.StatusOK, http.StatusBadRequest, http.StatusNotFound, http.StatusGone, http.StatusNotImplemented:
	default:
		return sidetree.Resolution{}, parseError(resp.StatusCode, resp.Header, resp.Body)
	}
	v, err := sidetree.ParseJSON(resp.Body)
	if err != nil {
		return sidetree.Resolution{}, fmt.Errorf("node %s answered HTTP %d without JSON: %w", c.base, resp.StatusCode, err)
	}
	return sidetree.Resolution{Status: resp.StatusCode, Body: v}, nil
}

// Media types of the Universal Resolver route.
const (
	MediaResolution = `application/ld+json;profile="https://w3id.org/did-resolution"`
	MediaDIDJSON    = "application/did+json"
	MediaDIDLDJSON  = "application/did+ld+json"
)

// ResolveUniversal resolves a DID (or a DID URL with a fragment) with the Universal Resolver driver
// route, GET /1.0/identifiers/{did}, asking for accept ("": the full resolution result). A DID that
// does not resolve is an *APIError with the DID resolution error as Code (notFound, invalidDid, ...).
func (c *Client) ResolveUniversal(ctx context.Context, did, accept string) (*Response, error) {
	if accept == "" {
		accept = MediaResolution
	}
	resp, err := c.send(ctx, request{method: http.MethodGet, path: "/1.0/identifiers/" + url.PathEscape(did), accept: accept, retry: true})
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK && resp.StatusCode != http.StatusGone {
		return nil, parseError(resp.StatusCode, resp.Header, resp.Body)
	}
	return resp, nil
}

// Submit posts an operation request (as sidetree's New*Request or ion-sdk build it) to POST
// /operations, once. For a create the answer is the DID's resolution as the node will publish it;
// otherwise it is null. A refusal is an *APIError whose Err is the *sidetree.Error of ION's code.
func (c *Client) Submit(ctx context.Context, operation []byte) (sidetree.Value, error) {
	resp, err := c.send(ctx, request{method: http.MethodPost, path: "/operations", body: operation})
	if err != nil {
		return sidetree.Value{}, err
	}
	if resp.StatusCode != http.StatusOK {
		e := parseError(resp.StatusCode, resp.Header, resp.Body)
		if e.Code != "" {
			e.Err = &sidetree.Error{Code: sidetree.Code(e.Code), Message: e.Message}
		}
		return sidetree.Value{}, e
	}
	if len(resp.Body) == 0 {
		return sidetree.Null(), nil
	}
	v, err := sidetree.ParseJSON(resp.Body)
	if err != nil {
		return sidetree.Value{}, fmt.Errorf("node %s accepted the operation but answered unreadable JSON: %w", c.base, err)
	}
	return v, nil
}

// Wait tunes WaitAnchored and SubmitAndWait. How long to wait is the context's deadline.
type Wait struct {
	Interval time.Duration              // between polls; 0: 500 ms
	Progress func(waited time.Duration) // called before each pause (optional)
	// Submitted is called once SubmitAndWait's operation is with the node (optional): from then on it
	// may be anchored even if the wait ends first.
	Submitted func()
}

// SubmitAndWait submits an operation for did (its short or long form) and waits until the node
// resolves the DID with the operation applied, returning that resolution. While the node refuses the
// operation without doing anything (its queue is full; the DID's previous operation is not anchored
// yet) it resubmits with backoff; a create the node already has anchored counts as done. Set a deadline
// on ctx: when it passes first, the error wraps ErrNotAnchored if the operation was accepted.
func (c *Client) SubmitAndWait(ctx context.Context, did string, operation []byte, w Wait) (sidetree.Value, error) {
	var refused error
	for try := 0; ; try++ {
		_, err := c.Submit(ctx, operation)
		if err != nil && refused != nil && ctx.Err() != nil {
			return sidetree.Value{}, fmt.Errorf("%w (still refused: %w)", ctx.Err(), refused)
		}
		if err == nil || errors.Is(err, ErrAlreadyAnchored) {
			if w.Submitted != nil {
				w.Submitted()
			}
			break
		}
		if !errors.Is(err, ErrOperationPending) && !errors.Is(err, ErrQueueFull) {
			return sidetree.Value{}, err
		}
		refused = err
		var hint time.Duration
		var apiErr *APIError
		if errors.As(err, &apiErr) {
			hint = apiErr.RetryAfter
		}
		if serr := sleep(ctx, c.Retry.delay(try, hint)); serr != nil {
			return sidetree.Value{}, fmt.Errorf("%w (still refused: %w)", serr, err)
		}
	}
	return c.WaitAnchored(ctx, did, operation, w)
}

// WaitAnchored polls the DID's resolution until it shows the operation applied: a create published, an
// update's or recovery's next commitment current, a deactivation done. It ends with ctx (the error then
// wraps ErrNotAnchored and the context's error).
func (c *Client) WaitAnchored(ctx context.Context, did string, operation []byte, w Wait) (sidetree.Value, error) {
	op, err := sidetree.ParseOperation(operation)
	if err != nil {
		return sidetree.Value{}, fmt.Errorf("the operation to wait for: %w", err)
	}
	applied := AppliedCheck(op)
	interval := w.Interval
	if interval <= 0 {
		interval = 500 * time.Millisecond
	}
	start := time.Now()
	status := 0
	for {
		res, err := c.Resolve(ctx, did)
		switch {
		case err != nil && ctx.Err() == nil:
			return sidetree.Value{}, err
		case err == nil:
			status = res.Status
			if (res.Status == http.StatusOK || res.Status == http.StatusGone) && applied(res.Body) {
				return res.Body, nil
			}
		}
		if w.Progress != nil {
			w.Progress(time.Since(start))
		}
		if err := sleep(ctx, interval); err != nil || ctx.Err() != nil {
			return sidetree.Value{}, fmt.Errorf("%w (last answer: HTTP %d): %w", ErrNotAnchored, status, ctx.Err())
		}
	}
}

// AppliedCheck returns the test of a DID's resolution body that op is applied: a create published, an
// update's next update commitment or a recovery's next recovery commitment current, the DID
// deactivated.
func AppliedCheck(op *sidetree.Operation) func(resolution sidetree.Value) bool {
	method := func(r sidetree.Value, field string) string {
		s, _ := r.Field("didDocumentMetadata").Field("method").Field(field).Str()
		return s
	}
	switch op.Type {
	case sidetree.OpUpdate:
		next, _ := op.Delta.Field("updateCommitment").Str()
		return func(r sidetree.Value) bool { return method(r, "updateCommitment") == next }
	case sidetree.OpRecover:
		next, _ := op.Signed.Field("recoveryCommitment").Str()
		return func(r sidetree.Value) bool { return method(r, "recoveryCommitment") == next }
	case sidetree.OpDeactivate:
		return func(r sidetree.Value) bool {
			d, _ := r.Field("didDocumentMetadata").Field("deactivated").Boolean()
			return d
		}
	default:
		return func(r sidetree.Value) bool {
			p, _ := r.Field("didDocumentMetadata").Field("method").Field("published").Boolean()
			return p
		}
	}
}

// Operations returns a DID's anchored operations and what became of each (GET
// /identifiers/{did}/operations).
func (c *Client) Operations(ctx context.Context, did string) (*History, error) {
	var h History
	if err := c.call(ctx, request{method: http.MethodGet, path: "/identifiers/" + url.PathEscape(did) + "/operations", retry: true}, &h); err != nil {
		return nil, err
	}
	return &h, nil
}

// Status returns the node's status (GET /status): network, sync progress, queue, connectivity.
func (c *Client) Status(ctx context.Context) (*Status, error) {
	var s Status
	if err := c.call(ctx, request{method: http.MethodGet, path: "/status", retry: true}, &s); err != nil {
		return nil, err
	}
	return &s, nil
}

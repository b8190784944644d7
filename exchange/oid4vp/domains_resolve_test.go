package oid4vp_test

import (
	"context"
	"encoding/json"
	"net/url"
	"sync"
	"testing"

	"github.com/ionode/ionode/credential"
	"github.com/ionode/ionode/credential/linkeddomains"
	"github.com/ionode/ionode/exchange"
	"github.com/ionode/ionode/exchange/oid4vp"
	"github.com/ionode/ionode/resolver"
)

// countingResolver counts the resolutions of each DID.
type countingResolver struct {
	inner credential.DIDResolver
	mu    sync.Mutex
	count map[string]int
}

func (c *countingResolver) Resolve(ctx context.Context, did string) (*resolver.Result, error) {
	c.mu.Lock()
	c.count[did]++
	c.mu.Unlock()
	return c.inner.Resolve(ctx, did)
}

// TestLinkedDomainsReuseIssuerResolution: the linked-domain check reads the issuer's DID document the
// signature was verified with instead of resolving the issuer a second time, in both query languages.
func TestLinkedDomainsReuseIssuerResolution(t *testing.T) {
	for _, query := range []string{oid4vp.QueryDCQL, oid4vp.QueryPresentationDefinition} {
		t.Run(query, func(t *testing.T) {
			h := newHarness(t)
			h.verifier.Links = &linkeddomains.Verifier{Client: h.env.Client, Credentials: &credential.Verifier{Resolver: h.env.Resolver, Now: h.env.Now}}
			counter := &countingResolver{inner: h.verifier.Credentials.Resolver, count: map[string]int{}}
			cv := *h.verifier.Credentials
			cv.Resolver = counter
			h.verifier.Credentials = &cv

			rc := exchange.RequestedCredential{Type: "VerifiedEmployee"}
			cr := h.createWith(t, &exchange.PresentationExtensions{Query: query}, rc)
			w, ro := h.open(t, cr)
			vp, err := h.holder.Present([]string{h.issue(t, h.issuer, h.holder.Signer.DID(), nil)}, w.clientID, w.nonce, 0)
			if err != nil {
				t.Fatal(err)
			}
			form := url.Values{"state": {w.state}}
			if query == oid4vp.QueryDCQL {
				token, _ := json.Marshal(map[string][]string{w.dcql.Credentials[0].ID: {vp}})
				form.Set("vp_token", string(token))
			} else {
				form.Set("vp_token", vp)
				form.Set("presentation_submission", submission(ro.Definition.ID, "$", "$.verifiableCredential[0]"))
			}
			code, got := h.postForm(t, w, form)
			h.outcome(t, cr, code, got, "")
			if n := counter.count[h.issuer.Signer.DID()]; n != 1 {
				t.Fatalf("the issuer was resolved %d times for one presentation, want 1", n)
			}
		})
	}
}

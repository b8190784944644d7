package oid4vp_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ionode/ionode/credential"
	"github.com/ionode/ionode/exchange"
	"github.com/ionode/ionode/exchange/oid4vp"
	"github.com/ionode/ionode/exchange/presex"
)

// TestSubmissionRequirements: a presentation-definition request with ionode.submissionRequirements
// (any one of two credentials of group A) accepts a submission of one and refuses two, with a stable
// code; requirements the definition cannot hold are refused at creation.
func TestSubmissionRequirements(t *testing.T) {
	h := newHarness(t)
	holderDID := h.holder.Signer.DID()
	one, three := 1, 3
	ext := func() *exchange.PresentationExtensions {
		return &exchange.PresentationExtensions{Query: oid4vp.QueryPresentationDefinition,
			SubmissionRequirements: []presex.SubmissionRequirement{{Rule: presex.RulePick, Count: &one, From: "A"}}}
	}
	issuers := []string{h.issuer.Signer.DID()}
	rcs := []exchange.RequestedCredential{
		{Type: "VerifiedEmployee", AcceptedIssuers: issuers, Group: []string{"A"}},
		{Type: "Badge", AcceptedIssuers: issuers, Group: []string{"A"}},
	}
	employee := h.issue(t, h.issuer, holderDID, nil)
	badge, err := h.issuer.Issue(credential.Claims{Types: []string{"Badge"}, Subject: map[string]any{"id": holderDID, "level": "gold"}})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		answers map[int]string // descriptor index → credential
		code    string
		typ     string
	}{
		{"the badge alone", map[int]string{1: badge}, "", "Badge"},
		{"the employee credential alone", map[int]string{0: employee}, "", "VerifiedEmployee"},
		{"both break count 1", map[int]string{0: employee, 1: badge}, oid4vp.CodeRequirements, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cr := h.createWith(t, ext(), rcs...)
			ro := h.fetchDraft(t, cr)
			if len(ro.Definition.SubmissionRequirements) != 1 || ro.Definition.InputDescriptors[1].Group[0] != "A" {
				t.Fatalf("definition %+v", ro.Definition)
			}
			var vcs []string
			sub := presex.Submission{ID: "sub", DefinitionID: ro.Definition.ID}
			for k := range 2 {
				vc, ok := tt.answers[k]
				if !ok {
					continue
				}
				id := presex.DescriptorID(k)
				sub.DescriptorMap = append(sub.DescriptorMap, presex.Descriptor{ID: id, Format: presex.FormatJWTVPJSON, Path: "$",
					PathNested: &presex.Descriptor{ID: id, Format: presex.FormatJWTVCJSON, Path: fmt.Sprintf("$.verifiableCredential[%d]", len(vcs))}})
				vcs = append(vcs, vc)
			}
			vp, err := h.holder.Present(vcs, ro.ClientID, ro.Nonce, time.Minute)
			if err != nil {
				t.Fatal(err)
			}
			sb, _ := json.Marshal(sub)
			form := url.Values{"vp_token": {vp}, "state": {ro.State}, "presentation_submission": {string(sb)}}
			code, body := call(t, "POST", ro.ResponseURI, "", "application/x-www-form-urlencoded", []byte(form.Encode()))
			h.verifier.Dispatcher.Wait()
			events := h.rp.byRequest(cr.RequestID)
			if tt.code != "" {
				var e struct{ Code string }
				_ = json.Unmarshal(body, &e)
				if code != http.StatusBadRequest || e.Code != tt.code || events[exchange.StatusPresentationError].Error == nil {
					t.Fatalf("response %d %s, want 400 %s", code, body, tt.code)
				}
				return
			}
			ev := events[exchange.StatusPresentationVerified]
			if code != http.StatusOK || len(ev.VerifiedCredentialsData) != 1 || !slices.Contains(ev.VerifiedCredentialsData[0].Type, tt.typ) {
				t.Fatalf("response %d %s, events %+v", code, body, events)
			}
		})
	}

	refusals := []struct {
		name string
		ext  *exchange.PresentationExtensions
		want string
	}{
		{"with DCQL", &exchange.PresentationExtensions{SubmissionRequirements: ext().SubmissionRequirements}, "ionode.query"},
		{"unknown group", &exchange.PresentationExtensions{Query: oid4vp.QueryPresentationDefinition,
			SubmissionRequirements: []presex.SubmissionRequirement{{Rule: presex.RuleAll, From: "Z"}}}, string(presex.CodeUnknownGroup)},
		{"count above the group", &exchange.PresentationExtensions{Query: oid4vp.QueryPresentationDefinition,
			SubmissionRequirements: []presex.SubmissionRequirement{{Rule: presex.RulePick, Count: &three, From: "A"}}}, string(presex.CodeBounds)},
	}
	for _, tt := range refusals {
		var pr exchange.PresentationRequest
		_ = json.Unmarshal(h.createBody(exchange.RequestedCredential{}), &pr)
		pr.RequestedCredentials, pr.Extensions = rcs, tt.ext
		b, _ := json.Marshal(pr)
		code, body := call(t, "POST", h.node.URL+exchange.APIPrefix+"/createPresentationRequest", adminToken, "application/json", b)
		if code != http.StatusBadRequest || !strings.Contains(string(body), "ionode.submissionRequirements") || !strings.Contains(string(body), tt.want) {
			t.Errorf("%s: %d %s", tt.name, code, body)
		}
	}
}

package holder_test

import (
	"context"
	"errors"
	"slices"
	"testing"

	"github.com/ionode/ionode/exchange"
	"github.com/ionode/ionode/exchange/holder"
	"github.com/ionode/ionode/exchange/oid4vp"
	"github.com/ionode/ionode/exchange/presex"
)

// createWith asks the node for a presentation request of rcs with the extensions ext.
func (n *node) createWith(t *testing.T, ext *exchange.PresentationExtensions, rcs ...exchange.RequestedCredential) (string, string) {
	t.Helper()
	for i := range rcs {
		rcs[i].AcceptedIssuers = []string{n.issuer.Signer.DID()}
	}
	pr := exchange.PresentationRequest{Registration: exchange.Registration{ClientName: "Contoso"}, RequestedCredentials: rcs, Extensions: ext}
	resp, err := n.verifier.Create(context.Background(), pr)
	if err != nil {
		t.Fatal(err)
	}
	return resp.RequestID, resp.URL
}

// TestAnswerModes: the wallet answers the node's draft-era requests (a presentation definition, with
// and without submission requirements) with its own presentation_submission, and encrypts its response
// when the request asks for direct_post.jwt; the node's verifier accepts each answer.
func TestAnswerModes(t *testing.T) {
	n := newNode(t)
	w := newWallet(t)
	holderDID := w.Holder.Signer.DID()
	employee, member, other := n.issue(t, "VerifiedEmployee", holderDID), n.issue(t, "Membership", holderDID), n.issue(t, "Other", holderDID)
	one := 1
	pickOne := []presex.SubmissionRequirement{{Rule: presex.RulePick, Count: &one, From: "A"}}
	grouped := []exchange.RequestedCredential{{Type: "VerifiedEmployee", Group: []string{"A"}}, {Type: "Membership", Group: []string{"A"}}}
	tests := []struct {
		name     string
		ext      *exchange.PresentationExtensions
		rcs      []exchange.RequestedCredential
		held     []string
		want     map[string]string // presented credential per query or descriptor
		verified int
	}{
		{"presentation definition", &exchange.PresentationExtensions{Query: oid4vp.QueryPresentationDefinition},
			[]exchange.RequestedCredential{{Type: "VerifiedEmployee"}, {Type: "Membership"}}, []string{other, member, employee},
			map[string]string{"credential_0": employee, "credential_1": member}, 2},
		{"pick one of two", &exchange.PresentationExtensions{Query: oid4vp.QueryPresentationDefinition, SubmissionRequirements: pickOne},
			grouped, []string{member, employee}, map[string]string{"credential_0": employee}, 1},
		{"pick one, only the second held", &exchange.PresentationExtensions{Query: oid4vp.QueryPresentationDefinition, SubmissionRequirements: pickOne},
			grouped, []string{other, member}, map[string]string{"credential_1": member}, 1},
		{"presentation definition, encrypted", &exchange.PresentationExtensions{Query: oid4vp.QueryPresentationDefinition, ResponseMode: oid4vp.ModeDirectPostJWT},
			[]exchange.RequestedCredential{{Type: "Membership"}}, []string{member}, map[string]string{"credential_0": member}, 1},
		{"DCQL, encrypted", &exchange.PresentationExtensions{ResponseMode: oid4vp.ModeDirectPostJWT},
			[]exchange.RequestedCredential{{Type: "VerifiedEmployee"}}, []string{employee}, map[string]string{"credential_0": employee}, 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			id, walletURL := n.createWith(t, tc.ext, tc.rcs...)
			ar, _ := holder.ParseAuthorizationRequest(walletURL)
			r, err := w.Fetch(context.Background(), ar)
			if err != nil {
				t.Fatal(err)
			}
			if (r.Definition != nil) != (tc.ext.Query != "") || (r.EncryptTo != nil) != (tc.ext.ResponseMode != "") {
				t.Fatalf("request %+v", r)
			}
			out, err := w.Answer(context.Background(), r, tc.held, holder.Choice{})
			if err != nil {
				t.Fatal(err)
			}
			if !out.Accepted || len(out.Presented) != len(tc.want) {
				t.Fatalf("outcome %+v", out)
			}
			for k, v := range tc.want {
				if len(out.Presented[k]) != 1 || out.Presented[k][0] != v {
					t.Fatalf("%s: presented %.30s, want %.30s", k, out.Presented[k], v)
				}
			}
			ev := n.status(t, id)
			if ev.RequestStatus != exchange.StatusPresentationVerified || len(ev.VerifiedCredentialsData) != tc.verified || ev.Subject != holderDID {
				t.Fatalf("status %+v", ev)
			}
		})
	}
}

// TestAnswerDefinitionNoMatch: a definition the held credentials cannot meet is not answered.
func TestAnswerDefinitionNoMatch(t *testing.T) {
	n := newNode(t)
	w := newWallet(t)
	two := 2
	ext := &exchange.PresentationExtensions{Query: oid4vp.QueryPresentationDefinition,
		SubmissionRequirements: []presex.SubmissionRequirement{{Rule: presex.RulePick, Count: &two, From: "A"}}}
	_, walletURL := n.createWith(t, ext, exchange.RequestedCredential{Type: "VerifiedEmployee", Group: []string{"A"}}, exchange.RequestedCredential{Type: "Membership", Group: []string{"A"}})
	ar, _ := holder.ParseAuthorizationRequest(walletURL)
	r, err := w.Fetch(context.Background(), ar)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Answer(context.Background(), r, []string{n.issue(t, "Membership", w.Holder.Signer.DID())}, holder.Choice{}); !errors.Is(err, holder.ErrNoMatch) || !errors.Is(err, presex.ErrRequirement) {
		t.Fatalf("err = %v", err)
	}
}

// TestAnswerDefinitionUse: for a presentation definition the credentials Choice.Use names are matched
// first (of two employee credentials, the named one goes); one the submission does not take is an
// error, not silently dropped.
func TestAnswerDefinitionUse(t *testing.T) {
	n := newNode(t)
	w := newWallet(t)
	holderDID := w.Holder.Signer.DID()
	first, second, member := n.issue(t, "VerifiedEmployee", holderDID), n.issue(t, "VerifiedEmployee", holderDID), n.issue(t, "Membership", holderDID)
	fetch := func() *holder.Request {
		_, walletURL := n.createWith(t, &exchange.PresentationExtensions{Query: oid4vp.QueryPresentationDefinition}, exchange.RequestedCredential{Type: "VerifiedEmployee"})
		ar, _ := holder.ParseAuthorizationRequest(walletURL)
		r, err := w.Fetch(context.Background(), ar)
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	out, err := w.Answer(context.Background(), fetch(), []string{first, second}, holder.Choice{Use: []string{second}})
	if err != nil || !out.Accepted || !slices.Equal(out.Presented["credential_0"], []string{second}) {
		t.Fatalf("answer %+v %v", out, err)
	}
	if _, err := w.Answer(context.Background(), fetch(), []string{first, member}, holder.Choice{Use: []string{member}}); !errors.Is(err, holder.ErrNoMatch) {
		t.Fatalf("a named credential the definition does not take: %v", err)
	}
}

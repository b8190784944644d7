package oid4vp_test

import (
	"encoding/json"
	"net/http"
	"testing"

	"github.com/ionode/ionode/credential"
	"github.com/ionode/ionode/credential/sdjwt"
	"github.com/ionode/ionode/exchange"
	"github.com/ionode/ionode/exchange/dcql"
	"github.com/ionode/ionode/exchange/oid4vp"
)

// setsRequest asks for a PID (its given_name and locality, or failing that its given_name alone) or an
// employee badge of Alice, and optionally any number of loyalty cards.
func (h *sdHarness) setsRequest(t testing.TB) exchange.CreateResponse {
	t.Helper()
	no := false
	pr := exchange.PresentationRequest{
		Registration: exchange.Registration{ClientName: "Contoso"},
		RequestedCredentials: []exchange.RequestedCredential{
			{ID: "pid", Type: pidVCT, Format: oid4vp.FormatSDJWT, Claims: []exchange.ClaimRequest{
				{ID: "g", Path: []any{"given_name"}}, {ID: "loc", Path: []any{"address", "locality"}}},
				ClaimSets: [][]string{{"g", "loc"}, {"g"}}},
			{ID: "badge", Type: "VerifiedEmployee", Claims: []exchange.ClaimRequest{
				{Path: []any{"credentialSubject", "displayName"}, Values: []any{"Alice"}}}},
			{ID: "loyalty", Type: "Loyalty", Multiple: true},
		},
		Extensions: &exchange.PresentationExtensions{CredentialSets: []dcql.CredentialSet{
			{Options: [][]string{{"pid"}, {"badge"}}}, {Options: [][]string{{"loyalty"}}, Required: &no}}},
	}
	body, _ := json.Marshal(pr)
	code, out := call(t, "POST", h.node.URL+exchange.APIPrefix+"/createPresentationRequest", adminToken, "application/json", body)
	if code != http.StatusCreated {
		t.Fatalf("create: %d %s", code, out)
	}
	var cr exchange.CreateResponse
	if err := json.Unmarshal(out, &cr); err != nil {
		t.Fatal(err)
	}
	return cr
}

// TestCredentialAndClaimSets: the verifier enforces the request's credential_sets (an answer meeting
// no option of the required set is refused, the optional set may be absent), claim_sets (the first the
// credential satisfies), values and multiple, each failure with its own code.
func TestCredentialAndClaimSets(t *testing.T) {
	h := newSDHarness(t)
	vpHolder := &credential.Issuer{Signer: h.holder, Now: h.env.Now}
	vc := func(typ string, subject map[string]any) string {
		subject["id"] = h.holder.DID()
		jwt, err := h.issuer.Issue(credential.Claims{Types: []string{typ}, Subject: subject})
		if err != nil {
			t.Fatal(err)
		}
		return jwt
	}
	alice, bob := vc("VerifiedEmployee", map[string]any{"displayName": "Alice"}), vc("VerifiedEmployee", map[string]any{"displayName": "Bob"})
	card1, card2 := vc("Loyalty", map[string]any{"shop": "A"}), vc("Loyalty", map[string]any{"shop": "B"})
	pid, _ := h.issuePID(t)

	// Each answer is a list of (query id, credential) pairs; a VC-JWT goes in a VP-JWT of its own.
	type answer struct{ id, cred string }
	tests := []struct {
		name    string
		answers []answer
		pidShow []string // disclosures of the PID, when presented
		code    string   // "" = accepted
		creds   int      // credentials in the callback
	}{
		{"PID, first claim set", []answer{{"pid", pid}}, []string{"given_name", "address.locality"}, "", 1},
		{"PID, second claim set", []answer{{"pid", pid}}, []string{"given_name"}, "", 1},
		{"PID meeting no claim set", []answer{{"pid", pid}}, []string{"address.locality"}, oid4vp.CodeClaimSets, 0},
		{"badge: the second option", []answer{{"badge", alice}}, nil, "", 1},
		{"badge with loyalty cards", []answer{{"badge", alice}, {"loyalty", card1}, {"loyalty", card2}}, nil, "", 3},
		{"badge of another value", []answer{{"badge", bob}}, nil, oid4vp.CodeClaimValue, 0},
		{"two badges", []answer{{"badge", alice}, {"badge", alice}}, nil, oid4vp.CodeMultiple, 0},
		{"a presentation for no query", []answer{{"badge", alice}, {"passport", card1}}, nil, oid4vp.CodeMalformed, 0},
		{"only the optional set", []answer{{"loyalty", card1}}, nil, oid4vp.CodeCredentialSets, 0},
		{"wrong type for the query", []answer{{"badge", card1}}, nil, oid4vp.CodeWrongType, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cr := h.setsRequest(t)
			w, code, _ := h.fetch(t, cr)
			if code != http.StatusOK || len(w.dcql.CredentialSets) != 2 || len(w.dcql.Credentials[0].ClaimSets) != 2 || !w.dcql.Credentials[2].Multiple {
				t.Fatalf("fetch: %d %+v", code, w.dcql)
			}
			token := map[string][]string{}
			for _, a := range tt.answers {
				var p string
				var err error
				if sdjwt.Is(a.cred) {
					p, err = sdjwt.Present(a.cred, tt.pidShow, &sdjwt.KeyBinding{Signer: h.holder, Audience: w.clientID, Nonce: w.nonce, Now: h.env.Now()})
				} else {
					p, err = vpHolder.Present([]string{a.cred}, w.clientID, w.nonce, 0)
				}
				if err != nil {
					t.Fatal(err)
				}
				token[a.id] = append(token[a.id], p)
			}
			b, _ := json.Marshal(token)
			code, c := h.post(t, w, string(b))
			if tt.code != "" {
				if code != http.StatusBadRequest || c != tt.code {
					t.Fatalf("response: %d %s, want %s", code, c, tt.code)
				}
				return
			}
			if code != http.StatusOK {
				t.Fatalf("response: %d %s", code, c)
			}
			code, body := call(t, "GET", h.node.URL+exchange.APIPrefix+"/requests/"+cr.RequestID, adminToken, "", nil)
			var ev exchange.Event
			if err := json.Unmarshal(body, &ev); code != http.StatusOK || err != nil || ev.RequestStatus != exchange.StatusPresentationVerified || len(ev.VerifiedCredentialsData) != tt.creds {
				t.Fatalf("status: %d %s", code, body)
			}
		})
	}
}

// TestCredentialSetsRefusedAtCreate: credential and claim sets that name nothing, or values of the wrong
// kind, are refused when the relying party creates the request, not when a wallet answers.
func TestCredentialSetsRefusedAtCreate(t *testing.T) {
	h := newSDHarness(t)
	base := func() exchange.PresentationRequest {
		return exchange.PresentationRequest{Registration: exchange.Registration{ClientName: "Contoso"},
			RequestedCredentials: []exchange.RequestedCredential{{ID: "a", Type: "VerifiedEmployee"}}}
	}
	tests := []struct {
		name string
		edit func(pr *exchange.PresentationRequest)
	}{
		{"option naming no request", func(pr *exchange.PresentationRequest) {
			pr.Extensions = &exchange.PresentationExtensions{CredentialSets: []dcql.CredentialSet{{Options: [][]string{{"b"}}}}}
		}},
		{"empty option", func(pr *exchange.PresentationRequest) {
			pr.Extensions = &exchange.PresentationExtensions{CredentialSets: []dcql.CredentialSet{{Options: [][]string{{}}}}}
		}},
		{"duplicate ids", func(pr *exchange.PresentationRequest) {
			pr.RequestedCredentials = append(pr.RequestedCredentials, exchange.RequestedCredential{ID: "a", Type: "X"})
		}},
		{"bad id", func(pr *exchange.PresentationRequest) { pr.RequestedCredentials[0].ID = "a b" }},
		{"claim set naming no claim", func(pr *exchange.PresentationRequest) {
			pr.RequestedCredentials[0].Claims = []exchange.ClaimRequest{{ID: "x", Path: []any{"credentialSubject"}}}
			pr.RequestedCredentials[0].ClaimSets = [][]string{{"y"}}
		}},
		{"object value", func(pr *exchange.PresentationRequest) {
			pr.RequestedCredentials[0].Claims = []exchange.ClaimRequest{{Path: []any{"credentialSubject"}, Values: []any{map[string]any{}}}}
		}},
		{"sets with a presentation definition", func(pr *exchange.PresentationRequest) {
			pr.Extensions = &exchange.PresentationExtensions{Query: oid4vp.QueryPresentationDefinition,
				CredentialSets: []dcql.CredentialSet{{Options: [][]string{{"a"}}}}}
		}},
		{"claims with a presentation definition", func(pr *exchange.PresentationRequest) {
			pr.RequestedCredentials[0].ID = ""
			pr.RequestedCredentials[0].Claims = []exchange.ClaimRequest{{Path: []any{"credentialSubject"}}}
			pr.Extensions = &exchange.PresentationExtensions{Query: oid4vp.QueryPresentationDefinition}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pr := base()
			tt.edit(&pr)
			body, _ := json.Marshal(pr)
			code, out := call(t, "POST", h.node.URL+exchange.APIPrefix+"/createPresentationRequest", adminToken, "application/json", body)
			if code != http.StatusBadRequest {
				t.Fatalf("create: %d %s", code, out)
			}
		})
	}
}

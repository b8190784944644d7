package oid4vp_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ionode/ionode/credential"
	"github.com/ionode/ionode/credential/policy"
	"github.com/ionode/ionode/credential/sdjwt"
	"github.com/ionode/ionode/credential/status"
	"github.com/ionode/ionode/credential/status/tokenstatus"
	"github.com/ionode/ionode/exchange"
	"github.com/ionode/ionode/exchange/oid4vp"
	"github.com/ionode/ionode/internal/credtest"
)

const pidVCT = "urn:eudi:pid:1"

// sdHarness is the presentation harness with an SD-JWT VC issuer (did:web, ES256) publishing a token
// status list, a DID holder, and the verifier's SD-JWT side with an audit log.
type sdHarness struct {
	*harness
	sdIssuer *sdjwt.Issuer
	tokens   *status.Manager
	sd       *sdjwt.Verifier
	audit    string // the audit log's file
	holder   *credential.Signer
}

func newSDHarness(t testing.TB) *sdHarness {
	t.Helper()
	h := &sdHarness{harness: newHarness(t), audit: filepath.Join(t.TempDir(), "audit.log")}
	auditLog, err := os.Create(h.audit)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { auditLog.Close() })
	signer := h.env.WebIssuer(t, credential.ES256, "pid")
	h.sdIssuer = &sdjwt.Issuer{Signer: signer, Now: h.env.Now}
	h.tokens = &status.Manager{Store: &status.FileStore{Dir: t.TempDir()}, Issuer: &credential.Issuer{Signer: signer},
		BaseURL: h.env.Server.Origin() + "/pid/status", Tokens: &tokenstatus.Signer{Signer: signer}}
	if err := h.tokens.Create(context.Background(), "tokens", status.TokenStatusList, "revocation", 0); err != nil {
		t.Fatal(err)
	}
	h.env.Server.Mux.Handle("/pid/status/", http.StripPrefix("/pid/status", h.tokens.Handler()))
	h.sd = &sdjwt.Verifier{Resolver: h.env.Resolver, Fetcher: h.env.Client, Now: h.env.Now,
		Logger: credtest.AuditLogger(auditLog)}
	h.sd.Status = &tokenstatus.Checker{Fetcher: h.env.Client, Keys: h.sd, DefaultTTL: time.Nanosecond, Now: h.env.Now}
	h.verifier.SDJWT = h.sd
	h.holder = credtest.KeyDID(t, credential.EdDSA)
	return h
}

var pid = map[string]any{
	"given_name": "Erika", "family_name": "Mustermann", "birthdate": "1964-08-12",
	"address":       map[string]any{"locality": "Köln", "country": "DE"},
	"nationalities": []any{"DE", "FR"},
}

// issuePID issues a PID bound to the holder's DID URL, with a token status list entry.
func (h *sdHarness) issuePID(t testing.TB) (string, int) {
	t.Helper()
	st, err := h.tokens.Allocate(context.Background(), "tokens")
	if err != nil {
		t.Fatal(err)
	}
	var idx int
	if err := json.Unmarshal([]byte(st.StatusListIndex), &idx); err != nil {
		t.Fatal(err)
	}
	sd, err := h.sdIssuer.Issue(context.Background(), sdjwt.Claims{VCT: pidVCT, Claims: pid, HolderKID: h.holder.KID,
		Disclosable: []string{"given_name", "family_name", "birthdate", "address.locality", "nationalities.*"},
		Status:      &sdjwt.StatusListRef{Index: idx, URI: st.StatusListCredential}})
	if err != nil {
		t.Fatal(err)
	}
	return sd, idx
}

// pidRequest asks for a PID's given_name and locality.
func pidRequest(claims ...[]any) exchange.RequestedCredential {
	rc := exchange.RequestedCredential{Type: pidVCT, Format: oid4vp.FormatSDJWT}
	if len(claims) == 0 {
		claims = [][]any{{"given_name"}, {"address", "locality"}}
	}
	for _, c := range claims {
		rc.Claims = append(rc.Claims, exchange.ClaimRequest{Path: c})
	}
	return rc
}

func (h *sdHarness) presentSD(t testing.TB, w wallet, issued string, disclose []string, aud, nonce string) string {
	t.Helper()
	var kb *sdjwt.KeyBinding
	if aud != "" {
		kb = &sdjwt.KeyBinding{Signer: h.holder, Audience: aud, Nonce: nonce, Now: h.env.Now()}
	}
	p, err := sdjwt.Present(issued, disclose, kb)
	if err != nil {
		t.Fatal(err)
	}
	token, _ := json.Marshal(map[string][]string{w.dcql.Credentials[0].ID: {p}})
	return string(token)
}

func TestSDJWTPresentation(t *testing.T) {
	h := newSDHarness(t)
	cr := h.create(t, pidRequest())
	w, code, _ := h.fetch(t, cr)
	if code != http.StatusOK {
		t.Fatalf("fetch: %d", code)
	}
	q := w.dcql.Credentials[0]
	if q.Format != "dc+sd-jwt" || !slices.Equal(q.Meta.VCTValues, []string{pidVCT}) || len(q.Meta.TypeValues) != 0 ||
		len(q.Claims) != 2 || q.Claims[1].Path.String() != `["address","locality"]` {
		t.Fatalf("DCQL query %+v", q)
	}
	issued, _ := h.issuePID(t)
	token := h.presentSD(t, w, issued, []string{"given_name", "address.locality"}, w.clientID, w.nonce)
	if code, c := h.post(t, w, token); code != http.StatusOK {
		t.Fatalf("response: %d %s", code, c)
	}
	h.verifier.Dispatcher.Wait()
	ev, ok := h.rp.byRequest(cr.RequestID)[exchange.StatusPresentationVerified]
	if !ok || ev.Subject != h.holder.DID() || len(ev.VerifiedCredentialsData) != 1 {
		t.Fatalf("presentation_verified callback: %+v", h.rp.byRequest(cr.RequestID))
	}
	vcd := ev.VerifiedCredentialsData[0]
	if vcd.Issuer != h.sdIssuer.Signer.DID() || !slices.Equal(vcd.Type, []string{pidVCT}) || vcd.CredentialState.RevocationStatus != "VALID" {
		t.Fatalf("verified credential %+v", vcd)
	}
	// Exactly what the holder showed: the two disclosed claims, the always-visible country, and the
	// nationalities array without its (undisclosed) elements.
	if want := `{"address":{"country":"DE","locality":"Köln"},"given_name":"Erika","nationalities":[]}`; string(vcd.Claims) != want {
		t.Fatalf("claims %s, want %s", vcd.Claims, want)
	}
	if got, _ := json.Marshal(vcd.Disclosed); string(got) != `[["given_name"],["address","locality"]]` && string(got) != `[["address","locality"],["given_name"]]` {
		t.Fatalf("disclosed %s", got)
	}
	// The status route carries the same.
	code, body := call(t, "GET", h.node.URL+exchange.APIPrefix+"/requests/"+cr.RequestID, adminToken, "", nil)
	if code != http.StatusOK || !bytes.Contains(body, []byte(`"disclosed":[[`)) || bytes.Contains(body, []byte("1964-08-12")) {
		t.Fatalf("status: %d %s", code, body)
	}
	// The audit record names the transaction (the request id), the issuer, the type and the outcome,
	// and no claim, disclosed or not.
	b, err := os.ReadFile(h.audit)
	if err != nil {
		t.Fatal(err)
	}
	audit := string(b)
	for _, want := range []string{`"transactionId":"` + cr.RequestID + `"`, h.sdIssuer.Signer.DID(), pidVCT, `"valid":true`} {
		if !strings.Contains(audit, want) {
			t.Fatalf("audit log lacks %s: %s", want, audit)
		}
	}
	for _, claim := range []string{"Erika", "Köln", "Mustermann", "1964-08-12", `"FR"`} {
		if strings.Contains(audit, claim) {
			t.Fatalf("audit log holds the claim %s: %s", claim, audit)
		}
	}
}

// TestSDJWTPresentationRefusals: each bad SD-JWT response is refused with a stable code.
func TestSDJWTPresentationRefusals(t *testing.T) {
	h := newSDHarness(t)
	ctx := context.Background()
	both := []string{"given_name", "address.locality"}
	revoked, revokedIdx := h.issuePID(t)
	if err := h.tokens.SetStatus(ctx, "tokens", revokedIdx, true); err != nil {
		t.Fatal(err)
	}
	other := exchange.RequestedCredential{Type: pidVCT, Format: oid4vp.FormatSDJWT, AcceptedIssuers: []string{"did:web:elsewhere.example"}}
	allowRevoked := pidRequest()
	allowRevoked.Configuration.Validation.AllowRevoked = true
	untrusted, err := policy.Parse([]byte(`{"trustedIssuers":[{"credentialTypes":["*"],"dids":["did:web:elsewhere.example"]}]}`))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name     string
		rc       exchange.RequestedCredential
		issued   string // default a fresh PID
		disclose []string
		aud      string // "-" none (no KB-JWT), "" the client_id
		nonce    string // "" the request's
		policy   credential.Policy
		code     string // "" = accepted
		state    string
	}{
		{name: "requested claim not disclosed", rc: pidRequest([]any{"given_name"}, []any{"birthdate"}), disclose: both, code: oid4vp.CodeClaimNotDisclosed},
		{name: "requested array element not disclosed", rc: pidRequest([]any{"nationalities", nil}), disclose: both, code: oid4vp.CodeClaimNotDisclosed},
		{name: "requested array elements disclosed", rc: pidRequest([]any{"nationalities", nil}), disclose: []string{"nationalities.1"}},
		// Indexes count the elements the verifier sees: the one disclosed element is the first.
		{name: "requested array index disclosed", rc: pidRequest([]any{"nationalities", 0}), disclose: []string{"nationalities.1"}},
		{name: "requested array index past the disclosed", rc: pidRequest([]any{"nationalities", 1}), disclose: []string{"nationalities.1"}, code: oid4vp.CodeClaimNotDisclosed},
		{name: "wrong nonce", rc: pidRequest(), disclose: both, nonce: "another-nonce", code: string(credential.CodeNonceMismatch)},
		{name: "wrong audience", rc: pidRequest(), disclose: both, aud: "decentralized_identifier:did:web:evil.example", code: string(credential.CodeAudienceMismatch)},
		{name: "no KB-JWT", rc: pidRequest(), disclose: both, aud: "-", code: string(sdjwt.CodeKeyBindingRequired)},
		{name: "issuer outside acceptedIssuers", rc: other, disclose: both, code: oid4vp.CodeIssuer},
		{name: "another vct", rc: exchange.RequestedCredential{Type: "urn:other", Format: oid4vp.FormatSDJWT}, disclose: both, code: oid4vp.CodeWrongType},
		{name: "revoked", rc: pidRequest(), issued: revoked, disclose: both, code: string(credential.CodeRevoked)},
		{name: "revoked, allowRevoked", rc: allowRevoked, issued: revoked, disclose: both, state: "REVOKED"},
		{name: "issuer outside the trust policy", rc: pidRequest(), disclose: both, policy: untrusted, code: string(credential.CodeUntrustedIssuer)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h.sd.Policy = tt.policy
			defer func() { h.sd.Policy = nil }()
			cr := h.create(t, tt.rc)
			w, code, _ := h.fetch(t, cr)
			if code != http.StatusOK {
				t.Fatalf("fetch: %d", code)
			}
			issued := tt.issued
			if issued == "" {
				issued, _ = h.issuePID(t)
			}
			aud, nonce := tt.aud, tt.nonce
			switch aud {
			case "":
				aud = w.clientID
			case "-":
				aud = ""
			}
			if nonce == "" {
				nonce = w.nonce
			}
			code, c := h.post(t, w, h.presentSD(t, w, issued, tt.disclose, aud, nonce))
			if tt.code != "" {
				if code != http.StatusBadRequest || c != tt.code {
					t.Fatalf("got %d %s, want %s", code, c, tt.code)
				}
				h.verifier.Dispatcher.Wait()
				if ev, ok := h.rp.byRequest(cr.RequestID)[exchange.StatusPresentationError]; !ok || ev.Error.Code != tt.code {
					t.Fatalf("presentation_error callback %+v", ev)
				}
				return
			}
			if code != http.StatusOK {
				t.Fatalf("refused: %d %s", code, c)
			}
			h.verifier.Dispatcher.Wait()
			ev := h.rp.byRequest(cr.RequestID)[exchange.StatusPresentationVerified]
			want := tt.state
			if want == "" {
				want = "VALID"
			}
			if len(ev.VerifiedCredentialsData) != 1 || ev.VerifiedCredentialsData[0].CredentialState.RevocationStatus != want {
				t.Fatalf("callback %+v", ev)
			}
		})
	}
}

// TestSDJWTRequestRefused: the format extension and the claims paths are checked when the relying party
// creates the request.
func TestSDJWTRequestRefused(t *testing.T) {
	h := newSDHarness(t)
	bad := []exchange.RequestedCredential{
		{Type: pidVCT, Format: "mso_mdoc"},
		{Type: pidVCT, Format: oid4vp.FormatSDJWT, Claims: []exchange.ClaimRequest{{ID: "x", Path: []any{"x"}}}, ClaimSets: [][]string{{"y"}}},
		{Type: pidVCT, Format: oid4vp.FormatSDJWT, Claims: []exchange.ClaimRequest{{Path: []any{"x"}, Values: []any{nil}}}},
		pidRequest([]any{}),
		pidRequest([]any{"a", -1}),
		pidRequest([]any{"a", true}),
	}
	for i, rc := range bad {
		code, body := call(t, "POST", h.node.URL+exchange.APIPrefix+"/createPresentationRequest", adminToken, "application/json", h.createBody(rc))
		if code != http.StatusBadRequest || !bytes.Contains(body, []byte("badOrMissingField")) {
			t.Errorf("request %d: %d %s", i, code, body)
		}
	}
	// The draft-era presentation_definition path asks for VC-JWTs only.
	var pr exchange.PresentationRequest
	_ = json.Unmarshal(h.createBody(pidRequest()), &pr)
	pr.Extensions = &exchange.PresentationExtensions{Query: oid4vp.QueryPresentationDefinition}
	b, _ := json.Marshal(pr)
	if code, body := call(t, "POST", h.node.URL+exchange.APIPrefix+"/createPresentationRequest", adminToken, "application/json", b); code != http.StatusBadRequest || !bytes.Contains(body, []byte("requestedCredentials.format")) {
		t.Errorf("dc+sd-jwt by presentation definition: %d %s", code, body)
	}
	h.verifier.SDJWT = nil
	code, body := call(t, "POST", h.node.URL+exchange.APIPrefix+"/createPresentationRequest", adminToken, "application/json", h.createBody(pidRequest()))
	if code != http.StatusBadRequest || !bytes.Contains(body, []byte("does not verify")) {
		t.Fatalf("without an SD-JWT verifier: %d %s", code, body)
	}
}

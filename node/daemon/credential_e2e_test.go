package daemon

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ionode/ionode/credential"
	"github.com/ionode/ionode/credential/httpapi"
	"github.com/ionode/ionode/credential/sdjwt"
	"github.com/ionode/ionode/credential/status/tokenstatus"
	"github.com/ionode/ionode/exchange"
	"github.com/ionode/ionode/exchange/oid4vp"
	"github.com/ionode/ionode/internal/credtest"
	"github.com/ionode/ionode/internal/oid4vptest"
	"github.com/ionode/ionode/internal/webtest"
	"github.com/ionode/ionode/sidetree"
	"github.com/ionode/ionode/testnet"
)

// syncBuffer is a log destination the test reads while the node writes to it.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// credClient calls the node's credential routes.
type credClient struct {
	t    *testing.T
	base string
}

// do calls a route; header is optional name, value pairs.
func (c credClient) do(method, path, token string, body any, header ...string) (int, []byte) {
	c.t.Helper()
	var r io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			c.t.Fatal(err)
		}
		r = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, c.base+path, r)
	if err != nil {
		c.t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	out, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, out
}

func (c credClient) verify(jwt string) credential.Result {
	c.t.Helper()
	status, body := c.do(http.MethodPost, "/credentials/verify", "", map[string]string{"jwt": jwt})
	if status != http.StatusOK {
		c.t.Fatalf("POST /credentials/verify: %d %s", status, body)
	}
	var r credential.Result
	if err := json.Unmarshal(body, &r); err != nil {
		c.t.Fatalf("verify answer: %v: %s", err, body)
	}
	return r
}

// TestCredentialsEndToEnd runs the credential routes of a node on a real btcd regtest: a did:ion issuer
// published through the node's own POST /operations issues through the admin route, the credential
// verifies at POST /credentials/verify, revoking it through the admin route makes it fail with revoked,
// and a did:web issuer on a local HTTPS server (loopback allowed by configuration) verifies too.
func TestCredentialsEndToEnd(t *testing.T) {
	if testing.Short() {
		t.Skip("starts btcd and a node")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	btc := startBitcoin(t, ctx, testnet.Config{})

	// The issuer's did:ion is computed before the node starts (a create request fixes the DID), so the
	// node can be configured with its key; it is anchored through the node afterwards.
	dir := t.TempDir()
	docKey := mustKey(t)
	keyData, _ := json.Marshal(docKey)
	keyFile := filepath.Join(dir, "key-1.jwk")
	if err := os.WriteFile(keyFile, keyData, 0o600); err != nil {
		t.Fatal(err)
	}
	create, err := sidetree.NewCreateRequest("ion", mustKey(t), mustKey(t), sidetree.Document{PublicKeys: []sidetree.PublicKey{{
		ID: "key-1", Type: "EcdsaSecp256k1VerificationKey2019", JWK: docKey.Public().Value(),
		Purposes: []string{sidetree.PurposeAssertionMethod, sidetree.PurposeAuthentication},
	}}}, sidetree.Regtest().Latest())
	if err != nil {
		t.Fatal(err)
	}
	issuerDID := "did:ion:" + create.DIDSuffix
	const adminToken = "e2e-admin-token"

	// A did:web issuer on a local HTTPS server with its own CA, which the node is told to trust.
	webServer := webtest.NewServer(t)
	webDID, webSigners := credtest.Document(t, webServer.DID("issuer"), []credtest.Method{{Fragment: "key-1", Alg: credential.EdDSA}}, nil)
	webServer.PublishDocument(webServer.DID("issuer"), webDID, "max-age=60")

	logs := &syncBuffer{}
	d := regtestNode(t, ctx, btc, "", func(s *nodeSetup) {
		s.Log = slog.New(slog.NewJSONHandler(logs, nil))
		c := &s.Config.Credentials
		c.WebAllowLoopback = true
		c.WebCAFile = webServer.WriteCA(t, dir)
		c.AdminTokenHashes = []string{httpapi.HashToken(adminToken)}
		c.IssuerKeyFile, c.IssuerKID = keyFile, issuerDID+"#key-1"
		c.VerifierKeyFile, c.VerifierKID = keyFile, issuerDID+"#key-1"
	})
	base := "http://" + d.Addr()
	ops, cc := client{t, base}, credClient{t, base}

	if status, body := ops.post(create.Body.Stringify()); status != 200 {
		t.Fatalf("create: %d %s", status, body)
	}
	mineUntil(t, ctx, btc, "the issuer DID to be anchored", func() bool {
		status, v := ops.resolve(issuerDID)
		ok, _ := v.Field("didDocumentMetadata").Field("method").Field("published").Boolean()
		return status == 200 && ok
	})

	holder := credtest.KeyDID(t, credential.ES256)
	issue := map[string]any{"types": []string{"VerifiedEmployee"}, "credentialSubject": map[string]any{"id": holder.DID(), "name": "Alice"}, "status": true}
	for _, token := range []string{"", "wrong"} {
		if status, body := cc.do(http.MethodPost, "/credentials/issue", token, issue); status != http.StatusUnauthorized {
			t.Fatalf("issue with token %q: %d %s", token, status, body)
		}
	}
	status, body := cc.do(http.MethodPost, "/credentials/issue", adminToken, issue)
	if status != http.StatusOK {
		t.Fatalf("issue: %d %s", status, body)
	}
	var issued struct {
		JWT              string            `json:"jwt"`
		CredentialStatus credential.Status `json:"credentialStatus"`
	}
	if err := json.Unmarshal(body, &issued); err != nil {
		t.Fatal(err)
	}
	if want := base + "/status/revocation"; issued.CredentialStatus.StatusListCredential != want {
		t.Fatalf("status list URL %q, want %q", issued.CredentialStatus.StatusListCredential, want)
	}
	status, body = cc.do(http.MethodPost, "/credentials/verify", "", map[string]string{"jwt": issued.JWT}, "X-Request-Id", "audit-1")
	var r credential.Result
	if err := json.Unmarshal(body, &r); status != 200 || err != nil || !r.Valid || r.Credential == nil || r.Credential.Issuer != issuerDID || r.TransactionID == "" {
		t.Fatalf("issued credential: %d %s", status, body)
	}
	audited := false
	for _, line := range strings.Split(logs.String(), "\n") {
		audited = audited || (strings.Contains(line, `"transactionId":"`+r.TransactionID+`"`) && strings.Contains(line, `"request_id":"audit-1"`))
	}
	if !audited {
		t.Fatalf("no audit line with transaction id %s and the request id in the node's log", r.TransactionID)
	}

	// The status list credential is public at its stable URL and verifies as the issuer's.
	resp, err := http.Get(issued.CredentialStatus.StatusListCredential)
	if err != nil {
		t.Fatal(err)
	}
	listJWT, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("GET status list: %d %s", resp.StatusCode, listJWT)
	}
	if lr := cc.verify(string(listJWT)); !lr.Valid || lr.Credential.Issuer != issuerDID {
		t.Fatalf("status list credential: %+v", lr)
	}

	// Revocation needs the admin token, and then counts.
	path := "/status/revocation/" + issued.CredentialStatus.StatusListIndex
	if status, _ := cc.do(http.MethodPost, path, "", map[string]bool{"revoked": true}); status != http.StatusUnauthorized {
		t.Fatalf("revoke without token: %d", status)
	}
	if status, body := cc.do(http.MethodPost, path, adminToken, map[string]bool{"revoked": true}); status != http.StatusNoContent {
		t.Fatalf("revoke: %d %s", status, body)
	}
	if r := cc.verify(issued.JWT); r.Valid || r.Code != credential.CodeRevoked {
		t.Fatalf("revoked credential: %+v", r)
	}

	// The token status list of SD-JWT VCs: published as a statuslist+jwt, revoked through the same route.
	if status, body := cc.do(http.MethodPost, "/status/tokens/5", adminToken, map[string]bool{"revoked": true}); status != http.StatusNoContent {
		t.Fatalf("revoke in the token list: %d %s", status, body)
	}
	status, body = cc.do(http.MethodGet, "/status/tokens", "", nil)
	tok, err := tokenstatus.ParseToken(string(body))
	if status != 200 || err != nil || tok.Sub != base+"/status/tokens" || tok.Iss != issuerDID {
		t.Fatalf("token status list: %d %v %+v", status, err, tok)
	}
	if v, err := tok.List.Get(5); err != nil || v != tokenstatus.Invalid {
		t.Fatalf("entry 5 of the token list: %d %v", v, err)
	}

	// A did:web issuer's credential verifies; its DID resolves on both resolution endpoints.
	webIssued, err := (&credential.Issuer{Signer: webSigners["key-1"]}).Issue(credential.Claims{
		Types: []string{"VerifiedEmployee"}, Subject: map[string]any{"id": holder.DID()}, ValidUntil: time.Now().Add(time.Hour),
	})
	if err != nil {
		t.Fatal(err)
	}
	if r := cc.verify(webIssued); !r.Valid || r.Credential.Issuer != webServer.DID("issuer") {
		t.Fatalf("did:web credential: %+v", r)
	}
	// An SD-JWT VC of the did:web issuer verifies at the same route, and answers its disclosed claims.
	sdIssued, err := (&sdjwt.Issuer{Signer: webSigners["key-1"]}).Issue(ctx, sdjwt.Claims{
		VCT: "urn:example:employee:1", Claims: map[string]any{"name": "Alice"}, Disclosable: []string{"name"}, ValidUntil: time.Now().Add(time.Hour),
	})
	if err != nil {
		t.Fatal(err)
	}
	status, body = cc.do(http.MethodPost, "/credentials/verify", "", map[string]string{"jwt": sdIssued})
	var sr sdjwt.Result
	if err := json.Unmarshal(body, &sr); status != 200 || err != nil || !sr.Valid || sr.Claims["name"] != "Alice" {
		t.Fatalf("SD-JWT VC: %d %s", status, body)
	}
	// The DID goes in the path escaped whole, or (on the driver) as it is: its %3A belongs to the DID.
	for _, p := range []string{"/1.0/identifiers/" + url.PathEscape(webServer.DID("issuer")), "/1.0/identifiers/" + webServer.DID("issuer"),
		"/identifiers/" + url.PathEscape(webServer.DID("issuer"))} {
		status, body := cc.do(http.MethodGet, p, "", nil)
		if status != 200 || !strings.Contains(string(body), `"id":"`+webServer.DID("issuer")+`"`) {
			t.Fatalf("GET %s: %d %s", p, status, body)
		}
	}

	// A presentation of the did:web credential by its holder, bound to audience and nonce.
	vp, err := (&credential.Issuer{Signer: holder}).Present([]string{webIssued}, "https://verifier.example", "n-1", time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	status, body = cc.do(http.MethodPost, "/presentations/verify", "", map[string]string{"jwt": vp, "audience": "https://verifier.example", "nonce": "n-1"})
	var pr credential.Result
	if err := json.Unmarshal(body, &pr); status != 200 || err != nil || !pr.Valid {
		t.Fatalf("presentation: %d %s", status, body)
	}

	// The same credential through the Request Service API and OpenID4VP, request state in the node's store.
	presentationRequest := map[string]any{"registration": map[string]string{"clientName": "e2e"},
		"requestedCredentials": []map[string]any{{"type": "VerifiedEmployee", "acceptedIssuers": []string{webServer.DID("issuer")}}}}
	status, body = cc.do(http.MethodPost, exchange.APIPrefix+"/createPresentationRequest", adminToken, presentationRequest)
	var created exchange.CreateResponse
	if err := json.Unmarshal(body, &created); status != http.StatusCreated || err != nil {
		t.Fatalf("createPresentationRequest: %d %s", status, body)
	}
	ro, err := oid4vptest.Fetch(ctx, created.URL)
	if err != nil || ro.ClientID != oid4vp.ClientIDPrefix+issuerDID || !strings.HasPrefix(ro.ResponseURI, base+exchange.APIPrefix+"/oid4vp/") {
		t.Fatalf("wallet URL %s: %+v %v", created.URL, ro, err)
	}
	// The request was retrieved above: a second request object is refused, so the wallet starts afresh.
	status, body = cc.do(http.MethodPost, exchange.APIPrefix+"/createPresentationRequest", adminToken, presentationRequest)
	if err := json.Unmarshal(body, &created); status != http.StatusCreated || err != nil {
		t.Fatalf("createPresentationRequest: %d %s", status, body)
	}
	if code, err := oid4vptest.Answer(ctx, created.URL, &credential.Issuer{Signer: holder}, []string{webIssued}); err != nil || code != http.StatusOK {
		t.Fatalf("wallet: %d %v", code, err)
	}
	status, body = cc.do(http.MethodGet, exchange.APIPrefix+"/requests/"+created.RequestID, adminToken, nil)
	var ev exchange.Event
	if err := json.Unmarshal(body, &ev); status != 200 || err != nil || ev.RequestStatus != exchange.StatusPresentationVerified || ev.Subject != holder.DID() {
		t.Fatalf("request status: %d %s", status, body)
	}
}

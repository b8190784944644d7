package holder_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ionode/ionode/credential"
	"github.com/ionode/ionode/credential/httpapi"
	"github.com/ionode/ionode/credential/sdjwt"
	"github.com/ionode/ionode/exchange"
	"github.com/ionode/ionode/exchange/holder"
	"github.com/ionode/ionode/exchange/oid4vp"
	"github.com/ionode/ionode/exchange/presex"
	"github.com/ionode/ionode/internal/credtest"
	"github.com/ionode/ionode/node/store/pebble"
	"github.com/ionode/ionode/resolver"
	"github.com/ionode/ionode/resolver/key"
)

// node is the node's real verifier behind the Request Service API on loopback.
type node struct {
	srv      *httptest.Server
	verifier *oid4vp.Verifier
	issuer   *credential.Issuer
}

func resolverForKeys() *resolver.Dispatcher {
	return &resolver.Dispatcher{Methods: map[string]resolver.Method{"key": key.Key{}, "jwk": key.JWK{}}}
}

func newNode(t *testing.T) *node {
	t.Helper()
	st, err := pebble.Open(t.TempDir(), pebble.Options{CacheSize: 1 << 20, StateMemoSize: -1})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close(context.Background()) })
	requests := &exchange.Requests{Sessions: st}
	v := &oid4vp.Verifier{Requests: requests, Dispatcher: &exchange.Dispatcher{},
		Credentials: &credential.Verifier{Resolver: resolverForKeys(), IgnoreStatus: true}, Signer: credtest.KeyDID(t, credential.ES256),
		SDJWT: &sdjwt.Verifier{Resolver: resolverForKeys(), IgnoreStatus: true}}
	mux := exchange.NewMux(requests, []string{httpapi.HashToken("tok")})
	v.Mount(mux)
	n := &node{srv: httptest.NewServer(mux), verifier: v, issuer: &credential.Issuer{Signer: credtest.KeyDID(t, credential.ES256K)}}
	t.Cleanup(n.srv.Close)
	v.BaseURL = n.srv.URL
	return n
}

// create asks the node for a presentation request of types and returns its id and wallet URL.
func (n *node) create(t *testing.T, types ...string) (string, string) {
	t.Helper()
	pr := exchange.PresentationRequest{Registration: exchange.Registration{ClientName: "Contoso"}}
	for _, ty := range types {
		pr.RequestedCredentials = append(pr.RequestedCredentials, exchange.RequestedCredential{Type: ty, AcceptedIssuers: []string{n.issuer.Signer.DID()}})
	}
	resp, err := n.verifier.Create(context.Background(), pr)
	if err != nil {
		t.Fatal(err)
	}
	return resp.RequestID, resp.URL
}

func (n *node) issue(t *testing.T, typ, subject string) string {
	t.Helper()
	vc, err := n.issuer.Issue(credential.Claims{Types: []string{typ}, Subject: map[string]any{"id": subject, "name": "Alice"}})
	if err != nil {
		t.Fatal(err)
	}
	return vc
}

func (n *node) status(t *testing.T, id string) exchange.Event {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, n.srv.URL+exchange.APIPrefix+"/requests/"+id, nil)
	req.Header.Set("Authorization", "Bearer tok")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var ev exchange.Event
	if err := json.NewDecoder(resp.Body).Decode(&ev); err != nil {
		t.Fatal(err)
	}
	return ev
}

func newWallet(t *testing.T) *holder.Wallet {
	return &holder.Wallet{Holder: &credential.Issuer{Signer: credtest.KeyDID(t, credential.EdDSA)}, Resolver: resolverForKeys(), HTTP: http.DefaultClient, AllowHTTPLoopback: true}
}

// TestAnswer: the wallet follows the node's URL, checks the signed request object, picks the credential
// of the asked type among those it holds and the node verifies the presentation.
func TestAnswer(t *testing.T) {
	n := newNode(t)
	w := newWallet(t)
	id, walletURL := n.create(t, "VerifiedEmployee", "Membership")
	ar, err := holder.ParseAuthorizationRequest(walletURL)
	if err != nil {
		t.Fatal(err)
	}
	r, err := w.Fetch(context.Background(), ar)
	if err != nil {
		t.Fatal(err)
	}
	if r.DID != n.verifier.Signer.DID() || r.ClientName != "Contoso" || len(r.DCQL.Credentials) != 2 {
		t.Fatalf("request: %+v", r)
	}
	employee, member := n.issue(t, "VerifiedEmployee", w.Holder.Signer.DID()), n.issue(t, "Membership", w.Holder.Signer.DID())
	out, err := w.Answer(context.Background(), r, []string{member, n.issue(t, "Other", w.Holder.Signer.DID()), employee}, holder.Choice{})
	if err != nil {
		t.Fatal(err)
	}
	if !out.Accepted || !slices.Equal(out.Presented["credential_0"], []string{employee}) || !slices.Equal(out.Presented["credential_1"], []string{member}) {
		t.Fatalf("outcome: %+v", out)
	}
	ev := n.status(t, id)
	if ev.RequestStatus != exchange.StatusPresentationVerified || len(ev.VerifiedCredentialsData) != 2 || ev.Subject != w.Holder.Signer.DID() {
		t.Fatalf("status: %+v", ev)
	}

	// The request is used up: a second fetch is refused with the verifier's code.
	if _, err := w.Fetch(context.Background(), ar); !errors.Is(err, holder.ErrRequest) || !strings.Contains(err.Error(), oid4vp.CodeUsed) {
		t.Fatalf("second fetch: %v", err)
	}
}

// TestAnswerRefused: the verifier's refusal comes back as an Outcome with its stable code, and a request
// the wallet holds nothing for is not answered at all.
func TestAnswerRefused(t *testing.T) {
	n := newNode(t)
	w := newWallet(t)
	_, walletURL := n.create(t, "VerifiedEmployee")
	ar, _ := holder.ParseAuthorizationRequest(walletURL)
	r, err := w.Fetch(context.Background(), ar)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Answer(context.Background(), r, []string{n.issue(t, "Other", w.Holder.Signer.DID())}, holder.Choice{}); !errors.Is(err, holder.ErrNoMatch) {
		t.Fatalf("no matching credential: %v", err)
	}
	// A credential of someone else: the node refuses the presentation.
	out, err := w.Answer(context.Background(), r, []string{n.issue(t, "VerifiedEmployee", "did:example:bob")}, holder.Choice{})
	if err != nil {
		t.Fatal(err)
	}
	if out.Accepted || out.Status != http.StatusBadRequest || out.Code == "" {
		t.Fatalf("outcome: %+v", out)
	}
}

// signedRequest signs a request object as a verifier would, with claims changed by edit.
func signedRequest(t *testing.T, s *credential.Signer, typ string, edit func(map[string]any)) string {
	t.Helper()
	claims := map[string]any{
		"client_id": oid4vp.ClientIDPrefix + s.DID(), "response_type": "vp_token", "response_mode": "direct_post",
		"response_uri": "https://verifier.example/response", "nonce": "n-1", "state": "s-1",
		"exp":        time.Now().Add(time.Minute).Unix(),
		"dcql_query": map[string]any{"credentials": []any{map[string]any{"id": "q", "format": "jwt_vc_json", "meta": map[string]any{"type_values": [][]string{{"T"}}}}}},
	}
	if edit != nil {
		edit(claims)
	}
	payload, _ := json.Marshal(claims)
	jwt, err := s.Sign(payload, typ)
	if err != nil {
		t.Fatal(err)
	}
	return jwt
}

// draft makes a request object draft-era: client_id the bare DID with client_id_scheme did, and the
// presentation definition def instead of the DCQL query.
func draft(did, def string) func(map[string]any) {
	return func(c map[string]any) {
		c["client_id"], c["client_id_scheme"] = did, "did"
		c["presentation_definition"] = json.RawMessage(def)
		delete(c, "dcql_query")
	}
}

// TestVerify: each check of the request object refuses what it guards.
func TestVerify(t *testing.T) {
	verifierKey, other := credtest.KeyDID(t, credential.ES256), credtest.KeyDID(t, credential.ES256)
	w := newWallet(t)
	clientID := oid4vp.ClientIDPrefix + verifierKey.DID()
	// impostor signs with its own key but names the verifier's DID as client_id.
	impostor := signedRequest(t, other, oid4vp.RequestObjectType, func(c map[string]any) { c["client_id"] = clientID })
	// kidOfVerifier signs with another key under the verifier's kid.
	forged, err := credential.NewBareSigner(verifierKey.KID, other.PrivateKey())
	if err != nil {
		t.Fatal(err)
	}
	good := signedRequest(t, verifierKey, oid4vp.RequestObjectType, nil)
	parts := strings.Split(good, ".")
	payload, _ := base64.RawURLEncoding.DecodeString(parts[1])
	tampered := parts[0] + "." + base64.RawURLEncoding.EncodeToString([]byte(strings.Replace(string(payload), `"n-1"`, `"n-2"`, 1))) + "." + parts[2]

	tests := []struct {
		name     string
		clientID string // of the URL
		raw      string
		want     error
		code     credential.Code
	}{
		{"good", clientID, good, nil, ""},
		{"good, bare request_uri", "", good, nil, ""},
		{"URL names another client", oid4vp.ClientIDPrefix + other.DID(), good, holder.ErrRequest, ""},
		{"wrong typ", clientID, signedRequest(t, verifierKey, "JWT", nil), holder.ErrRequest, ""},
		{"key of another DID", clientID, impostor, nil, credential.CodeKeyNotAuthorized},
		{"other key under the verifier's kid", clientID, signedRequest(t, forged, oid4vp.RequestObjectType, nil), nil, credential.CodeInvalidSignature},
		{"tampered payload", clientID, tampered, nil, credential.CodeInvalidSignature},
		{"expired", clientID, signedRequest(t, verifierKey, oid4vp.RequestObjectType, func(c map[string]any) { c["exp"] = time.Now().Add(-time.Hour).Unix() }), holder.ErrRequest, ""},
		{"no exp", clientID, signedRequest(t, verifierKey, oid4vp.RequestObjectType, func(c map[string]any) { delete(c, "exp") }), holder.ErrRequest, ""},
		{"client_id not a DID", "", signedRequest(t, verifierKey, oid4vp.RequestObjectType, func(c map[string]any) { c["client_id"] = "redirect_uri:https://x" }), holder.ErrRequest, ""},
		{"direct_post.jwt without a key", clientID, signedRequest(t, verifierKey, oid4vp.RequestObjectType, func(c map[string]any) { c["response_mode"] = "direct_post.jwt" }), holder.ErrRequest, ""},
		{"draft-era presentation definition", verifierKey.DID(), signedRequest(t, verifierKey, oid4vp.RequestObjectType, draft(verifierKey.DID(), `{"id":"d","input_descriptors":[{"id":"a"}]}`)), nil, ""},
		{"bare DID without client_id_scheme", verifierKey.DID(), signedRequest(t, verifierKey, oid4vp.RequestObjectType, func(c map[string]any) {
			draft(verifierKey.DID(), `{"id":"d","input_descriptors":[{"id":"a"}]}`)(c)
			delete(c, "client_id_scheme")
		}), holder.ErrRequest, ""},
		{"invalid presentation definition", verifierKey.DID(), signedRequest(t, verifierKey, oid4vp.RequestObjectType, draft(verifierKey.DID(),
			`{"id":"d","input_descriptors":[{"id":"a","group":["A"]}],"submission_requirements":[{"rule":"all","from":"B"}]}`)), presex.ErrInvalidDefinition, ""},
		{"both a query and a definition", clientID, signedRequest(t, verifierKey, oid4vp.RequestObjectType, func(c map[string]any) {
			c["presentation_definition"] = json.RawMessage(`{"id":"d","input_descriptors":[{"id":"a"}]}`)
		}), holder.ErrRequest, ""},
		{"id_token only", clientID, signedRequest(t, verifierKey, oid4vp.RequestObjectType, func(c map[string]any) { c["response_type"] = "id_token" }), holder.ErrRequest, ""},
		{"no nonce", clientID, signedRequest(t, verifierKey, oid4vp.RequestObjectType, func(c map[string]any) { delete(c, "nonce") }), holder.ErrRequest, ""},
		{"no query", clientID, signedRequest(t, verifierKey, oid4vp.RequestObjectType, func(c map[string]any) { delete(c, "dcql_query") }), holder.ErrRequest, ""},
		{"response_uri not http", clientID, signedRequest(t, verifierKey, oid4vp.RequestObjectType, func(c map[string]any) { c["response_uri"] = "javascript:alert(1)" }), holder.ErrRequest, ""},
		{"not a JWS", clientID, "not-a-jws", nil, credential.CodeInvalidJWT},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r, err := w.Verify(context.Background(), holder.AuthorizationRequest{ClientID: tc.clientID, RequestURI: "https://verifier.example/r"}, tc.raw)
			switch {
			case tc.want == nil && tc.code == "":
				if err != nil || r.Nonce != "n-1" || r.State != "s-1" || r.DID != verifierKey.DID() {
					t.Fatalf("%+v, %v", r, err)
				}
			case tc.code != "":
				if credential.CodeOf(err) != tc.code {
					t.Fatalf("err %v, want code %s", err, tc.code)
				}
			case !errors.Is(err, tc.want):
				t.Fatalf("err %v, want %v", err, tc.want)
			}
		})
	}
}

func TestParseAuthorizationRequest(t *testing.T) {
	tests := []struct {
		in, clientID, requestURI string
		ok                       bool
	}{
		{"openid4vp://?client_id=decentralized_identifier%3Adid%3Akey%3Az&request_uri=https%3A%2F%2Fv.example%2Fr", "decentralized_identifier:did:key:z", "https://v.example/r", true},
		{"haip://authorize?client_id=c&request_uri=http%3A%2F%2F127.0.0.1%3A3000%2Fr", "c", "http://127.0.0.1:3000/r", true},
		{"https://v.example/v1.0/verifiableCredentials/oid4vp/x/request", "", "https://v.example/v1.0/verifiableCredentials/oid4vp/x/request", true},
		{"openid4vp://?client_id=c&request_uri=https%3A%2F%2Fv.example%2Fr&request_uri_method=post", "", "", false},
		{"openid4vp://?client_id=redirect_uri%3Ahttps%3A%2F%2Fx&dcql_query=%7B%7D", "", "", false},
		{"openid4vp://?client_id=c", "", "", false},
		{"openid4vp://?client_id=c&request_uri=file%3A%2F%2F%2Fetc%2Fpasswd", "", "", false},
		{"openid4vp://?request_uri=" + strings.Repeat("a", 9000), "", "", false},
		{"%zz", "", "", false},
	}
	for _, tc := range tests {
		ar, err := holder.ParseAuthorizationRequest(tc.in)
		if (err == nil) != tc.ok || (tc.ok && (ar.ClientID != tc.clientID || ar.RequestURI != tc.requestURI)) {
			t.Errorf("%.60s: %+v, %v", tc.in, ar, err)
		}
		if err != nil && !errors.Is(err, holder.ErrRequest) {
			t.Errorf("%.60s: error %v does not wrap ErrRequest", tc.in, err)
		}
	}
}

// TestPlainHTTPRefused: credentials go over https only, unless loopback http is allowed for a test node.
func TestPlainHTTPRefused(t *testing.T) {
	w := newWallet(t)
	tests := []struct {
		uri        string
		allowLocal bool
	}{
		{"http://127.0.0.1:1/r", false},
		{"http://localhost:1/r", false},
		{"http://verifier.example/r", true},
		{"http://10.0.0.1/r", true},
	}
	for _, tc := range tests {
		w.AllowHTTPLoopback = tc.allowLocal
		if _, err := w.Fetch(context.Background(), holder.AuthorizationRequest{RequestURI: tc.uri}); !errors.Is(err, holder.ErrRequest) || !strings.Contains(err.Error(), "plain http") {
			t.Errorf("%s (loopback allowed %v): %v", tc.uri, tc.allowLocal, err)
		}
		if _, err := w.Answer(context.Background(), &holder.Request{ResponseURI: tc.uri}, nil, holder.Choice{}); !errors.Is(err, holder.ErrRequest) || !strings.Contains(err.Error(), "plain http") {
			t.Errorf("response_uri %s (loopback allowed %v): %v", tc.uri, tc.allowLocal, err)
		}
	}
}

// TestSkipRequestVerification: the tests-only switch skips the signature and key checks, and nothing
// else.
func TestSkipRequestVerification(t *testing.T) {
	verifierKey, other := credtest.KeyDID(t, credential.ES256), credtest.KeyDID(t, credential.ES256)
	clientID := oid4vp.ClientIDPrefix + verifierKey.DID()
	impostor := signedRequest(t, other, oid4vp.RequestObjectType, func(c map[string]any) { c["client_id"] = clientID })
	expired := signedRequest(t, other, oid4vp.RequestObjectType, func(c map[string]any) {
		c["client_id"], c["exp"] = clientID, time.Now().Add(-time.Hour).Unix()
	})
	ar := holder.AuthorizationRequest{ClientID: clientID, RequestURI: "https://verifier.example/r"}
	w := newWallet(t)
	if _, err := w.Verify(context.Background(), ar, impostor); credential.CodeOf(err) != credential.CodeKeyNotAuthorized {
		t.Fatalf("verified wallet: %v", err)
	}
	w.SkipRequestVerification, w.Resolver = true, nil
	if r, err := w.Verify(context.Background(), ar, impostor); err != nil || r.DID != verifierKey.DID() {
		t.Fatalf("lenient wallet: %+v %v", r, err)
	}
	if _, err := w.Verify(context.Background(), ar, expired); !errors.Is(err, holder.ErrRequest) {
		t.Fatalf("lenient wallet, expired request: %v", err)
	}
}

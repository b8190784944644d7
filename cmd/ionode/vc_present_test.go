package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ionode/ionode/credential"
	"github.com/ionode/ionode/credential/sdjwt"
	"github.com/ionode/ionode/exchange"
	"github.com/ionode/ionode/exchange/oid4vp"
	"github.com/ionode/ionode/internal/credtest"
)

// holderFiles writes a holder key (did:key) and credentials of types issued to it by issuer, and returns
// their paths and the holder's DID.
func holderFiles(t *testing.T, issuer *credential.Issuer, types ...string) (keyFile, did string, vcFiles []string) {
	t.Helper()
	dir := t.TempDir()
	h := credtest.KeyDID(t, credential.ES256)
	jwk, err := credential.MarshalPrivateJWK(h.PrivateKey())
	if err != nil {
		t.Fatal(err)
	}
	keyFile = filepath.Join(dir, "holder.jwk")
	if err := os.WriteFile(keyFile, jwk, 0o600); err != nil {
		t.Fatal(err)
	}
	for _, typ := range types {
		vc, err := issuer.Issue(credential.Claims{Types: []string{typ}, Subject: map[string]any{"id": h.DID(), "name": "Alice"}})
		if err != nil {
			t.Fatal(err)
		}
		f := filepath.Join(dir, typ+".jwt")
		if err := os.WriteFile(f, []byte(vc+"\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		vcFiles = append(vcFiles, f)
	}
	return keyFile, h.DID(), vcFiles
}

// presentTo runs `vc present --request walletURL` with the did:key holder of keyFile and args; it
// returns the exit code, stdout and stderr.
func presentTo(keyFile, walletURL string, args ...string) (int, string, string) {
	var stdout, stderr bytes.Buffer
	all := append([]string{"vc", "present", "--holder-key", keyFile, "--holder-kid", "did:key", "--allow-loopback", "--request", walletURL}, args...)
	code := run(context.Background(), all, &stdout, &stderr)
	return code, stdout.String(), stderr.String()
}

// TestVCPresentRequest: `vc present --request` answers a node's OpenID4VP request with a held VC-JWT,
// and the node's status route shows the verified presentation.
func TestVCPresentRequest(t *testing.T) {
	tv := startVerifier(t)
	v, requests := tv.verifier, tv.requests

	issuer := &credential.Issuer{Signer: credtest.KeyDID(t, credential.ES256K)}
	keyFile, holderDID, vcs := holderFiles(t, issuer, "Membership", "VerifiedEmployee")
	create := func() (string, string) {
		resp, err := v.Create(context.Background(), exchange.PresentationRequest{Registration: exchange.Registration{ClientName: "Contoso"},
			RequestedCredentials: []exchange.RequestedCredential{{Type: "VerifiedEmployee", AcceptedIssuers: []string{issuer.Signer.DID()}}}})
		if err != nil {
			t.Fatal(err)
		}
		return resp.RequestID, resp.URL
	}
	present := func(walletURL string, extra ...string) (int, string, string) {
		return presentTo(keyFile, walletURL, extra...)
	}

	id, walletURL := create()
	code, out, errOut := present(walletURL, vcs...)
	if code != 0 || !strings.Contains(out, "verifier Contoso, signed by "+v.Signer.DID()) || !strings.Contains(out, "accepted") {
		t.Fatalf("exit %d, stdout %q, stderr %q", code, out, errOut)
	}
	r, err := requests.Get(context.Background(), exchange.KindPresentation, id)
	if err != nil {
		t.Fatal(err)
	}
	if ev := r.Event(); ev.RequestStatus != exchange.StatusPresentationVerified || ev.Subject != holderDID {
		t.Fatalf("status %+v", ev)
	}

	// The same URL again: the node refuses the used request, and the CLI says so with exit 4.
	if code, _, errOut := present(walletURL, vcs...); code != exitNotValid || !strings.Contains(errOut, oid4vp.CodeUsed) {
		t.Fatalf("replay: exit %d, %q", code, errOut)
	}
	// Nothing held of the asked type: exit 2, nothing sent.
	_, walletURL = create()
	if code, _, errOut := present(walletURL, vcs[0]); code != exitInvalidInput || !strings.Contains(errOut, "VerifiedEmployee") {
		t.Fatalf("no match: exit %d, %q", code, errOut)
	}
	// Plain http to loopback needs --allow-loopback.
	_, walletURL = create()
	var stdout, stderr bytes.Buffer
	if code := run(context.Background(), []string{"vc", "present", "--holder-key", keyFile, "--holder-kid", "did:key", "--request", walletURL, vcs[1]}, &stdout, &stderr); code != exitNotValid || !strings.Contains(stderr.String(), "plain http") {
		t.Fatalf("http without --allow-loopback: exit %d, %q", code, stderr.String())
	}
}

// TestVCPresentJWT: without --request the command prints a VP-JWT that the credential verifier accepts
// for the audience and nonce, holding the given credentials.
func TestVCPresentJWT(t *testing.T) {
	env := credtest.NewEnv(t)
	issuer := &credential.Issuer{Signer: credtest.KeyDID(t, credential.ES256K)}
	keyFile, holderDID, vcs := holderFiles(t, issuer, "A", "B")
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), append([]string{"vc", "present", "--holder-key", keyFile, "--holder-kid", "did:key", "--audience", "did:web:rp.example", "--nonce", "n-42"}, vcs...), &stdout, &stderr)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	res := (&credential.Verifier{Resolver: env.Resolver, IgnoreStatus: true}).VerifyPresentation(context.Background(), strings.TrimSpace(stdout.String()),
		credential.PresentationOptions{Audience: "did:web:rp.example", Nonce: "n-42"})
	if err := res.Err(); err != nil || res.Presentation.Holder != holderDID || len(res.Credentials) != 2 {
		t.Fatalf("%+v, %v", res, err)
	}

	tests := []struct {
		args []string
		want string
	}{
		{[]string{"--holder-key", keyFile, "--holder-kid", "did:key", vcs[0]}, "--audience"},
		{[]string{"--holder-kid", "did:key", "--audience", "a", vcs[0]}, "--holder-key"},
		{[]string{"--holder-key", keyFile, "--holder-kid", "did:key", "--audience", "a", "not-a-jwt"}, "neither a VC-JWT nor an SD-JWT VC"},
		{[]string{"--holder-key", keyFile, "--holder-kid", "did:key", "--disclose", "x", "--audience", "a", vcs[0]}, "--disclose"},
		{[]string{"--holder-key", keyFile, "--holder-kid", "did:key", "--audience", "a", "--request", "openid4vp://?client_id=c&request_uri=https%3A%2F%2Fv.example%2Fr", vcs[0]}, "--audience"},
		{[]string{"--holder-key", keyFile, "--holder-kid", "did:key", "--request", "openid4vp://?client_id=c", vcs[0]}, "request_uri"},
	}
	for _, tc := range tests {
		var out, errOut bytes.Buffer
		if code := run(context.Background(), append([]string{"vc", "present"}, tc.args...), &out, &errOut); code != exitInvalidInput || !strings.Contains(errOut.String(), tc.want) {
			t.Errorf("%v: exit %d, %q", tc.args, code, errOut.String())
		}
	}
}

// TestVCPresentRequestSDJWT: `vc present --request` answers a dc+sd-jwt DCQL query with a held SD-JWT VC
// among other credentials, disclosing only the claim asked for.
func TestVCPresentRequestSDJWT(t *testing.T) {
	tv := startVerifier(t)
	issuer := credtest.KeyDID(t, credential.ES256)
	h := credtest.KeyDID(t, credential.ES256)
	jwk, err := credential.MarshalPrivateJWK(h.PrivateKey())
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	keyFile := filepath.Join(dir, "holder.jwk")
	pid, err := (&sdjwt.Issuer{Signer: issuer}).Issue(context.Background(), sdjwt.Claims{VCT: "urn:test:pid",
		Claims: map[string]any{"given_name": "Alice", "family_name": "Liddell"}, Disclosable: []string{"given_name", "family_name"}, HolderKID: h.KID})
	if err != nil {
		t.Fatal(err)
	}
	held := filepath.Join(dir, "held.txt")
	other, err := (&credential.Issuer{Signer: issuer}).Issue(credential.Claims{Types: []string{"Badge"}, Subject: map[string]any{"id": h.DID()}})
	if err != nil {
		t.Fatal(err)
	}
	if os.WriteFile(keyFile, jwk, 0o600) != nil || os.WriteFile(held, []byte(other+"\n"+pid+"\n"), 0o600) != nil {
		t.Fatal("write the holder's files")
	}
	resp, err := tv.verifier.Create(context.Background(), exchange.PresentationRequest{Registration: exchange.Registration{ClientName: "Contoso"},
		RequestedCredentials: []exchange.RequestedCredential{{Type: "urn:test:pid", Format: oid4vp.FormatSDJWT, Claims: []exchange.ClaimRequest{{Path: []any{"given_name"}}}}}})
	if err != nil {
		t.Fatal(err)
	}
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), []string{"vc", "present", "--holder-key", keyFile, "--holder-kid", "did:key", "--allow-loopback", "--request", resp.URL, held}, &stdout, &stderr)
	if code != 0 || !strings.Contains(stdout.String(), "accepted") {
		t.Fatalf("exit %d, stdout %q, stderr %q", code, stdout.String(), stderr.String())
	}
	r, err := tv.requests.Get(context.Background(), exchange.KindPresentation, resp.RequestID)
	if err != nil {
		t.Fatal(err)
	}
	ev := r.Event()
	if ev.RequestStatus != exchange.StatusPresentationVerified || len(ev.VerifiedCredentialsData) != 1 ||
		!strings.Contains(string(ev.VerifiedCredentialsData[0].Claims), "Alice") || strings.Contains(string(ev.VerifiedCredentialsData[0].Claims), "Liddell") {
		t.Fatalf("status %+v", ev)
	}
	// Without --request an SD-JWT VC among others is refused with a message.
	stderr.Reset()
	if code := run(context.Background(), []string{"vc", "present", "--holder-key", keyFile, "--holder-kid", "did:key", "--audience", "a", held}, &stdout, &stderr); code != exitInvalidInput || !strings.Contains(stderr.String(), "--request") {
		t.Fatalf("SD-JWT in a VP-JWT: exit %d, %q", code, stderr.String())
	}
}

package main

import (
	"bytes"
	"context"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/ionode/ionode/credential/httpapi"
	"github.com/ionode/ionode/exchange"
	"github.com/ionode/ionode/exchange/issuance"
	"github.com/ionode/ionode/internal/oid4vcitest"
)

// TestRequestIssuanceAndReceive: `ionode request issuance` offers a credential with a PIN and follows
// the request; `ionode vc receive` redeems the printed offer with the PIN, and the credential it stores
// is bound to the holder's DID and verifies.
func TestRequestIssuanceAndReceive(t *testing.T) {
	env := oid4vcitest.NewEnv(t, false)
	requests := &exchange.Requests{Sessions: env.Sessions}
	svc := &issuance.Service{Issuer: env.Issuer, Requests: requests}
	env.Issuer.Events = svc
	mux := exchange.NewMux(requests, []string{httpapi.HashToken("tok")})
	svc.Mount(mux)
	admin := httptest.NewServer(mux) // the relying party's side; the wallet's endpoints are env's https origin
	defer admin.Close()
	dir := t.TempDir()
	caFile := filepath.Join(dir, "ca.pem")
	if err := os.WriteFile(caFile, env.Server.CAPEM, 0o600); err != nil {
		t.Fatal(err)
	}
	keyFile, holderDID, _ := holderFiles(t, nil)

	flags := []string{"--authority", env.Signer.DID(), "--type", oid4vcitest.Employee, "--claims", `{"displayName":"Alice"}`, "--pin", "4821"}
	offer := func(t *testing.T, stdout *lockedBuffer, done chan int, body ...string) string {
		t.Helper()
		var stderr lockedBuffer
		go func() {
			done <- run(context.Background(), append([]string{"request", "issuance", "--node", admin.URL, "--admin-token", "tok", "--poll", "20ms"}, body...), stdout, &stderr)
		}()
		for deadline := time.Now().Add(2 * time.Minute); ; time.Sleep(10 * time.Millisecond) {
			if u := regexp.MustCompile(`openid-credential-offer://\S+`).FindString(stdout.String()); u != "" && strings.Contains(stdout.String(), "█") {
				return u
			}
			if time.Now().After(deadline) {
				t.Fatalf("no offer printed: %q %q", stdout.String(), stderr.String())
			}
		}
	}
	receive := func(args ...string) (int, string, string) {
		var stdout, stderr bytes.Buffer
		code := run(context.Background(), append([]string{"vc", "receive", "--holder-key", keyFile, "--holder-kid", "did:key", "--ca-file", caFile}, args...), &stdout, &stderr)
		return code, stdout.String(), stderr.String()
	}

	var stdout lockedBuffer
	done := make(chan int, 1)
	offerURL := offer(t, &stdout, done, flags...)
	if !strings.Contains(stdout.String(), "PIN (tell the holder apart from the QR code): 4821") {
		t.Fatalf("no PIN printed: %q", stdout.String())
	}
	if code, _, errOut := receive(offerURL); code != exitInvalidInput || !strings.Contains(errOut, "--tx-code") {
		t.Fatalf("no PIN: exit %d, %q", code, errOut)
	}
	out := filepath.Join(dir, "employee.jwt")
	if code, o, errOut := receive("--tx-code", "4821", "--out", out, offerURL); code != 0 || !strings.Contains(o, "received 1 credential(s)") {
		t.Fatalf("exit %d, %q, %q", code, o, errOut)
	}
	vc, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	r := env.Verifier(nil).VerifyCredential(context.Background(), strings.TrimSpace(string(vc)))
	if err := r.Err(); err != nil || r.Credential.Subject != holderDID {
		t.Fatalf("%+v, %v", r.Credential, err)
	}
	select {
	case code := <-done:
		if code != 0 || !strings.Contains(stdout.String(), `"requestStatus": "issuance_successful"`) {
			t.Fatalf("request issuance: exit %d, %q", code, stdout.String())
		}
	case <-time.After(30 * time.Second):
		t.Fatal("request issuance did not see the credential issued")
	}

	// A wrong PIN: the issuer refuses, exit 4. This offer's body is given whole (--body), as an Entra
	// user writes it, and its PIN is still printed.
	bodyFile := filepath.Join(dir, "issuance.json")
	body := `{"authority":"` + env.Signer.DID() + `","type":"` + oid4vcitest.Employee + `","claims":{"displayName":"Alice"},"pin":{"value":"4821","length":4},"registration":{"clientName":"HR"}}`
	if err := os.WriteFile(bodyFile, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	done = make(chan int, 1)
	stdout = lockedBuffer{}
	offerURL = offer(t, &stdout, done, "--body", bodyFile)
	if !strings.Contains(stdout.String(), "PIN (tell the holder apart from the QR code): 4821") {
		t.Fatalf("--body: no PIN printed: %q", stdout.String())
	}
	if code, _, errOut := receive("--tx-code", "1111", offerURL); code != exitNotValid || !strings.Contains(errOut, "invalid_grant") {
		t.Fatalf("wrong PIN: exit %d, %q", code, errOut)
	}
	// Bad input.
	var o, e lockedBuffer
	if code := run(context.Background(), []string{"request", "issuance", "--node", admin.URL, "--type", "T"}, &o, &e); code != exitInvalidInput || !strings.Contains(e.String(), "--authority") {
		t.Fatalf("no --authority: exit %d, %q", code, e.String())
	}
	if code := run(context.Background(), []string{"request", "issuance", "--node", admin.URL, "--body", bodyFile, "--pin", "1234"}, &o, &e); code != exitInvalidInput || !strings.Contains(e.String(), "leave out --pin") {
		t.Fatalf("--body with --pin: exit %d, %q", code, e.String())
	}
	if code, _, errOut := receive("openid-credential-offer://?x=1"); code != exitInvalidInput || !strings.Contains(errOut, "credential_offer_uri") {
		t.Fatalf("no offer: exit %d, %q", code, errOut)
	}
}

package main

import (
	"context"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/ionode/ionode/credential"
	"github.com/ionode/ionode/exchange/oid4vp"
	"github.com/ionode/ionode/internal/credtest"
	"github.com/ionode/ionode/internal/oid4vptest"
)

// TestRequestPresentation runs `ionode request presentation` against a verifier while a wallet answers
// the URL it prints: the command follows the status and prints the verified result.
func TestRequestPresentation(t *testing.T) {
	tv := startVerifier(t)
	srv := tv.srv

	holder := &credential.Issuer{Signer: credtest.KeyDID(t, credential.ES256)}
	issuer := &credential.Issuer{Signer: credtest.KeyDID(t, credential.ES256K)}
	vc, err := issuer.Issue(credential.Claims{Types: []string{"VerifiedEmployee"}, Subject: map[string]any{"id": holder.Signer.DID(), "name": "Alice"}})
	if err != nil {
		t.Fatal(err)
	}

	for _, query := range []string{oid4vp.QueryDCQL, oid4vp.QueryPresentationDefinition} {
		t.Run(query, func(t *testing.T) { requestPresentation(t, srv.URL, query, issuer, holder, vc) })
	}

	// Bad input exits 2 with a message.
	var out, errOut lockedBuffer
	if code := run(context.Background(), []string{"request", "presentation", "--node", srv.URL, "--admin-token", "tok"}, &out, &errOut); code != exitInvalidInput || !strings.Contains(errOut.String(), "--type") {
		t.Fatalf("no --type: exit %d, %q", code, errOut.String())
	}
	if code := run(context.Background(), []string{"request", "presentation", "--node", srv.URL, "--admin-token", "wrong", "--type", "T"}, &out, &errOut); code != exitInvalidInput || !strings.Contains(errOut.String(), "401") {
		t.Fatalf("wrong token: exit %d, %q", code, errOut.String())
	}
	if code := run(context.Background(), []string{"request", "presentation", "--node", srv.URL, "--admin-token", "tok", "--type", "T", "--query", "sparql"}, &out, &errOut); code != exitInvalidInput || !strings.Contains(errOut.String(), "ionode.query") {
		t.Fatalf("unknown query: exit %d, %q", code, errOut.String())
	}
}

// requestPresentation runs the command asking with query while the test wallet answers.
func requestPresentation(t *testing.T, node, query string, issuer, holder *credential.Issuer, vc string) {
	var stdout, stderr lockedBuffer
	done := make(chan int, 1)
	go func() {
		done <- run(context.Background(), []string{"request", "presentation", "--node", node, "--admin-token", "tok",
			"--type", "VerifiedEmployee", "--accepted-issuer", issuer.Signer.DID(), "--poll", "20ms", "--query", query}, &stdout, &stderr)
	}()
	wantURL := regexp.MustCompile(`openid4vp://\S+`)
	var walletURL string
	for deadline := time.Now().Add(2 * time.Minute); walletURL == ""; {
		if time.Now().After(deadline) {
			t.Fatalf("no wallet URL printed: %q %q", stdout.String(), stderr.String())
		}
		walletURL = wantURL.FindString(stdout.String())
		time.Sleep(10 * time.Millisecond)
	}
	if !strings.Contains(stdout.String(), "█") {
		t.Fatalf("no QR code printed: %q", stdout.String())
	}

	if code, err := oid4vptest.Answer(context.Background(), walletURL, holder, []string{vc}); err != nil || code != http.StatusOK {
		t.Fatalf("wallet: %d %v", code, err)
	}

	select {
	case code := <-done:
		if code != 0 || !strings.Contains(stdout.String(), `"requestStatus": "presentation_verified"`) || !strings.Contains(stdout.String(), `"name": "Alice"`) {
			t.Fatalf("exit %d, stdout %q, stderr %q", code, stdout.String(), stderr.String())
		}
	case <-time.After(30 * time.Second):
		t.Fatal("the command did not see the answer")
	}
}

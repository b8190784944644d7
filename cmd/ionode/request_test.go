package main

import (
	"context"
	"net/http"
	"os"
	"path/filepath"
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
		t.Run(query, func(t *testing.T) {
			requestPresentation(t, srv.URL, holder, vc, "--type", "VerifiedEmployee", "--accepted-issuer", issuer.Signer.DID(), "--query", query)
		})
	}
	// --body sends a whole createPresentationRequest body: here DCQL credential sets, which no flag
	// builds (an employee badge or a passport; the wallet holds the badge).
	bodyFile := filepath.Join(t.TempDir(), "request.json")
	body := `{"registration":{"clientName":"Door"},"requestedCredentials":[` +
		`{"id":"badge","type":"VerifiedEmployee","acceptedIssuers":["` + issuer.Signer.DID() + `"]},{"id":"passport","type":"Passport"}],` +
		`"ionode":{"credentialSets":[{"options":[["passport"],["badge"]]}]}}`
	if err := os.WriteFile(bodyFile, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Run("body", func(t *testing.T) { requestPresentation(t, srv.URL, holder, vc, "--body", bodyFile) })

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
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"body and flags", []string{"--body", bodyFile, "--type", "T", "--purpose", "p"}, "leave out --type, --purpose"},
		{"body not an object", []string{"--body", writeFile(t, "[1]")}, "not a JSON object"},
		{"body not JSON", []string{"--body", writeFile(t, `{"a":`)}, "not a JSON object"},
		{"body missing", []string{"--body", filepath.Join(t.TempDir(), "none.json")}, "no such file"},
		{"body refused by the node", []string{"--body", writeFile(t, `{"requestedCredentials":[]}`)}, "HTTP 400"},
	} {
		errOut = lockedBuffer{}
		args := append([]string{"request", "presentation", "--node", srv.URL, "--admin-token", "tok"}, tc.args...)
		if code := run(context.Background(), args, &out, &errOut); code != exitInvalidInput || !strings.Contains(errOut.String(), tc.want) {
			t.Errorf("%s: exit %d, %q; want 2 and %q", tc.name, code, errOut.String(), tc.want)
		}
	}
}

// writeFile writes data to a new file and returns its path.
func writeFile(t *testing.T, data string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(path, []byte(data), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// requestPresentation runs the command with args while the test wallet answers with vc.
func requestPresentation(t *testing.T, node string, holder *credential.Issuer, vc string, args ...string) {
	t.Helper()
	var stdout, stderr lockedBuffer
	done := make(chan int, 1)
	go func() {
		done <- run(context.Background(), append([]string{"request", "presentation", "--node", node, "--admin-token", "tok", "--poll", "20ms"}, args...), &stdout, &stderr)
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

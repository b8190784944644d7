package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ionode/ionode/credential"
	"github.com/ionode/ionode/exchange"
	"github.com/ionode/ionode/exchange/dcql"
	"github.com/ionode/ionode/internal/credtest"
)

// TestVCPresentChoice: `vc present --request` answers a request with credential sets (a badge, or else
// a membership) from several held credentials: the newest badge by default, the membership when --use
// names it; a --use credential that answers nothing, and a wallet that cannot meet the required set,
// exit 2 with a message and send nothing.
func TestVCPresentChoice(t *testing.T) {
	tv := startVerifier(t)
	v, requests := tv.verifier, tv.requests
	keyFile, holderDID, _ := holderFiles(t, nil)
	issuer := credtest.KeyDID(t, credential.ES256K)
	dir := t.TempDir()
	file := func(name, typ string, days int) string {
		iss := &credential.Issuer{Signer: issuer, Now: func() time.Time { return time.Now().AddDate(0, 0, days-10) }}
		vc, err := iss.Issue(credential.Claims{Types: []string{typ}, Subject: map[string]any{"id": holderDID, "name": name}})
		if err != nil {
			t.Fatal(err)
		}
		f := filepath.Join(dir, name+".jwt")
		if err := os.WriteFile(f, []byte(vc+"\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		return f
	}
	oldBadge, newBadge := file("old", "VerifiedEmployee", 1), file("new", "VerifiedEmployee", 2)
	member, other := file("member", "Membership", 0), file("other", "Other", 0)

	create := func() (string, string) {
		resp, err := v.Create(context.Background(), exchange.PresentationRequest{Registration: exchange.Registration{ClientName: "Contoso"},
			RequestedCredentials: []exchange.RequestedCredential{{ID: "badge", Type: "VerifiedEmployee"}, {ID: "member", Type: "Membership"}},
			Extensions:           &exchange.PresentationExtensions{CredentialSets: []dcql.CredentialSet{{Options: [][]string{{"badge"}, {"member"}}}}}})
		if err != nil {
			t.Fatal(err)
		}
		return resp.RequestID, resp.URL
	}
	present := func(walletURL string, args ...string) (int, string, string) {
		return presentTo(keyFile, walletURL, args...)
	}
	verified := func(id string) exchange.VerifiedCredentialData {
		t.Helper()
		r, err := requests.Get(context.Background(), exchange.KindPresentation, id)
		if err != nil {
			t.Fatal(err)
		}
		ev := r.Event()
		if ev.RequestStatus != exchange.StatusPresentationVerified || len(ev.VerifiedCredentialsData) != 1 {
			t.Fatalf("status %+v", ev)
		}
		return ev.VerifiedCredentialsData[0]
	}

	id, walletURL := create()
	if code, out, errOut := present(walletURL, oldBadge, newBadge, member); code != 0 || !strings.Contains(out, "presented for badge") {
		t.Fatalf("exit %d, stdout %q, stderr %q", code, out, errOut)
	}
	if c := verified(id); !strings.Contains(string(c.Claims), `"new"`) {
		t.Fatalf("presented %s, want the newest badge", c.Claims)
	}

	id, walletURL = create()
	if code, out, errOut := present(walletURL, "--use", member, oldBadge, newBadge); code != 0 || !strings.Contains(out, "presented for member") {
		t.Fatalf("--use: exit %d, stdout %q, stderr %q", code, out, errOut)
	}
	if c := verified(id); !strings.Contains(string(c.Claims), `"member"`) {
		t.Fatalf("presented %s, want the membership", c.Claims)
	}

	_, walletURL = create()
	if code, _, errOut := present(walletURL, "--use", other, newBadge); code != exitInvalidInput || !strings.Contains(errOut, "answers none") {
		t.Fatalf("--use of a credential answering nothing: exit %d, %q", code, errOut)
	}
	id, walletURL = create()
	if code, _, errOut := present(walletURL, other); code != exitInvalidInput || !strings.Contains(errOut, "credential set") || !strings.Contains(errOut, "badge") {
		t.Fatalf("no option met: exit %d, %q", code, errOut)
	}
	if r, err := requests.Get(context.Background(), exchange.KindPresentation, id); err != nil || r.Event().RequestStatus == exchange.StatusPresentationError {
		t.Fatalf("a response was sent: %v %+v", err, r)
	}

	var stdout, stderr bytes.Buffer
	if code := run(context.Background(), []string{"vc", "present", "--holder-key", keyFile, "--holder-kid", "did:key", "--audience", "a", "--use", member, newBadge}, &stdout, &stderr); code != exitInvalidInput || !strings.Contains(stderr.String(), "--use") {
		t.Fatalf("--use without --request: exit %d, %q", code, stderr.String())
	}
}

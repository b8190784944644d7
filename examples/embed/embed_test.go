package embed_test

import (
	"bufio"
	"context"
	"crypto/rand"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"testing"
	"time"

	"github.com/ionode/ionode/client"
	"github.com/ionode/ionode/credential"
	"github.com/ionode/ionode/examples/embed"
	"github.com/ionode/ionode/resolver"
	"github.com/ionode/ionode/sidetree"
)

func newIssuer(t *testing.T) *embed.IssuerDID {
	t.Helper()
	iss, err := embed.NewIssuerDID("ion", func() (sidetree.JWK, error) { return sidetree.GenerateES256K(rand.Reader) })
	if err != nil {
		t.Fatal(err)
	}
	return iss
}

func issue(t *testing.T, s *credential.Signer) string {
	t.Helper()
	jwt, err := (&credential.Issuer{Signer: s}).Issue(credential.Claims{Types: []string{"VerifiedEmployee"},
		Subject: map[string]any{"id": "did:example:alice", "jobTitle": "Engineer"}})
	if err != nil {
		t.Fatal(err)
	}
	return jwt
}

// Without a node: a long-form did:ion resolves from itself, and a credential its key signed verifies.
func TestOffline(t *testing.T) {
	iss := newIssuer(t)
	methods, err := embed.Resolver("")
	if err != nil {
		t.Fatal(err)
	}
	res, err := methods.Resolve(t.Context(), iss.Create.LongForm)
	if err != nil || res.Document.ID != iss.Create.LongForm || len(res.Document.AssertionMethod) != 1 {
		t.Fatalf("long-form: %+v %v", res, err)
	}
	if _, err := methods.Resolve(t.Context(), "did:ion:"+iss.Create.DIDSuffix); !errors.Is(err, resolver.ErrNotFound) {
		t.Fatalf("short-form without a node: %v", err)
	}
	v, err := embed.Verifier("")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name  string
		jwt   string
		valid bool
		code  credential.Code
	}{
		{"long-form issuer", issue(t, iss.LongForm), true, ""},
		{"short-form issuer, no node to resolve it", issue(t, iss.ShortForm), false, credential.CodeUnresolvableIssuer},
		{"another key under the issuer's kid", issue(t, forge(t, iss.LongForm.KID)), false, credential.CodeInvalidSignature},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := v.VerifyCredential(t.Context(), tt.jwt)
			if r.Valid != tt.valid || r.Code != tt.code {
				t.Errorf("valid %v code %q (%s); want %v %q", r.Valid, r.Code, r.Detail, tt.valid, tt.code)
			}
		})
	}
}

// forge is a signer of a fresh key claiming kid.
func forge(t *testing.T, kid string) *credential.Signer {
	t.Helper()
	priv, err := credential.GenerateKey(credential.EdDSA)
	if err != nil {
		t.Fatal(err)
	}
	s, err := credential.NewSigner(kid, priv)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// With a real node: anchor the issuer's DID with the client, then verify a credential signed under its
// short form, locally through the node's resolution and at the node itself.
func TestWithNode(t *testing.T) {
	if testing.Short() {
		t.Skip("starts ionode testnet (btcd regtest, IPFS, the node)")
	}
	url := startTestnet(t)
	c, err := client.New(url)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(t.Context(), 3*time.Minute)
	defer cancel()
	iss := newIssuer(t)
	did := "did:ion:" + iss.Create.DIDSuffix
	res, err := c.SubmitAndWait(ctx, did, iss.Create.Body.Stringify(), client.Wait{})
	if err != nil {
		t.Fatalf("anchor the issuer's DID: %v", err)
	}
	if p, _ := res.Field("didDocumentMetadata").Field("method").Field("published").Boolean(); !p {
		t.Fatalf("not published: %s", res.Stringify())
	}
	if _, err := c.Submit(ctx, iss.Create.Body.Stringify()); !errors.Is(err, client.ErrAlreadyAnchored) {
		t.Errorf("second create: %v", err)
	}

	jwt := issue(t, iss.ShortForm)
	v, err := embed.Verifier(url)
	if err != nil {
		t.Fatal(err)
	}
	if r := v.VerifyCredential(ctx, jwt); !r.Valid {
		t.Errorf("verified here, through the node's resolution: %s %s", r.Code, r.Detail)
	}
	r, err := c.VerifyCredential(ctx, jwt)
	if err != nil || !r.Valid {
		t.Errorf("verified by the node: %+v %v", r, err)
	}
	st, err := c.Status(ctx)
	if err != nil || st.Network != "regtest" || !st.AcceptsOperations {
		t.Errorf("status: %+v %v", st, err)
	}
}

var nodeURL = regexp.MustCompile(`ION API\s+(http://127\.0\.0\.1:\d+)/identifiers`)

// startTestnet builds ionode from this repository and runs `ionode testnet` in a temporary directory,
// returning the node's URL once it is ready.
func startTestnet(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	bin := filepath.Join(dir, "ionode")
	build := exec.Command("go", "build", "-o", bin, "./cmd/ionode")
	build.Dir = filepath.Join("..", "..")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("build ionode: %v\n%s", err, out)
	}
	cmd := exec.Command(bin, "testnet", "--data-dir", filepath.Join(dir, "net"), "--listen", "127.0.0.1:0", "--log-level", "warn")
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	logs, err := os.Create(filepath.Join(dir, "testnet.log"))
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Signal(os.Interrupt)
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		select {
		case <-done:
		case <-time.After(30 * time.Second):
			_ = cmd.Process.Kill()
			<-done
		}
		if t.Failed() {
			b, _ := os.ReadFile(logs.Name())
			t.Logf("testnet log:\n%s", b)
		}
		logs.Close()
	})
	found := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if m := nodeURL.FindStringSubmatch(sc.Text()); m != nil {
				found <- m[1]
				break
			}
		}
		_, _ = io.Copy(io.Discard, stdout)
	}()
	select {
	case url := <-found:
		return url
	case <-time.After(3 * time.Minute):
		t.Fatal("ionode testnet did not become ready in 3 minutes")
		return ""
	}
}

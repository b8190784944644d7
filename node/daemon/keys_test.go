//go:build cgo

package daemon

import (
	"context"
	"crypto/ecdsa"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"math/big"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/btcsuite/btcd/btcutil/v2"

	"github.com/ionode/ionode/anchor"
	"github.com/ionode/ionode/internal/softhsmtest"
	"github.com/ionode/ionode/node"
	"github.com/ionode/ionode/resolver/key"
	"github.com/ionode/ionode/sidetree"
	"github.com/ionode/ionode/signer"
	"github.com/ionode/ionode/signer/pkcs11"
	"github.com/ionode/ionode/testnet"
)

// TestWriterKeyInTokenNode runs a node whose writer key is in a SoftHSM2 token: it anchors a batch on
// regtest, /readyz?check=writer probes the token, and /metrics counts the token's signings.
func TestWriterKeyInTokenNode(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	cfg := softhsmtest.Token(t, "ionode", "writer")
	t.Setenv(pkcs11.DefaultPINEnv, softhsmtest.PIN)
	tok, err := pkcs11.Generate(ctx, cfg, signer.ES256K)
	if err != nil {
		t.Fatal(err)
	}
	key, err := anchor.NewSignerKey(tok, testnet.Params)
	if err != nil {
		t.Fatal(err)
	}
	tok.Close()
	btc := startBitcoin(t, ctx, testnet.Config{})
	if _, err := btc.Fund(ctx, key.Address(), btcutil.Amount(1e8)); err != nil {
		t.Fatal(err)
	}
	d := regtestNode(t, ctx, btc, "", func(s *nodeSetup) {
		s.Config.WriterKeyFile = "pkcs11:token=ionode;object=writer"
		s.Config.PKCS11Module = cfg.ModulePath
	})
	c := client{t, "http://" + d.Addr()}
	create, err := sidetree.NewCreateRequest("ion", mustKey(t), mustKey(t), sidetree.Document{}, sidetree.Regtest().Latest())
	if err != nil {
		t.Fatal(err)
	}
	if status, body := c.post(create.Body.Stringify()); status != 200 {
		t.Fatalf("create: %d %s", status, body)
	}
	mineUntil(t, ctx, btc, "the create to be anchored by the token key", func() bool {
		status, v := c.resolve("did:ion:" + create.DIDSuffix)
		ok, _ := v.Field("didDocumentMetadata").Field("method").Field("published").Boolean()
		return status == 200 && ok
	})
	get := func(path string) (int, string) {
		resp, err := http.Get(c.base + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	if status, body := get("/readyz?check=writer"); status != 200 {
		t.Fatalf("readyz writer: %d %s", status, body)
	}
	if _, body := get("/metrics"); !strings.Contains(body, `ionode_signings_total{backend="pkcs11",outcome="ok"}`) {
		t.Fatalf("no pkcs11 signings in /metrics:\n%s", grepLines(body, "signing"))
	}
}

func grepLines(s, sub string) string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if strings.Contains(l, sub) {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}

// TestTokenKeyBadConfig: a writer key URI with a wrong PIN, an unknown label or a key of the wrong curve
// stops start-up with one line saying so.
func TestTokenKeyBadConfig(t *testing.T) {
	ctx := context.Background()
	cfg := softhsmtest.Token(t, "ionode", "p256")
	if k, err := pkcs11.Generate(ctx, cfg, signer.ES256); err != nil {
		t.Fatal(err)
	} else {
		k.Close()
	}
	pinFile := filepath.Join(t.TempDir(), "pin")
	os.WriteFile(pinFile, []byte("999999"), 0o600)
	tests := []struct{ name, uri, pin, want string }{
		{"wrong PIN", "pkcs11:token=ionode;object=p256?pin-source=" + pinFile, "", "wrong PIN"},
		{"unknown label", "pkcs11:token=ionode;object=nope", softhsmtest.PIN, "key not found"},
		{"unsupported curve", "pkcs11:token=ionode;object=p256", softhsmtest.PIN, "must be secp256k1"},
		{"pin in the URI", "pkcs11:token=ionode;object=p256?pin-value=1", "", "pin-value is refused"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Setenv(pkcs11.DefaultPINEnv, tc.pin)
			c := DefaultConfig()
			c.Network, c.DataDir, c.BitcoinRPC, c.BitcoinUser = "regtest", t.TempDir(), "127.0.0.1:1", "u"
			c.Listen = "127.0.0.1:0"
			c.WriterKeyFile, c.PKCS11Module = tc.uri, cfg.ModulePath
			key, err := c.writerKey(ctx, testnet.Params, func(ctx context.Context, flag, uri string) (signer.Signer, error) {
				k, s, err := c.tokenKey(ctx, flag, uri, nil)
				if err == nil {
					t.Cleanup(func() { k.Close() })
				}
				return s, err
			})
			if err == nil {
				t.Fatalf("accepted: %v", key)
			}
			if msg := err.Error(); !strings.Contains(msg, tc.want) || !strings.Contains(msg, "--writer-key-file") || strings.Contains(msg, "\n") {
				t.Fatalf("message %q: want one line with %q", msg, tc.want)
			}
		})
	}
}

// failing is a signer whose token has gone away.
type failing struct{ signer.Signer }

func (failing) Sign(context.Context, []byte) ([]byte, error) {
	return nil, fmt.Errorf("token removed: %w", signer.ErrTransient)
}

// TestSignerHealth: the writer readiness check fails while the key cannot sign, and probes at most once
// per TTL.
func TestSignerHealth(t *testing.T) {
	ctx := context.Background()
	key, err := anchor.GenerateKey(testnet.Params)
	if err != nil {
		t.Fatal(err)
	}
	h := &signerHealth{s: key.Signer(), ttl: time.Hour}
	if err := h.Ready(ctx); err != nil {
		t.Fatal(err)
	}
	bad := &signerHealth{s: failing{key.Signer()}, ttl: time.Hour}
	if err := bad.Ready(ctx); !errors.Is(err, signer.ErrTransient) || !strings.Contains(err.Error(), "writer key") {
		t.Fatalf("err = %v", err)
	}
	bad.s = key.Signer()
	if err := bad.Ready(ctx); err == nil {
		t.Fatal("the cached failure was not kept for the TTL")
	}
}

// TestVerifierKeyInToken: --verifier-key-file takes a key URI like the issuer's, so OpenID4VP request
// objects are signed inside the token; a wrong label stops start-up naming the verifier's flag.
func TestVerifierKeyInToken(t *testing.T) {
	ctx := context.Background()
	cfg := softhsmtest.Token(t, "ionode", "verifier")
	t.Setenv(pkcs11.DefaultPINEnv, softhsmtest.PIN)
	tok, err := pkcs11.Generate(ctx, cfg, signer.ES256)
	if err != nil {
		t.Fatal(err)
	}
	pub := tok.Public().(*ecdsa.PublicKey)
	tok.Close()
	did, err := key.DIDJWK(pub)
	if err != nil {
		t.Fatal(err)
	}
	c := DefaultConfig()
	c.PKCS11Module = cfg.ModulePath
	c.Credentials.VerifierKeyFile, c.Credentials.VerifierKID = "pkcs11:token=ionode;object=verifier", did+"#0"
	d := &Daemon{cfg: c, Metrics: node.NewMetrics()}
	defer func() {
		for _, close := range d.closers {
			close(ctx)
		}
	}()
	s, err := d.verifierSigner(ctx)
	if err != nil {
		t.Fatal(err)
	}
	jwt, err := s.Sign([]byte(`{"nonce":"n"}`), "oauth-authz-req+jwt")
	if err != nil {
		t.Fatal(err)
	}
	parts := strings.Split(jwt, ".")
	sig, err := base64.RawURLEncoding.DecodeString(parts[2])
	if err != nil || len(sig) != 64 {
		t.Fatalf("signature %q: %v", parts[2], err)
	}
	digest := sha256.Sum256([]byte(parts[0] + "." + parts[1]))
	if !ecdsa.Verify(pub, digest[:], new(big.Int).SetBytes(sig[:32]), new(big.Int).SetBytes(sig[32:])) {
		t.Fatal("the request object's signature does not verify under the token key")
	}

	c.Credentials.VerifierKeyFile = "pkcs11:token=ionode;object=nope"
	d = &Daemon{cfg: c, Metrics: node.NewMetrics()}
	if _, err := d.verifierSigner(ctx); err == nil || !strings.HasPrefix(err.Error(), "--verifier-key-file: ") || strings.Contains(err.Error(), "\n") {
		t.Fatalf("unknown label: err = %v", err)
	}
}

package azurekv_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/decred/dcrd/dcrec/secp256k1/v4"

	"github.com/ionode/ionode/signer"
	"github.com/ionode/ionode/signer/azurekv"
)

// vault is a recorded-contract stand-in for Key Vault's keys API (api-version 2025-07-01, the one azkeys
// v1.5.0 speaks), on a loopback TLS server. It checks each request's shape as the service would (challenge
// authentication first, then a bearer token; the path, api-version, JSON body with alg and a base64url
// 32-byte value) and answers in the service's documented response shapes, signing with a real key it
// holds. It is not Key Vault: the real service is not reachable from here.
type vault struct {
	t    testing.TB
	srv  *httptest.Server
	mu   sync.Mutex
	keys map[string]vaultKey // name/version → key
	// refuse, when set, answers a sign request instead of the vault (a throttle, an outage).
	refuse func(n int) (status int, body string)
	signs  int
}

type vaultKey struct {
	priv    any // *secp256k1.PrivateKey or *ecdsa.PrivateKey
	kty     string
	crv     string
	ops     []string
	enabled bool
}

const token = "test-access-token"

// currentVersion is the version id of a key added without one.
const currentVersion = "0a1b2c3d4e5f60718293a4b5c6d7e8f9"

func startVault(t testing.TB) *vault {
	t.Helper()
	v := &vault{t: t, keys: map[string]vaultKey{}}
	v.srv = httptest.NewTLSServer(http.HandlerFunc(v.serve))
	t.Cleanup(v.srv.Close)
	return v
}

func (v *vault) host() string { return strings.TrimPrefix(v.srv.URL, "https://") }

func (v *vault) add(name, version string, k vaultKey) string {
	v.mu.Lock()
	defer v.mu.Unlock()
	v.keys[name+"/"+version] = k
	if version == "" { // the current version, by name alone or by its id
		v.keys[name+"/"+currentVersion] = k
	}
	uri := "azurekv://" + v.host() + "/keys/" + name
	if version != "" {
		uri += "/" + version
	}
	return uri
}

func (v *vault) options() azurekv.Options {
	return azurekv.Options{Credential: staticToken{}, Transport: v.srv.Client(), DisableChallengeResourceVerification: true}
}

// staticToken is the test's credential: the token the vault expects.
type staticToken struct{}

func (staticToken) GetToken(ctx context.Context, o policy.TokenRequestOptions) (azcore.AccessToken, error) {
	if len(o.Scopes) != 1 || o.Scopes[0] != "https://vault.azure.net/.default" {
		return azcore.AccessToken{}, fmt.Errorf("scopes %v, want the vault's", o.Scopes)
	}
	return azcore.AccessToken{Token: token, ExpiresOn: time.Now().Add(time.Hour)}, nil
}

func vaultError(w http.ResponseWriter, status int, code, msg string) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	fmt.Fprintf(w, `{"error":{"code":%q,"message":%q}}`, code, msg)
}

func (v *vault) serve(w http.ResponseWriter, r *http.Request) {
	if got := r.URL.Query().Get("api-version"); got != "2025-07-01" {
		vaultError(w, 400, "BadParameter", "api-version "+got)
		return
	}
	if r.Header.Get("Authorization") != "Bearer "+token {
		// Key Vault's first answer to every client: where to get a token for which resource.
		w.Header().Set("WWW-Authenticate", `Bearer authorization="https://login.microsoftonline.com/72f988bf-86f1-41af-91ab-2d7cd011db47", resource="https://vault.azure.net"`)
		vaultError(w, 401, "Unauthorized", "AKV10000: Request is missing a Bearer or PoP token.")
		return
	}
	parts := strings.Split(strings.TrimPrefix(r.URL.Path, "/keys/"), "/")
	if !strings.HasPrefix(r.URL.Path, "/keys/") || len(parts) < 2 {
		vaultError(w, 404, "NotFound", "no such path "+r.URL.Path)
		return
	}
	v.mu.Lock()
	defer v.mu.Unlock()
	name, version := parts[0], parts[1]
	k, ok := v.keys[name+"/"+version]
	if !ok {
		vaultError(w, 404, "KeyNotFound", fmt.Sprintf("A key with (name/id) %s was not found in this key vault.", name))
		return
	}
	kid := v.srv.URL + "/keys/" + name + "/" + firstNonEmpty(version, currentVersion)
	switch {
	case r.Method == http.MethodGet && len(parts) == 2:
		x, y := k.point()
		ops, _ := json.Marshal(k.ops)
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		fmt.Fprintf(w, `{"key":{"kid":%q,"kty":%q,"key_ops":%s,"crv":%q,"x":%q,"y":%q},"attributes":{"enabled":%t,"created":1733450000,"updated":1733450000,"recoveryLevel":"Recoverable+Purgeable","recoverableDays":90,"exportable":false}}`,
			kid, k.kty, ops, k.crv, b64(x), b64(y), k.enabled)
	case r.Method == http.MethodPost && len(parts) == 3 && parts[2] == "sign":
		v.signs++
		if v.refuse != nil {
			if status, body := v.refuse(v.signs); status != 0 {
				w.Header().Set("Content-Type", "application/json; charset=utf-8")
				if status == 429 {
					w.Header().Set("Retry-After", "0")
				}
				w.WriteHeader(status)
				fmt.Fprint(w, body)
				return
			}
		}
		if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
			vaultError(w, 400, "BadParameter", "content type "+ct)
			return
		}
		var req struct {
			Alg   string `json:"alg"`
			Value string `json:"value"`
		}
		if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
			vaultError(w, 400, "BadParameter", err.Error())
			return
		}
		digest, err := base64.RawURLEncoding.DecodeString(req.Value)
		wantAlg := map[string]string{"P-256K": "ES256K", "P-256": "ES256"}[k.crv]
		if err != nil || len(digest) != 32 || req.Alg != wantAlg {
			vaultError(w, 400, "BadParameter", fmt.Sprintf("alg %s value %q: want %s over a 32-byte digest", req.Alg, req.Value, wantAlg))
			return
		}
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		fmt.Fprintf(w, `{"kid":%q,"value":%q}`, kid, b64(k.sign(v.t, digest)))
	default:
		vaultError(w, 405, "MethodNotAllowed", r.Method+" "+r.URL.Path)
	}
}

func b64(b []byte) string { return base64.RawURLEncoding.EncodeToString(b) }

func firstNonEmpty(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

func (k vaultKey) point() (x, y []byte) {
	var p []byte
	switch priv := k.priv.(type) {
	case *secp256k1.PrivateKey:
		p = priv.PubKey().SerializeUncompressed()
	case *ecdsa.PrivateKey:
		p, _ = priv.PublicKey.Bytes()
	}
	return p[1:33], p[33:]
}

// sign signs as Key Vault does: R||S, and for P-256K with either S (here the high one every other time,
// so that the client's low-S normalisation is exercised).
func (k vaultKey) sign(t testing.TB, digest []byte) []byte {
	switch priv := k.priv.(type) {
	case *secp256k1.PrivateKey:
		l, err := signer.NewLocal("vault", "test", priv)
		if err != nil {
			t.Error(err)
		}
		sig, _ := l.Sign(context.Background(), digest)
		if digest[0]&1 == 1 {
			var s secp256k1.ModNScalar
			s.SetByteSlice(sig[32:])
			s.Negate()
			s.PutBytesUnchecked(sig[32:])
		}
		return sig
	case *ecdsa.PrivateKey:
		l, err := signer.NewLocal("vault", "test", priv)
		if err != nil {
			t.Error(err)
		}
		sig, _ := l.Sign(context.Background(), digest)
		return sig
	}
	return nil
}

func newSecp256k1(t testing.TB) *secp256k1.PrivateKey {
	k, err := secp256k1.GeneratePrivateKey()
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func newP256(t testing.TB) *ecdsa.PrivateKey {
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

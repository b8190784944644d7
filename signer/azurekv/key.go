package azurekv

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"errors"
	"fmt"
	"net"
	"net/http"
	"slices"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/Azure/azure-sdk-for-go/sdk/azidentity"
	"github.com/Azure/azure-sdk-for-go/sdk/security/keyvault/azkeys"
	"github.com/decred/dcrd/dcrec/secp256k1/v4"

	"github.com/ionode/ionode/signer"
)

// Errors of opening a key; each is wrapped with the key it concerns.
var (
	// ErrKeyNotFound is returned when the vault has no such key or version (HTTP 404).
	ErrKeyNotFound = errors.New("azurekv: key not found")
	// ErrKeyUnusable is returned for a key that is disabled or does not allow "sign", or access denied.
	ErrKeyUnusable = errors.New("azurekv: key cannot sign")
	// ErrUnsupportedCurve is returned for a key that is not EC on P-256K or P-256.
	ErrUnsupportedCurve = errors.New("azurekv: unsupported key type or curve")
)

// API is the part of the Key Vault client a key uses.
type API interface {
	GetKey(ctx context.Context, name, version string, opts *azkeys.GetKeyOptions) (azkeys.GetKeyResponse, error)
	Sign(ctx context.Context, name, version string, p azkeys.SignParameters, opts *azkeys.SignOptions) (azkeys.SignResponse, error)
}

// Options change how the client is made. The zero value uses DefaultAzureCredential over HTTPS.
type Options struct {
	Credential azcore.TokenCredential
	// Transport overrides the HTTP client (a proxy, a test server's TLS client).
	Transport policy.Transporter
	// DisableChallengeResourceVerification accepts an authentication challenge for another domain than
	// the vault's; only for a vault behind a private name or a test server.
	DisableChallengeResourceVerification bool
}

// Key is a Key Vault key: a signer.Signer.
type Key struct {
	uri string
	ref Ref
	api API
	alg signer.Algorithm
	pub crypto.PublicKey
}

// Open finds the key uri names and reads its public key: a missing key, a key that cannot sign or one of
// another curve fails here, at start-up.
func Open(ctx context.Context, uri string, opt Options) (*Key, error) {
	ref, err := ParseURI(uri)
	if err != nil {
		return nil, err
	}
	cred := opt.Credential
	if cred == nil {
		if cred, err = azidentity.NewDefaultAzureCredential(nil); err != nil {
			return nil, fmt.Errorf("azurekv: credentials: %w", err)
		}
	}
	client, err := azkeys.NewClient(ref.VaultURL, cred, &azkeys.ClientOptions{
		ClientOptions: azcore.ClientOptions{
			Transport: opt.Transport,
			Retry:     policy.RetryOptions{MaxRetries: -1},
		},
		DisableChallengeResourceVerification: opt.DisableChallengeResourceVerification,
	})
	if err != nil {
		return nil, fmt.Errorf("azurekv: %w", err)
	}
	return New(ctx, uri, client)
}

// New opens the key uri names through api.
func New(ctx context.Context, uri string, api API) (*Key, error) {
	ref, err := ParseURI(uri)
	if err != nil {
		return nil, err
	}
	resp, err := api.GetKey(ctx, ref.Name, ref.Version, nil)
	if err != nil {
		return nil, fmt.Errorf("%s: get key: %w", uri, classify(err))
	}
	if a := resp.Attributes; a != nil && a.Enabled != nil && !*a.Enabled {
		return nil, fmt.Errorf("%w: %s is disabled", ErrKeyUnusable, uri)
	}
	jwk := resp.Key
	if jwk == nil || jwk.Kty == nil || jwk.Crv == nil {
		return nil, fmt.Errorf("%w: %s: the vault returned no key type", ErrUnsupportedCurve, uri)
	}
	if !slices.ContainsFunc(jwk.KeyOps, func(op *azkeys.KeyOperation) bool { return op != nil && *op == azkeys.KeyOperationSign }) {
		return nil, fmt.Errorf("%w: %s does not allow sign", ErrKeyUnusable, uri)
	}
	k := &Key{uri: uri, ref: ref, api: api}
	// Pin the version current now: a version rotated in later must not sign under this public key.
	if k.ref.Version == "" && jwk.KID != nil {
		k.ref.Version = jwk.KID.Version()
	}
	if k.ref.Version == "" {
		return nil, fmt.Errorf("%w: %s: the vault returned no key version", ErrKeyUnusable, uri)
	}
	if *jwk.Kty != azkeys.KeyTypeEC && *jwk.Kty != azkeys.KeyTypeECHSM {
		return nil, fmt.Errorf("%w: %s is %s", ErrUnsupportedCurve, uri, *jwk.Kty)
	}
	if len(jwk.X) != 32 || len(jwk.Y) != 32 {
		return nil, fmt.Errorf("%w: %s: %s coordinates of %d and %d bytes", ErrUnsupportedCurve, uri, *jwk.Crv, len(jwk.X), len(jwk.Y))
	}
	point := append(append([]byte{4}, jwk.X...), jwk.Y...)
	switch *jwk.Crv {
	case azkeys.CurveNameP256K:
		k.alg = signer.ES256K
		k.pub, err = secp256k1.ParsePubKey(point)
	case azkeys.CurveNameP256:
		k.alg = signer.ES256
		k.pub, err = ecdsa.ParseUncompressedPublicKey(elliptic.P256(), point)
	default:
		return nil, fmt.Errorf("%w: %s is on %s (want P-256K or P-256)", ErrUnsupportedCurve, uri, *jwk.Crv)
	}
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %w", ErrUnsupportedCurve, uri, err)
	}
	return k, nil
}

func (k *Key) Name() string                { return k.uri }
func (k *Key) Backend() string             { return "azurekv" }
func (k *Key) Algorithm() signer.Algorithm { return k.alg }
func (k *Key) Public() crypto.PublicKey    { return k.pub }

// Sign asks the vault to sign the 32-byte digest.
func (k *Key) Sign(ctx context.Context, digest []byte) ([]byte, error) {
	if len(digest) != 32 {
		return nil, fmt.Errorf("%w: %s signs a 32-byte digest, got %d bytes", signer.ErrInput, k.alg, len(digest))
	}
	alg := azkeys.SignatureAlgorithmES256
	if k.alg == signer.ES256K {
		alg = azkeys.SignatureAlgorithmES256K
	}
	resp, err := k.api.Sign(ctx, k.ref.Name, k.ref.Version, azkeys.SignParameters{Algorithm: &alg, Value: digest}, nil)
	if err != nil {
		return nil, fmt.Errorf("%s: sign: %w", k.uri, classify(err))
	}
	if len(resp.Result) != 64 {
		return nil, fmt.Errorf("azurekv: %s: %w: %d bytes, want R||S of 64", k.uri, signer.ErrBadSignature, len(resp.Result))
	}
	if k.alg == signer.ES256K {
		return signer.LowS(resp.Result)
	}
	return resp.Result, nil
}

// classify marks Key Vault's errors so that Retry and the metrics can tell a throttle or an outage from a
// configuration error.
func classify(err error) error {
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	var re *azcore.ResponseError
	if errors.As(err, &re) {
		switch re.StatusCode {
		case http.StatusNotFound:
			return fmt.Errorf("%w (%s)", ErrKeyNotFound, re.ErrorCode)
		case http.StatusUnauthorized, http.StatusForbidden:
			return fmt.Errorf("%w: access denied (%s)", ErrKeyUnusable, re.ErrorCode)
		}
		return fmt.Errorf("%w (%s)", signer.StatusError("azurekv", re.StatusCode), re.ErrorCode)
	}
	var netErr net.Error
	if errors.As(err, &netErr) {
		return fmt.Errorf("azurekv: %w: %w", signer.ErrTransient, err)
	}
	return fmt.Errorf("azurekv: %w", err)
}

package gcpkms

import (
	"context"
	"crypto"
	"errors"
	"fmt"
	"hash/crc32"

	kms "cloud.google.com/go/kms/apiv1"
	"cloud.google.com/go/kms/apiv1/kmspb"
	"github.com/googleapis/gax-go/v2"
	"google.golang.org/api/option"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/types/known/wrapperspb"

	"github.com/ionode/ionode/signer"
)

// Errors of opening a key; each is wrapped with the key it concerns.
var (
	// ErrKeyNotFound is returned when there is no such key version (NOT_FOUND).
	ErrKeyNotFound = errors.New("gcpkms: key not found")
	// ErrKeyUnusable is returned for a version that is not enabled, access denied, or not a signing key.
	ErrKeyUnusable = errors.New("gcpkms: key cannot sign")
	// ErrUnsupportedCurve is returned for an algorithm other than EC_SIGN_SECP256K1_SHA256 and EC_SIGN_P256_SHA256.
	ErrUnsupportedCurve = errors.New("gcpkms: unsupported key algorithm")
	// ErrIntegrity is returned when a checksum of the request or response does not match.
	ErrIntegrity = errors.New("gcpkms: checksum mismatch")
)

// API is the part of the Cloud KMS client a key uses.
type API interface {
	GetPublicKey(ctx context.Context, req *kmspb.GetPublicKeyRequest, opts ...gax.CallOption) (*kmspb.PublicKey, error)
	AsymmetricSign(ctx context.Context, req *kmspb.AsymmetricSignRequest, opts ...gax.CallOption) (*kmspb.AsymmetricSignResponse, error)
}

// Key is a Cloud KMS key version: a signer.Signer. Close closes the client Open made.
type Key struct {
	uri, name string
	api       API
	close     func() error
	alg       signer.Algorithm
	pub       crypto.PublicKey
}

// Open connects with Application Default Credentials (or opts: an endpoint, credentials), finds the key
// version uri names and reads its public key: a missing key, a disabled version or another algorithm fails
// here, at start-up.
func Open(ctx context.Context, uri string, opts ...option.ClientOption) (*Key, error) {
	if _, err := ParseURI(uri); err != nil {
		return nil, err
	}
	client, err := kms.NewKeyManagementClient(ctx, opts...)
	if err != nil {
		return nil, fmt.Errorf("gcpkms: client: %w", err)
	}
	// No library retries: signer.Retry is the one policy.
	client.CallOptions.GetPublicKey = nil
	client.CallOptions.AsymmetricSign = nil
	k, err := New(ctx, uri, client)
	if err != nil {
		client.Close()
		return nil, err
	}
	k.close = client.Close
	return k, nil
}

// New opens the key version uri names through api.
func New(ctx context.Context, uri string, api API) (*Key, error) {
	name, err := ParseURI(uri)
	if err != nil {
		return nil, err
	}
	pk, err := api.GetPublicKey(ctx, &kmspb.GetPublicKeyRequest{Name: name})
	if err != nil {
		return nil, fmt.Errorf("%s: GetPublicKey: %w", uri, classify(err))
	}
	if pk.GetName() != name {
		return nil, fmt.Errorf("%w: %s: the public key of %q came back", ErrIntegrity, uri, pk.GetName())
	}
	if c := pk.GetPemCrc32C(); c != nil && c.GetValue() != int64(crc32c([]byte(pk.GetPem()))) {
		return nil, fmt.Errorf("%w: %s: public key", ErrIntegrity, uri)
	}
	var alg signer.Algorithm
	switch pk.GetAlgorithm() {
	case kmspb.CryptoKeyVersion_EC_SIGN_SECP256K1_SHA256:
		alg = signer.ES256K
	case kmspb.CryptoKeyVersion_EC_SIGN_P256_SHA256:
		alg = signer.ES256
	default:
		return nil, fmt.Errorf("%w: %s is %s (want EC_SIGN_SECP256K1_SHA256 or EC_SIGN_P256_SHA256)", ErrUnsupportedCurve, uri, pk.GetAlgorithm())
	}
	pub, err := signer.ParsePublicKey([]byte(pk.GetPem()))
	if err != nil {
		return nil, fmt.Errorf("gcpkms: %s: public key: %w", uri, err)
	}
	if got, _ := signer.AlgorithmOf(pub); got != alg {
		return nil, fmt.Errorf("%w: %s: algorithm %s but a %s public key", ErrUnsupportedCurve, uri, pk.GetAlgorithm(), got)
	}
	return &Key{uri: uri, name: name, api: api, alg: alg, pub: pub}, nil
}

func (k *Key) Name() string                { return k.uri }
func (k *Key) Backend() string             { return "gcpkms" }
func (k *Key) Algorithm() signer.Algorithm { return k.alg }
func (k *Key) Public() crypto.PublicKey    { return k.pub }

// Close closes the client Open made.
func (k *Key) Close() error {
	if k.close == nil {
		return nil
	}
	return k.close()
}

// Sign asks Cloud KMS to sign the 32-byte digest.
func (k *Key) Sign(ctx context.Context, digest []byte) ([]byte, error) {
	if len(digest) != 32 {
		return nil, fmt.Errorf("%w: %s signs a 32-byte digest, got %d bytes", signer.ErrInput, k.alg, len(digest))
	}
	resp, err := k.api.AsymmetricSign(ctx, &kmspb.AsymmetricSignRequest{
		Name:         k.name,
		Digest:       &kmspb.Digest{Digest: &kmspb.Digest_Sha256{Sha256: digest}},
		DigestCrc32C: wrapperspb.Int64(int64(crc32c(digest))),
	})
	if err != nil {
		return nil, fmt.Errorf("%s: AsymmetricSign: %w", k.uri, classify(err))
	}
	// Google's integrity checks: the service saw our digest, signed with the version we named, and the
	// signature arrived as sent. A mismatch is transient (corruption in transit), so it is retried.
	if !resp.GetVerifiedDigestCrc32C() || resp.GetName() != k.name ||
		resp.GetSignatureCrc32C().GetValue() != int64(crc32c(resp.GetSignature())) {
		return nil, fmt.Errorf("%w: %s: signature response: %w", ErrIntegrity, k.uri, signer.ErrTransient)
	}
	sig, err := signer.FromASN1(resp.GetSignature())
	if err != nil {
		return nil, fmt.Errorf("gcpkms: %s: %w", k.uri, err)
	}
	if k.alg == signer.ES256K {
		return signer.LowS(sig)
	}
	return sig, nil
}

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

func crc32c(b []byte) uint32 { return crc32.Checksum(b, castagnoli) }

// classify marks Cloud KMS's gRPC errors so that Retry and the metrics can tell a throttle or an outage
// from a configuration error.
func classify(err error) error {
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	st, ok := status.FromError(err)
	if !ok {
		return fmt.Errorf("gcpkms: %w", err)
	}
	switch st.Code() {
	case codes.NotFound:
		return fmt.Errorf("%w: %s", ErrKeyNotFound, st.Message())
	case codes.PermissionDenied, codes.Unauthenticated, codes.FailedPrecondition:
		return fmt.Errorf("%w: %s: %s", ErrKeyUnusable, st.Code(), st.Message())
	case codes.ResourceExhausted:
		return fmt.Errorf("gcpkms: %s: %w", st.Message(), signer.ErrThrottled)
	case codes.Unavailable, codes.DeadlineExceeded, codes.Internal, codes.Aborted:
		return fmt.Errorf("gcpkms: %s %s: %w", st.Code(), st.Message(), signer.ErrTransient)
	}
	return fmt.Errorf("gcpkms: %s: %s", st.Code(), st.Message())
}

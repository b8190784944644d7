package awskms

import (
	"context"
	"crypto"
	"errors"
	"fmt"
	"net"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsconfig "github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/kms/types"
	"github.com/aws/smithy-go"
	smithyhttp "github.com/aws/smithy-go/transport/http"

	"github.com/ionode/ionode/signer"
)

// Errors of opening a key; each is wrapped with the key it concerns.
var (
	// ErrKeyNotFound is returned when KMS has no such key or alias (NotFoundException).
	ErrKeyNotFound = errors.New("awskms: key not found")
	// ErrKeyUnusable is returned for a key that is disabled, pending deletion or not a signing key.
	ErrKeyUnusable = errors.New("awskms: key cannot sign")
	// ErrUnsupportedCurve is returned for a key spec other than ECC_SECG_P256K1 and ECC_NIST_P256.
	ErrUnsupportedCurve = errors.New("awskms: unsupported key spec")
)

// API is the part of the KMS client a key uses.
type API interface {
	GetPublicKey(ctx context.Context, in *kms.GetPublicKeyInput, opts ...func(*kms.Options)) (*kms.GetPublicKeyOutput, error)
	Sign(ctx context.Context, in *kms.SignInput, opts ...func(*kms.Options)) (*kms.SignOutput, error)
}

// Options change how the client is made. The zero value is the SDK's default chain.
type Options struct {
	// Endpoint overrides the KMS endpoint (an emulator, a VPC endpoint); the SDK's AWS_ENDPOINT_URL_KMS
	// does the same from the environment.
	Endpoint string
	// Region is used when the key is not an ARN and the environment names none.
	Region string
	// Credentials overrides the SDK's credential chain.
	Credentials aws.CredentialsProvider
}

// Key is a KMS key: a signer.Signer.
type Key struct {
	uri, id string
	api     API
	alg     signer.Algorithm
	pub     crypto.PublicKey
}

// Open finds the key uri names and reads its public key: a missing key, a key that cannot sign or one of
// another curve fails here, at start-up, not at the first signing.
func Open(ctx context.Context, uri string, opt Options) (*Key, error) {
	id, err := ParseURI(uri)
	if err != nil {
		return nil, err
	}
	load := []func(*awsconfig.LoadOptions) error{
		awsconfig.WithRetryer(func() aws.Retryer { return aws.NopRetryer{} }),
	}
	if r := region(id); r != "" {
		load = append(load, awsconfig.WithRegion(r))
	} else if opt.Region != "" {
		load = append(load, awsconfig.WithRegion(opt.Region))
	}
	if opt.Credentials != nil {
		load = append(load, awsconfig.WithCredentialsProvider(opt.Credentials))
	}
	cfg, err := awsconfig.LoadDefaultConfig(ctx, load...)
	if err != nil {
		return nil, fmt.Errorf("awskms: AWS configuration: %w", err)
	}
	client := kms.NewFromConfig(cfg, func(o *kms.Options) {
		if opt.Endpoint != "" {
			o.BaseEndpoint = aws.String(opt.Endpoint)
		}
	})
	return New(ctx, uri, client)
}

// New opens the key uri names through api.
func New(ctx context.Context, uri string, api API) (*Key, error) {
	id, err := ParseURI(uri)
	if err != nil {
		return nil, err
	}
	out, err := api.GetPublicKey(ctx, &kms.GetPublicKeyInput{KeyId: aws.String(id)})
	if err != nil {
		return nil, fmt.Errorf("%s: GetPublicKey: %w", uri, classify(err))
	}
	if out.KeyUsage != types.KeyUsageTypeSignVerify {
		return nil, fmt.Errorf("%w: %s has key usage %s, want SIGN_VERIFY", ErrKeyUnusable, uri, out.KeyUsage)
	}
	var alg signer.Algorithm
	switch out.KeySpec {
	case types.KeySpecEccSecgP256k1:
		alg = signer.ES256K
	case types.KeySpecEccNistP256:
		alg = signer.ES256
	default:
		return nil, fmt.Errorf("%w: %s is %s (want ECC_SECG_P256K1 or ECC_NIST_P256)", ErrUnsupportedCurve, uri, out.KeySpec)
	}
	pub, err := signer.ParsePublicKey(out.PublicKey)
	if err != nil {
		return nil, fmt.Errorf("awskms: %s: public key: %w", uri, err)
	}
	if got, _ := signer.AlgorithmOf(pub); got != alg {
		return nil, fmt.Errorf("%w: %s: key spec %s but a %s public key", ErrUnsupportedCurve, uri, out.KeySpec, got)
	}
	return &Key{uri: uri, id: id, api: api, alg: alg, pub: pub}, nil
}

func (k *Key) Name() string                { return k.uri }
func (k *Key) Backend() string             { return "awskms" }
func (k *Key) Algorithm() signer.Algorithm { return k.alg }
func (k *Key) Public() crypto.PublicKey    { return k.pub }

// Sign asks KMS to sign the 32-byte digest.
func (k *Key) Sign(ctx context.Context, digest []byte) ([]byte, error) {
	if len(digest) != 32 {
		return nil, fmt.Errorf("%w: %s signs a 32-byte digest, got %d bytes", signer.ErrInput, k.alg, len(digest))
	}
	out, err := k.api.Sign(ctx, &kms.SignInput{
		KeyId:            aws.String(k.id),
		Message:          digest,
		MessageType:      types.MessageTypeDigest,
		SigningAlgorithm: types.SigningAlgorithmSpecEcdsaSha256,
	})
	if err != nil {
		return nil, fmt.Errorf("%s: Sign: %w", k.uri, classify(err))
	}
	sig, err := signer.FromASN1(out.Signature)
	if err != nil {
		return nil, fmt.Errorf("awskms: %s: %w", k.uri, err)
	}
	if k.alg == signer.ES256K {
		return signer.LowS(sig)
	}
	return sig, nil
}

// classify marks KMS's errors so that Retry and the metrics can tell a throttle or an outage from a
// configuration error.
func classify(err error) error {
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	var nf *types.NotFoundException
	if errors.As(err, &nf) {
		return fmt.Errorf("%w: %w", ErrKeyNotFound, err)
	}
	var disabled *types.DisabledException
	var state *types.KMSInvalidStateException
	var unsupported *types.UnsupportedOperationException
	var usage *types.InvalidKeyUsageException
	if errors.As(err, &disabled) || errors.As(err, &state) || errors.As(err, &unsupported) || errors.As(err, &usage) {
		return fmt.Errorf("%w: %w", ErrKeyUnusable, err)
	}
	var api smithy.APIError
	if errors.As(err, &api) {
		switch api.ErrorCode() {
		case "ThrottlingException", "LimitExceededException", "RequestLimitExceeded", "TooManyRequestsException":
			return fmt.Errorf("awskms: %w: %w", signer.ErrThrottled, err)
		}
	}
	var resp *smithyhttp.ResponseError
	if errors.As(err, &resp) {
		return fmt.Errorf("%w: %w", signer.StatusError("awskms", resp.HTTPStatusCode()), err)
	}
	var netErr net.Error
	if errors.As(err, &netErr) {
		return fmt.Errorf("awskms: %w: %w", signer.ErrTransient, err)
	}
	return fmt.Errorf("awskms: %w", err)
}

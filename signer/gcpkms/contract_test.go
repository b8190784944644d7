package gcpkms_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"encoding/asn1"
	"encoding/pem"
	"hash/crc32"
	"math/big"
	"net"
	"net/url"
	"sync"
	"testing"

	"cloud.google.com/go/kms/apiv1/kmspb"
	"github.com/decred/dcrd/dcrec/secp256k1/v4"
	secpecdsa "github.com/decred/dcrd/dcrec/secp256k1/v4/ecdsa"
	"google.golang.org/api/option"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/types/known/wrapperspb"
)

// cloudKMS is a recorded-contract stand-in for Cloud KMS's gRPC KeyManagementService (the generated
// server interface of the same kmspb the client uses) on a loopback listener. It checks each request as
// the service does (the routing header, the resource name, a SHA-256 digest with its CRC32C) and answers
// with the response fields the service fills (name, checksums, verified_digest_crc32c, a DER signature
// by a real key it holds). It is not Cloud KMS: the real service is not reachable from here.
type cloudKMS struct {
	kmspb.UnimplementedKeyManagementServiceServer
	t    testing.TB
	addr string

	mu       sync.Mutex
	versions map[string]kmsVersion
	signs    int
	refuse   func(n int) error // answers a sign request instead of the service
	corrupt  bool              // flip a byte of the signature after its checksum
}

type kmsVersion struct {
	priv any // *secp256k1.PrivateKey or *ecdsa.PrivateKey
	alg  kmspb.CryptoKeyVersion_CryptoKeyVersionAlgorithm
}

func startKMS(t testing.TB) *cloudKMS {
	t.Helper()
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := grpc.NewServer()
	k := &cloudKMS{t: t, addr: lis.Addr().String(), versions: map[string]kmsVersion{}}
	kmspb.RegisterKeyManagementServiceServer(s, k)
	go s.Serve(lis)
	t.Cleanup(s.Stop)
	return k
}

// options connect the client to the stand-in without TLS or credentials.
func (k *cloudKMS) options(t testing.TB) []option.ClientOption {
	conn, err := grpc.NewClient(k.addr, grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		t.Fatal(err)
	}
	return []option.ClientOption{option.WithGRPCConn(conn)}
}

func (k *cloudKMS) add(name string, v kmsVersion) string {
	k.mu.Lock()
	defer k.mu.Unlock()
	full := "projects/ionode-test/locations/europe-west1/keyRings/ionode/cryptoKeys/" + name + "/cryptoKeyVersions/1"
	k.versions[full] = v
	return "gcpkms://" + full
}

func crc(b []byte) int64 { return int64(crc32.Checksum(b, crc32.MakeTable(crc32.Castagnoli))) }

// routed checks the x-goog-request-params header the service routes by.
func routed(ctx context.Context, name string) error {
	md, _ := metadata.FromIncomingContext(ctx)
	for _, v := range md.Get("x-goog-request-params") {
		if v == "name="+url.QueryEscape(name) {
			return nil
		}
	}
	return status.Errorf(codes.InvalidArgument, "x-goog-request-params %v does not route to %s", md.Get("x-goog-request-params"), name)
}

func (k *cloudKMS) version(name string) (kmsVersion, error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	v, ok := k.versions[name]
	if !ok {
		return v, status.Errorf(codes.NotFound, "CryptoKeyVersion %s not found.", name)
	}
	return v, nil
}

func (k *cloudKMS) GetPublicKey(ctx context.Context, req *kmspb.GetPublicKeyRequest) (*kmspb.PublicKey, error) {
	if err := routed(ctx, req.GetName()); err != nil {
		return nil, err
	}
	v, err := k.version(req.GetName())
	if err != nil {
		return nil, err
	}
	der := spki(k.t, v.priv)
	p := string(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der}))
	return &kmspb.PublicKey{Pem: p, Algorithm: v.alg, PemCrc32C: wrapperspb.Int64(crc([]byte(p))), Name: req.GetName(),
		ProtectionLevel: kmspb.ProtectionLevel_HSM}, nil
}

func (k *cloudKMS) AsymmetricSign(ctx context.Context, req *kmspb.AsymmetricSignRequest) (*kmspb.AsymmetricSignResponse, error) {
	if err := routed(ctx, req.GetName()); err != nil {
		return nil, err
	}
	k.mu.Lock()
	k.signs++
	n, refuse, corrupt := k.signs, k.refuse, k.corrupt
	k.mu.Unlock()
	if refuse != nil {
		if err := refuse(n); err != nil {
			return nil, err
		}
	}
	v, err := k.version(req.GetName())
	if err != nil {
		return nil, err
	}
	digest := req.GetDigest().GetSha256()
	if len(digest) != sha256.Size || req.GetData() != nil {
		return nil, status.Errorf(codes.InvalidArgument, "want a SHA-256 digest, got %d bytes", len(digest))
	}
	if req.GetDigestCrc32C() == nil || req.GetDigestCrc32C().GetValue() != crc(digest) {
		return nil, status.Error(codes.InvalidArgument, "digest_crc32c does not match")
	}
	var sig []byte
	switch priv := v.priv.(type) {
	case *secp256k1.PrivateKey:
		// Cloud KMS may return either S; return the high one for odd digests.
		compact := secpecdsa.SignCompact(priv, digest, false)
		var r, s secp256k1.ModNScalar
		r.SetByteSlice(compact[1:33])
		s.SetByteSlice(compact[33:])
		if digest[0]&1 == 1 {
			s.Negate()
		}
		rb, sb := r.Bytes(), s.Bytes()
		sig, _ = asn1.Marshal(struct{ R, S *big.Int }{new(big.Int).SetBytes(rb[:]), new(big.Int).SetBytes(sb[:])})
	case *ecdsa.PrivateKey:
		sig, _ = ecdsa.SignASN1(rand.Reader, priv, digest)
	}
	sum := crc(sig)
	if corrupt {
		sig[len(sig)-1] ^= 1
	}
	return &kmspb.AsymmetricSignResponse{Signature: sig, SignatureCrc32C: wrapperspb.Int64(sum), VerifiedDigestCrc32C: true,
		Name: req.GetName(), ProtectionLevel: kmspb.ProtectionLevel_HSM}, nil
}

// spki is the SubjectPublicKeyInfo Cloud KMS returns in PEM.
func spki(t testing.TB, priv any) []byte {
	switch p := priv.(type) {
	case *ecdsa.PrivateKey:
		der, err := x509.MarshalPKIXPublicKey(&p.PublicKey)
		if err != nil {
			t.Error(err)
		}
		return der
	case *secp256k1.PrivateKey:
		curve, _ := asn1.Marshal(asn1.ObjectIdentifier{1, 3, 132, 0, 10})
		type algo struct {
			OID    asn1.ObjectIdentifier
			Params asn1.RawValue
		}
		der, err := asn1.Marshal(struct {
			Algorithm algo
			Key       asn1.BitString
		}{algo{asn1.ObjectIdentifier{1, 2, 840, 10045, 2, 1}, asn1.RawValue{FullBytes: curve}},
			asn1.BitString{Bytes: p.PubKey().SerializeUncompressed(), BitLength: 520}})
		if err != nil {
			t.Error(err)
		}
		return der
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

package anchor

import (
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"strings"

	"github.com/btcsuite/btcd/address/v2"
	"github.com/btcsuite/btcd/btcec/v2"
	"github.com/btcsuite/btcd/btcutil/v2"
	"github.com/btcsuite/btcd/chaincfg/v2"
	"github.com/btcsuite/btcd/txscript/v2"

	"github.com/ionode/ionode/signer"
)

// ErrBadKey is returned for key material that is neither 64 hex digits nor a WIF for the network.
var ErrBadKey = errors.New("anchor: invalid private key")

// Key is the writer's secp256k1 key on one network. Its signatures come from a signer.Signer, so the key
// can live in a file, an HSM or a KMS. It never prints its secret: String, GoString and LogValue show the
// address only.
type Key struct {
	priv    *btcec.PrivateKey // nil when the key is held outside this process
	signer  signer.Signer
	pub     []byte // compressed public key
	net     *chaincfg.Params
	p2pkh   *address.AddressPubKeyHash
	p2wpkh  *address.AddressWitnessPubKeyHash
	pkh     []byte
	scripts [2][]byte // P2PKH, P2WPKH
}

// GenerateKey creates a new random key.
func GenerateKey(net *chaincfg.Params) (*Key, error) {
	priv, err := btcec.NewPrivateKey()
	if err != nil {
		return nil, fmt.Errorf("anchor: %w", err)
	}
	return newKey(priv, net)
}

// ParseKey reads a private key as 64 hex digits or as WIF (whose network must be net's).
func ParseKey(s string, net *chaincfg.Params) (*Key, error) {
	s = strings.TrimSpace(s)
	if len(s) == 64 {
		if b, err := hex.DecodeString(s); err == nil {
			priv, _ := btcec.PrivKeyFromBytes(b)
			if priv.Key.IsZero() {
				return nil, ErrBadKey
			}
			return newKey(priv, net)
		}
	}
	wif, err := btcutil.DecodeWIF(s)
	if err != nil {
		return nil, ErrBadKey // the decoder's message could echo the input
	}
	if !wif.IsForNet(net) {
		return nil, fmt.Errorf("%w: WIF for another network", ErrBadKey)
	}
	return newKey(wif.PrivKey, net)
}

// LoadKey reads a key from a file (hex or WIF, surrounding whitespace ignored).
func LoadKey(path string, net *chaincfg.Params) (*Key, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("anchor: key file: %w", err)
	}
	return ParseKey(string(b), net)
}

// KeyFromEnv reads a key from an environment variable (hex or WIF).
func KeyFromEnv(name string, net *chaincfg.Params) (*Key, error) {
	v, ok := os.LookupEnv(name)
	if !ok || v == "" {
		return nil, fmt.Errorf("anchor: environment variable %s is not set", name)
	}
	return ParseKey(v, net)
}

func newKey(priv *btcec.PrivateKey, net *chaincfg.Params) (*Key, error) {
	local, err := signer.NewLocal("writer key", "file", priv)
	if err != nil {
		return nil, err
	}
	k, err := NewSignerKey(local, net)
	if err != nil {
		return nil, err
	}
	k.priv = priv
	return k, nil
}

// NewSignerKey makes the writer key from a secp256k1 signer (a PKCS#11 token, a KMS key). Its signatures
// are checked against its public key before a transaction is broadcast.
func NewSignerKey(s signer.Signer, net *chaincfg.Params) (*Key, error) {
	pub, ok := s.Public().(*btcec.PublicKey)
	if !ok || s.Algorithm() != signer.ES256K {
		return nil, fmt.Errorf("%w: the writer key %s must be secp256k1, not %s", ErrBadKey, s.Name(), s.Algorithm())
	}
	compressed := pub.SerializeCompressed()
	pkh := address.Hash160(compressed)
	p2pkh, err := address.NewAddressPubKeyHash(pkh, net)
	if err != nil {
		return nil, fmt.Errorf("anchor: %w", err)
	}
	p2wpkh, err := address.NewAddressWitnessPubKeyHash(pkh, net)
	if err != nil {
		return nil, fmt.Errorf("anchor: %w", err)
	}
	k := &Key{signer: signer.Checked(s), pub: compressed, net: net, p2pkh: p2pkh, p2wpkh: p2wpkh, pkh: pkh}
	if k.scripts[0], err = txscript.PayToAddrScript(p2pkh); err != nil {
		return nil, err
	}
	if k.scripts[1], err = txscript.PayToAddrScript(p2wpkh); err != nil {
		return nil, err
	}
	return k, nil
}

// Signer is what signs for the key (its health is the writer's: /readyz?check=writer probes it).
func (k *Key) Signer() signer.Signer { return k.signer }

// Address is the key's P2PKH address: fund the writer here. ION identifies a writer by the P2PKH output
// its transaction's first input spends, so anchors always spend one of these first.
func (k *Key) Address() string { return k.p2pkh.EncodeAddress() }

// SegwitAddress is the key's P2WPKH address; outputs there are spent as additional inputs only.
func (k *Key) SegwitAddress() string { return k.p2wpkh.EncodeAddress() }

// WriterID is the writer identity ION derives for this key's transactions (hex public key hash).
func (k *Key) WriterID() string { return hex.EncodeToString(k.pkh) }

// ErrNotExportable is returned by WIF for a key held in an HSM or a KMS.
var ErrNotExportable = errors.New("anchor: the key is held outside this process and cannot be exported")

// WIF exports the private key (for backups; never log it).
func (k *Key) WIF() (string, error) {
	if k.priv == nil {
		return "", ErrNotExportable
	}
	w, err := btcutil.NewWIF(k.priv, k.net, true)
	if err != nil {
		return "", err
	}
	return w.String(), nil
}

func (k *Key) String() string   { return "anchor.Key{" + k.Address() + ", private key redacted}" }
func (k *Key) GoString() string { return k.String() }

// LogValue keeps the secret out of structured logs.
func (k *Key) LogValue() slog.Value {
	return slog.GroupValue(slog.String("address", k.Address()), slog.String("private_key", "redacted"))
}

// owns reports whether a script pays this key, and whether it is P2PKH.
func (k *Key) owns(pkScript []byte) (mine, p2pkh bool) {
	switch string(pkScript) {
	case string(k.scripts[0]):
		return true, true
	case string(k.scripts[1]):
		return true, false
	}
	return false, false
}

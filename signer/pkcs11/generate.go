//go:build cgo

package pkcs11

import (
	"context"
	"fmt"

	p11 "github.com/miekg/pkcs11"

	"github.com/ionode/ionode/signer"
)

// Generate makes a key pair inside the token, labelled with the URI's object: the private key is
// sensitive and never extractable, so it exists only in the token. It refuses a label already in use
// (two keys with one label would make the URI ambiguous) and returns the new key, opened.
func Generate(ctx context.Context, cfg Config, alg signer.Algorithm) (Key, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	pin, err := cfg.pin()
	if err != nil {
		return nil, err
	}
	mech, params := uint(p11.CKM_EC_KEY_PAIR_GEN), oidSecp256k1
	switch alg {
	case signer.ES256K:
	case signer.ES256:
		params = oidP256
	case signer.EdDSA:
		mech, params = ckmECEdwardsKeyPairGen, oidEd25519
	default:
		return nil, fmt.Errorf("%w: %q", ErrUnsupportedCurve, alg)
	}
	t, err := openToken(cfg)
	if err != nil {
		return nil, err
	}
	k, err := generate(t, cfg, pin, mech, params)
	if err != nil {
		t.close()
		return nil, err
	}
	return k, nil
}

func generate(t *token, cfg Config, pin string, mech uint, params []byte) (*tokenKey, error) {
	sh, err := t.session(pin)
	if err != nil {
		return nil, err
	}
	defer t.ctx.CloseSession(sh)
	for _, class := range []uint{p11.CKO_PRIVATE_KEY, p11.CKO_PUBLIC_KEY} {
		objs, err := t.find(sh, class, URI{Object: cfg.URI.Object})
		if err != nil {
			return nil, err
		}
		if len(objs) > 0 {
			return nil, fmt.Errorf("%w: %q in token %q", ErrKeyExists, cfg.URI.Object, cfg.URI.Token)
		}
	}
	id := cfg.URI.ID
	if len(id) == 0 {
		id = []byte(cfg.URI.Object)
	}
	pub := []*p11.Attribute{
		p11.NewAttribute(p11.CKA_TOKEN, true),
		p11.NewAttribute(p11.CKA_VERIFY, true),
		p11.NewAttribute(p11.CKA_LABEL, cfg.URI.Object),
		p11.NewAttribute(p11.CKA_ID, id),
		p11.NewAttribute(p11.CKA_EC_PARAMS, params),
	}
	priv := []*p11.Attribute{
		p11.NewAttribute(p11.CKA_TOKEN, true),
		p11.NewAttribute(p11.CKA_PRIVATE, true),
		p11.NewAttribute(p11.CKA_SIGN, true),
		p11.NewAttribute(p11.CKA_SENSITIVE, true),
		p11.NewAttribute(p11.CKA_EXTRACTABLE, false),
		p11.NewAttribute(p11.CKA_LABEL, cfg.URI.Object),
		p11.NewAttribute(p11.CKA_ID, id),
	}
	if _, _, err := t.ctx.GenerateKeyPair(sh, []*p11.Mechanism{p11.NewMechanism(mech, nil)}, pub, priv); err != nil {
		if isCode(err, ckrFunctionNotSupported) || isCode(err, p11.CKR_MECHANISM_INVALID) || isCode(err, p11.CKR_CURVE_NOT_SUPPORTED) || isCode(err, p11.CKR_DOMAIN_PARAMS_INVALID) {
			return nil, fmt.Errorf("%w: token %q cannot generate this key: %w", ErrUnsupportedCurve, cfg.URI.Token, err)
		}
		return nil, fmt.Errorf("pkcs11: generate %q in token %q: %w", cfg.URI.Object, cfg.URI.Token, err)
	}
	return newKey(t, cfg, pin)
}

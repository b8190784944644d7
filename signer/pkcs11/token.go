//go:build cgo

package pkcs11

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"encoding/asn1"
	"errors"
	"fmt"
	"strings"
	"sync"

	"github.com/decred/dcrd/dcrec/secp256k1/v4"
	p11 "github.com/miekg/pkcs11"

	"github.com/ionode/ionode/signer"
)

// PKCS#11 v3.0 Edwards-curve constants, which miekg/pkcs11 v1.1.2 predates.
const (
	ckkECEdwards            = 0x40
	ckmECEdwardsKeyPairGen  = 0x1055
	ckmEdDSA                = 0x1057
	defaultSessions         = 4
	findLimit               = 2 // enough to tell "one" from "several"
	invalid                 = p11.SessionHandle(0)
	ckrAlreadyInitialized   = p11.CKR_CRYPTOKI_ALREADY_INITIALIZED
	ckrUserAlreadyLoggedIn  = p11.CKR_USER_ALREADY_LOGGED_IN
	ckrPINIncorrect         = p11.CKR_PIN_INCORRECT
	ckrPINLocked            = p11.CKR_PIN_LOCKED
	ckrFunctionNotSupported = p11.CKR_FUNCTION_NOT_SUPPORTED
)

// DER-encoded curve identifiers for CKA_EC_PARAMS.
var (
	oidSecp256k1 = []byte{0x06, 0x05, 0x2b, 0x81, 0x04, 0x00, 0x0a}                   // 1.3.132.0.10
	oidP256      = []byte{0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07} // 1.2.840.10045.3.1.7
	oidEd25519   = []byte{0x06, 0x03, 0x2b, 0x65, 0x70}                               // 1.3.101.112
	// edwards25519 as a PrintableString, the form PKCS#11 v3.0 also allows.
	nameEd25519 = append([]byte{0x13, 0x0c}, "edwards25519"...)
)

// token is one loaded module with the slot of one token.
type token struct {
	ctx   *p11.Ctx
	slot  uint
	label string
}

func openToken(cfg Config) (*token, error) {
	path, err := cfg.module()
	if err != nil {
		return nil, err
	}
	ctx := p11.New(path)
	if ctx == nil {
		return nil, fmt.Errorf("%w %s", ErrModule, path)
	}
	if err := ctx.Initialize(); err != nil && !isCode(err, ckrAlreadyInitialized) {
		ctx.Destroy()
		return nil, fmt.Errorf("%w %s: C_Initialize: %w", ErrModule, path, err)
	}
	t := &token{ctx: ctx, label: cfg.URI.Token}
	slots, err := ctx.GetSlotList(true)
	if err != nil {
		t.close()
		return nil, fmt.Errorf("pkcs11: list slots: %w", err)
	}
	for _, s := range slots {
		info, err := ctx.GetTokenInfo(s)
		if err == nil && strings.TrimRight(info.Label, " \x00") == cfg.URI.Token {
			t.slot = s
			return t, nil
		}
	}
	t.close()
	return nil, fmt.Errorf("%w: no token labelled %q in %s", ErrTokenNotFound, cfg.URI.Token, path)
}

func (t *token) close() error {
	err := t.ctx.Finalize()
	t.ctx.Destroy()
	return err
}

// session opens a session and logs the user in (a login covers every session of the application).
func (t *token) session(pin string) (p11.SessionHandle, error) {
	sh, err := t.ctx.OpenSession(t.slot, p11.CKF_SERIAL_SESSION|p11.CKF_RW_SESSION)
	if err != nil {
		return invalid, fmt.Errorf("pkcs11: open session on token %q: %w", t.label, classify(err))
	}
	if err := t.ctx.Login(sh, p11.CKU_USER, pin); err != nil && !isCode(err, ckrUserAlreadyLoggedIn) {
		_ = t.ctx.CloseSession(sh)
		if isCode(err, ckrPINIncorrect) || isCode(err, ckrPINLocked) {
			return invalid, fmt.Errorf("%w for token %q (%w)", ErrWrongPIN, t.label, err)
		}
		return invalid, fmt.Errorf("pkcs11: login to token %q: %w", t.label, classify(err))
	}
	return sh, nil
}

// find returns the objects of a class with the label (and id, when given).
func (t *token) find(sh p11.SessionHandle, class uint, u URI) ([]p11.ObjectHandle, error) {
	tmpl := []*p11.Attribute{p11.NewAttribute(p11.CKA_CLASS, class), p11.NewAttribute(p11.CKA_LABEL, u.Object)}
	if len(u.ID) > 0 {
		tmpl = append(tmpl, p11.NewAttribute(p11.CKA_ID, u.ID))
	}
	if err := t.ctx.FindObjectsInit(sh, tmpl); err != nil {
		return nil, fmt.Errorf("pkcs11: find %q: %w", u.Object, classify(err))
	}
	objs, _, err := t.ctx.FindObjects(sh, findLimit)
	if ferr := t.ctx.FindObjectsFinal(sh); err == nil {
		err = ferr
	}
	if err != nil {
		return nil, fmt.Errorf("pkcs11: find %q: %w", u.Object, classify(err))
	}
	return objs, nil
}

// tokenKey is a private key in a token with a pool of logged-in sessions.
type tokenKey struct {
	t    *token
	uri  URI
	pin  string
	alg  signer.Algorithm
	pub  crypto.PublicKey
	mech []*p11.Mechanism

	mu   sync.Mutex // guards priv and closed
	priv p11.ObjectHandle
	// stale is set when the token dropped a session or a handle: the key is looked up again before the
	// next signing (a token removed and inserted again gives new handles).
	stale  bool
	closed bool
	pool   chan p11.SessionHandle // invalid entries are opened on use
}

// Open finds the key the URI names in its token and logs in. Every failure is one line naming the token
// and label: the module cannot load, no such token, wrong PIN, no such key, an unsupported curve.
func Open(ctx context.Context, cfg Config) (Key, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	pin, err := cfg.pin()
	if err != nil {
		return nil, err
	}
	t, err := openToken(cfg)
	if err != nil {
		return nil, err
	}
	k, err := newKey(t, cfg, pin)
	if err != nil {
		t.close()
		return nil, err
	}
	return k, nil
}

func newKey(t *token, cfg Config, pin string) (*tokenKey, error) {
	n := cfg.Sessions
	if n <= 0 {
		n = defaultSessions
	}
	k := &tokenKey{t: t, uri: cfg.URI, pin: pin, pool: make(chan p11.SessionHandle, n)}
	sh, err := t.session(pin)
	if err != nil {
		return nil, err
	}
	if err := k.load(sh); err != nil {
		_ = t.ctx.CloseSession(sh)
		return nil, err
	}
	k.pool <- sh
	for range n - 1 {
		k.pool <- invalid
	}
	return k, nil
}

// load finds the private key and its public half and learns the algorithm.
func (k *tokenKey) load(sh p11.SessionHandle) error {
	privs, err := k.t.find(sh, p11.CKO_PRIVATE_KEY, k.uri)
	if err != nil {
		return err
	}
	switch len(privs) {
	case 0:
		return fmt.Errorf("%w: no private key labelled %q in token %q", ErrKeyNotFound, k.uri.Object, k.uri.Token)
	case 1:
	default:
		return fmt.Errorf("pkcs11: several private keys labelled %q in token %q: add id= to the URI", k.uri.Object, k.uri.Token)
	}
	attrs, err := k.t.ctx.GetAttributeValue(sh, privs[0], []*p11.Attribute{
		p11.NewAttribute(p11.CKA_KEY_TYPE, nil), p11.NewAttribute(p11.CKA_EC_PARAMS, nil),
	})
	if err != nil {
		return fmt.Errorf("%w: key %q: %w", ErrUnsupportedCurve, k.uri.Object, err)
	}
	alg, err := algorithmOf(attrs[0].Value, attrs[1].Value)
	if err != nil {
		return fmt.Errorf("key %q in token %q: %w", k.uri.Object, k.uri.Token, err)
	}
	pubs, err := k.t.find(sh, p11.CKO_PUBLIC_KEY, k.uri)
	if err != nil {
		return err
	}
	if len(pubs) != 1 {
		return fmt.Errorf("%w: no single public key labelled %q in token %q", ErrKeyNotFound, k.uri.Object, k.uri.Token)
	}
	pa, err := k.t.ctx.GetAttributeValue(sh, pubs[0], []*p11.Attribute{p11.NewAttribute(p11.CKA_EC_POINT, nil)})
	if err != nil {
		return fmt.Errorf("pkcs11: public key %q: %w", k.uri.Object, err)
	}
	pub, err := publicKey(alg, pa[0].Value)
	if err != nil {
		return fmt.Errorf("pkcs11: public key %q: %w", k.uri.Object, err)
	}
	if k.pub != nil && !samePublic(k.pub, pub) {
		return fmt.Errorf("pkcs11: the key labelled %q in token %q has changed", k.uri.Object, k.uri.Token)
	}
	k.alg, k.pub, k.priv, k.stale = alg, pub, privs[0], false
	k.mech = []*p11.Mechanism{p11.NewMechanism(p11.CKM_ECDSA, nil)}
	if alg == signer.EdDSA {
		k.mech = []*p11.Mechanism{p11.NewMechanism(ckmEdDSA, nil)}
	}
	return nil
}

func algorithmOf(keyType, params []byte) (signer.Algorithm, error) {
	kt := uint(0)
	for i := len(keyType) - 1; i >= 0; i-- { // CK_ULONG in host (little-endian) order
		kt = kt<<8 | uint(keyType[i])
	}
	switch {
	case kt == p11.CKK_EC && string(params) == string(oidSecp256k1):
		return signer.ES256K, nil
	case kt == p11.CKK_EC && string(params) == string(oidP256):
		return signer.ES256, nil
	case kt == ckkECEdwards && (string(params) == string(oidEd25519) || string(params) == string(nameEd25519)):
		return signer.EdDSA, nil
	}
	return "", fmt.Errorf("%w (key type %#x, curve %x): use secp256k1, P-256 or Ed25519", ErrUnsupportedCurve, kt, params)
}

// publicKey decodes CKA_EC_POINT: a DER OCTET STRING holding the point (some tokens omit the wrapping).
func publicKey(alg signer.Algorithm, point []byte) (crypto.PublicKey, error) {
	var raw []byte
	if rest, err := asn1.Unmarshal(point, &raw); err != nil || len(rest) != 0 {
		raw = point
	}
	switch alg {
	case signer.ES256K:
		return secp256k1.ParsePubKey(raw)
	case signer.ES256:
		return ecdsa.ParseUncompressedPublicKey(elliptic.P256(), raw)
	case signer.EdDSA:
		if len(raw) != ed25519.PublicKeySize {
			return nil, fmt.Errorf("Ed25519 point of %d bytes", len(raw))
		}
		return ed25519.PublicKey(raw), nil
	}
	return nil, ErrUnsupportedCurve
}

func samePublic(a, b crypto.PublicKey) bool {
	type equaler interface{ Equal(crypto.PublicKey) bool }
	if e, ok := a.(equaler); ok {
		return e.Equal(b)
	}
	pa, ok1 := a.(*secp256k1.PublicKey)
	pb, ok2 := b.(*secp256k1.PublicKey)
	return ok1 && ok2 && pa.IsEqual(pb)
}

func (k *tokenKey) Name() string                { return k.uri.String() }
func (k *tokenKey) Backend() string             { return "pkcs11" }
func (k *tokenKey) Algorithm() signer.Algorithm { return k.alg }
func (k *tokenKey) Public() crypto.PublicKey    { return k.pub }

// Sign signs with a pooled session. A session the token dropped is closed and replaced on the next use,
// and the error wraps signer.ErrTransient so that signer.Retry tries again.
func (k *tokenKey) Sign(ctx context.Context, data []byte) ([]byte, error) {
	if k.alg != signer.EdDSA && len(data) != 32 {
		return nil, fmt.Errorf("%w: %s signs a 32-byte digest, got %d bytes", signer.ErrInput, k.alg, len(data))
	}
	var sh p11.SessionHandle
	select {
	case sh = <-k.pool:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	sig, err := k.signWith(&sh, data)
	k.pool <- sh
	if err != nil {
		return nil, fmt.Errorf("pkcs11: sign with %q in token %q: %w", k.uri.Object, k.uri.Token, err)
	}
	if k.alg == signer.ES256K {
		return signer.LowS(sig) // tokens return either S; Bitcoin and ES256K want the low one
	}
	return sig, nil
}

func (k *tokenKey) signWith(sh *p11.SessionHandle, data []byte) ([]byte, error) {
	k.mu.Lock()
	if k.closed {
		k.mu.Unlock()
		return nil, errors.New("key closed")
	}
	if *sh == invalid {
		s, err := k.t.session(k.pin)
		if err != nil {
			k.mu.Unlock()
			return nil, err
		}
		*sh = s
	}
	if k.stale {
		if err := k.load(*sh); err != nil {
			k.mu.Unlock()
			return nil, fmt.Errorf("%w: %w", signer.ErrTransient, err)
		}
	}
	priv := k.priv
	k.mu.Unlock()
	err := k.t.ctx.SignInit(*sh, k.mech, priv)
	var sig []byte
	if err == nil {
		sig, err = k.t.ctx.Sign(*sh, data)
	}
	if err != nil {
		err = classify(err)
		if errors.Is(err, signer.ErrTransient) {
			_ = k.t.ctx.CloseSession(*sh)
			*sh = invalid
			k.mu.Lock()
			k.stale = true
			k.mu.Unlock()
		}
		return nil, err
	}
	return sig, nil
}

// Close closes the sessions and unloads the module.
func (k *tokenKey) Close() error {
	k.mu.Lock()
	if k.closed {
		k.mu.Unlock()
		return nil
	}
	k.closed = true
	k.mu.Unlock()
	for range cap(k.pool) {
		if sh := <-k.pool; sh != invalid {
			_ = k.t.ctx.CloseSession(sh)
		}
	}
	return k.t.close()
}

// isCode reports whether err is the PKCS#11 return value code.
func isCode(err error, code uint) bool {
	var e p11.Error
	return errors.As(err, &e) && uint(e) == code
}

// classify marks the return values after which a new session (or a reinserted token) can succeed.
func classify(err error) error {
	var e p11.Error
	if !errors.As(err, &e) {
		return err
	}
	switch uint(e) {
	case p11.CKR_SESSION_HANDLE_INVALID, p11.CKR_SESSION_CLOSED, p11.CKR_DEVICE_REMOVED,
		p11.CKR_TOKEN_NOT_PRESENT, p11.CKR_DEVICE_ERROR, p11.CKR_DEVICE_MEMORY, p11.CKR_USER_NOT_LOGGED_IN,
		p11.CKR_KEY_HANDLE_INVALID, p11.CKR_OBJECT_HANDLE_INVALID, p11.CKR_SESSION_COUNT:
		return fmt.Errorf("%w: %w", signer.ErrTransient, err)
	}
	return err
}

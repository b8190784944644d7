package pkcs11

import (
	"errors"

	"github.com/ionode/ionode/signer"
)

// Errors of key lookup and login. Each is wrapped with the token and label it concerns, so that a
// misconfigured node stops at start-up with one line that says what to fix.
var (
	// ErrNoCGO is returned by a build without cgo, which cannot load a PKCS#11 module.
	ErrNoCGO = errors.New("pkcs11: this ionode was built without cgo and cannot load a PKCS#11 module")
	// ErrModule is returned when the module cannot be loaded or initialized.
	ErrModule = errors.New("pkcs11: cannot load module")
	// ErrTokenNotFound is returned when no slot holds a token with the URI's label.
	ErrTokenNotFound = errors.New("pkcs11: token not found")
	// ErrWrongPIN is returned when the token refuses the PIN (CKR_PIN_INCORRECT).
	ErrWrongPIN = errors.New("pkcs11: wrong PIN")
	// ErrKeyNotFound is returned when the token has no private key with the label.
	ErrKeyNotFound = errors.New("pkcs11: key not found")
	// ErrKeyExists is returned by Generate when a key with the label exists already.
	ErrKeyExists = errors.New("pkcs11: a key with this label exists")
	// ErrUnsupportedCurve is returned for a key that is not secp256k1, P-256 or Ed25519.
	ErrUnsupportedCurve = errors.New("pkcs11: unsupported key type or curve")
)

// Key is a key in a token: a signer.Signer whose sessions Close returns to the token.
type Key interface {
	signer.Signer
	Close() error
}

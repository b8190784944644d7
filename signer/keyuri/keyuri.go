// Package keyuri opens a signing key by its URI, whichever custody it names: a PKCS#11 token
// (pkcs11:…), AWS KMS (awskms:///…), Azure Key Vault (azurekv://…) or Google Cloud KMS (gcpkms://…).
// It is the one place that maps a scheme to a backend, so that `ionode serve` and the CLI accept the same
// key URIs. Each key is read (and, for PKCS#11, logged into) when it is opened, so that a misconfigured
// key fails at start-up with one line.
package keyuri

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/ionode/ionode/signer"
	"github.com/ionode/ionode/signer/awskms"
	"github.com/ionode/ionode/signer/azurekv"
	"github.com/ionode/ionode/signer/gcpkms"
	"github.com/ionode/ionode/signer/pkcs11"
)

// ErrScheme is returned for a reference that is not a key URI of a known scheme.
var ErrScheme = errors.New("keyuri: not a key URI (want pkcs11:, awskms:///, azurekv:// or gcpkms://)")

// Key is an opened key; Close releases its sessions or client.
type Key interface {
	signer.Signer
	Close() error
}

// Options carry what a URI does not say.
type Options struct {
	// PKCS11Module is the module for pkcs11: URIs without a module-path.
	PKCS11Module string
	// PKCS11Sessions is the session pool size (default pkcs11's).
	PKCS11Sessions int
}

var schemes = []string{"pkcs11:", awskms.Scheme, azurekv.Scheme, gcpkms.Scheme}

// IsURI reports whether ref names a key in a token or a KMS rather than a file.
func IsURI(ref string) bool {
	for _, s := range schemes {
		if strings.HasPrefix(ref, s) {
			return true
		}
	}
	return false
}

// Open opens the key ref names.
func Open(ctx context.Context, ref string, opt Options) (Key, error) {
	switch {
	case strings.HasPrefix(ref, "pkcs11:"):
		u, err := pkcs11.ParseURI(ref)
		if err != nil {
			return nil, err
		}
		cfg := pkcs11.Config{URI: u, Sessions: opt.PKCS11Sessions}
		if u.Module == "" {
			cfg.ModulePath = opt.PKCS11Module
		}
		return pkcs11.Open(ctx, cfg)
	case strings.HasPrefix(ref, awskms.Scheme):
		k, err := awskms.Open(ctx, ref, awskms.Options{})
		if err != nil {
			return nil, err
		}
		return noClose{k}, nil
	case strings.HasPrefix(ref, azurekv.Scheme):
		k, err := azurekv.Open(ctx, ref, azurekv.Options{})
		if err != nil {
			return nil, err
		}
		return noClose{k}, nil
	case strings.HasPrefix(ref, gcpkms.Scheme):
		k, err := gcpkms.Open(ctx, ref)
		if err != nil {
			return nil, err
		}
		return k, nil
	}
	return nil, fmt.Errorf("%w: %q", ErrScheme, redact(ref))
}

// noClose is a key whose client holds nothing to release.
type noClose struct{ signer.Signer }

func (noClose) Close() error { return nil }

// redact keeps a mistyped reference that might be a secret (a WIF, a hex key) out of the error.
func redact(ref string) string {
	if len(ref) > 12 {
		return ref[:8] + "…"
	}
	return ref
}

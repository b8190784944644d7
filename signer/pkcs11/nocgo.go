//go:build !cgo

package pkcs11

import (
	"context"
	"fmt"

	"github.com/ionode/ionode/signer"
)

// Open fails: a build without cgo cannot load a PKCS#11 module.
func Open(ctx context.Context, cfg Config) (Key, error) {
	return nil, fmt.Errorf("%w (%s)", ErrNoCGO, cfg.URI)
}

// Generate fails: a build without cgo cannot load a PKCS#11 module.
func Generate(ctx context.Context, cfg Config, alg signer.Algorithm) (Key, error) {
	return nil, fmt.Errorf("%w (%s)", ErrNoCGO, cfg.URI)
}

package daemon

import (
	"context"
	"fmt"
	"os"

	"github.com/btcsuite/btcd/chaincfg/v2"

	"github.com/ionode/ionode/anchor"
)

// WriterKeyEnv is the environment variable a writer key (hex or WIF) can come from instead of a file,
// for secret stores that inject environment variables. ionode serve reads it; it has no flag, since a
// command line shows in every process listing.
const WriterKeyEnv = "ION_WRITER_KEY"

// checkSecretFiles refuses key files that anyone but their owner may read or write: such a key must be
// taken as leaked (and a writable one as replaceable), so the node does not start with it.
func (c Config) checkSecretFiles() error {
	files := []struct{ flag, path string }{
		{"--writer-key-file", c.WriterKeyFile},
		{"--issuer-key-file", c.Credentials.IssuerKeyFile},
		{"--verifier-key-file", c.Credentials.VerifierKeyFile},
		{"--tls-key-file", c.HTTP.TLSKeyFile},
	}
	for _, f := range files {
		if f.path == "" || isTokenURI(f.path) {
			continue
		}
		if err := ownerOnly(f.flag, f.path); err != nil {
			return err
		}
	}
	return nil
}

// ownerOnly fails unless the file's permissions give group and others nothing.
func ownerOnly(flag, path string) error {
	info, err := os.Stat(path)
	if err != nil {
		return fmt.Errorf("%s: %w", flag, err)
	}
	if perm := info.Mode().Perm(); perm&0o077 != 0 {
		return fmt.Errorf("%s %s is accessible to group or others (mode %v): refusing to start; run chmod 600 %s", flag, path, perm, path)
	}
	return nil
}

// hasWriterKey: the node can pay for anchors.
func (c Config) hasWriterKey() bool { return c.WriterKeyFile != "" || c.WriterKey != "" }

// writerKey loads the writer key from the environment value or the (owner-only) file. Errors never
// carry the key material (anchor.ParseKey's do not).
func (c Config) writerKey(ctx context.Context, params *chaincfg.Params, open tokenOpener) (*anchor.Key, error) {
	if isTokenURI(c.WriterKeyFile) && c.WriterKey == "" {
		s, err := open(ctx, "--writer-key-file", c.WriterKeyFile)
		if err != nil {
			return nil, err
		}
		k, err := anchor.NewSignerKey(s, params)
		if err != nil {
			return nil, fmt.Errorf("--writer-key-file: %w", err)
		}
		return k, nil
	}
	if c.WriterKey != "" {
		k, err := anchor.ParseKey(c.WriterKey, params)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", WriterKeyEnv, err)
		}
		return k, nil
	}
	if err := ownerOnly("--writer-key-file", c.WriterKeyFile); err != nil {
		return nil, err
	}
	return anchor.LoadKey(c.WriterKeyFile, params)
}

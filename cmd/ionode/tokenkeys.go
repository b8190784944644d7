package main

import (
	"context"
	"crypto/rand"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/decred/dcrd/dcrec/secp256k1/v4"
	"github.com/spf13/cobra"

	"github.com/ionode/ionode/resolver"
	"github.com/ionode/ionode/sidetree"
	"github.com/ionode/ionode/signer"
	"github.com/ionode/ionode/signer/keyuri"
	"github.com/ionode/ionode/signer/pkcs11"
)

// ModuleEnv names the PKCS#11 module when a key URI has no module-path; the PIN comes from
// pkcs11.DefaultPINEnv or the URI's pin-source file, never from a flag value.
const ModuleEnv = "IONODE_PKCS11_MODULE"

// isTokenURI reports whether a key reference names a key in a PKCS#11 token or a cloud KMS rather than a
// file.
func isTokenURI(ref string) bool { return keyuri.IsURI(ref) }

// tokenConfig reads a key URI with the module from the URI or $IONODE_PKCS11_MODULE.
func tokenConfig(ref string) (pkcs11.Config, error) {
	u, err := pkcs11.ParseURI(ref)
	if err != nil {
		return pkcs11.Config{}, fail(exitInvalidInput, "%v", err)
	}
	cfg := pkcs11.Config{URI: u, Sessions: 1}
	if u.Module == "" {
		cfg.ModulePath = os.Getenv(ModuleEnv)
	}
	return cfg, nil
}

// openTokenKey opens the key a key URI names (pkcs11:, awskms:///, azurekv://, gcpkms://); every
// configuration error is one line, exit code 2.
func openTokenKey(ctx context.Context, ref string) (keyuri.Key, error) {
	k, err := keyuri.Open(ctx, ref, keyuri.Options{PKCS11Module: os.Getenv(ModuleEnv), PKCS11Sessions: 1})
	if err != nil {
		return nil, fail(exitInvalidInput, "%v", err)
	}
	return k, nil
}

// ionKey opens a token key as an ION operation key (secp256k1) and returns its public JWK too.
func ionKey(ctx context.Context, ref string) (sidetree.SigningKey, sidetree.JWK, error) {
	k, err := openTokenKey(ctx, ref)
	if err != nil {
		return nil, sidetree.JWK{}, err
	}
	s, err := signer.ION(ctx, signer.Checked(k))
	if err != nil {
		k.Close()
		return nil, sidetree.JWK{}, fail(exitInvalidInput, "%v", err)
	}
	return s, s.PublicJWK(), nil
}

// signingKey is the current update or recovery key: the token key uri names, or <keys>/<name>.jwk.
func (o *opFlags) signingKey(ctx context.Context, name, uri string) (sidetree.SigningKey, error) {
	if uri == "" {
		return readKeyFile(filepath.Join(o.keys, name+".jwk"))
	}
	if !isTokenURI(uri) {
		return nil, fail(exitInvalidInput, "--%s-key %q: want a key URI: pkcs11:, awskms:///, azurekv:// or gcpkms:// (file keys are read from --keys)", name, uri)
	}
	s, _, err := ionKey(ctx, uri)
	return s, err
}

// nextKey is the key the next commitment goes to. With a token URI it is that key (generated before with
// `ionode keys generate --pkcs11`) and nothing is written; otherwise a new file key that finish writes as
// <name>.next.jwk and promotes once anchored. A key held in a token never rotates to a file.
func (o *opFlags) nextKey(ctx context.Context, name, current, next string) (sidetree.JWK, []rotation, error) {
	if next != "" {
		if !isTokenURI(next) {
			return sidetree.JWK{}, nil, fail(exitInvalidInput, "--next-%s-key %q: want a key URI: pkcs11:, awskms:///, azurekv:// or gcpkms://", name, next)
		}
		_, jwk, err := ionKey(ctx, next)
		return jwk, nil, err
	}
	if current != "" {
		return sidetree.JWK{}, nil, fail(exitInvalidInput, "the %s key is in a token: give --next-%s-key (a pkcs11: URI) so that the next one stays in a token too", name, name)
	}
	k, err := sidetree.GenerateES256K(rand.Reader)
	if err != nil {
		return sidetree.JWK{}, nil, err
	}
	return k, []rotation{{name: name, next: k}}, nil
}

// publicJWKOf is the public JWK of a token key: ION's form for secp256k1, JOSE's for the others.
func publicJWKOf(k signer.Signer) (string, error) {
	if pub, ok := k.Public().(*secp256k1.PublicKey); ok {
		return string(signer.PublicJWK(pub).Value().Stringify()), nil
	}
	b, err := resolver.MarshalJWK(k.Public())
	if err != nil {
		return "", fmt.Errorf("public key of %s: %w", k.Name(), err)
	}
	return string(b), nil
}

// generateInToken makes a key in a token and prints its public JWK.
func generateInToken(cmd *cobra.Command, uri, keyType string) error {
	algs := map[string]signer.Algorithm{"secp256k1": signer.ES256K, "es256k": signer.ES256K,
		"p-256": signer.ES256, "es256": signer.ES256, "ed25519": signer.EdDSA, "eddsa": signer.EdDSA}
	alg, ok := algs[strings.ToLower(keyType)]
	if !ok {
		return fail(exitInvalidInput, "unknown key type %q (want secp256k1, P-256 or Ed25519)", keyType)
	}
	cfg, err := tokenConfig(uri)
	if err != nil {
		return err
	}
	k, err := pkcs11.Generate(cmd.Context(), cfg, alg)
	if err != nil {
		return fail(exitInvalidInput, "%v", err)
	}
	defer k.Close()
	jwk, err := publicJWKOf(k)
	if err != nil {
		return err
	}
	fmt.Fprintf(cmd.ErrOrStderr(), "Generated a %s key in the token: %s\n", alg, k.Name())
	return printJSON(cmd, []byte(jwk), false)
}

package daemon

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/ionode/ionode/credential"
	"github.com/ionode/ionode/signer"
	"github.com/ionode/ionode/signer/keyuri"
)

// isTokenURI reports whether a key setting names a key in a PKCS#11 token or a cloud KMS rather than a
// file.
func isTokenURI(s string) bool { return keyuri.IsURI(s) }

// signerMetrics registers the signing metrics on the node's registry once.
func (d *Daemon) signerMetrics() *signer.Metrics {
	d.signerOnce.Do(func() { d.signerM = signer.NewMetrics(d.Metrics.Registry) })
	return d.signerM
}

// tokenOpener opens the key a key URI (pkcs11:, awskms:, azurekv:, gcpkms:) names, for the flag that gave it.
type tokenOpener func(ctx context.Context, flag, uri string) (signer.Signer, error)

// openTokenKey opens a token or KMS key for the node and closes it with the node: PKCS#11 modules are
// process-wide, so a key left open keeps its module initialized.
func (d *Daemon) openTokenKey(ctx context.Context, flag, uri string) (signer.Signer, error) {
	k, s, err := d.cfg.tokenKey(ctx, flag, uri, d.signerMetrics())
	if err != nil {
		return nil, err
	}
	d.closers = append(d.closers, func(context.Context) error { return k.Close() })
	return s, nil
}

// tokenKey opens a token or KMS key: a signing probe at start-up turns a wrong PIN, a missing key, an
// unsupported curve or a KMS that refuses into one line before the node serves anything. The key is
// checked against its public key on every signing, retried with backoff on transient failures (a dropped
// session, a KMS throttle or outage) and counted in /metrics.
func (c Config) tokenKey(ctx context.Context, flag, uri string, m *signer.Metrics) (keyuri.Key, signer.Signer, error) {
	k, err := keyuri.Open(ctx, uri, keyuri.Options{PKCS11Module: c.PKCS11Module})
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", flag, err)
	}
	if err := signer.Check(ctx, k); err != nil {
		k.Close()
		return nil, nil, fmt.Errorf("%s: %w", flag, err)
	}
	return k, signer.Observe(signer.Retry(signer.Checked(k), signer.Backoff{}), m), nil
}

// issuerSigner is the issuer key from --issuer-key-file: a private JWK file or a key URI.
func (d *Daemon) issuerSigner(ctx context.Context) (*credential.Signer, error) {
	c := d.cfg.Credentials
	return d.credentialSigner(ctx, "--issuer", c.IssuerKeyFile, c.IssuerKID)
}

// verifierSigner is the key that signs OpenID4VP request objects, from --verifier-key-file: a private
// JWK file or a key URI, so the verifier's key can stay in a token or KMS like the issuer's.
func (d *Daemon) verifierSigner(ctx context.Context) (*credential.Signer, error) {
	c := d.cfg.Credentials
	return d.credentialSigner(ctx, "--verifier", c.VerifierKeyFile, c.VerifierKID)
}

// credentialSigner opens the key of the flag pair <prefix>-key-file and <prefix>-kid.
func (d *Daemon) credentialSigner(ctx context.Context, prefix, keyFile, kid string) (*credential.Signer, error) {
	if isTokenURI(keyFile) {
		k, err := d.openTokenKey(ctx, prefix+"-key-file", keyFile)
		if err != nil {
			return nil, err
		}
		s, err := credential.NewKeySigner(kid, k)
		if err != nil {
			return nil, fmt.Errorf("%s-kid: %w", prefix, err)
		}
		return s, nil
	}
	key, err := readKeyFile(prefix+"-key-file", keyFile)
	if err != nil {
		return nil, err
	}
	s, err := credential.NewSigner(kid, key)
	if err != nil {
		return nil, fmt.Errorf("%s-kid: %w", prefix, err)
	}
	return s, nil
}

// signerHealth caches a signing probe for /readyz?check=writer, so that frequent probes do not load the
// token or KMS.
type signerHealth struct {
	s   signer.Signer
	ttl time.Duration

	mu   sync.Mutex
	at   time.Time
	last error
}

func (h *signerHealth) Ready(ctx context.Context) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	if !h.at.IsZero() && time.Since(h.at) < h.ttl {
		return h.last
	}
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	h.last, h.at = signer.Check(ctx, h.s), time.Now()
	if h.last != nil {
		h.last = fmt.Errorf("writer key: %w", h.last)
	}
	return h.last
}

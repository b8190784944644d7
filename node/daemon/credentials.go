package daemon

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/ionode/ionode/credential"
	"github.com/ionode/ionode/credential/httpapi"
	"github.com/ionode/ionode/credential/linkeddomains"
	"github.com/ionode/ionode/credential/policy"
	"github.com/ionode/ionode/credential/sdjwt"
	"github.com/ionode/ionode/credential/status"
	"github.com/ionode/ionode/credential/status/tokenstatus"
	"github.com/ionode/ionode/internal/bearer"
	"github.com/ionode/ionode/node"
	"github.com/ionode/ionode/resolver"
	"github.com/ionode/ionode/resolver/web"
)

func (c *CredentialConfig) validate() error {
	for _, h := range c.AdminTokenHashes {
		if _, err := bearer.ParseHash(h); err != nil {
			return fmt.Errorf("--admin-token-hash: %w", err)
		}
	}
	if c.StatusCacheTTL < time.Second {
		return fmt.Errorf("--status-cache-ttl must be at least 1s")
	}
	if c.WebMaxTTL < 0 {
		return fmt.Errorf("--did-web-max-ttl must not be negative")
	}
	if (c.IssuerKeyFile == "") != (c.IssuerKID == "") {
		return fmt.Errorf("--issuer-key-file and --issuer-kid go together: the key and the DID URL of its verification method")
	}
	if c.OID4VCIConfigFile != "" && c.IssuerKeyFile == "" {
		return fmt.Errorf("--oid4vci-config-file needs the issuer key (--issuer-key-file and --issuer-kid) to sign credentials with")
	}
	if c.IssuerKID != "" {
		if did, fragment, ok := strings.Cut(c.IssuerKID, "#"); !ok || fragment == "" || !strings.HasPrefix(did, "did:") {
			return fmt.Errorf("--issuer-kid %q: want a DID URL with a fragment, such as did:ion:EiA…#key-1", c.IssuerKID)
		}
	}
	if (c.VerifierKeyFile == "") != (c.VerifierKID == "") {
		return fmt.Errorf("--verifier-key-file and --verifier-kid go together: the key and the DID URL of its verification method")
	}
	if c.VerifierKID != "" {
		if did, fragment, ok := strings.Cut(c.VerifierKID, "#"); !ok || fragment == "" || !strings.HasPrefix(did, "did:") {
			return fmt.Errorf("--verifier-kid %q: want a DID URL with a fragment, such as did:ion:EiA…#key-1", c.VerifierKID)
		}
	}
	if c.PublicURL != "" {
		u, err := url.Parse(c.PublicURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
			return fmt.Errorf("--public-url %q: want an http(s) base URL such as https://node.example.com", c.PublicURL)
		}
	}
	if !status.ValidID(c.StatusList) {
		return fmt.Errorf("--status-list %q: want 1-64 letters, digits, '-' or '_'", c.StatusList)
	}
	switch status.Kind(c.StatusListKind) {
	case status.StatusList2021, status.BitstringStatusList:
	default:
		return fmt.Errorf("--status-list-kind must be StatusList2021 or BitstringStatusList")
	}
	return nil
}

// TokenStatusList is the id of the node's token status list (SD-JWT VC revocation): GET /status/tokens.
const TokenStatusList = "tokens"

// credentials is the node's verifier, and its issuer when one is configured.
type credentials struct {
	client   *web.Client
	verifier *credential.Verifier
	sdjwt    *sdjwt.Verifier
	issuer   *credential.Issuer // nil: the node issues nothing
	status   *status.Manager    // nil without an issuer
}

// webClient is the SSRF-guarded client of every outgoing fetch (did:web, status lists, DID configurations).
func (c *CredentialConfig) webClient() (*web.Client, error) {
	client := &web.Client{
		Guard:             web.Guard{AllowLoopback: c.WebAllowLoopback, AllowPrivate: c.WebAllowPrivate},
		AllowHTTPLoopback: c.WebAllowLoopback,
		UserAgent:         "ionode/" + Version,
	}
	if c.WebCAFile != "" {
		pem, err := os.ReadFile(c.WebCAFile)
		if err != nil {
			return nil, fmt.Errorf("--did-web-ca-file: %w", err)
		}
		pool, err := x509.SystemCertPool()
		if err != nil {
			pool = x509.NewCertPool()
		}
		if !pool.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("--did-web-ca-file %s holds no PEM certificate", c.WebCAFile)
		}
		client.TLSConfig = &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}
	}
	return client, nil
}

// openCredentials builds the verifier over the dispatcher and, with an issuer key, the issuer and its
// status list. baseURL is where the node is reachable (for status list URLs).
func (d *Daemon) openCredentials(ctx context.Context, methods *resolver.Dispatcher, client *web.Client, baseURL string) (*credentials, error) {
	c := d.cfg.Credentials
	// The core verifier checks status list and domain linkage credentials: no status of their own, no policy.
	core := &credential.Verifier{Resolver: methods, IgnoreStatus: true}
	checker := &statusChecker{remote: &status.Checker{Client: client, Verifier: core, TTL: c.StatusCacheTTL}}
	// Audit lines carry the HTTP request id next to the verification's transaction id, so a verification
	// can be found from the access log and back.
	v := &credential.Verifier{Resolver: methods, Status: checker, Logger: slog.New(requestIDHandler{d.log.Handler()})}
	if c.TrustPolicyFile != "" {
		p, err := policy.Load(c.TrustPolicyFile)
		if err != nil {
			return nil, fmt.Errorf("--trust-policy-file: %w", err)
		}
		p.Links = &linkeddomains.Verifier{Client: client, Credentials: core}
		v.Policy = p
		d.log.Info("credentials: trust policy loaded", "file", c.TrustPolicyFile, "rules", len(p.Rules))
	}
	// SD-JWT VCs: the same resolver, audit log and policy; token status lists over the web.
	sd := &sdjwt.Verifier{Resolver: methods, Fetcher: client, Policy: v.Policy, Logger: v.Logger}
	sd.Status = &tokenstatus.Checker{Fetcher: client, Keys: sd, DefaultTTL: c.StatusCacheTTL}
	out := &credentials{client: client, verifier: v, sdjwt: sd}
	if c.IssuerKeyFile == "" {
		return out, nil
	}
	signer, err := d.issuerSigner(ctx)
	if err != nil {
		return nil, err
	}
	// The node may not have seen its issuer DID anchored yet (it may be publishing it, or still syncing):
	// warn, and let verifiers judge the credentials it signs.
	check, cancel := context.WithTimeout(ctx, 15*time.Second)
	if err := signer.CheckAuthorized(check, methods, resolver.AssertionMethod); errors.Is(err, credential.ErrKeyMismatch) {
		cancel()
		return nil, fmt.Errorf("--issuer-key-file: %w", err)
	} else if err != nil {
		d.log.Warn("credentials: the issuer key is not (yet) an assertionMethod of its DID; verifiers will refuse what it signs until it is",
			"kid", c.IssuerKID, "err", err)
	}
	cancel()
	out.issuer = &credential.Issuer{Signer: signer}
	out.status = &status.Manager{
		Store:   &status.FileStore{Dir: filepath.Join(d.cfg.DataDir, "status")},
		Issuer:  out.issuer,
		BaseURL: strings.TrimRight(baseURL, "/") + "/status",
	}
	if _, err := out.status.Store.Load(ctx, c.StatusList); errors.Is(err, status.ErrNotFound) {
		if err := out.status.Create(ctx, c.StatusList, status.Kind(c.StatusListKind), "revocation", 0); err != nil {
			return nil, fmt.Errorf("create status list %s: %w", c.StatusList, err)
		}
	} else if err != nil {
		return nil, fmt.Errorf("status list %s: %w", c.StatusList, err)
	}
	// SD-JWT VCs reference an IETF token status list, kept beside the W3C list and published at
	// /status/tokens as a statuslist+jwt signed by the same key.
	out.status.Tokens = &tokenstatus.Signer{Signer: signer}
	if _, err := out.status.Store.Load(ctx, TokenStatusList); errors.Is(err, status.ErrNotFound) {
		if err := out.status.Create(ctx, TokenStatusList, status.TokenStatusList, "revocation", 0); err != nil {
			return nil, fmt.Errorf("create token status list: %w", err)
		}
	} else if err != nil {
		return nil, fmt.Errorf("token status list: %w", err)
	}
	checker.own, checker.issuer = out.status, signer.DID()
	d.log.Info("credentials: issuing", "kid", c.IssuerKID, "alg", signer.Alg, "status_list", out.status.URL(c.StatusList))
	return out, nil
}

// handler is the credential routes (credential/httpapi).
func (c *credentials) handler(cfg CredentialConfig, log *slog.Logger) http.Handler {
	api := &httpapi.API{Verifier: c.verifier, SDJWT: c.sdjwt, Issuer: c.issuer, AdminTokenSHA256: cfg.AdminTokenHashes, Logger: log}
	if c.status != nil {
		api.Status, api.StatusList = c.status, cfg.StatusList
	}
	return api.Handler()
}

// readKeyFile reads the private JWK of flag, refusing a file others can read.
func readKeyFile(flag, path string) (any, error) {
	info, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", flag, err)
	}
	if info.Mode().Perm()&0o077 != 0 {
		return nil, fmt.Errorf("%s %s is readable by others (mode %v): chmod 600 it", flag, path, info.Mode().Perm())
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", flag, err)
	}
	key, err := credential.ParsePrivateJWK(data)
	if err != nil {
		return nil, fmt.Errorf("%s %s: %w", flag, path, err)
	}
	return key, nil
}

// requestIDHandler adds the request id of the record's context (node.RequestID) to each record.
type requestIDHandler struct{ slog.Handler }

func (h requestIDHandler) Handle(ctx context.Context, r slog.Record) error {
	if id := node.RequestID(ctx); id != "" {
		r.AddAttrs(slog.String("request_id", id))
	}
	return h.Handler.Handle(ctx, r)
}

func (h requestIDHandler) WithAttrs(attrs []slog.Attr) slog.Handler {
	return requestIDHandler{h.Handler.WithAttrs(attrs)}
}

func (h requestIDHandler) WithGroup(name string) slog.Handler {
	return requestIDHandler{h.Handler.WithGroup(name)}
}

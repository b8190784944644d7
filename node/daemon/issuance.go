package daemon

import (
	"fmt"
	"net/http"

	"github.com/ionode/ionode/credential/status"
	"github.com/ionode/ionode/exchange"
	"github.com/ionode/ionode/exchange/issuance"
	"github.com/ionode/ionode/exchange/oid4vci"
	"github.com/ionode/ionode/resolver/web"
)

// issuanceRoutes are the wallet issuance handlers: the OpenID4VCI endpoints, and the Request Service API
// (exchange.Mux, where the presentation verifier mounts its routes too).
type issuanceRoutes struct {
	wallet http.Handler
	api    *exchange.Mux
}

// openIssuance builds the OpenID4VCI issuer and createIssuanceRequest when --oid4vci-config-file is set
// (nil otherwise). baseURL is the credential issuer identifier. Request state lives in the node's store,
// so replicas behind a load balancer share it.
func (d *Daemon) openIssuance(creds *credentials, baseURL string) (*issuanceRoutes, error) {
	c := d.cfg.Credentials
	if c.OID4VCIConfigFile == "" {
		return nil, nil
	}
	if creds.issuer == nil {
		return nil, fmt.Errorf("--oid4vci-config-file needs --issuer-key-file and --issuer-kid")
	}
	sessions, ok := d.Store.(exchange.Sessions)
	if !ok {
		return nil, fmt.Errorf("--oid4vci-config-file: this store (%T) keeps no request sessions", d.Store)
	}
	cfg, err := oid4vci.LoadConfig(c.OID4VCIConfigFile)
	if err != nil {
		return nil, fmt.Errorf("--oid4vci-config-file: %w", err)
	}
	iss := &oid4vci.Issuer{
		URL: baseURL, Config: cfg, Credentials: creds.issuer,
		// Entries come from batches reserved ahead: one list write per batch, not per credential.
		Status: &status.Reserve{Manager: creds.status}, StatusList: c.StatusList,
		Holders: d.methods, Sessions: sessions, Logger: d.log,
	}
	// Callbacks reach only what did:web fetches may reach (--did-web-allow-loopback/-private).
	guard := web.Guard{AllowLoopback: c.WebAllowLoopback, AllowPrivate: c.WebAllowPrivate}
	requests := &exchange.Requests{Sessions: sessions}
	svc := &issuance.Service{
		Issuer: iss, Requests: requests, Logger: d.log,
		Callbacks: &exchange.Dispatcher{Client: exchange.NewCallbackClient(guard, c.WebAllowLoopback), Guard: guard, Logger: d.log},
	}
	iss.Events = svc
	if err := iss.Init(); err != nil {
		return nil, fmt.Errorf("--oid4vci-config-file %s: %w", c.OID4VCIConfigFile, err)
	}
	wallet := http.NewServeMux()
	h := iss.Handler()
	for _, p := range []string{oid4vci.PathIssuerMetadata, oid4vci.PathASMetadata, oid4vci.PathOffers, oid4vci.PathToken, oid4vci.PathNonce, oid4vci.PathCredential} {
		wallet.Handle(p, h)
	}
	api := exchange.NewMux(requests, c.AdminTokenHashes)
	svc.Mount(api)
	d.log.Info("credentials: OpenID4VCI issuer", "credential_issuer", iss.URL, "configurations", len(cfg.Configurations))
	return &issuanceRoutes{wallet: wallet, api: api}, nil
}

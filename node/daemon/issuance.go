package daemon

import (
	"fmt"
	"net/http"

	"github.com/ionode/ionode/credential/httpapi"
	"github.com/ionode/ionode/credential/status"
	"github.com/ionode/ionode/exchange/issuance"
	"github.com/ionode/ionode/exchange/oid4vci"
)

// openIssuance builds the OpenID4VCI issuer and the Request Service API's createIssuanceRequest when
// --oid4vci-config-file is set (nil otherwise). baseURL is the credential issuer identifier.
// Request state lives in the node's store, so replicas behind a load balancer share it.
func (d *Daemon) openIssuance(creds *credentials, baseURL string) (http.Handler, error) {
	c := d.cfg.Credentials
	if c.OID4VCIConfigFile == "" {
		return nil, nil
	}
	if creds.issuer == nil {
		return nil, fmt.Errorf("--oid4vci-config-file needs --issuer-key-file and --issuer-kid")
	}
	sessions, ok := d.Store.(oid4vci.Sessions)
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
	// Callbacks need the exchange dispatcher (SSRF-guarded, retried); until it is wired, requests with a
	// callback are refused with a clear 400 and relying parties poll the status route.
	svc := &issuance.Service{Issuer: iss, Logger: d.log}
	iss.Events = svc
	if err := iss.Init(); err != nil {
		return nil, fmt.Errorf("--oid4vci-config-file %s: %w", c.OID4VCIConfigFile, err)
	}
	mux := http.NewServeMux()
	wallet := iss.Handler()
	for _, p := range []string{oid4vci.PathIssuerMetadata, oid4vci.PathASMetadata, oid4vci.PathOffers, oid4vci.PathToken, oid4vci.PathNonce, oid4vci.PathCredential} {
		mux.Handle(p, wallet)
	}
	admin := httpapi.Admin(c.AdminTokenHashes, svc.Handler())
	mux.Handle(issuance.PathCreate, admin)
	mux.Handle(issuance.PathStatus, admin)
	d.log.Info("credentials: OpenID4VCI issuer", "credential_issuer", iss.URL, "configurations", len(cfg.Configurations))
	return mux, nil
}

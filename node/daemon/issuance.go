package daemon

import (
	"fmt"
	"net/http"

	"github.com/ionode/ionode/credential/sdjwt"
	"github.com/ionode/ionode/credential/status"
	"github.com/ionode/ionode/exchange"
	"github.com/ionode/ionode/exchange/issuance"
	"github.com/ionode/ionode/exchange/oid4vci"
)

// openIssuance builds the OpenID4VCI issuer when --oid4vci-config-file is set (nil otherwise) and mounts
// createIssuanceRequest on the Request Service API's mux, beside the presentation verifier, sharing its
// requests and callback dispatcher. baseURL is the credential issuer identifier. Request state lives in
// the node's store, so replicas behind a load balancer share it. It returns the OpenID4VCI endpoints.
func (d *Daemon) openIssuance(creds *credentials, baseURL string, api *exchange.Mux, requests *exchange.Requests, callbacks *exchange.Dispatcher) (http.Handler, error) {
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
		// dc+sd-jwt configurations: signed by the same key, status entries in the token status list.
		Formats: map[string]oid4vci.Format{oid4vci.FormatSDJWTVC: oid4vci.SDJWTVC{
			Issuer: &sdjwt.Issuer{Signer: creds.issuer.Signer}, StatusList: TokenStatusList}},
	}
	svc := &issuance.Service{Issuer: iss, Requests: requests, Logger: d.log, Callbacks: callbacks}
	iss.Events = svc
	if err := iss.Init(); err != nil {
		return nil, fmt.Errorf("--oid4vci-config-file %s: %w", c.OID4VCIConfigFile, err)
	}
	wallet := http.NewServeMux()
	h := iss.Handler()
	for _, p := range []string{oid4vci.PathIssuerMetadata, oid4vci.PathASMetadata, oid4vci.PathOffers, oid4vci.PathToken, oid4vci.PathNonce, oid4vci.PathCredential} {
		wallet.Handle(p, h)
	}
	svc.Mount(api)
	d.log.Info("credentials: OpenID4VCI issuer", "credential_issuer", iss.URL, "configurations", len(cfg.Configurations))
	return wallet, nil
}

package daemon

import (
	"context"
	"strings"
	"time"

	"github.com/ionode/ionode/credential/linkeddomains"
	"github.com/ionode/ionode/exchange"
	"github.com/ionode/ionode/exchange/oid4vp"
	"github.com/ionode/ionode/resolver"
	"github.com/ionode/ionode/resolver/web"
)

// openExchange builds the Request Service API over the node's store (replicas sharing a MongoDB share
// request state) and, with a verifier key, mounts the OpenID4VP verifier on it. The issuance side
// (exchange/oid4vci's createIssuanceRequest) mounts on the same Mux.
func (d *Daemon) openExchange(ctx context.Context, creds *credentials, baseURL string) (*exchange.Mux, *exchange.Requests, *exchange.Dispatcher, error) {
	c := d.cfg.Credentials
	requests := &exchange.Requests{Sessions: d.Store}
	guard := web.Guard{AllowLoopback: c.CallbackAllowLoopback, AllowPrivate: c.CallbackAllowPrivate}
	if c.CallbackAllowLoopback || c.CallbackAllowPrivate {
		d.log.Warn("exchange: relying-party callbacks may reach internal addresses", "loopback", c.CallbackAllowLoopback, "private", c.CallbackAllowPrivate)
	}
	dispatcher := &exchange.Dispatcher{Client: exchange.NewCallbackClient(guard, c.CallbackAllowLoopback), Guard: guard, Logger: d.log}
	mux := exchange.NewMux(requests, c.AdminTokenHashes)
	if c.VerifierKeyFile == "" {
		return mux, requests, dispatcher, nil
	}
	signer, err := d.verifierSigner(ctx)
	if err != nil {
		return nil, nil, nil, err
	}
	check, cancel := context.WithTimeout(ctx, 15*time.Second)
	if err := signer.CheckAuthorized(check, d.methods, resolver.Authentication); err != nil {
		d.log.Warn("exchange: the verifier key is not (yet) in its DID's authentication; wallets may refuse its request objects",
			"kid", c.VerifierKID, "err", err)
	}
	cancel()
	v := &oid4vp.Verifier{Requests: requests, Dispatcher: dispatcher, Credentials: creds.verifier, SDJWT: creds.sdjwt,
		Signer: signer, BaseURL: strings.TrimRight(baseURL, "/"),
		// Linkage credentials are fetched through the same SSRF-guarded client as did:web, and each
		// verdict is remembered for linkeddomains.DefaultCacheTTL.
		Links: &linkeddomains.Cache{Verifier: &linkeddomains.Verifier{Client: creds.client, Credentials: creds.verifier}}}
	v.Mount(mux)
	d.log.Info("exchange: presentation requests", "client_id", v.ClientID())
	return mux, requests, dispatcher, nil
}

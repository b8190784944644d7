// Package oid4vptest is the OpenID4VP wallet of tests of the programs that embed the verifier (the
// daemon, the CLI): the product's holder wallet (exchange/holder) with SkipRequestVerification set, so
// that a test needs no resolver for the verifier's DID. Everything else (the request object's claims,
// the client_id, expiry, DCQL or presentation definition, direct_post or direct_post.jwt) goes through
// the same code as `ionode vc present --request`. The independent-wallet tests use OpenWallet
// Foundation code instead.
package oid4vptest

import (
	"context"
	"net/http"

	"github.com/ionode/ionode/credential"
	"github.com/ionode/ionode/exchange/holder"
)

// wallet is the lenient wallet for holder (nil: one that only fetches).
func wallet(h *credential.Issuer) *holder.Wallet {
	return &holder.Wallet{Holder: h, HTTP: http.DefaultClient, AllowHTTPLoopback: true, SkipRequestVerification: true}
}

// Fetch follows walletURL (openid4vp://?client_id=…&request_uri=…) to the request object, unverified.
func Fetch(ctx context.Context, walletURL string) (*holder.Request, error) {
	return fetch(ctx, wallet(nil), walletURL)
}

func fetch(ctx context.Context, w *holder.Wallet, walletURL string) (*holder.Request, error) {
	ar, err := holder.ParseAuthorizationRequest(walletURL)
	if err != nil {
		return nil, err
	}
	return w.Fetch(ctx, ar)
}

// Answer fetches the request at walletURL and answers it with vcs, presented by holder as the holder
// wallet chooses. It returns the response endpoint's HTTP status.
func Answer(ctx context.Context, walletURL string, h *credential.Issuer, vcs []string) (int, error) {
	w := wallet(h)
	r, err := fetch(ctx, w, walletURL)
	if err != nil {
		return 0, err
	}
	out, err := w.Answer(ctx, r, vcs, holder.Choice{})
	if err != nil {
		return 0, err
	}
	return out.Status, nil
}

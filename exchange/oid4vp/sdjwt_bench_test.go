package oid4vp_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/ionode/ionode/credential/status/tokenstatus"
	"github.com/ionode/ionode/exchange"
)

// BenchmarkSDJWTPresentationExchange is BenchmarkPresentationExchange with an SD-JWT VC: the relying
// party asks for two claims by DCQL path, the wallet presents them (EdDSA KB-JWT, holder did:key) from a
// PID (ES256, did:web issuer, token status list entry), and the node verifies the SD-JWT+KB and matches
// the claims. The issuer's DID document and the status list token are cached (as in steady state);
// every signature and digest is checked each time. Reports exchanges/s.
func BenchmarkSDJWTPresentationExchange(b *testing.B) {
	h := newSDHarness(b)
	h.sd.Status = &tokenstatus.Checker{Fetcher: h.env.Client, Keys: h.sd, DefaultTTL: time.Hour, Now: h.env.Now}
	issued, _ := h.issuePID(b)
	body, _ := json.Marshal(exchange.PresentationRequest{
		Registration:         exchange.Registration{ClientName: "Contoso"},
		RequestedCredentials: []exchange.RequestedCredential{pidRequest()},
	})
	benchExchanges(b, h.harness, body, func(b *testing.B, w wallet) string {
		return h.presentSD(b, w, issued, []string{"given_name", "address.locality"}, w.clientID, w.nonce)
	})
}

package oid4vp_test

import (
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"github.com/ionode/ionode/credential"
	"github.com/ionode/ionode/credential/status"
	"github.com/ionode/ionode/exchange"
	"github.com/ionode/ionode/internal/cputime"
)

// BenchmarkPresentationExchange runs complete exchanges over HTTP against a node on loopback: the
// relying party creates a request, the wallet fetches the signed request object, signs a VP (EdDSA,
// did:key) around one VC-JWT (ES256K, did:web, with a status-list entry) and posts it, and the node
// verifies everything and stores the outcome. The issuer's DID document and status list are cached
// (as in steady state); every signature is checked each time. Reports exchanges/s.
func BenchmarkPresentationExchange(b *testing.B) {
	h := newHarness(b)
	h.verifier.Credentials.Status = &status.Checker{Client: h.env.Client, Verifier: &credential.Verifier{Resolver: h.env.Resolver, Now: h.env.Now}, TTL: time.Hour}
	entry, err := h.statuses.Allocate(b.Context(), "l")
	if err != nil {
		b.Fatal(err)
	}
	vc := h.issue(b, h.issuer, h.holder.Signer.DID(), &entry)
	body, _ := json.Marshal(exchange.PresentationRequest{
		Registration:         exchange.Registration{ClientName: "Contoso"},
		RequestedCredentials: []exchange.RequestedCredential{{Type: "VerifiedEmployee", AcceptedIssuers: []string{h.issuer.Signer.DID()}}},
	})
	benchExchanges(b, h, body, func(b *testing.B, w wallet) string {
		return h.present(b, w, h.holder, []string{vc}, w.nonce)
	})
}

// benchExchanges runs whole exchanges in parallel (create with body, fetch, post what answer makes) and
// reports exchanges/s and the process's CPU time per exchange (node and wallet together, both in this
// process): on a shared machine the wall-clock rate says more about the neighbours than about the code.
func benchExchanges(b *testing.B, h *harness, body []byte, answer func(b *testing.B, w wallet) string) {
	exchangeOnce := func(b *testing.B) {
		code, out := call(b, "POST", h.node.URL+exchange.APIPrefix+"/createPresentationRequest", adminToken, "application/json", body)
		if code != http.StatusCreated {
			b.Fatalf("create: %d %s", code, out)
		}
		var cr exchange.CreateResponse
		if err := json.Unmarshal(out, &cr); err != nil {
			b.Fatal(err)
		}
		w, code, _ := h.fetch(b, cr)
		if code != http.StatusOK {
			b.Fatalf("fetch: %d", code)
		}
		if code, c := h.post(b, w, answer(b, w)); code != http.StatusOK {
			b.Fatalf("response: %d %s", code, c)
		}
	}
	exchangeOnce(b) // warms the DID and status-list caches
	b.ResetTimer()
	start, cpu0 := time.Now(), cputime.Self()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			exchangeOnce(b)
		}
	})
	wall, cpu := time.Since(start), cputime.Self()-cpu0
	b.ReportMetric(float64(b.N)/wall.Seconds(), "exchanges/s")
	b.ReportMetric(float64(cpu.Microseconds())/float64(b.N), "cpu-µs/exchange")
}

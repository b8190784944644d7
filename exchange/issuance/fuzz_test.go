package issuance_test

import (
	"errors"
	"testing"

	"github.com/ionode/ionode/exchange"
	"github.com/ionode/ionode/exchange/issuance"
	"github.com/ionode/ionode/internal/worktest"
)

// FuzzParseRequest: any body parses into a checked request or fails with a 400 APIError.
func FuzzParseRequest(f *testing.F) {
	f.Add([]byte(entraRequest("https://rp.example/cb", "did:key:z6Mk", "VerifiedEmployee", "1234")))
	f.Add([]byte(`{"type":"x","pin":{"salt":"a"}}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		r, err := issuance.ParseRequest(body)
		if err != nil {
			var e *exchange.APIError
			if !errors.As(err, &e) || e.Status != 400 {
				t.Fatalf("error %v", err)
			}
			return
		}
		if r.Type == "" || r.Authority == "" || r.Registration.ClientName == "" {
			t.Fatalf("accepted %q", body)
		}
	})
}

// TestParseRequestLinear: hostile JSON in the claims costs work linear in its size (within the bounds).
func TestParseRequestLinear(t *testing.T) {
	worktest.EachShape(t, 1000, 4, func(t *testing.T, n int, gen func(int) string) {
		body := func(n int) []byte {
			return []byte(`{"type":"T","authority":"did:key:z","registration":{"clientName":"c"},"claims":{"x":` + gen(n) + `}}`)
		}
		worktest.Linear(t, n, body, func(in []byte) {
			if _, err := issuance.ParseRequest(in); err != nil {
				t.Fatal(err)
			}
		})
	})
}

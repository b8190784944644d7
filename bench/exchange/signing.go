package main

import (
	"context"
	"encoding/json"
	"sync"
	"sync/atomic"
	"time"

	"github.com/ionode/ionode/credential"
)

// Entra Verified ID's planning figures: its Key Vault allows about 2,000 signings per 10 s per tenant,
// and an exchange costs about 3 signings.
const (
	entraSigningsPerSecond = 2000.0 / 10
	entraSigningsPerFlow   = 3.0
)

// signingLimit measures how many ES256K JWS signatures (a VC-JWT-sized payload) s makes per second on
// procs goroutines for about d: the rate at which signing alone would cap a signer-bound service.
func signingLimit(ctx context.Context, s *credential.Signer, procs int, d time.Duration) (float64, error) {
	payload, err := json.Marshal(map[string]any{
		"iss": s.DID(), "sub": "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK", "nbf": time.Now().Unix(),
		"vc": map[string]any{"@context": []string{"https://www.w3.org/2018/credentials/v1"}, "type": []string{"VerifiableCredential", credentialType},
			"credentialSubject": map[string]any{"name": "Alice", "department": "Benchmarks"}},
	})
	if err != nil {
		return 0, err
	}
	var (
		n        atomic.Int64
		wg       sync.WaitGroup
		once     sync.Once
		firstErr error
	)
	deadline := time.Now().Add(d)
	start := time.Now()
	for range procs {
		wg.Go(func() {
			for time.Now().Before(deadline) && ctx.Err() == nil {
				if _, err := s.Sign(payload, "JWT"); err != nil {
					once.Do(func() { firstErr = err })
					return
				}
				n.Add(1)
			}
		})
	}
	wg.Wait()
	if firstErr != nil {
		return 0, firstErr
	}
	return float64(n.Load()) / time.Since(start).Seconds(), nil
}

package verify

import (
	"context"
	"crypto/rand"
	"slices"
	"testing"
	"time"

	"github.com/ionode/ionode/sidetree"
	"github.com/ionode/ionode/sidetree/batch"
)

// signedParts is n copies of one valid update's parts: each costs a full verification.
func signedParts(t *testing.T, n int) []batch.SignedPart {
	t.Helper()
	p := sidetree.Mainnet().Latest()
	key := func() sidetree.JWK {
		k, err := sidetree.GenerateES256K(rand.Reader)
		if err != nil {
			t.Fatal(err)
		}
		return k
	}
	c, err := sidetree.NewCreateRequest("ion", key(), key(), sidetree.Document{}, p)
	if err != nil {
		t.Fatal(err)
	}
	u, err := sidetree.NewUpdateRequest(c.DIDSuffix, key(), key(), sidetree.UpdateChanges{}, p)
	if err != nil {
		t.Fatal(err)
	}
	reveal, _ := u.Field("revealValue").Str()
	jws, _ := u.Field("signedData").Str()
	parts := make([]batch.SignedPart, n)
	for i := range parts {
		parts[i] = batch.SignedPart{Index: i, Type: sidetree.OpUpdate, Reference: batch.Reference{DIDSuffix: c.DIDSuffix, RevealValue: reveal}, SignedData: jws}
	}
	return parts
}

// TestStopJoinsWorkers: once Stop returns, no goroutine of the Pending computes or writes anything.
func TestStopJoinsWorkers(t *testing.T) {
	for _, workers := range []int{2, 4} {
		p := Start(context.Background(), signedParts(t, 2000), workers)
		time.Sleep(time.Millisecond) // let them start
		p.Stop()
		done := slices.Clone(p.verdicts)
		time.Sleep(20 * time.Millisecond)
		if !slices.Equal(done, p.verdicts) {
			t.Errorf("workers %d: verdicts still written after Stop", workers)
		}
		if slices.Index(p.verdicts, sidetree.VerdictUnknown) < 0 {
			t.Errorf("workers %d: every verdict was computed: Stop did not stop them", workers)
		}
	}
}

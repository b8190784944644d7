package sidetree

import "testing"

// BenchmarkResolveHistory resolves one DID from its create and 100 updates, cold (no state kept between
// resolutions): with the verdicts a node stores at ingest, and verifying every signature as the
// reference does.
func BenchmarkResolveHistory(b *testing.B) {
	p := Mainnet().Latest()
	r := newSeeded("bench-history")
	recovery, update := mustKey(b, r), mustKey(b, r)
	create, err := NewCreateRequest("ion", recovery, update, docWithKey(b, r, "k0"), p)
	if err != nil {
		b.Fatal(err)
	}
	ops := []AnchoredOperation{{Type: OpCreate, DIDSuffix: create.DIDSuffix, Raw: create.Body.Stringify(), TransactionNumber: 1}}
	for i := range 100 {
		next := mustKey(b, r)
		u, err := NewUpdateRequest(create.DIDSuffix, update, next, UpdateChanges{AddPublicKeys: docWithKey(b, r, "k"+string(rune('a'+i%26))+string(rune('a'+i/26))).PublicKeys}, p)
		if err != nil {
			b.Fatal(err)
		}
		ops = append(ops, AnchoredOperation{Type: OpUpdate, DIDSuffix: create.DIDSuffix, Raw: u.Stringify(), TransactionNumber: uint64(i + 2)})
		update = next
	}
	withVerdicts := make([]AnchoredOperation, len(ops))
	for i, op := range ops {
		withVerdicts[i] = op
		withVerdicts[i].Verdict = ComputeVerdict(op.Raw)
	}
	for _, bc := range []struct {
		name string
		ops  []AnchoredOperation
	}{{"stored verdicts", withVerdicts}, {"verifying", ops}} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for range b.N {
				state, err := Resolve(bc.ops)
				if err != nil || state == nil || state.LastOperationTransaction != 101 {
					b.Fatalf("resolution stopped early: %v %v", state, err)
				}
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "resolutions/s")
		})
	}
}

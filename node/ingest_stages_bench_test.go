package node

import (
	"context"
	"slices"
	"testing"

	"github.com/ionode/ionode/internal/cputime"
	"github.com/ionode/ionode/sidetree"
	"github.com/ionode/ionode/sidetree/batch"
)

// BenchmarkIngestStages splits ingest's CPU time per operation of the update-heavy batch (10 creates, 90
// updates) into the quantities that bound it on several cores, each the median over rounds that run
// the stages one after the other on one goroutine:
//
//   - es256k (E): one bare ES256K verification (hash and key ready), the single-core limit;
//   - read (S): the batch reader (gunzip, parse, validate, compose), sequential;
//   - read-to-parts: its share before it hands over the signed parts (batch.Reader.Signed), the part
//     no verdict can overlap;
//   - parts-verdicts (V): the verdicts from the reader's parts (sidetree.PartsVerdict), what ingest
//     computes on every core;
//   - body-verdicts: the verdicts from each composed body (sidetree.ComputeVerdict: parse again, then
//     verify), what ingest computed before, and what migration computes.
//
// With W cores, an ideal ingest takes max(read-to-parts + (S − read-to-parts + V)/W, (S+V)/W) per
// operation: it reports that bound for two cores as a multiple of E.
//
//	go test ./node -run '^$' -bench IngestStages -benchtime 5x
func BenchmarkIngestStages(b *testing.B) {
	files, anchorString := updateHeavyBatch(b)
	p := sidetree.Mainnet().Latest()
	count, core, err := batch.ParseAnchorString(anchorString, p)
	if err != nil {
		b.Fatal(err)
	}
	var parts []batch.SignedPart
	var atParts float64 // process CPU seconds when the reader handed the parts over
	r := &batch.Reader{Parameters: p, Fetch: func(uri string, max int) ([]byte, error) {
		return files.Get(context.Background(), uri, int64(max))
	}, Signed: func(ps []batch.SignedPart) { parts, atParts = ps, cputime.Self().Seconds() }}
	tx := batch.Transaction{Number: 1, Time: 1, OperationCount: count, CoreIndexFileURI: core}
	ops, err := r.Read(tx)
	if err != nil || len(ops) != 100 {
		b.Fatalf("%d operations, %v", len(ops), err)
	}
	verifyES256K := es256kVerifier(b)
	var toParts []float64
	stages := []struct {
		name string
		run  func()
	}{
		{"es256k", func() {
			for range ops {
				verifyES256K()
			}
		}},
		{"read", func() {
			start := cputime.Self().Seconds()
			if _, err := r.Read(tx); err != nil {
				b.Fatal(err)
			}
			toParts = append(toParts, (atParts-start)/float64(len(ops)))
		}},
		{"parts-verdicts", func() {
			for _, part := range parts {
				sidetree.PartsVerdict(part.Type, part.DIDSuffix, part.RevealValue, part.SignedData)
			}
		}},
		{"body-verdicts", func() {
			for _, op := range ops {
				sidetree.ComputeVerdict(op.Raw)
			}
		}},
	}
	perOp := make([][]float64, len(stages)) // CPU seconds per operation of the batch
	const reps = 5
	for b.Loop() {
		for i, s := range stages {
			start := cputime.Self()
			for range reps {
				s.run()
			}
			perOp[i] = append(perOp[i], (cputime.Self()-start).Seconds()/float64(reps*len(ops)))
		}
	}
	med := func(v []float64) float64 {
		v = slices.Clone(v)
		slices.Sort(v)
		return v[len(v)/2]
	}
	e, s, pre, v := med(perOp[0]), med(perOp[1]), med(toParts), med(perOp[2])
	for i, st := range stages {
		b.ReportMetric(med(perOp[i])*1e6, st.name+"-cpu-µs/op")
	}
	b.ReportMetric(pre*1e6, "read-to-parts-cpu-µs/op")
	b.ReportMetric(e/max(pre+(s-pre+v)/2, (s+v)/2), "ideal-2-cores/es256k")
}

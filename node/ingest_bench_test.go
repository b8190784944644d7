package node

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"slices"
	"testing"
	"time"

	"github.com/decred/dcrd/dcrec/secp256k1/v4"
	"github.com/decred/dcrd/dcrec/secp256k1/v4/ecdsa"

	"github.com/ionode/ionode/internal/cputime"
	"github.com/ionode/ionode/node/verify"
	"github.com/ionode/ionode/sidetree"
	"github.com/ionode/ionode/sidetree/batch"
)

// BenchmarkIngestCores measures how ingest uses the cores on an update-heavy batch (10 creates, 90
// updates: ION's largest batch without a value time lock), against the single-core ES256K limit
// measured in the same rounds. Each iteration is one round that runs, one after the other:
//
//   - es256k: bare signature verifications on one goroutine (hash and key ready): the limit no
//     operation carrying a signature can beat on one core;
//   - verdicts-1, verdicts-2: the batch's signature verdicts from its operations' bytes
//     (verify.Verdicts, what a migration computes) on 1 and 2 workers;
//   - ingest-1, ingest-2: the whole ingest path of the batch (FileProcessor: files from the CAS, gunzip,
//     parse, validate, verdicts from the reader's parts while it reads the chunk file) with 1 and 2
//     workers (the reading goroutine counts as one).
//
// It reports each step's median rate over the rounds, in operations per wall second and per CPU
// second, and the 2-worker rates as multiples of the ES256K limit (the goal is ≥ 1.6 on two cores).
// Wall rates need idle cores: on a shared machine read them with the load average.
//
//	go test ./node -run '^$' -bench IngestCores -benchtime 7x
func BenchmarkIngestCores(b *testing.B) {
	files, anchorString := updateHeavyBatch(b)
	proc := &FileProcessor{Network: sidetree.Mainnet(), CAS: files}
	tx := Transaction{Number: 700_000_000_001, Time: 700_000, AnchorString: anchorString, FeePaid: 1000, NormalizedFee: 1000, Writer: "w"}
	ops, err := proc.Operations(context.Background(), tx)
	if err != nil || len(ops) != 100 {
		b.Fatalf("%d operations, %v", len(ops), err)
	}
	verifyES256K := es256kVerifier(b)

	type rate struct{ wall, cpu float64 } // operations per second
	steps := []struct {
		name string
		run  func() int // returns operations done
	}{
		{"es256k", func() int {
			for range len(ops) {
				verifyES256K()
			}
			return len(ops)
		}},
		{"verdicts-1", func() int { return verdicts(b, ops, 1) }},
		{"verdicts-2", func() int { return verdicts(b, ops, 2) }},
		{"ingest-1", func() int { return ingest(b, proc, tx, 1) }},
		{"ingest-2", func() int { return ingest(b, proc, tx, 2) }},
	}
	rates := make([][]rate, len(steps))
	const reps = 5 // batches per step and round: ~0.1 s of work each
	for b.Loop() {
		for i, s := range steps {
			cpu0, t0 := cputime.Self(), time.Now()
			n := 0
			for range reps {
				n += s.run()
			}
			wall, cpu := time.Since(t0).Seconds(), (cputime.Self() - cpu0).Seconds()
			rates[i] = append(rates[i], rate{float64(n) / wall, float64(n) / max(cpu, 1e-9)})
		}
	}
	med := func(i int, cpu bool) float64 {
		v := make([]float64, len(rates[i]))
		for j, r := range rates[i] {
			v[j] = r.wall
			if cpu {
				v[j] = r.cpu
			}
		}
		slices.Sort(v)
		return v[len(v)/2]
	}
	for i, s := range steps {
		b.ReportMetric(med(i, false), s.name+"-ops/s")
		b.ReportMetric(med(i, true), s.name+"-ops/cpu-s")
	}
	limit := med(0, false)
	b.ReportMetric(med(2, false)/limit, "verdicts-2/es256k")
	b.ReportMetric(med(4, false)/limit, "ingest-2/es256k")
	b.ReportMetric(med(2, false)/med(1, false), "verdicts-speedup")
	b.ReportMetric(med(4, false)/med(3, false), "ingest-speedup")
}

// es256kVerifier returns a bare ES256K verification (hash and key ready): the single-core limit no
// operation carrying a signature can beat.
func es256kVerifier(b *testing.B) func() {
	key, err := secp256k1.GeneratePrivateKey()
	if err != nil {
		b.Fatal(err)
	}
	hash := sha256.Sum256([]byte("ES256K limit"))
	sig, pub := ecdsa.Sign(key, hash[:]), key.PubKey()
	return func() {
		if !sig.Verify(hash[:], pub) {
			b.Fatal("signature does not verify")
		}
	}
}

func verdicts(b *testing.B, ops []sidetree.AnchoredOperation, workers int) int {
	if err := verify.Verdicts(context.Background(), ops, workers); err != nil {
		b.Fatal(err)
	}
	return len(ops)
}

func ingest(b *testing.B, proc *FileProcessor, tx Transaction, workers int) int {
	proc.Workers = workers
	ops, err := proc.Operations(context.Background(), tx)
	if err != nil {
		b.Fatal(err)
	}
	return len(ops)
}

// updateHeavyBatch builds a batch of 10 creates and 90 updates (of other DIDs: the processor does not
// resolve), its files in a mapCAS.
func updateHeavyBatch(b *testing.B) (mapCAS, string) {
	b.Helper()
	p := sidetree.Mainnet().Latest()
	key := func() sidetree.JWK {
		k, err := sidetree.GenerateES256K(rand.Reader)
		if err != nil {
			b.Fatal(err)
		}
		return k
	}
	var requests [][]byte
	for i := range 100 {
		create, err := sidetree.NewCreateRequest("ion", key(), key(), sidetree.Document{}, p)
		if err != nil {
			b.Fatal(err)
		}
		if i < 10 {
			requests = append(requests, create.Body.Stringify())
			continue
		}
		u, err := sidetree.NewUpdateRequest(create.DIDSuffix, key(), key(), sidetree.UpdateChanges{}, p)
		if err != nil {
			b.Fatal(err)
		}
		requests = append(requests, u.Stringify())
	}
	files := mapCAS{}
	anchorString, _, err := batch.Build(requests, "", p, files.put)
	if err != nil {
		b.Fatal(err)
	}
	return files, anchorString
}

package sidetree

import (
	"crypto/sha256"
	"strings"
	"testing"

	"github.com/decred/dcrd/dcrec/secp256k1/v4"
	"github.com/decred/dcrd/dcrec/secp256k1/v4/ecdsa"

	"github.com/ionode/ionode/internal/cputime/cputimetest"
)

// benchFixture is one DID with a valid operation of each type against its created state.
type benchFixture struct {
	create, update, recover, deactivate []byte
	state                               *State
}

func newBenchFixture(b *testing.B) benchFixture {
	b.Helper()
	p := Mainnet().Latest()
	r := newSeeded("bench")
	recovery, update := mustKey(b, r), mustKey(b, r)
	doc := docWithKey(b, r, "key-1")
	doc.Services = []Service{{ID: "dwn", Type: "DecentralizedWebNode", Endpoint: String("https://dwn.example.com")}}
	create, err := NewCreateRequest("ion", recovery, update, doc, p)
	if err != nil {
		b.Fatal(err)
	}
	up, err := NewUpdateRequest(create.DIDSuffix, update, mustKey(b, r), UpdateChanges{AddPublicKeys: docWithKey(b, r, "key-2").PublicKeys}, p)
	if err != nil {
		b.Fatal(err)
	}
	rec, err := NewRecoverRequest(create.DIDSuffix, recovery, mustKey(b, r), mustKey(b, r), docWithKey(b, r, "key-3"), p)
	if err != nil {
		b.Fatal(err)
	}
	deact, err := NewDeactivateRequest(create.DIDSuffix, recovery, p)
	if err != nil {
		b.Fatal(err)
	}
	f := benchFixture{create: create.Body.Stringify(), update: up.Stringify(), recover: rec.Stringify(), deactivate: deact.Stringify()}
	f.state = Apply(AnchoredOperation{Type: OpCreate, Raw: f.create, TransactionNumber: 1}, nil)
	if f.state == nil {
		b.Fatal("create did not apply")
	}
	return f
}

// benchApply measures parse + validate + apply of one operation, the work a node does per anchored operation.
func benchApply(b *testing.B, raw []byte, state *State, t OperationType) {
	b.Helper()
	b.ReportAllocs()
	b.SetBytes(int64(len(raw)))
	for i := 0; i < b.N; i++ {
		op, err := ParseOperation(raw)
		if err != nil || op.Type != t {
			b.Fatal(err)
		}
		if ApplyParsed(op, 2, state) == nil {
			b.Fatal("operation did not apply")
		}
	}
}

func BenchmarkApplyCreate(b *testing.B) {
	f := newBenchFixture(b)
	benchApply(b, f.create, nil, OpCreate)
}

func BenchmarkApplyUpdate(b *testing.B) {
	f := newBenchFixture(b)
	benchApply(b, f.update, f.state, OpUpdate)
}

func BenchmarkApplyRecover(b *testing.B) {
	f := newBenchFixture(b)
	benchApply(b, f.recover, f.state, OpRecover)
}

func BenchmarkApplyDeactivate(b *testing.B) {
	f := newBenchFixture(b)
	benchApply(b, f.deactivate, f.state, OpDeactivate)
}

// BenchmarkVerifyES256K is the bare signature check (point already decoded, hash already computed): the
// limit no operation that carries a signature can beat.
func BenchmarkVerifyES256K(b *testing.B) {
	f := newBenchFixture(b)
	op, err := ParseOperation(f.update)
	if err != nil {
		b.Fatal(err)
	}
	pub, err := es256kPublicKey(field(op.Signed, "updateKey"))
	if err != nil {
		b.Fatal(err)
	}
	sig, _ := DecodeBase64URL(op.SignedData.Signature)
	var r, s = new(secp256k1.ModNScalar), new(secp256k1.ModNScalar)
	r.SetByteSlice(sig[:32])
	s.SetByteSlice(sig[32:])
	signature := ecdsa.NewSignature(r, s)
	hash := signingHash(op.SignedData.Protected, op.SignedData.Payload)
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if !signature.Verify(hash[:], pub) {
			b.Fatal("signature does not verify")
		}
	}
}

// benchLongFormDID is the long-form DID of the bench fixture's create operation.
func benchLongFormDID(b *testing.B) string {
	b.Helper()
	op, err := ParseOperation(newBenchFixture(b).create)
	if err != nil {
		b.Fatal(err)
	}
	long, err := LongFormDID("ion", op.SuffixData, op.Delta)
	if err != nil {
		b.Fatal(err)
	}
	return long
}

// BenchmarkResolveLongForm is a GET /identifiers request for a long-form DID: parse it, resolve, write the
// body (as the node's handler and bench/compare do).
func BenchmarkResolveLongForm(b *testing.B) {
	long := benchLongFormDID(b)
	p := Mainnet().Latest()
	var body []byte // reused, as the node's handler and bench/compare reuse theirs
	b.ReportAllocs()
	defer cputimetest.Report(b)()
	for i := 0; i < b.N; i++ {
		did, err := ParseDID(long, "ion", p)
		if err != nil {
			b.Fatal(err)
		}
		var status int
		if body, status, _ = AppendResolveDID(body[:0], did, nil); status != 200 {
			b.Fatal(status)
		}
	}
}

// BenchmarkLongFormStages measures the stages of BenchmarkResolveLongForm one by one, on the same DID,
// in the order a resolution runs them: json-parse is the plain JSON.parse of the decoded state, read-state
// what ParseDID does instead (decode, parse, check its JCS form as it reads), parse-did the whole of
// ParseDID (read-state to request, and the rest of its checks), resolve the whole of ResolveDID (apply,
// then compose), write what a request does instead of compose and serialize. What bounds the whole: sha256
// reports MB/s over the initial state's length.
func BenchmarkLongFormStages(b *testing.B) {
	long := benchLongFormDID(b)
	p := Mainnet().Latest()
	encoded := long[strings.LastIndex(long, ":")+1:]
	raw, err := DecodeBase64URL(encoded)
	if err != nil {
		b.Fatal(err)
	}
	did, err := ParseDID(long, "ion", p)
	if err != nil {
		b.Fatal(err)
	}
	res := ResolveDID(did, nil)
	is, err := readInitialState(encoded)
	if err != nil {
		b.Fatal(err)
	}
	var buf []byte
	stages := []struct {
		name string
		run  func()
	}{
		{"base64-decode", func() { _, _ = DecodeBase64URL(encoded) }},
		{"json-parse", func() { _, _ = ParseJSON(raw) }},
		{"read-state", func() { _, _ = readInitialState(encoded) }}, // decode, parse and check JCS
		{"validate", func() { _, _ = ValidateDelta(did.Create.Delta), ValidateSuffixData(did.Create.SuffixData) }},
		{"sha256", func() { _ = sha256.Sum256(raw) }},
		{"request", func() { is.request() }},
		{"parse-did", func() { _, _ = ParseDID(long, "ion", p) }},
		{"apply", func() { ApplyParsed(did.Create, 0, nil) }},
		{"compose", func() { ResolutionResult(res.State, did, false) }},
		{"resolve", func() { ResolveDID(did, nil) }},
		{"serialize", func() { buf = res.Body.AppendStringify(buf[:0]) }},
		{"write", func() { buf = AppendResolutionResult(buf[:0], res.State, did, false) }}, // compose and serialize's work, without the tree
	}
	for _, s := range stages {
		b.Run(s.name, func(b *testing.B) {
			b.SetBytes(int64(len(raw)))
			b.ReportAllocs()
			defer cputimetest.Report(b)()
			for b.Loop() {
				s.run()
			}
		})
	}
}

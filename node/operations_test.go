package node

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"

	"github.com/gorilla/mux"
	"github.com/ionode/ionode/sidetree"
)

// historyScenario is one DID's log with valid and invalid operations, and which of them apply.
func historyScenario(t *testing.T) (*sidetree.CreateRequest, []sidetree.AnchoredOperation, []bool) {
	t.Helper()
	p := sidetree.Mainnet().Latest()
	r := &detReader{n: 1000}
	rec0, upd0, upd1, upd2, rec1, updR := testKey(t, r), testKey(t, r), testKey(t, r), testKey(t, r), testKey(t, r), testKey(t, r)
	create, err := sidetree.NewCreateRequest("ion", rec0, upd0, sidetree.Document{}, p)
	if err != nil {
		t.Fatal(err)
	}
	suffix := create.DIDSuffix
	key := sidetree.PublicKey{ID: "k2", Type: "EcdsaSecp256k1VerificationKey2019", JWK: testKey(t, r).Public().Value(), Purposes: []string{"authentication"}}
	must := func(v sidetree.Value, err error) []byte {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return v.Stringify()
	}
	type step struct {
		typ     sidetree.OperationType
		raw     []byte
		applied bool
	}
	steps := []step{
		{sidetree.OpCreate, create.Body.Stringify(), true},
		{sidetree.OpCreate, create.Body.Stringify(), false}, // a second create never applies
		// Valid when anchored, but ION follows the recovery chain first and the recovery below resets the
		// update commitment: it is not part of the resolved state.
		{sidetree.OpUpdate, must(sidetree.NewUpdateRequest(suffix, upd0, upd1, sidetree.UpdateChanges{AddPublicKeys: []sidetree.PublicKey{key}}, p)), false},
		{sidetree.OpUpdate, must(sidetree.NewUpdateRequest(suffix, upd0, upd2, sidetree.UpdateChanges{}, p)), false}, // spent commitment
		{sidetree.OpRecover, must(sidetree.NewRecoverRequest(suffix, rec0, rec1, updR, sidetree.Document{}, p)), true},
		{sidetree.OpUpdate, must(sidetree.NewUpdateRequest(suffix, upd1, upd2, sidetree.UpdateChanges{}, p)), false}, // pre-recovery key
		{sidetree.OpUpdate, must(sidetree.NewUpdateRequest(suffix, updR, upd2, sidetree.UpdateChanges{RemoveKeyIDs: []string{"none"}}, p)), true},
		{sidetree.OpDeactivate, must(sidetree.NewDeactivateRequest(suffix, rec0, p)), false}, // old recovery key
	}
	var ops []sidetree.AnchoredOperation
	var want []bool
	for i, s := range steps {
		ops = append(ops, sidetree.AnchoredOperation{Type: s.typ, DIDSuffix: suffix, Raw: s.raw, TransactionNumber: uint64(i+1) * 1_000_000, TransactionTime: uint64(i + 1)})
		want = append(want, s.applied)
	}
	return create, ops, want
}

func TestHistoryAgreesWithResolve(t *testing.T) {
	_, ops, want := historyScenario(t)
	if tr, _ := traceOperations(ops[:4]); !tr.applied[opKey{ops[2].TransactionNumber, 0}] {
		t.Error("the update applies while no recovery follows it")
	}
	for n := 0; n <= len(ops); n++ {
		tr, err := traceOperations(ops[:n])
		if err != nil {
			t.Fatal(err)
		}
		applied, state := tr.applied, tr.state
		ref, err := sidetree.Resolve(ops[:n])
		if err != nil {
			t.Fatal(err)
		}
		if (state == nil) != (ref == nil) || state != nil && !reflect.DeepEqual(sidetree.EncodeState(state), sidetree.EncodeState(ref)) {
			t.Fatalf("first %d operations: traced state %+v, Resolve %+v", n, state, ref)
		}
		if n < len(ops) {
			continue // a later operation can change an earlier one's fate (see the scenario)
		}
		for i, op := range ops {
			if got := applied[opKey{op.TransactionNumber, op.OperationIndex}]; got != want[i] {
				t.Errorf("first %d operations: operation %d (%s) applied = %v, want %v", n, i, op.Type, got, want[i])
			}
		}
	}
}

func TestHistoryEndpoint(t *testing.T) {
	create, ops, want := historyScenario(t)
	log := memoryLog{create.DIDSuffix: ops}
	r := mux.NewRouter()
	(&History{Network: sidetree.Mainnet(), Log: log}).Register(r)
	srv := httptest.NewServer(r)
	t.Cleanup(srv.Close)

	for _, did := range []string{"did:ion:" + create.DIDSuffix, create.LongForm} {
		status, body := do(t, http.MethodGet, srv.URL+"/identifiers/"+did+"/operations", "")
		if status != http.StatusOK {
			t.Fatalf("%s: %d %s", did, status, body)
		}
		var rep HistoryReport
		if err := json.Unmarshal([]byte(body), &rep); err != nil {
			t.Fatal(err)
		}
		if rep.DID != "did:ion:"+create.DIDSuffix || rep.Total != len(ops) || len(rep.Operations) != len(ops) || rep.ResolutionError != "" {
			t.Fatalf("%s: %+v", did, rep)
		}
		for i, op := range rep.Operations {
			if op.Applied == nil || *op.Applied != want[i] || op.Type != string(ops[i].Type) || op.BlockHeight != uint64(i+1) {
				t.Errorf("%s: operation %d = %+v, want applied %v", did, i, op, want[i])
			}
		}
	}
	tests := []struct {
		path   string
		status int
		want   string
	}{
		{"/identifiers/did:ion:EiAunknownunknownunknownunknownunknownunknow/operations", 200, `"operations":[]`},
		{"/identifiers/did:other:abc/operations", 400, `"code":`},
		{"/identifiers/not-a-did/operations", 400, `"code":`},
		{"/identifiers/did:ion:" + create.DIDSuffix + ":bad/operations", 400, `"code":`},
	}
	for _, tc := range tests {
		status, body := do(t, http.MethodGet, srv.URL+tc.path, "")
		if status != tc.status || !strings.Contains(body, tc.want) {
			t.Errorf("GET %s = %d %s, want %d with %s", tc.path, status, body, tc.status, tc.want)
		}
	}
}

func TestHistoryUnparsableOperation(t *testing.T) {
	create, ops, _ := historyScenario(t)
	ops = append(ops[:1:1], sidetree.AnchoredOperation{Type: sidetree.OpRecover, DIDSuffix: create.DIDSuffix, Raw: []byte(`{"type":"recover"}`), TransactionNumber: 9_000_000})
	rep := BuildHistory("did:ion:"+create.DIDSuffix, create.DIDSuffix, ops)
	if rep.ResolutionError == "" || len(rep.Operations) != 2 || rep.Operations[0].Applied != nil {
		t.Fatalf("an operation that does not parse: %+v", rep)
	}
}

// FuzzBuildHistory: operations as a hostile batch could leave them in the store never crash the history,
// and at most one create ever counts.
func FuzzBuildHistory(f *testing.F) {
	f.Add([]byte(`{"type":"create","suffixData":{},"delta":{}}`), []byte(`{"type":"update","didSuffix":"x","revealValue":"EiA","delta":{},"signedData":"a.b.c"}`), uint8(0))
	f.Add([]byte(`{"type":"recover"}`), []byte(`null`), uint8(2))
	f.Add([]byte(`{}`), []byte(`[]`), uint8(3))
	types := []sidetree.OperationType{sidetree.OpCreate, sidetree.OpUpdate, sidetree.OpRecover, sidetree.OpDeactivate}
	f.Fuzz(func(t *testing.T, a, b []byte, kinds uint8) {
		ops := []sidetree.AnchoredOperation{
			{Type: types[kinds%4], DIDSuffix: "s", Raw: a, TransactionNumber: 1},
			{Type: types[(kinds/4)%4], DIDSuffix: "s", Raw: b, TransactionNumber: 2},
			{Type: sidetree.OpCreate, DIDSuffix: "s", Raw: a, TransactionNumber: 3},
		}
		rep := BuildHistory("did:ion:s", "s", ops)
		if len(rep.Operations) != len(ops) || rep.Total != len(ops) {
			t.Fatalf("%d operations listed of %d", len(rep.Operations), len(ops))
		}
		creates := 0
		for i, op := range rep.Operations {
			if (op.Applied == nil) != (rep.ResolutionError != "") {
				t.Fatalf("operation %d: applied %v with resolution error %q", i, op.Applied, rep.ResolutionError)
			}
			if op.Applied != nil && *op.Applied && op.Type == string(sidetree.OpCreate) {
				creates++
			}
		}
		if creates > 1 {
			t.Fatalf("%d creates applied", creates)
		}
	})
}

// TestHistoryOutcomes: each operation's outcome says what happened to it, including a valid update that
// a later recovery or deactivation made irrelevant.
func TestHistoryOutcomes(t *testing.T) {
	create, ops, _ := historyScenario(t)
	want := []Outcome{
		OutcomeApplied,              // create
		OutcomeDuplicateCreate,      // second create
		OutcomeSupersededByRecovery, // valid update, then the recovery
		OutcomeCommitmentUsed,       // same update commitment as the one before
		OutcomeApplied,              // recovery
		OutcomeKeyReplaced,          // follows the superseded update, but anchored after the recovery
		OutcomeApplied,              // update with the recovery's key
		OutcomeCommitmentUsed,       // deactivate with the recovery key the recovery already used
	}
	checkOutcomes(t, create.DIDSuffix, ops, want)

	// A valid chain of updates, then a deactivation: both updates applied before the DID was deactivated.
	p := sidetree.Mainnet().Latest()
	r := &detReader{n: 5000}
	rec0, upd0, upd1, upd2 := testKey(t, r), testKey(t, r), testKey(t, r), testKey(t, r)
	c, err := sidetree.NewCreateRequest("ion", rec0, upd0, sidetree.Document{}, p)
	if err != nil {
		t.Fatal(err)
	}
	u1, err := sidetree.NewUpdateRequest(c.DIDSuffix, upd0, upd1, sidetree.UpdateChanges{}, p)
	if err != nil {
		t.Fatal(err)
	}
	u2, err := sidetree.NewUpdateRequest(c.DIDSuffix, upd1, upd2, sidetree.UpdateChanges{}, p)
	if err != nil {
		t.Fatal(err)
	}
	d, err := sidetree.NewDeactivateRequest(c.DIDSuffix, rec0, p)
	if err != nil {
		t.Fatal(err)
	}
	bad, err := sidetree.NewUpdateRequest(c.DIDSuffix, upd2, upd0, sidetree.UpdateChanges{}, p) // would reuse upd0's commitment
	if err != nil {
		t.Fatal(err)
	}
	var ops2 []sidetree.AnchoredOperation
	for i, raw := range [][]byte{c.Body.Stringify(), u1.Stringify(), u2.Stringify(), d.Stringify(), bad.Stringify()} {
		typ := []sidetree.OperationType{sidetree.OpCreate, sidetree.OpUpdate, sidetree.OpUpdate, sidetree.OpDeactivate, sidetree.OpUpdate}[i]
		ops2 = append(ops2, sidetree.AnchoredOperation{Type: typ, DIDSuffix: c.DIDSuffix, Raw: raw, TransactionNumber: uint64(i+1) * 1_000_000, TransactionTime: uint64(i + 1)})
	}
	checkOutcomes(t, c.DIDSuffix, ops2, []Outcome{OutcomeApplied, OutcomeSupersededByDeactivation, OutcomeSupersededByDeactivation, OutcomeApplied, OutcomeCommitmentReused})
}

func checkOutcomes(t *testing.T, suffix string, ops []sidetree.AnchoredOperation, want []Outcome) {
	t.Helper()
	rep := BuildHistory("did:ion:"+suffix, suffix, ops)
	for i, op := range rep.Operations {
		if op.Outcome != want[i] || op.Reason == "" || (op.Outcome == OutcomeApplied) != *op.Applied {
			t.Errorf("operation %d (%s): outcome %q (%s), applied %v; want %q", i, op.Type, op.Outcome, op.Reason, *op.Applied, want[i])
		}
	}
}

package sidetree

import "testing"

func TestStateCodecRoundTrip(t *testing.T) {
	doc, err := ParseJSON([]byte(`{"services":[{"id":"s","type":"t","serviceEndpoint":{"b":1,"a":[null]}}],"publicKeys":[]}`))
	if err != nil {
		t.Fatal(err)
	}
	in := &State{Document: doc, NextRecoveryCommitment: "EiA", NextUpdateCommitment: "", LastOperationTransaction: 1<<63 + 7}
	out, err := DecodeState(EncodeState(in))
	if err != nil {
		t.Fatal(err)
	}
	if !out.Document.Equal(in.Document) || out.NextRecoveryCommitment != in.NextRecoveryCommitment ||
		out.NextUpdateCommitment != in.NextUpdateCommitment || out.LastOperationTransaction != in.LastOperationTransaction {
		t.Fatalf("round trip changed the state: %+v", out)
	}
	for _, bad := range []string{``, `{}`, `{"document":[],"recoveryCommitment":"","updateCommitment":"","lastTransaction":"1"}`, `{"document":{},"recoveryCommitment":"","updateCommitment":"","lastTransaction":"x"}`} {
		if _, err := DecodeState([]byte(bad)); err == nil {
			t.Errorf("DecodeState(%q) accepted a corrupt record", bad)
		}
	}
}

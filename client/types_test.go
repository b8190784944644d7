package client_test

import (
	"bytes"
	"encoding/json"
	"testing"
	"time"

	"github.com/ionode/ionode/client"
	"github.com/ionode/ionode/node"
)

// The client's copies of the node's answer types read every field the node writes, and write them back
// the same: a field added to the node without the client fails here.
func TestTypesMatchTheNode(t *testing.T) {
	applied := true
	tests := []struct {
		name string
		node any
		into any
	}{
		{"status", node.StatusReport{Name: "ionode", Version: "v", Network: "mainnet", DIDMethod: "ion", ProtocolVersion: "1",
			AcceptsOperations: true, Sync: &node.SyncStatus{Height: 1, Tip: 2, BlocksBehind: 1, Progress: 0.5, OperationsPerSecond: 3,
				BlocksPerSecond: 4, Ready: false, NotReadyReason: "behind"}, Queue: &node.QueueStatus{Depth: 5},
			Connectivity: node.Connectivity{CAS: &node.Check{OK: true}, Bitcoin: &node.Check{Error: "down"}}, Time: time.Unix(1, 0).UTC()}, &client.Status{}},
		{"history", node.HistoryReport{DID: "did:ion:x", DIDSuffix: "x", Total: 1, Truncated: true, ResolutionError: "e",
			Operations: []node.HistoryOperation{{Type: "create", TransactionNumber: "1", BlockHeight: 2, OperationIndex: 3, Applied: &applied,
				Outcome: node.OutcomeApplied, Reason: "r"}}}, &client.History{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			want, err := json.Marshal(tt.node)
			if err != nil {
				t.Fatal(err)
			}
			dec := json.NewDecoder(bytes.NewReader(want))
			dec.DisallowUnknownFields()
			if err := dec.Decode(tt.into); err != nil {
				t.Fatalf("the client misses a field: %v", err)
			}
			got, _ := json.Marshal(tt.into)
			if !bytes.Equal(got, want) {
				t.Errorf("round trip:\n got %s\nwant %s", got, want)
			}
		})
	}
}

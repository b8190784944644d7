package main

import (
	"context"
	"encoding/json"
	"net/http"
	"testing"
	"time"
)

// TestTestnetP2POnly runs `ionode testnet --p2p-only`: the node has no Bitcoin RPC, follows btcd as a
// P2P peer, anchors a DID created by the CLI and resolves it.
func TestTestnetP2POnly(t *testing.T) {
	if testing.Short() {
		t.Skip("starts btcd and a node")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	tn := startTestnet(t, ctx, testnetOptions{dataDir: t.TempDir(), listen: "127.0.0.1:0", logLevel: "info", p2pOnly: true})
	defer tn.stop(t)
	out, errOut, code := runCLI(t, "did", "create", "--network", "regtest", "--out", t.TempDir(), "--node", tn.base, "--wait", "60s")
	if code != 0 {
		t.Fatalf("did create: %s", errOut)
	}
	resp, err := http.Get(tn.base + "/status")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var st struct {
		P2P *struct {
			Peers        []json.RawMessage `json:"peers"`
			HeaderHeight int64             `json:"headerHeight"`
		} `json:"bitcoinP2P"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&st); err != nil {
		t.Fatal(err)
	}
	if st.P2P == nil || len(st.P2P.Peers) != 1 || st.P2P.HeaderHeight < 100 {
		t.Fatalf("/status bitcoinP2P %+v (did create said %q)", st.P2P, out)
	}
}

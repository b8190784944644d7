package testnet

import (
	"context"
	"testing"
	"time"
)

// TestRestartKeepsChain: a node started again on the same data directory has the blocks it mined
// before (ionode testnet resumes its network this way).
func TestRestartKeepsChain(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	dir := t.TempDir()
	n, err := Start(ctx, Config{DataDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := n.Generate(ctx, 5); err != nil {
		n.Stop()
		t.Fatal(err)
	}
	if err := n.Stop(); err != nil {
		t.Fatal(err)
	}
	n, err = Start(ctx, Config{DataDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	defer n.Stop()
	height, err := n.Client().GetBlockCount()
	if err != nil {
		t.Fatal(err)
	}
	if height != 5 {
		t.Fatalf("height %d after a restart, want 5", height)
	}
}

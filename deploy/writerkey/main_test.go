package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/btcsuite/btcd/chaincfg/v2"

	"github.com/ionode/ionode/anchor"
)

func TestWriterAddress(t *testing.T) {
	path := filepath.Join(t.TempDir(), "writer.key")
	first, err := writerAddress("regtest", path)
	if err != nil {
		t.Fatal(err)
	}
	info, err := os.Stat(path)
	if err != nil || info.Mode().Perm() != 0o600 {
		t.Fatalf("key file: %v %v, want mode 0600", err, info)
	}
	// The second start reads the same key: btcd keeps mining to the address ionode spends from.
	again, err := writerAddress("regtest", path)
	if err != nil || again != first {
		t.Fatalf("second run: %q %v, want %q", again, err, first)
	}
	key, err := anchor.LoadKey(path, &chaincfg.RegressionNetParams)
	if err != nil || key.Address() != first {
		t.Fatalf("ionode reads the key as %v (%v), want address %s", key, err, first)
	}
	if !strings.HasPrefix(first, "m") && !strings.HasPrefix(first, "n") {
		t.Errorf("%s is not a regtest P2PKH address", first)
	}
	if _, err := writerAddress("moon", path); err == nil {
		t.Error("unknown network accepted")
	}
	bad := filepath.Join(t.TempDir(), "bad.key")
	os.WriteFile(bad, []byte("not a key\n"), 0o600)
	if _, err := writerAddress("regtest", bad); err == nil {
		t.Error("a file that is no key was accepted (and would be mined to nothing)")
	}
}

package main

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite generated files (docs/configuration.md)")

// repoFile is a path relative to the repository root (tests run in cmd/ionode).
func repoFile(rel string) string { return filepath.Join("..", "..", filepath.FromSlash(rel)) }

func TestConfigurationDocIsCurrent(t *testing.T) {
	var want bytes.Buffer
	if err := writeConfigDoc(&want); err != nil {
		t.Fatal(err)
	}
	path := repoFile(configDocPath)
	if *update {
		if err := os.WriteFile(path, want.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v; generate it: go run ./cmd/ionode docs config > %s", err, configDocPath)
	}
	if !bytes.Equal(got, want.Bytes()) {
		t.Errorf("%s is stale (the flags changed); regenerate it from the repository root:\n  go run ./cmd/ionode docs config > %[1]s\nor: go test ./cmd/ionode -run TestConfigurationDocIsCurrent -update", configDocPath)
	}
}

// The reference names every flag of both commands with its variable, and none the environment ignores.
func TestConfigurationDocCoversFlags(t *testing.T) {
	var doc bytes.Buffer
	if err := writeConfigDoc(&doc); err != nil {
		t.Fatal(err)
	}
	text := doc.String()
	for _, name := range []string{"bitcoin-rpc", "writer-key-file", "mongodb-uri", "mine-interval", "config"} {
		if !strings.Contains(text, "`--"+name+"`") {
			t.Errorf("--%s missing", name)
		}
	}
	if !strings.Contains(text, "| `--reset` | — |") {
		t.Error("--reset must show no environment variable: testnet never reads ION_RESET")
	}
	if strings.Contains(text, "ION_HELP") {
		t.Error("--help has no variable")
	}
	// testnet really reads the variables the reference lists for it.
	cmd := newTestnetCommand(func(k string) string {
		return map[string]string{"ION_LOG_LEVEL": "loud", "ION_RESET": "true"}[k]
	})
	cmd.SilenceUsage, cmd.SilenceErrors = true, true
	cmd.SetArgs([]string{"--data-dir", t.TempDir()})
	if err := cmd.Execute(); err == nil || !strings.Contains(err.Error(), "--log-level") {
		t.Errorf("ION_LOG_LEVEL not applied to testnet: %v", err)
	}
}

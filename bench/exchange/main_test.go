package main

import (
	"bytes"
	"context"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/ionode/ionode/bench/internal/childproc"
)

// TestMain lets the test binary play the load generator that run re-executes.
func TestMain(m *testing.M) {
	childproc.AsChild(os.Args, run)
	os.Exit(m.Run())
}

// TestExchangeTiny runs the whole command at a tiny size: run fails when any exchange fails or a final
// callback is missing, and every flow must report a rate, the node's CPU per exchange and the ratios.
func TestExchangeTiny(t *testing.T) {
	if testing.Short() {
		t.Skip("starts btcd, a node and load generator processes")
	}
	var out bytes.Buffer
	err := run(context.Background(), []string{"-tiny", "-dir", t.TempDir()}, &out)
	t.Log(out.String())
	if err != nil {
		t.Fatal(err)
	}
	for _, flow := range []string{"issuance", "presentation"} {
		for _, row := range []string{
			`\| ` + flow + `: exchanges/s \(wall, both processes on this machine\) \| [1-9][0-9]*/s \(40 in `,
			`\| ` + flow + `: CPU per exchange, node / load generator \| [1-9][0-9]* µs / [1-9][0-9]* µs \|`,
			`\| ` + flow + `: vs\. the ES256K limit ÷ 3 signings per exchange \| [0-9.]+× \|`,
		} {
			if !regexp.MustCompile(row).MatchString(out.String()) {
				t.Errorf("no row matching %s", row)
			}
		}
	}
	if !regexp.MustCompile(`\| ES256K signing limit [^|]+ \| [1-9][0-9]* signings/s`).MatchString(out.String()) {
		t.Error("no signing limit")
	}
	if strings.Contains(out.String(), "map[]") {
		t.Error("no callbacks counted")
	}
}

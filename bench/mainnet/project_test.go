package main

import (
	"strings"
	"testing"
	"time"
)

func TestProjection(t *testing.T) {
	p := projection{Blocks: 258_000, Cores: 2, Mbit: 100, Cost: perBlock{
		Wall: 20 * time.Millisecond, NodeCPU: 24 * time.Millisecond, BtcdCPU: 12 * time.Millisecond, Bytes: 1.5e6, Written: 10e3,
	}}
	for _, c := range []struct {
		name      string
		got, want time.Duration
	}{
		{"wall", p.Wall(), 5160 * time.Second},
		{"node alone", p.NodeAlone(), 3096 * time.Second},
		{"btcd", p.BtcdServing(), 1548 * time.Second},
		{"shared", p.Shared(), 4644 * time.Second},
		// 258,000 × 1.5 MB × 8 bits at 100 Mbit/s.
		{"download", p.Download(), 30960 * time.Second},
	} {
		if c.got != c.want {
			t.Errorf("%s: %v, want %v", c.name, c.got, c.want)
		}
	}
	if b := p.Bound(); !strings.Contains(b, "node's CPU") || !strings.Contains(b, "btcd's serving 33 %") {
		t.Errorf("bound %q", b)
	}
	p.Cost.BtcdCPU = 30 * time.Millisecond
	var out strings.Builder
	p.Load = 3
	p.write(&out)
	for _, want := range []string{"1.43 h (not clean: load average 3.0 on 2 cores)", "0.86 h", "1.94 h", "8.60 h", "goal < 2 h for the node: met", "387 GB"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("report lacks %q:\n%s", want, out.String())
		}
	}
}

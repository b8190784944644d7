package main

import (
	"fmt"
	"io"
	"time"
)

// perBlock is what scanning one block cost, measured.
type perBlock struct {
	Wall    time.Duration // elapsed, node and btcd on the same cores
	NodeCPU time.Duration // the node's CPU time
	BtcdCPU time.Duration // btcd's CPU time (serving the block)
	Bytes   float64       // the block's size
	Written float64       // bytes the node wrote to disk
}

// projection is a per-block cost scaled to a range of blocks on a machine.
type projection struct {
	Blocks  int64
	Cores   int
	Mbit    float64 // download bandwidth assumed, Mbit/s
	Cost    perBlock
	Measure string  // how the figures were taken, for the report
	Load    float64 // the 1-minute load average during the rounds
}

// loadNote warns that wall times measured while other processes held the cores are not the machine's.
func (p projection) loadNote() string {
	if p.Load > float64(p.Cores) {
		return fmt.Sprintf(" (not clean: load average %.1f on %d cores)", p.Load, p.Cores)
	}
	return ""
}

func (p projection) scale(d time.Duration) time.Duration { return time.Duration(int64(d) * p.Blocks) }

// Wall is the range scanned at the measured rate, btcd on the same machine.
func (p projection) Wall() time.Duration { return p.scale(p.Cost.Wall) }

// NodeAlone is the node's CPU time for the range spread over every core: its scan with peers elsewhere.
func (p projection) NodeAlone() time.Duration {
	return p.scale(p.Cost.NodeCPU) / time.Duration(p.Cores)
}

// BtcdServing is a local btcd's CPU time to serve the range, over every core.
func (p projection) BtcdServing() time.Duration {
	return p.scale(p.Cost.BtcdCPU) / time.Duration(p.Cores)
}

// Shared is the node's and btcd's CPU time for the range over every core: both on this machine.
func (p projection) Shared() time.Duration {
	return p.scale(p.Cost.NodeCPU+p.Cost.BtcdCPU) / time.Duration(p.Cores)
}

// Download is the range's bytes at the assumed bandwidth.
func (p projection) Download() time.Duration {
	bits := p.Cost.Bytes * 8 * float64(p.Blocks)
	return time.Duration(bits / (p.Mbit * 1e6) * float64(time.Second))
}

// Bound names what limits the scan on this machine, excluding the download. The node alone is bound by
// its CPU (block checks, transaction parsing, ION matching); with btcd on the same cores, by their CPU
// time together, of which btcd's serving takes the share given. The disk is reported in bytes: the
// wall time, which includes its waits, is the check that it does not bound the scan.
func (p projection) Bound() string {
	total := p.Cost.NodeCPU + p.Cost.BtcdCPU
	share := 0.0
	if total > 0 {
		share = 100 * float64(p.Cost.BtcdCPU) / float64(total)
	}
	return fmt.Sprintf("the node's CPU (block checks, transaction parsing, ION matching); with btcd on the same cores, both CPUs (btcd's serving %.0f %%)", share)
}

func (p projection) write(w io.Writer) {
	h := func(d time.Duration) string { return fmt.Sprintf("%.2f h", d.Hours()) }
	fmt.Fprintf(w, "Per block (%s): %.2f MB, wall %.1f ms, node CPU %.1f ms, btcd CPU %.1f ms, node disk writes %.1f KB\n",
		p.Measure, p.Cost.Bytes/1e6, ms(p.Cost.Wall), ms(p.Cost.NodeCPU), ms(p.Cost.BtcdCPU), p.Cost.Written/1e3)
	fmt.Fprintf(w, "Projected scan of %d blocks (ION's range, 667,000 → 925,000) on this machine (%d cores), excluding download:\n", p.Blocks, p.Cores)
	fmt.Fprintf(w, "  node alone (its CPU time over %d cores; on mainnet its peers are elsewhere): %s\n", p.Cores, h(p.NodeAlone()))
	fmt.Fprintf(w, "  node and btcd on the same cores (their CPU time over %d cores):            %s\n", p.Cores, h(p.Shared()))
	fmt.Fprintf(w, "  btcd's serving alone (its CPU time over %d cores):                         %s\n", p.Cores, h(p.BtcdServing()))
	fmt.Fprintf(w, "  measured wall rate, node and btcd sharing the cores:                       %s%s\n", h(p.Wall()), p.loadNote())
	fmt.Fprintf(w, "  node's disk writes: %.1f GB\n", p.Cost.Written*float64(p.Blocks)/1e9)
	fmt.Fprintf(w, "  bound: %s; goal < 2 h for the node: %s\n", p.Bound(), met(p.NodeAlone() < 2*time.Hour))
	fmt.Fprintf(w, "Download of the range (%.0f GB) at %.0f Mbit/s: %s (not included above)\n",
		p.Cost.Bytes*float64(p.Blocks)/1e9, p.Mbit, h(p.Download()))
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

func met(ok bool) string {
	if ok {
		return "met"
	}
	return "missed"
}

package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/ionode/ionode/bench/internal/report"
	"github.com/ionode/ionode/internal/mainnetblocks"
	"github.com/ionode/ionode/testnet"
)

func main() {
	if err := run(context.Background(), os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "mainnet:", err)
		os.Exit(1)
	}
}

// ionRange is ION's range of mainnet: from its genesis block, 667,000, to a tip of 925,000.
const ionRange = 925_000 - 667_000

func run(ctx context.Context, args []string, out io.Writer) error {
	fs := flag.NewFlagSet("mainnet", flag.ContinueOnError)
	blocks := fs.Int("blocks", 20, "mainnet-shaped blocks each round scans")
	txs := fs.Int("txs", 3000, "transactions per block besides the coinbase")
	rounds := fs.Int("rounds", 3, "rounds (each a fresh node); medians are reported")
	mbit := fs.Float64("mbit", 100, "download bandwidth, Mbit/s, for the download time stated apart")
	cache := fs.String("cache", mainnetblocks.DefaultCacheDir(), `directory keeping generated blocks between runs ("" for none)`)
	dir := fs.String("dir", "", "working directory (default: a temporary one, removed at the end)")
	timeout := fs.Duration("timeout", 30*time.Minute, "give up after this long")
	verbose := fs.Bool("v", false, "log the node's progress")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *blocks < 1 || *rounds < 1 || *txs < 50 || *mbit <= 0 {
		return fmt.Errorf("-blocks and -rounds must be at least 1, -txs at least 50, -mbit positive")
	}
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()
	ctx, cancel := context.WithTimeout(ctx, *timeout)
	defer cancel()
	work, cleanup, err := report.WorkDir(*dir, "mainnet")
	if err != nil {
		return err
	}
	defer cleanup()
	log := report.Logger(*verbose)

	fmt.Fprintf(out, "Machine: %s; load average %s\n", report.ReadMachine(), report.LoadAverage())
	t0 := time.Now()
	chain, err := mainnetblocks.Build(mainnetblocks.Config{Seed: 1, Transactions: *txs}, *blocks, *cache)
	if err != nil {
		return err
	}
	st := chain.Stats
	fmt.Fprintf(out, "Blocks (%v to build or read): %d of %.0f transactions, %.2f MB (%.0f%% witness), weight %.2f M; inputs per block %.0f (%s), outputs %.0f, OP_RETURNs %.0f, ION anchors %.0f\n",
		time.Since(t0).Round(time.Millisecond), st.Blocks, per(st.Transactions, st.Blocks), float64(st.Bytes)/float64(st.Blocks)/1e6,
		100*float64(st.WitnessBytes)/float64(st.Bytes), float64(st.Weight)/float64(st.Blocks)/1e6, per(st.Inputs, st.Blocks),
		kinds(st), per(st.Outputs, st.Blocks), per(st.OpReturns, st.Blocks), per(st.IONAnchors, st.Blocks))

	btcd, err := testnet.Start(ctx, testnet.Config{ListenPeer: true})
	if err != nil {
		return err
	}
	defer btcd.Stop()
	if err := mainnetblocks.Submit(ctx, btcd.Client(), chain.Prepare); err != nil {
		return err
	}
	genesis := int64(len(chain.Prepare) + 1)
	tip := int64(len(chain.Prepare) + len(chain.Shaped))
	// What a node costs with nothing to scan: started and closed against the funding blocks alone.
	base, err := runNode(ctx, btcd, filepath.Join(work, "base"), genesis, genesis-1, log)
	if err != nil {
		return fmt.Errorf("baseline node: %w", err)
	}
	t0 = time.Now()
	if err := mainnetblocks.Submit(ctx, btcd.Client(), chain.Shaped); err != nil {
		return err
	}
	fmt.Fprintf(out, "btcd checked and stored them in %v\n", time.Since(t0).Round(time.Millisecond))
	btcd.WaitIdle(time.Minute)

	n := time.Duration(*blocks)
	var costs []perBlock
	fmt.Fprintf(out, "%-6s %10s %14s %14s %16s\n", "round", "wall/block", "node CPU/block", "btcd CPU/block", "disk writes/block")
	for i := range *rounds {
		r, err := runNode(ctx, btcd, filepath.Join(work, fmt.Sprintf("round-%d", i)), genesis, tip, log)
		if err != nil {
			return fmt.Errorf("round %d: %w", i+1, err)
		}
		c := perBlock{
			Wall:    max(r.Wall-base.Start, 0) / n,
			NodeCPU: max(r.NodeCPU-base.StartUp, 0) / n,
			BtcdCPU: max(r.BtcdCPU-base.BtcdCPU, 0) / n,
			Bytes:   float64(st.Bytes) / float64(st.Blocks),
			Written: float64(max(r.Written-base.Written, 0)) / float64(*blocks),
		}
		costs = append(costs, c)
		fmt.Fprintf(out, "%-6d %8.1f ms %11.1f ms %11.1f ms %13.1f KB\n", i+1, ms(c.Wall), ms(c.NodeCPU), ms(c.BtcdCPU), c.Written/1e3)
		btcd.WaitIdle(time.Minute)
	}
	loadAvg := report.LoadAverage()
	load, _ := strconv.ParseFloat(strings.Fields(loadAvg)[0], 64)
	p := projection{Blocks: ionRange, Cores: runtime.GOMAXPROCS(0), Mbit: *mbit, Cost: median(costs), Load: load,
		Measure: fmt.Sprintf("medians of %d rounds of %d blocks, load average %s at the end", *rounds, *blocks, loadAvg)}
	p.write(out)
	fmt.Fprintf(out, "A node's start and stop without blocks, subtracted: %v wall, %v CPU, %.1f KB written\n",
		base.Start.Round(time.Millisecond), base.StartUp.Round(time.Millisecond), float64(base.Written)/1e3)
	return nil
}

func per(n, blocks int) float64 { return float64(n) / float64(max(blocks, 1)) }

func kinds(st mainnetblocks.Stats) string {
	names := make([]string, 0, len(st.InputsByKind))
	for k := range st.InputsByKind {
		names = append(names, k)
	}
	slices.Sort(names)
	s := ""
	for i, k := range names {
		if i > 0 {
			s += ", "
		}
		s += fmt.Sprintf("%s %.0f%%", k, 100*float64(st.InputsByKind[k])/float64(max(st.Inputs, 1)))
	}
	return s
}

// median takes each figure's median over the rounds separately.
func median(costs []perBlock) perBlock {
	pick := func(f func(perBlock) float64) float64 {
		v := make([]float64, len(costs))
		for i, c := range costs {
			v[i] = f(c)
		}
		slices.Sort(v)
		if len(v)%2 == 1 {
			return v[len(v)/2]
		}
		return (v[len(v)/2-1] + v[len(v)/2]) / 2
	}
	d := func(f func(perBlock) time.Duration) time.Duration {
		return time.Duration(pick(func(c perBlock) float64 { return float64(f(c)) }))
	}
	return perBlock{
		Wall:    d(func(c perBlock) time.Duration { return c.Wall }),
		NodeCPU: d(func(c perBlock) time.Duration { return c.NodeCPU }),
		BtcdCPU: d(func(c perBlock) time.Duration { return c.BtcdCPU }),
		Bytes:   pick(func(c perBlock) float64 { return c.Bytes }),
		Written: pick(func(c perBlock) float64 { return c.Written }),
	}
}

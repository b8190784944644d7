package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"github.com/ionode/ionode/bench/internal/report"
	"github.com/ionode/ionode/exchange"
)

// Flows the load generator runs.
const (
	flowIssuance     = "issuance"
	flowPresentation = "presentation"
)

// genOptions configure one load generator process.
type genOptions struct {
	flow, url, admin, issuerDID, seed, vcFile string
	exchanges, conns                          int
	callbacks                                 bool
}

// genResult is what a load generator process reports to the parent on stdout.
type genResult struct {
	Exchanges, Failed int
	FirstErr          string
	Wall              time.Duration // from the first request to the last answer
	CPU               time.Duration // the load generator's own CPU time over Wall (wallets and relying party)
	Callbacks         map[exchange.Status]int
	BadCallbacks      int
}

// terminalStatus is the callback each flow's successful exchange ends with.
var terminalStatus = map[string]exchange.Status{
	flowIssuance:     exchange.StatusIssuanceSuccessful,
	flowPresentation: exchange.StatusPresentationVerified,
}

// generate runs o.exchanges exchanges of o.flow on o.conns concurrent wallets (closed loop). Wallet i
// is holder i of the seed. An issuance run writes each wallet's first credential to o.vcFile (when
// set); a presentation run presents them.
func generate(ctx context.Context, o genOptions, out io.Writer) error {
	var rp *relyingParty
	if o.callbacks {
		var err error
		if rp, err = startRelyingParty(); err != nil {
			return err
		}
		defer rp.close()
	}
	c := newClient(o.url, o.admin, o.conns, rp)
	holders := make([]*holder, o.conns)
	for i := range holders {
		h, err := newHolder(o.seed, i)
		if err != nil {
			return err
		}
		holders[i] = h
	}
	vcs := make([]string, o.conns)
	if o.flow == flowPresentation {
		raw, err := os.ReadFile(o.vcFile)
		if err != nil {
			return err
		}
		if err := json.Unmarshal(raw, &vcs); err != nil || len(vcs) < o.conns {
			return fmt.Errorf("%s holds %d credentials for %d wallets: %v", o.vcFile, len(vcs), o.conns, err)
		}
	} else if o.flow != flowIssuance {
		return fmt.Errorf("unknown flow %q", o.flow)
	}

	var (
		next, failed atomic.Int64
		firstErr     sync.Once
		res          = genResult{Exchanges: o.exchanges}
		wg           sync.WaitGroup
	)
	cpu0, start := report.Self(), time.Now()
	for i := range o.conns {
		wg.Go(func() {
			for next.Add(1) <= int64(o.exchanges) {
				var err error
				if o.flow == flowIssuance {
					var vc string
					if vc, err = c.issue(ctx, o.issuerDID, holders[i]); err == nil && vcs[i] == "" {
						vcs[i] = vc
					}
				} else {
					err = c.present(ctx, o.issuerDID, holders[i], vcs[i])
				}
				if err != nil {
					failed.Add(1)
					firstErr.Do(func() { res.FirstErr = err.Error() })
				}
			}
		})
	}
	wg.Wait()
	res.Wall, res.CPU = time.Since(start), report.Self().Sub(cpu0).CPU()
	res.Failed = int(failed.Load())
	if rp != nil {
		wait, cancel := context.WithTimeout(ctx, 30*time.Second)
		res.Callbacks = rp.waitFor(wait, o.exchanges-res.Failed, exchange.StatusRetrieved, terminalStatus[o.flow])
		cancel()
		rp.mu.Lock()
		res.BadCallbacks = rp.bad
		rp.mu.Unlock()
	}
	if o.flow == flowIssuance && o.vcFile != "" {
		data, _ := json.Marshal(vcs)
		if err := os.WriteFile(o.vcFile, data, 0o600); err != nil {
			return err
		}
	}
	return json.NewEncoder(out).Encode(res)
}

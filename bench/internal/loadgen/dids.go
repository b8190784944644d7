package loadgen

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"os"
	"strings"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/ionode/ionode/bench/internal/report"
)

// DIDs is a resolution load: GET requests for DIDs drawn uniformly from a file of DID suffixes (one per
// line), against a node's base URL. The benchmarks run it in a process of its own, so its CPU is not the
// node's.
type DIDs struct {
	URL        string        `json:"url"`         // the node's base URL
	PathPrefix string        `json:"path_prefix"` // the request path before each suffix ("" for /identifiers/did:ion:)
	DIDFile    string        `json:"did_file"`
	Mode       string        `json:"mode"` // "open" (Rate for Duration), "closed" (Workers clients for Duration) or "warm" (every DID once)
	Rate       float64       `json:"rate"`
	Duration   time.Duration `json:"duration"`
	Workers    int           `json:"workers"` // open: connections; closed and warm: clients
	Spin       time.Duration `json:"spin"`    // open: see Open.Spin
}

// Run warms the connections and both processes' code paths for half a second, then loads the node.
func (d DIDs) Run(ctx context.Context) (Result, error) {
	var res Result
	raw, err := os.ReadFile(d.DIDFile)
	if err != nil {
		return res, err
	}
	suffixes := strings.Fields(string(raw))
	if len(suffixes) == 0 {
		return res, fmt.Errorf("no DIDs in %s", d.DIDFile)
	}
	prefix := d.PathPrefix
	if prefix == "" {
		prefix = "/identifiers/did:ion:"
	}
	workers := max(d.Workers, 1)
	next := func(i int) (*http.Request, error) {
		r := rand.New(rand.NewPCG(uint64(i), 0x10de))
		return http.NewRequest(http.MethodGet, d.URL+prefix+suffixes[r.IntN(len(suffixes))], nil)
	}
	c := Client(workers, 10*time.Second)
	if _, err := ClosedLoop(ctx, c, workers, 500*time.Millisecond, next); err != nil {
		return res, err
	}
	wait0, cpu0 := report.RunQueueWait(), report.Self().CPU()
	switch d.Mode {
	case "open":
		res, err = OpenLoop(ctx, Open{Rate: d.Rate, Duration: d.Duration, Conns: workers, Timeout: 10 * time.Second, Spin: d.Spin}, next)
	case "closed":
		res, err = ClosedLoop(ctx, c, workers, d.Duration, next)
	case "warm":
		res.Elapsed, err = resolveEach(ctx, c, workers, d.URL+prefix, suffixes)
	default:
		err = fmt.Errorf("load mode %q: want open, closed or warm", d.Mode)
	}
	if d.Mode != "open" { // OpenLoop measures its run itself, without writing out its requests
		res.RunQueueWait, res.CPU = report.RunQueueWait()-wait0, report.Self().CPU()-cpu0
	}
	return res, err
}

// resolveEach requests every DID once with workers concurrent clients: the warm-up that fills the
// node's caches with the states the measured runs read.
func resolveEach(ctx context.Context, c *http.Client, workers int, base string, suffixes []string) (time.Duration, error) {
	start := time.Now()
	work := make(chan string)
	g, ctx := errgroup.WithContext(ctx)
	for range workers {
		g.Go(func() error {
			for suffix := range work {
				req, err := http.NewRequestWithContext(ctx, http.MethodGet, base+suffix, nil)
				if err != nil {
					return err
				}
				resp, err := c.Do(req)
				if err != nil {
					return err
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if resp.StatusCode != http.StatusOK {
					return fmt.Errorf("warm-up: %s answered %d", suffix, resp.StatusCode)
				}
			}
			return nil
		})
	}
	g.Go(func() error {
		defer close(work)
		for _, s := range suffixes {
			select {
			case work <- s:
			case <-ctx.Done():
				return ctx.Err()
			}
		}
		return nil
	})
	err := g.Wait()
	return time.Since(start), err
}

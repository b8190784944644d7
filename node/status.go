package node

import (
	"context"
	"encoding/json"
	"net/http"
	"sync"
	"time"

	"github.com/gorilla/mux"
	"github.com/ionode/ionode/sidetree"
)

// statusCheckTimeout bounds each connectivity probe of GET /status, so a dead Bitcoin node or IPFS
// daemon shows as down instead of hanging the page that asked.
const statusCheckTimeout = 3 * time.Second

// Status serves GET /status: what an operator looks at first (is the node synced, is it connected, is
// work piling up). Every field but Network is optional; what is missing is reported as null.
type Status struct {
	Network sidetree.Network
	Version string
	// Progress is the chain follower's position; nil for a node that follows no chain (read-only).
	Progress func() Progress
	// Genesis is the first block that can hold ION transactions: sync progress counts from there, so a
	// mainnet node starting at block 667,000 does not look three-quarters synced before it begins.
	Genesis uint64
	// Ready is the readiness check of /readyz.
	Ready func(ctx context.Context) error
	// Queue reports how many operations wait to be batched; nil for a node that takes no operations.
	Queue interface {
		QueueDepth(ctx context.Context) (int, error)
	}
	// CAS and Bitcoin probe the node's connections (nil error: reachable); nil when the node has none.
	CAS     func(ctx context.Context) error
	Bitcoin func(ctx context.Context) error
	// BitcoinP2P reports the P2P chain source (peers, header and block heights, lag); nil when the
	// node reads the chain over RPC.
	BitcoinP2P func() any

	// The probes' outcome is reused for connectivityTTL: GET /status is public, and a page left open
	// or a script polling it must not turn into a stream of RPCs to Bitcoin and the CAS.
	mu          sync.Mutex
	checked     Connectivity
	checkedTime time.Time
}

const connectivityTTL = 2 * time.Second

// StatusReport is the body of GET /status.
type StatusReport struct {
	Name              string       `json:"name"`
	Version           string       `json:"version"`
	Network           string       `json:"network"`
	DIDMethod         string       `json:"didMethod"`
	ProtocolVersion   string       `json:"protocolVersion"`
	AcceptsOperations bool         `json:"acceptsOperations"`
	Sync              *SyncStatus  `json:"sync"`
	Queue             *QueueStatus `json:"queue"`
	Connectivity      Connectivity `json:"connectivity"`
	BitcoinP2P        any          `json:"bitcoinP2P,omitempty"`
	Time              time.Time    `json:"time"`
}

// SyncStatus is the chain follower's position.
type SyncStatus struct {
	Height              uint64  `json:"height"`       // the last block processed
	Tip                 uint64  `json:"tip"`          // the chain tip the node knows
	BlocksBehind        uint64  `json:"blocksBehind"` // tip - height
	Progress            float64 `json:"progress"`     // (height - genesis) / (tip - genesis), 0..1
	OperationsPerSecond float64 `json:"operationsPerSecond"`
	BlocksPerSecond     float64 `json:"blocksPerSecond"`
	Ready               bool    `json:"ready"`
	NotReadyReason      string  `json:"notReadyReason,omitempty"`
}

// QueueStatus is the batch writer's backlog.
type QueueStatus struct {
	Depth int `json:"depth"` // operations waiting to be batched
}

// Connectivity reports each outside service; nil when the node does not use it.
type Connectivity struct {
	CAS     *Check `json:"cas"`
	Bitcoin *Check `json:"bitcoin"`
}

// Check is the outcome of one probe.
type Check struct {
	OK    bool   `json:"ok"`
	Error string `json:"error,omitempty"`
}

// Register adds GET /status to r.
func (s *Status) Register(r *mux.Router) {
	r.HandleFunc("/status", s.handle).Methods(http.MethodGet)
}

// Report gathers the status.
func (s *Status) Report(ctx context.Context) StatusReport {
	rep := StatusReport{
		Name: "ionode", Version: s.Version, Network: s.Network.Name, DIDMethod: s.Network.Method,
		ProtocolVersion: s.Network.Latest().Version, AcceptsOperations: s.Queue != nil, Time: time.Now().UTC(),
	}
	var wg sync.WaitGroup
	if s.Queue != nil {
		wg.Go(func() {
			if depth, err := s.Queue.QueueDepth(ctx); err == nil {
				rep.Queue = &QueueStatus{Depth: depth}
			}
		})
	}
	rep.Connectivity = s.connectivity(ctx)
	if s.BitcoinP2P != nil {
		rep.BitcoinP2P = s.BitcoinP2P()
	}
	if s.Progress != nil {
		p := s.Progress()
		st := &SyncStatus{Height: p.Height, Tip: p.Tip, BlocksBehind: p.Tip - min(p.Tip, p.Height),
			OperationsPerSecond: p.OperationsPerSecond, BlocksPerSecond: p.BlocksPerSecond, Ready: true}
		switch {
		case p.Tip <= s.Genesis:
			st.Progress = 1 // nothing to sync yet
		case p.Height > s.Genesis:
			st.Progress = min(1, float64(p.Height-s.Genesis)/float64(p.Tip-s.Genesis))
		}
		if s.Ready != nil {
			if err := s.Ready(ctx); err != nil {
				st.Ready, st.NotReadyReason = false, err.Error()
			}
		}
		rep.Sync = st
	}
	wg.Wait()
	return rep
}

// connectivity runs the probes concurrently, each bounded by statusCheckTimeout, or answers the outcome
// of a run less than connectivityTTL old. Concurrent callers wait for one run.
func (s *Status) connectivity(ctx context.Context) Connectivity {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.checkedTime.IsZero() && time.Since(s.checkedTime) < connectivityTTL {
		return s.checked
	}
	var wg sync.WaitGroup
	probe := func(f func(context.Context) error) *Check {
		if f == nil {
			return nil
		}
		c := &Check{}
		wg.Go(func() {
			// Detached from the request: the outcome is shared with other callers.
			pctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), statusCheckTimeout)
			defer cancel()
			if err := f(pctx); err != nil {
				c.Error = err.Error()
				return
			}
			c.OK = true
		})
		return c
	}
	c := Connectivity{CAS: probe(s.CAS), Bitcoin: probe(s.Bitcoin)}
	wg.Wait()
	s.checked, s.checkedTime = c, time.Now()
	return c
}

func (s *Status) handle(w http.ResponseWriter, r *http.Request) {
	body, err := json.Marshal(s.Report(r.Context()))
	if err != nil {
		writeError(w, http.StatusInternalServerError, "internal_error", "the status could not be encoded")
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusOK, body)
}

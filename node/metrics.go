package node

import (
	"strconv"
	"time"

	"github.com/ionode/ionode/sidetree"

	"github.com/prometheus/client_golang/prometheus"
)

// Metrics are the node's Prometheus metrics, registered on a registry the node owns (no global state).
// A nil *Metrics records nothing.
type Metrics struct {
	Registry    *prometheus.Registry
	resolutions *prometheus.CounterVec
	operations  *prometheus.CounterVec
	ingested    *prometheus.CounterVec
	txOutcomes  *prometheus.CounterVec
	latency     *prometheus.HistogramVec
	syncHeight  prometheus.Gauge
	chainTip    prometheus.Gauge
	queueDepth  prometheus.Gauge
	casFailures *prometheus.CounterVec
	feesSpent   prometheus.Counter
	batches     *prometheus.CounterVec
	feeBudget   *prometheus.GaugeVec
}

// NewMetrics creates the metrics on a new registry.
func NewMetrics() *Metrics {
	m := &Metrics{
		Registry: prometheus.NewRegistry(),
		resolutions: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "ionode_resolutions_total", Help: "DID resolutions answered, by HTTP status.",
		}, []string{"status"}),
		operations: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "ionode_operation_requests_total", Help: "Operation requests received, by type and outcome.",
		}, []string{"type", "outcome"}),
	}
	m.ingested = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "ionode_anchored_operations_total", Help: "Anchored operations stored from batch files, by type.",
	}, []string{"type"})
	m.txOutcomes = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "ionode_transactions_total", Help: "ION transactions observed, by outcome (processed, unresolvable, invalid).",
	}, []string{"outcome"})
	m.latency = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name: "ionode_resolution_duration_seconds", Help: "Time to answer a DID resolution, by API.",
		Buckets: []float64{0.0001, 0.00025, 0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.1, 0.5, 2},
	}, []string{"api"})
	m.syncHeight = prometheus.NewGauge(prometheus.GaugeOpts{
		Name: "ionode_sync_height", Help: "Height of the last block the observer has processed.",
	})
	m.chainTip = prometheus.NewGauge(prometheus.GaugeOpts{
		Name: "ionode_chain_tip_height", Help: "Height of the chain tip the Bitcoin node reports.",
	})
	m.queueDepth = prometheus.NewGauge(prometheus.GaugeOpts{
		Name: "ionode_operation_queue_depth", Help: "Operations waiting to be batched and anchored.",
	})
	m.casFailures = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "ionode_cas_fetch_failures_total", Help: "Batch file fetches that failed, by reason.",
	}, []string{"reason"})
	m.feesSpent = prometheus.NewCounter(prometheus.CounterOpts{
		Name: "ionode_anchor_fees_satoshis_total", Help: "Bitcoin fees paid by this node's anchor transactions.",
	})
	m.batches = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "ionode_batches_total", Help: "Batches the writer tried to anchor, by outcome.",
	}, []string{"outcome"})
	m.feeBudget = prometheus.NewGaugeVec(prometheus.GaugeOpts{
		Name: "ionode_fee_budget_satoshis", Help: "The writer's daily fee budget (kind=budget) and the fees paid today, UTC (kind=spent).",
	}, []string{"kind"})
	m.Registry.MustRegister(m.feeBudget)
	m.Registry.MustRegister(m.resolutions, m.operations, m.ingested, m.txOutcomes, m.latency, m.syncHeight,
		m.chainTip, m.queueDepth, m.casFailures, m.feesSpent, m.batches)
	return m
}

func (m *Metrics) observeResolution(api string, status int, took time.Duration) {
	if m != nil {
		m.resolutions.WithLabelValues(statusLabel(status)).Inc()
		m.latency.WithLabelValues(api).Observe(took.Seconds())
	}
}

// statusLabel is status as a label value. The statuses a resolution answers with are constants: a
// status formatted anew can be a small allocation per resolution.
func statusLabel(status int) string {
	switch status {
	case 200:
		return "200"
	case 400:
		return "400"
	case 404:
		return "404"
	case 410:
		return "410"
	}
	return strconv.Itoa(status)
}

// SetSync records the observer's position and the chain tip.
func (m *Metrics) SetSync(height, tip uint64) {
	if m != nil {
		m.syncHeight.Set(float64(height))
		m.chainTip.Set(float64(tip))
	}
}

// SetQueueDepth records how many operations wait to be batched.
func (m *Metrics) SetQueueDepth(n int) {
	if m != nil {
		m.queueDepth.Set(float64(n))
	}
}

// CASFetchFailed counts a failed batch file fetch.
func (m *Metrics) CASFetchFailed(reason string) {
	if m != nil {
		m.casFailures.WithLabelValues(reason).Inc()
	}
}

// BatchAnchored counts a batch outcome ("anchored", "failed") and the fee paid.
func (m *Metrics) BatchAnchored(outcome string, feeSatoshis uint64) {
	if m != nil {
		m.batches.WithLabelValues(outcome).Inc()
		m.feesSpent.Add(float64(feeSatoshis))
	}
}

// SetFeeBudget records the fees paid today (UTC) and the daily budget.
func (m *Metrics) SetFeeBudget(spentToday, perDay uint64) {
	if m != nil {
		m.feeBudget.WithLabelValues("spent").Set(float64(spentToday))
		m.feeBudget.WithLabelValues("budget").Set(float64(perDay))
	}
}

func (m *Metrics) observeOperation(t, outcome string) {
	if m != nil {
		m.operations.WithLabelValues(t, outcome).Inc()
	}
}

func (m *Metrics) observeIngest(ops []sidetree.AnchoredOperation) {
	if m == nil {
		return
	}
	m.txOutcomes.WithLabelValues("processed").Inc()
	for _, op := range ops {
		m.ingested.WithLabelValues(string(op.Type)).Inc()
	}
}

func (m *Metrics) observeUnresolvable() {
	if m != nil {
		m.txOutcomes.WithLabelValues("unresolvable").Inc()
	}
}

func (m *Metrics) observeInvalidTransaction() {
	if m != nil {
		m.txOutcomes.WithLabelValues("invalid").Inc()
	}
}

package node

import (
	"strconv"

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
	m.Registry.MustRegister(m.resolutions, m.operations, m.ingested, m.txOutcomes)
	return m
}

func (m *Metrics) observeResolution(status int) {
	if m != nil {
		m.resolutions.WithLabelValues(strconv.Itoa(status)).Inc()
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

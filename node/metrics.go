package node

import (
	"strconv"

	"github.com/prometheus/client_golang/prometheus"
)

// Metrics are the node's Prometheus metrics, registered on a registry the node owns (no global state).
// A nil *Metrics records nothing.
type Metrics struct {
	Registry    *prometheus.Registry
	resolutions *prometheus.CounterVec
	operations  *prometheus.CounterVec
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
	m.Registry.MustRegister(m.resolutions, m.operations)
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

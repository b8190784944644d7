package signer

import (
	"context"
	"errors"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// Metrics count signings by backend and outcome and time them. Register them on the node's registry.
type Metrics struct {
	signings *prometheus.CounterVec
	latency  *prometheus.HistogramVec
}

// NewMetrics creates the metrics and registers them on reg (nil: not registered).
func NewMetrics(reg prometheus.Registerer) *Metrics {
	m := &Metrics{
		signings: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "ionode_signings_total",
			Help: "Signings by key backend and outcome (ok, throttled, transient, error).",
		}, []string{"backend", "outcome"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "ionode_signing_duration_seconds",
			Help:    "Time to sign, by key backend.",
			Buckets: []float64{0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1, 5},
		}, []string{"backend"}),
	}
	if reg != nil {
		reg.MustRegister(m.signings, m.latency)
	}
	return m
}

// Observe records every signing s makes on m. A nil m returns s.
func Observe(s Signer, m *Metrics) Signer {
	if m == nil {
		return s
	}
	return observed{wrapped{s}, m}
}

type observed struct {
	wrapped
	m *Metrics
}

func (o observed) Sign(ctx context.Context, data []byte) ([]byte, error) {
	start := time.Now()
	sig, err := o.inner.Sign(ctx, data)
	backend := o.inner.Backend()
	o.m.latency.WithLabelValues(backend).Observe(time.Since(start).Seconds())
	outcome := "ok"
	switch {
	case errors.Is(err, ErrThrottled):
		outcome = "throttled"
	case errors.Is(err, ErrTransient):
		outcome = "transient"
	case err != nil:
		outcome = "error"
	}
	o.m.signings.WithLabelValues(backend, outcome).Inc()
	return sig, err
}

package daemon

import (
	"context"
	"crypto/tls"
	"log/slog"
	"net"
	"net/http"
	"time"

	"golang.org/x/time/rate"

	"github.com/ionode/ionode/node"
)

// newHTTPServer is the node's server with the configured timeouts and header limit: slow clients cannot
// hold connections open (ReadHeaderTimeout, ReadTimeout, IdleTimeout) nor stall the answers to others
// (WriteTimeout), and a flood of headers is refused. Every request is counted for the heap floor, when there is one.
func (d *Daemon) newHTTPServer(h http.Handler) *http.Server {
	c := d.cfg.HTTP
	if rate := d.requests; rate != nil {
		next := h
		h = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			rate.Add()
			next.ServeHTTP(w, r)
		})
	}
	srv := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: c.ReadHeaderTimeout,
		ReadTimeout:       c.ReadTimeout,
		WriteTimeout:      c.WriteTimeout,
		IdleTimeout:       c.IdleTimeout,
		MaxHeaderBytes:    c.MaxHeaderBytes,
		ErrorLog:          slog.NewLogLogger(d.log.Handler(), slog.LevelDebug),
	}
	if d.tls() {
		srv.TLSConfig = &tls.Config{MinVersion: tls.VersionTLS12}
	}
	return srv
}

// tls: the node serves HTTPS itself (otherwise a reverse proxy terminates TLS, see SECURITY.md).
func (d *Daemon) tls() bool { return d.cfg.HTTP.TLSCertFile != "" }

// scheme is the node's own URL scheme.
func (d *Daemon) scheme() string {
	if d.tls() {
		return "https"
	}
	return "http"
}

// serve serves HTTP or, with a certificate, HTTPS on l until the server shuts down.
func (d *Daemon) serve(srv *http.Server, l net.Listener) error {
	if d.tls() {
		return srv.ServeTLS(l, d.cfg.HTTP.TLSCertFile, d.cfg.HTTP.TLSKeyFile)
	}
	return srv.Serve(l)
}

// harden applies the HTTP limits, CORS and the writer's readiness check to the routes.
func (d *Daemon) harden(rt *node.Routes) {
	rt.MaxBodyBytes = d.cfg.HTTP.MaxBodyBytes
	rt.CORSOrigins = d.cfg.HTTP.CORSOrigins
	if rt.API != nil && rt.API.Guard != nil {
		rt.API.Guard.PerToken = rate.Limit(d.cfg.WriteRatePerToken)
		rt.API.Guard.Burst = max(rt.API.Guard.Burst, int(2*d.cfg.WriteRatePerToken))
	}
	if c := d.chain; c != nil && c.batches != nil {
		key := &signerHealth{s: c.wallet.Key.Signer(), ttl: 10 * time.Second}
		budget := c.batches.Budget
		rt.WriterReady = func(ctx context.Context) error {
			if budget != nil {
				if err := budget.Ready(ctx); err != nil {
					return err
				}
			}
			return key.Ready(ctx)
		}
	}
}

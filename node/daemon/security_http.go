package daemon

import (
	"context"
	"net/http"
	"time"

	"github.com/valyala/fasthttp"
	"golang.org/x/time/rate"

	"github.com/ionode/ionode/internal/httpserve"
	"github.com/ionode/ionode/node"
)

// newHTTPServer is the node's server (internal/httpserve, on fasthttp) with the configured timeouts and
// limits: slow clients cannot hold connections open (ReadHeaderTimeout, ReadTimeout, IdleTimeout) nor
// stall the answers to others (WriteTimeout), a flood of headers is refused (431) and a body over the
// limit gets tooLarge's answer (the routes' RefuseTooLarge: the node's JSON 413, its request id and its
// access log line) before any handler runs. Every request is counted for the heap floor, when there is one.
func (d *Daemon) newHTTPServer(h http.Handler, tooLarge func(*fasthttp.RequestCtx)) *httpserve.Server {
	c := d.cfg.HTTP
	srv := httpserve.New(httpserve.Config{
		ReadHeaderTimeout: c.ReadHeaderTimeout,
		ReadTimeout:       c.ReadTimeout,
		WriteTimeout:      c.WriteTimeout,
		IdleTimeout:       c.IdleTimeout,
		MaxHeaderBytes:    c.MaxHeaderBytes,
		MaxBodyBytes:      c.MaxBodyBytes,
		TLSCertFile:       c.TLSCertFile,
		TLSKeyFile:        c.TLSKeyFile,
		Logger:            d.log,
		TooLarge:          tooLarge,
	}, h)
	if rate := d.requests; rate != nil {
		srv.SetCount(rate.Add)
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

package httpserve

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/valyala/fasthttp"
	"github.com/valyala/fasthttp/fasthttpadaptor"
)

// ErrServerClosed is what Serve returns once Shutdown has been called.
var ErrServerClosed = errors.New("httpserve: server closed")

// Config is the server's limits and TLS. Zero durations and sizes mean fasthttp's defaults (no
// timeouts); the daemon always sets them.
type Config struct {
	ReadHeaderTimeout time.Duration // a request's header (and a new connection's first byte) within this
	ReadTimeout       time.Duration // ... and its body within this after the header
	WriteTimeout      time.Duration // each answer written within this
	IdleTimeout       time.Duration // an idle keep-alive connection is closed after this
	MaxHeaderBytes    int           // request line and header; more: 431
	MaxBodyBytes      int64         // request body; more: TooLarge's answer, before any handler runs
	// TLSCertFile and TLSKeyFile, both set: HTTPS only, TLS ≥ 1.2 (one without the other: Serve fails
	// rather than serve plain HTTP).
	TLSCertFile, TLSKeyFile string
	// Logger takes the transport's own errors (malformed requests, timeouts) at Debug, as net/http's
	// ErrorLog did; a handler's panic at Error. Nil: discarded.
	Logger *slog.Logger
	// TooLarge writes the answer to a body over MaxBodyBytes (the node's JSON 413); nil: plain text 413.
	TooLarge func(ctx *fasthttp.RequestCtx)
}

// Server serves one http.Handler on fasthttp. SetFast and SetCount are called before Serve.
type Server struct {
	cfg   Config
	log   *slog.Logger
	srv   *fasthttp.Server
	h     fasthttp.RequestHandler
	fast  func(*fasthttp.RequestCtx) bool
	count func()

	mu        sync.Mutex
	closed    bool
	listeners []net.Listener
}

// New returns a server of h with cfg's limits.
func New(cfg Config, h http.Handler) *Server {
	log := cfg.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	s := &Server{cfg: cfg, log: log, h: fasthttpadaptor.NewFastHTTPHandler(detach(h))}
	s.srv = &fasthttp.Server{
		Handler:      s.serve,
		ErrorHandler: s.fail,
		// fasthttp's ReadTimeout runs from a connection's start, then from each keep-alive request's first
		// byte, until its header is read: net/http's ReadHeaderTimeout. HeaderReceived then gives the
		// body its own ReadTimeout.
		ReadTimeout:    cfg.ReadHeaderTimeout,
		WriteTimeout:   cfg.WriteTimeout,
		IdleTimeout:    cfg.IdleTimeout,
		HeaderReceived: s.headerReceived,
		// The request line and header must fit the read buffer, or fasthttp answers 431. net/http allows
		// MaxHeaderBytes plus 4096 bytes of slack for the request line; so does this.
		ReadBufferSize:     headerBuffer(cfg.MaxHeaderBytes),
		MaxRequestBodySize: bodyLimit(cfg.MaxBodyBytes),
		Logger:             debugLogger{log},
		// net/http sends no Server header, and no Content-Type unless the handler wrote a body.
		NoDefaultServerHeader: true,
		NoDefaultContentType:  true,
		// No route takes multipart forms: fasthttp would parse them before the handler.
		DisablePreParseMultipartForm: true,
		SecureErrorLogMessage:        true,
		// Answers written while shutting down close their connection.
		CloseOnShutdown: true,
	}
	if cfg.TLSCertFile != "" || cfg.TLSKeyFile != "" {
		s.srv.TLSConfig = &tls.Config{MinVersion: tls.VersionTLS12}
	}
	return s
}

// SetFast offers every request first to f: it answers natively and reports true, or reports false
// having written nothing, and the request goes to the http.Handler.
func (s *Server) SetFast(f func(*fasthttp.RequestCtx) bool) { s.fast = f }

// SetCount calls f once per request that reaches a handler (native or not).
func (s *Server) SetCount(f func()) { s.count = f }

// Serve serves HTTP, or HTTPS when the TLS files are set, on l until Shutdown; then it returns
// ErrServerClosed.
func (s *Server) Serve(l net.Listener) error {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		l.Close()
		return ErrServerClosed
	}
	s.listeners = append(s.listeners, l)
	s.mu.Unlock()
	var err error
	if s.srv.TLSConfig != nil {
		err = s.srv.ServeTLS(l, s.cfg.TLSCertFile, s.cfg.TLSKeyFile)
	} else {
		err = s.srv.Serve(l)
	}
	s.mu.Lock()
	closed := s.closed
	s.mu.Unlock()
	if closed {
		return ErrServerClosed
	}
	if err == nil {
		err = ErrServerClosed // the listener was closed under the server
	}
	return err
}

// Shutdown stops accepting, closes idle connections, waits for the requests in flight and returns
// when they are answered or ctx ends (then with ctx's error).
func (s *Server) Shutdown(ctx context.Context) error {
	s.mu.Lock()
	s.closed = true
	// Closed here too, so that a Serve that has not reached fasthttp's accept loop yet stops as well.
	for _, l := range s.listeners {
		l.Close()
	}
	s.mu.Unlock()
	err := s.srv.ShutdownWithContext(ctx)
	if errors.Is(err, net.ErrClosed) {
		return nil // the listeners closed above
	}
	return err
}

// serve answers one request: natively when Fast takes it, else through the http.Handler.
func (s *Server) serve(ctx *fasthttp.RequestCtx) {
	defer func() {
		if p := recover(); p != nil {
			// The adaptor re-panics here with a handler's panic (after logging it); a native answer's
			// panic arrives directly. Either way this request fails (ctx.Error drops what was written of
			// its answer) and the server goes on.
			s.log.Error("panic serving a request", "panic", fmt.Sprint(p), "method", string(ctx.Method()), "path", string(ctx.Path()))
			ctx.Error(http.StatusText(http.StatusInternalServerError), http.StatusInternalServerError)
			ctx.SetConnectionClose()
		}
	}()
	if s.count != nil {
		s.count()
	}
	if s.fast != nil && s.fast(ctx) {
		return
	}
	s.h(ctx)
}

// headerReceived gives the body its own read deadline once the header is in.
func (s *Server) headerReceived(*fasthttp.RequestHeader) fasthttp.RequestConfig {
	return fasthttp.RequestConfig{ReadTimeout: s.cfg.ReadTimeout}
}

// fail answers what fasthttp refused before any handler ran; the connection is closed after it.
func (s *Server) fail(ctx *fasthttp.RequestCtx, err error) {
	var small *fasthttp.ErrSmallBuffer
	var ne net.Error
	switch {
	case errors.Is(err, fasthttp.ErrBodyTooLarge):
		if s.cfg.TooLarge != nil {
			s.cfg.TooLarge(ctx)
		} else {
			ctx.Error(http.StatusText(http.StatusRequestEntityTooLarge), http.StatusRequestEntityTooLarge)
		}
	case errors.As(err, &small):
		ctx.Error(http.StatusText(http.StatusRequestHeaderFieldsTooLarge), http.StatusRequestHeaderFieldsTooLarge)
	case errors.As(err, &ne) && ne.Timeout():
		ctx.Error(http.StatusText(http.StatusRequestTimeout), http.StatusRequestTimeout)
	default:
		ctx.Error(http.StatusText(http.StatusBadRequest), http.StatusBadRequest)
	}
	s.log.Debug("HTTP request refused", "status", ctx.Response.StatusCode(), "remote", ctx.RemoteAddr().String(), "err", err)
}

func headerBuffer(maxHeaderBytes int) int {
	if maxHeaderBytes <= 0 {
		maxHeaderBytes = http.DefaultMaxHeaderBytes
	}
	return maxHeaderBytes + 4096
}

func bodyLimit(maxBodyBytes int64) int {
	if maxBodyBytes <= 0 {
		return 0 // fasthttp's default (4 MiB)
	}
	return int(min(maxBodyBytes, math.MaxInt32))
}

// debugLogger puts fasthttp's messages in the transport's log at Debug.
type debugLogger struct{ log *slog.Logger }

func (d debugLogger) Printf(format string, args ...any) {
	if d.log.Enabled(context.Background(), slog.LevelDebug) {
		d.log.Debug(fmt.Sprintf(format, args...))
	}
}

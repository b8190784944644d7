package node

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"log/slog"
	"net/http"
	"regexp"
	"time"
	"unsafe"

	"github.com/gorilla/mux"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"golang.org/x/time/rate"

	"github.com/ionode/ionode/web"
)

// Routes is everything the node serves on its listen address.
type Routes struct {
	API    *API    // ION's API: /identifiers, /operations, /version
	Driver *Driver // Universal Resolver driver: /1.0/identifiers
	// The explorer's API: GET /status, GET /transactions, GET /identifiers/{did}/operations (each optional).
	Status       *Status
	Transactions *Transactions
	History      *History
	Metrics      *Metrics
	// Ready reports whether the node is synced closely enough to answer (nil when ready): it alone sets
	// the status of /readyz, which load balancers route resolution traffic by.
	Ready func(ctx context.Context) error
	// WriterReady reports whether the batch writer can anchor (nil when it can; e.g. the fee budget is
	// spent). /readyz lists it without failing on it; /readyz?check=writer fails on it alone.
	WriterReady func(ctx context.Context) error
	// Gateway serves GET /ipfs/{cid} from the node's CAS (optional), at most GatewayRate requests per
	// second per client (an IPv4 address or an IPv6 /64) with burst GatewayBurst: 0 takes
	// DefaultGatewayRate and DefaultGatewayBurst, a negative rate is unlimited.
	Gateway      http.Handler
	GatewayRate  rate.Limit
	GatewayBurst int
	// Credentials serves the credential routes (credential/httpapi) under /credentials/,
	// /presentations/ and /status/ (optional).
	Credentials http.Handler
	// Issuance serves the OpenID4VCI issuer (exchange/oid4vci) at the prefixes of issuancePaths, and
	// Exchange the Request Service API and the wallet endpoints under /v1.0/verifiableCredentials/
	// (exchange.Mux; both optional).
	Issuance http.Handler
	Exchange http.Handler
	// RequestTimeout bounds each request's context (default 30 s). A resolution whose answer is at hand
	// (HeldAnswerer) gets no derived context: serving it waits on nothing a context could bound.
	RequestTimeout time.Duration
	// MaxBodyBytes caps every request body (default 1 MiB; routes cap tighter where they can).
	MaxBodyBytes int64
	// CORSOrigins may read the node's answers from a browser page ("*": any); empty: none (the explorer
	// is served from the node itself and needs no CORS).
	CORSOrigins []string
	Logger      *slog.Logger
}

// issuancePaths are the path prefixes of Routes.Issuance: the OpenID4VCI metadata and endpoints.
func issuancePaths() []string {
	return []string{"/.well-known/openid-credential-issuer", "/.well-known/oauth-authorization-server", "/oid4vci/"}
}

// Handler returns the node's HTTP handler with request ids, access logs, panic recovery and timeouts.
func (rt *Routes) Handler() http.Handler {
	timeout := rt.RequestTimeout
	if timeout <= 0 {
		timeout = 30 * time.Second
	}
	maxBody := rt.MaxBodyBytes
	if maxBody <= 0 {
		maxBody = 1 << 20
	}
	return withRequestLog(rt.logger(), withCORS(rt.CORSOrigins, withBodyLimit(maxBody, resolveRoute(rt.API, timeout, rt.router()))))
}

// router is every route, unwrapped (the OpenAPI test walks it).
func (rt *Routes) router() *mux.Router {
	r := mux.NewRouter()
	if rt.API != nil {
		rt.API.register(r, rt.CORSOrigins)
	}
	if rt.Driver != nil {
		rt.Driver.Register(r)
	}
	if rt.Credentials != nil {
		for _, prefix := range []string{"/credentials/", "/presentations/", "/status/"} {
			r.PathPrefix(prefix).Handler(rt.Credentials)
		}
	}
	if rt.Issuance != nil {
		for _, prefix := range issuancePaths() {
			r.PathPrefix(prefix).Handler(rt.Issuance)
		}
	}
	if rt.Exchange != nil {
		r.PathPrefix("/v1.0/verifiableCredentials/").Handler(rt.Exchange)
	}
	if rt.Status != nil {
		rt.Status.Register(r)
	}
	if rt.Transactions != nil {
		rt.Transactions.Register(r)
	}
	if rt.History != nil {
		rt.History.Register(r)
	}
	registerOpenAPI(r)
	explorer := web.Handler()
	r.Handle("/", explorer).Methods(http.MethodGet, http.MethodHead)
	r.PathPrefix(web.AssetPrefix).Handler(explorer).Methods(http.MethodGet, http.MethodHead)
	if rt.Gateway != nil {
		perSecond, burst := rt.GatewayRate, rt.GatewayBurst
		if perSecond == 0 {
			perSecond = DefaultGatewayRate
		}
		if burst <= 0 {
			burst = DefaultGatewayBurst
		}
		r.PathPrefix("/ipfs/").Handler(withClientRate(perSecond, burst, rt.Gateway)).Methods(http.MethodGet, http.MethodHead)
	}
	r.HandleFunc("/healthz", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Write([]byte("ok\n"))
	}).Methods(http.MethodGet)
	r.HandleFunc("/readyz", rt.handleReady).Methods(http.MethodGet)
	if rt.Metrics != nil {
		r.Handle("/metrics", promhttp.HandlerFor(rt.Metrics.Registry, promhttp.HandlerOpts{})).Methods(http.MethodGet)
	}
	return r
}

// readiness is the body of GET /readyz.
type readiness struct {
	Ready  bool             `json:"ready"`
	Checks map[string]Check `json:"checks"`
}

// handleReady answers 200 or 503 with every check in a JSON body. Without a check parameter the status
// is the sync check's: a writer that cannot anchor still resolves. ?check=writer (or sync) gates on
// one check, for monitors of that part.
func (rt *Routes) handleReady(w http.ResponseWriter, r *http.Request) {
	checks := map[string]func(context.Context) error{"sync": rt.Ready}
	if rt.WriterReady != nil {
		checks["writer"] = rt.WriterReady
	}
	gate := r.URL.Query().Get("check")
	if gate == "" {
		gate = "sync"
	}
	if _, ok := checks[gate]; !ok {
		writeError(w, http.StatusBadRequest, "unknown_check", "check must be sync or writer (when the node writes)")
		return
	}
	out := readiness{Ready: true, Checks: map[string]Check{}}
	for name, check := range checks {
		c := Check{OK: true}
		if check != nil {
			if err := check(r.Context()); err != nil {
				c = Check{Error: err.Error()}
			}
		}
		out.Checks[name] = c
	}
	out.Ready = out.Checks[gate].OK
	body, _ := json.Marshal(out)
	w.Header().Set("Cache-Control", "no-store")
	status := http.StatusOK
	if !out.Ready {
		status = http.StatusServiceUnavailable
	}
	writeJSON(w, status, body)
}

func (rt *Routes) logger() *slog.Logger {
	if rt.Logger != nil {
		return rt.Logger
	}
	return slog.Default()
}

// A client's X-Request-Id is kept when it is a plain token, so a caller can follow its request in our
// logs; anything else is replaced (it is echoed back and logged).
var requestIDPattern = regexp.MustCompile(`^[A-Za-z0-9._-]{1,64}$`)

type requestIDKey struct{}

// RequestID returns the id of the request a context belongs to.
func RequestID(ctx context.Context) string {
	id, _ := ctx.Value(requestIDKey{}).(string)
	return id
}

// statusRecorder is the ResponseWriter below withRequestLog: it records the status and the bytes
// written, for the access log, and holds the request's id. It is the one allocation withRequestLog
// makes per request: the id's characters and the header values the node sets per request live in it
// too, each a one-element slice of values with its capacity at its length (an Add to the header
// copies it rather than writing into the next).
type statusRecorder struct {
	http.ResponseWriter
	status  int
	bytes   int
	idBytes [16]byte  // a fresh id's characters (newID)
	values  [2]string // X-Request-Id's value (the request's id), ETag's (etagValue)
}

// id is the request's id.
func (s *statusRecorder) id() string { return s.values[0] }

// etagValue is etag as ETag's value in a header map: in the request's recorder when w is one.
func etagValue(w http.ResponseWriter, etag string) []string {
	rec, ok := w.(*statusRecorder)
	if !ok {
		return []string{etag}
	}
	rec.values[1] = etag
	return rec.values[1:2:2]
}

// newID returns a fresh request id formatted into the recorder's idBytes (formatRequestID).
func (s *statusRecorder) newID() string { return formatRequestID(&s.idBytes) }

// formatRequestID returns a fresh unpredictable id: 8 random bytes in hex, formatted into buf. The string
// shares buf, so it costs no allocation of its own; that is safe as long as buf is written once, here,
// before the string exists, and never again (each request has its own).
func formatRequestID(buf *[16]byte) string {
	var b [8]byte
	rand.Read(b[:])
	hex.Encode(buf[:], b[:])
	return unsafe.String(&buf[0], len(buf))
}

// keepsRequestID reports whether a client's X-Request-Id is kept as the request's id.
func keepsRequestID(id string) bool { return id != "" && requestIDPattern.MatchString(id) }

// logRequest writes a request's access log line (withRequestLog, FastResolution, RefuseTooLarge).
// Callers call it only when the log takes info (accessLogged): boxing the attributes cost five
// allocations per request even with the access log off, and some callers build the path or the remote
// address only for the line.
func logRequest(ctx context.Context, log *slog.Logger, id, method, path string, status, bytes int, start time.Time, remote string) {
	log.LogAttrs(ctx, slog.LevelInfo, "http request", slog.String("request_id", id), slog.String("method", method),
		slog.String("path", path), slog.Int("status", status), slog.Int("bytes", bytes),
		slog.Duration("duration", time.Since(start)), slog.String("remote", remote))
}

// accessLogged reports whether log takes the access log's lines.
func accessLogged(ctx context.Context, log *slog.Logger) bool {
	return log.Enabled(ctx, slog.LevelInfo)
}

func (s *statusRecorder) WriteHeader(code int) {
	if s.status == 0 {
		s.status = code
	}
	s.ResponseWriter.WriteHeader(code)
}

func (s *statusRecorder) Write(b []byte) (int, error) {
	if s.status == 0 {
		s.status = http.StatusOK
	}
	n, err := s.ResponseWriter.Write(b)
	s.bytes += n
	return n, err
}

// withRequestLog gives each request an id, an access log line and panic recovery. The handlers below it
// are given a *statusRecorder, which carries the id to withDeadline.
func withRequestLog(log *slog.Logger, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := &statusRecorder{ResponseWriter: w}
		id := r.Header.Get("X-Request-Id")
		if !keepsRequestID(id) {
			id = rec.newID()
		}
		rec.values[0] = id
		w.Header()["X-Request-Id"] = rec.values[0:1:1]
		start := time.Now()
		defer func() {
			if p := recover(); p != nil {
				log.Error("handler panicked", "request_id", id, "panic", p)
				if rec.status == 0 {
					http.Error(rec, "internal error", http.StatusInternalServerError)
				}
			}
			if accessLogged(r.Context(), log) {
				logRequest(r.Context(), log, id, r.Method, r.URL.EscapedPath(), rec.status, rec.bytes, start, r.RemoteAddr)
			}
		}()
		next.ServeHTTP(rec, r)
	})
}

// withDeadline gives next the request's id and its deadline (timeout from now) in its context.
func withDeadline(timeout time.Duration, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r, cancel := withRequestContext(w, r, timeout)
		defer cancel()
		next.ServeHTTP(w, r)
	})
}

// withRequestContext derives r with the request's id (from withRequestLog's recorder, w) and its
// deadline in its context, in one copy of the request (each r.WithContext copies it). A derived
// deadline costs a request six allocations of its own (the context, its timer, the parent's table of
// children and its done channel, the id's context, the request's copy), which the resolution route
// spares its answers at hand (resolveRoute).
func withRequestContext(w http.ResponseWriter, r *http.Request, timeout time.Duration) (*http.Request, context.CancelFunc) {
	var id string
	if rec, ok := w.(*statusRecorder); ok {
		id = rec.id()
	}
	ctx, cancel := context.WithTimeout(context.WithValue(r.Context(), requestIDKey{}, id), timeout)
	return r.WithContext(ctx), cancel
}

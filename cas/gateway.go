package cas

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Gateway serves `GET /ipfs/{cid}` from a Store: the read-only part of an
// IPFS HTTP gateway that ION batch files need. Mount it at the server's root
// or under "/ipfs/".
//
// Answers: 200 with the file (Content-Type application/octet-stream, ETag the
// quoted CID, immutable caching), 304 for a matching If-None-Match, 400 for a
// malformed CID or a CID naming no file, 404 when the content is not found
// within Timeout, 413 when it is larger than MaxSize, 502 when the store's
// backend is unreachable, 503 (with Retry-After) while MaxConcurrent requests
// are being answered, 500 otherwise.
type Gateway struct {
	Store   Getter
	MaxSize int64         // default DefaultGatewayMaxSize
	Timeout time.Duration // default DefaultGatewayTimeout
	// MaxConcurrent caps the requests read at once (default
	// DefaultGatewayConcurrency); more are refused, not queued.
	MaxConcurrent int
	Logger        *slog.Logger // default slog.Default()

	once  sync.Once
	slots chan struct{}
}

// Getter is what the gateway reads files with (Store.Get's contract).
type Getter interface {
	Get(ctx context.Context, cid string, maxSize int64) ([]byte, error)
}

// DefaultGatewayConcurrency is Gateway.MaxConcurrent's default.
const DefaultGatewayConcurrency = 32

// Handler returns the gateway for this node, configured by
// NodeConfig.GatewayMaxSize, GatewayTimeout and GatewayConcurrency. It serves only files the
// node holds (GetLocal): anonymous requests must not make the node fetch
// content from the network, keep it and serve it to its peers.
func (n *Node) Handler() http.Handler {
	return &Gateway{Store: localFiles{n}, MaxSize: n.cfg.GatewayMaxSize, Timeout: n.cfg.GatewayTimeout, MaxConcurrent: n.cfg.GatewayConcurrency, Logger: n.log}
}

// localFiles reads the node's blockstore only.
type localFiles struct{ n *Node }

func (l localFiles) Get(ctx context.Context, cid string, maxSize int64) ([]byte, error) {
	return l.n.GetLocal(ctx, cid, maxSize)
}

const gatewayPrefix = "/ipfs/"

// ServeHTTP implements http.Handler.
func (g *Gateway) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	c, ok := gatewayCID(r.URL.Path)
	if !ok {
		http.NotFound(w, r)
		return
	}
	if _, err := ParseCID(c); err != nil {
		http.Error(w, "invalid CID", http.StatusBadRequest)
		return
	}
	etag := `"` + c + `"`
	if match := r.Header.Get("If-None-Match"); match != "" && etagMatches(match, etag) {
		w.Header().Set("ETag", etag)
		w.WriteHeader(http.StatusNotModified)
		return
	}

	if !g.acquire() {
		w.Header().Set("Retry-After", "1")
		http.Error(w, "too many gateway requests; retry later", http.StatusServiceUnavailable)
		return
	}
	defer g.release()

	maxSize, timeout, logger := g.MaxSize, g.Timeout, g.Logger
	if maxSize <= 0 {
		maxSize = DefaultGatewayMaxSize
	}
	if timeout <= 0 {
		timeout = DefaultGatewayTimeout
	}
	if logger == nil {
		logger = slog.Default()
	}
	ctx, cancel := context.WithTimeout(r.Context(), timeout)
	defer cancel()
	data, err := g.Store.Get(ctx, c, maxSize)
	if err != nil {
		status := gatewayStatus(err)
		if status >= 500 {
			logger.Warn("gateway get failed", "cid", c, "err", err)
		}
		http.Error(w, gatewayMessage(status, maxSize), status)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "application/octet-stream")
	h.Set("Content-Length", strconv.Itoa(len(data)))
	h.Set("ETag", etag)
	h.Set("Cache-Control", "public, max-age=29030400, immutable")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("X-Ipfs-Path", gatewayPrefix+c)
	w.WriteHeader(http.StatusOK)
	if r.Method == http.MethodGet {
		_, _ = w.Write(data) // the client went away: nothing left to tell it
	}
}

func (g *Gateway) acquire() bool {
	g.once.Do(func() {
		n := g.MaxConcurrent
		if n <= 0 {
			n = DefaultGatewayConcurrency
		}
		g.slots = make(chan struct{}, n)
	})
	select {
	case g.slots <- struct{}{}:
		return true
	default:
		return false
	}
}

func (g *Gateway) release() { <-g.slots }

// gatewayCID extracts the CID from /ipfs/{cid}; anything else (no CID, a
// path below the CID) is not a route of this gateway.
func gatewayCID(path string) (string, bool) {
	i := strings.LastIndex(path, gatewayPrefix)
	if i < 0 {
		return "", false
	}
	c := path[i+len(gatewayPrefix):]
	if c == "" || strings.Contains(c, "/") {
		return "", false
	}
	return c, true
}

// etagMatches implements the weak comparison of If-None-Match (RFC 9110
// 13.1.2): a list of entity tags or "*".
func etagMatches(header, etag string) bool {
	for _, t := range strings.Split(header, ",") {
		t = strings.TrimSpace(t)
		if t == "*" || strings.TrimPrefix(t, "W/") == etag {
			return true
		}
	}
	return false
}

func gatewayStatus(err error) int {
	switch {
	case errors.Is(err, ErrInvalidCID), errors.Is(err, ErrNotAFile):
		return http.StatusBadRequest
	case errors.Is(err, ErrNotFound):
		return http.StatusNotFound
	case errors.Is(err, ErrTooLarge):
		return http.StatusRequestEntityTooLarge
	case errors.Is(err, ErrUnreachable):
		return http.StatusBadGateway
	default:
		return http.StatusInternalServerError
	}
}

func gatewayMessage(status int, maxSize int64) string {
	switch status {
	case http.StatusBadRequest:
		return "not a CID of a UnixFS file"
	case http.StatusNotFound:
		return "content not found"
	case http.StatusRequestEntityTooLarge:
		return fmt.Sprintf("content larger than %d bytes", maxSize)
	default:
		return http.StatusText(status)
	}
}

package node

import (
	"container/list"
	"crypto/sha256"
	"encoding/hex"
	"math"
	"net/http"
	"strconv"
	"sync"
	"time"

	"golang.org/x/time/rate"

	"github.com/ionode/ionode/internal/bearer"
)

// WriteGuard protects the routes that cost the operator money (POST /operations pays Bitcoin fees) or
// change what it publishes: bearer tokens, and rate limits per token and per client IP.
type WriteGuard struct {
	// TokenHashes are SHA-256 hashes of the accepted bearer tokens (several at once for rotation). Empty:
	// no token needed (a private regtest network).
	TokenHashes [][sha256.Size]byte
	// PerToken and PerIP are sustained request rates (per second) with burst Burst; 0 means unlimited.
	PerToken, PerIP rate.Limit
	Burst           int

	once    sync.Once
	byToken *limiters
	byIP    *limiters
}

// ParseTokenHash reads a hex SHA-256 token hash (as `sha256sum` prints it); the empty token's hash is
// refused (bearer.ErrEmptyToken).
func ParseTokenHash(s string) ([sha256.Size]byte, error) { return bearer.ParseHash(s) }

// Wrap applies the guard to a handler.
func (g *WriteGuard) Wrap(next http.Handler) http.Handler {
	g.once.Do(func() {
		g.byToken = newLimiters(10_000)
		g.byIP = newLimiters(100_000)
	})
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		token := ""
		if len(g.TokenHashes) > 0 {
			var ok bool
			if token, ok = g.authorized(r); !ok {
				w.Header().Set("WWW-Authenticate", `Bearer realm="ionode"`)
				writeError(w, http.StatusUnauthorized, "unauthorized", "a valid bearer token is required for this route")
				return
			}
		}
		if wait, ok := g.allow(g.byIP, clientKey(r), g.PerIP); !ok {
			tooMany(w, wait)
			return
		}
		if token != "" {
			if wait, ok := g.allow(g.byToken, token, g.PerToken); !ok {
				tooMany(w, wait)
				return
			}
		}
		next.ServeHTTP(w, r)
	})
}

// authorized checks the bearer token against every configured hash in constant time, and returns the
// token's hash as the rate-limit key (the token itself is never kept).
func (g *WriteGuard) authorized(r *http.Request) (string, bool) {
	token, ok := bearer.Token(r)
	if !ok || !bearer.Match(token, g.TokenHashes) {
		return "", false
	}
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:8]), true
}

func (g *WriteGuard) allow(l *limiters, key string, limit rate.Limit) (time.Duration, bool) {
	return l.allow(key, limit, g.Burst)
}

func tooMany(w http.ResponseWriter, wait time.Duration) {
	w.Header().Set("Retry-After", strconv.Itoa(int(math.Ceil(wait.Seconds()))))
	writeError(w, http.StatusTooManyRequests, "rate_limited", "too many requests; retry later")
}

// limiters is a bounded LRU of rate limiters, so a flood of distinct clients cannot grow memory.
type limiters struct {
	mu    sync.Mutex
	max   int
	order *list.List
	items map[string]*list.Element
}

type limiterEntry struct {
	key string
	lim *rate.Limiter
}

func newLimiters(max int) *limiters {
	return &limiters{max: max, order: list.New(), items: map[string]*list.Element{}}
}

func (l *limiters) get(key string, limit rate.Limit, burst int) *rate.Limiter {
	l.mu.Lock()
	defer l.mu.Unlock()
	if e, ok := l.items[key]; ok {
		l.order.MoveToFront(e)
		return e.Value.(*limiterEntry).lim
	}
	lim := rate.NewLimiter(limit, burst)
	l.items[key] = l.order.PushFront(&limiterEntry{key, lim})
	if l.order.Len() > l.max {
		oldest := l.order.Back()
		l.order.Remove(oldest)
		delete(l.items, oldest.Value.(*limiterEntry).key)
	}
	return lim
}

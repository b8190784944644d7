package node

import (
	"math"
	"net"
	"net/http"
	"net/netip"
	"time"

	"golang.org/x/time/rate"
)

// clientKey names the client a request's rate counts against: its IPv4 address, or the /64 of its
// IPv6 address (one host usually holds a whole /64, so keying on the address would give it 2^64
// budgets). Forwarded headers are not trusted, as any client can set them.
func clientKey(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	addr, err := netip.ParseAddr(host)
	if err != nil {
		return host
	}
	addr = addr.Unmap()
	if addr.Is4() {
		return addr.String()
	}
	return netip.PrefixFrom(addr.WithZone(""), 64).Masked().String()
}

// allow takes one request from key's limiter; burst 0 means the rate rounded up, at least 1.
func (l *limiters) allow(key string, limit rate.Limit, burst int) (time.Duration, bool) {
	if limit <= 0 {
		return 0, true
	}
	if burst <= 0 {
		burst = int(math.Max(1, math.Ceil(float64(limit))))
	}
	res := l.get(key, limit, burst).Reserve()
	if d := res.Delay(); d > 0 {
		res.Cancel()
		return d, false
	}
	return 0, true
}

// DefaultGatewayRate and DefaultGatewayBurst limit each client of GET /ipfs/{cid} (Routes.GatewayRate).
const (
	DefaultGatewayRate  rate.Limit = 10
	DefaultGatewayBurst            = 20
)

// withClientRate answers 429 (with Retry-After) to a client over perSecond requests per second.
func withClientRate(perSecond rate.Limit, burst int, next http.Handler) http.Handler {
	l := newLimiters(100_000)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if wait, ok := l.allow(clientKey(r), perSecond, burst); !ok {
			tooMany(w, wait)
			return
		}
		next.ServeHTTP(w, r)
	})
}

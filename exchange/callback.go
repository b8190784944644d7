package exchange

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/ionode/ionode/resolver/web"
)

// Poster sends a callback (web.Client: HTTPS only, the did:web SSRF guard on every connection).
type Poster interface {
	Post(ctx context.Context, rawURL string, header http.Header, body []byte) (*web.Response, error)
	CheckURL(u *url.URL) error
}

// Dispatcher posts callbacks to relying parties, retrying with exponential backoff. Sends run in the
// background; Wait returns when every send has finished (at shutdown, and in tests).
type Dispatcher struct {
	// Client posts; its Guard decides which addresses are reachable. Callbacks follow no redirect:
	// build it with MaxRedirects -1 (NewCallbackClient does).
	Client Poster
	// Guard checks literal IP hosts when a request is created, for an early, clear refusal; the same
	// guard as the Client's.
	Guard    web.Guard
	Attempts int           // default 5
	Backoff  time.Duration // first retry delay, doubled each time; default 1 s
	Logger   *slog.Logger

	wg sync.WaitGroup
}

// NewCallbackClient returns the client callbacks go through: the did:web client's checks, no redirects.
func NewCallbackClient(guard web.Guard, allowHTTPLoopback bool) *web.Client {
	return &web.Client{Guard: guard, AllowHTTPLoopback: allowHTTPLoopback, MaxRedirects: -1,
		MaxBytes: 64 << 10, Timeout: 10 * time.Second, UserAgent: "ionode-callback",
		// A relying party receives every exchange's callbacks, several at a time: keep their connections.
		MaxIdleConnsPerHost: callbackConnsPerHost}
}

// callbackConnsPerHost is how many idle connections to one relying party are kept for callbacks.
const callbackConnsPerHost = 64

// maxHeaders bounds a callback's custom headers.
const maxHeaders = 16

// CheckCallback validates a relying party's callback before a request is created.
func (d *Dispatcher) CheckCallback(cb *Callback) error {
	if cb == nil {
		return nil
	}
	u, err := url.Parse(cb.URL)
	if err != nil || u.Host == "" {
		return BadField("callback.url", "not an absolute URL")
	}
	if err := d.Client.CheckURL(u); err != nil {
		return BadField("callback.url", "%v", err)
	}
	if ip, err := netip.ParseAddr(strings.Trim(u.Hostname(), "[]")); err == nil {
		if err := d.Guard.Check(ip); err != nil {
			return BadField("callback.url", "%v", err)
		}
	} else if h := strings.ToLower(u.Hostname()); (h == "localhost" || strings.HasSuffix(h, ".localhost")) && !d.Guard.AllowLoopback {
		return BadField("callback.url", "loopback host not allowed")
	}
	if len(cb.Headers) > maxHeaders {
		return BadField("callback.headers", "more than %d headers", maxHeaders)
	}
	for name, value := range cb.Headers {
		if !validHeader(name, value) {
			return BadField("callback.headers", "invalid header %q", name)
		}
	}
	if len(cb.State) > 1024 {
		return BadField("callback.state", "longer than 1024 bytes")
	}
	return nil
}

func validHeader(name, value string) bool {
	if name == "" || len(name) > 128 || len(value) > 4096 {
		return false
	}
	switch http.CanonicalHeaderKey(name) {
	case "Host", "Content-Length", "Content-Type", "Transfer-Encoding", "Connection":
		return false
	}
	for _, c := range name {
		if c <= ' ' || c >= 0x7f || c == ':' {
			return false
		}
	}
	return !strings.ContainsAny(value, "\r\n\x00")
}

func (d *Dispatcher) logger() *slog.Logger {
	if d.Logger != nil {
		return d.Logger
	}
	return slog.New(slog.DiscardHandler)
}

// Send posts ev to cb in the background (nothing when cb is nil).
func (d *Dispatcher) Send(cb *Callback, ev Event) {
	if cb == nil {
		return
	}
	ev.State = cb.State
	d.wg.Go(func() {
		ctx := context.Background()
		if err := d.Deliver(ctx, cb, ev); err != nil {
			args := []any{"request", ev.RequestID, "status", ev.RequestStatus, "err", err}
			var fe *web.FetchError
			if errors.As(err, &fe) {
				args = append(args, "cause", fe) // the whole dial or DNS error, for the operator only
			}
			d.logger().Warn("callback failed", args...)
		}
	})
}

// Wait blocks until every background send has finished.
func (d *Dispatcher) Wait() { d.wg.Wait() }

// Deliver posts ev to cb now, retrying transient failures (connection errors, 5xx, 429) with backoff.
// A refused address or scheme and other 4xx answers are final.
func (d *Dispatcher) Deliver(ctx context.Context, cb *Callback, ev Event) error {
	body, err := json.Marshal(ev)
	if err != nil {
		return fmt.Errorf("callback body: %w", err)
	}
	header := http.Header{"Content-Type": {"application/json"}}
	for name, value := range cb.Headers {
		header.Set(name, value)
	}
	attempts, delay := d.Attempts, d.Backoff
	if attempts <= 0 {
		attempts = 5
	}
	if delay <= 0 {
		delay = time.Second
	}
	for i := 1; ; i++ {
		_, err = d.Client.Post(ctx, cb.URL, header, body)
		if err == nil || i == attempts || !transient(err) {
			if err != nil {
				return fmt.Errorf("callback %s after %d attempts: %w", ev.RequestStatus, i, err)
			}
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(delay):
		}
		delay *= 2
	}
}

func transient(err error) bool {
	switch web.Classify(err) {
	case web.FailureForbidden, web.FailureScheme, web.FailureRedirects, web.FailureNotFound:
		return false
	case web.FailureStatus:
		var se *web.StatusError
		return errors.As(err, &se) && (se.Code >= 500 || se.Code == http.StatusTooManyRequests)
	}
	return true // connection failures and timeouts may pass on a later attempt
}

package web

import (
	"bytes"
	"cmp"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Errors of Client.Get, matched with errors.Is.
var (
	// ErrTooLarge: the response body exceeds MaxBytes.
	ErrTooLarge = errors.New("response too large")
	// ErrScheme: the URL (or a redirect) is not HTTPS, or plain HTTP to a non-loopback host.
	ErrScheme = errors.New("URL scheme not allowed")
	// ErrTooManyRedirects: more than MaxRedirects redirects.
	ErrTooManyRedirects = errors.New("too many redirects")
	// ErrStatus: the server answered with a status other than 200 (see *StatusError).
	ErrStatus = errors.New("unexpected HTTP status")
)

// StatusError carries the HTTP status of a failed fetch; it matches ErrStatus.
type StatusError struct{ Code int }

func (e *StatusError) Error() string { return fmt.Sprintf("HTTP status %d", e.Code) }

// Is matches ErrStatus.
func (e *StatusError) Is(target error) bool { return target == ErrStatus }

// Client fetches documents from outside: HTTPS only, bounded in size and time, a few redirects each
// checked again, and every connection checked by a Guard on the resolved address. The zero value is
// ready to use with the defaults below. A Client is safe for concurrent use; set its fields before the
// first Get.
type Client struct {
	Guard Guard
	// AllowHTTPLoopback admits plain http:// URLs whose host is a loopback address or "localhost" (tests,
	// local development). The Guard must allow loopback too.
	AllowHTTPLoopback bool
	MaxBytes          int64         // response body limit; default 1 MiB
	Timeout           time.Duration // whole request, redirects included; default 10 s
	MaxRedirects      int           // default 3; negative: none
	TLSConfig         *tls.Config   // nil: system roots
	// LookupNetIP resolves host names; nil uses net.DefaultResolver. Tests point names at chosen
	// addresses with it; the Guard still judges the addresses returned.
	LookupNetIP func(ctx context.Context, network, host string) ([]netip.Addr, error)
	UserAgent   string
	// MaxIdleConnsPerHost is how many kept-alive connections to one host are reused; default 4. A
	// client that posts to few hosts at a high rate (relying-party callbacks) wants more, or it opens
	// a connection per request once more than this are in flight.
	MaxIdleConnsPerHost int

	once sync.Once
	http *http.Client
}

// Response is a fetched document.
type Response struct {
	Body   []byte
	Header http.Header
	URL    string // final URL after redirects
}

func (c *Client) maxBytes() int64 {
	if c.MaxBytes > 0 {
		return c.MaxBytes
	}
	return 1 << 20
}

func (c *Client) timeout() time.Duration {
	if c.Timeout > 0 {
		return c.Timeout
	}
	return 10 * time.Second
}

func (c *Client) maxRedirects() int {
	switch {
	case c.MaxRedirects < 0:
		return 0
	case c.MaxRedirects == 0:
		return 3
	}
	return c.MaxRedirects
}

// CheckURL reports whether the client may fetch u at all (scheme and host form); the address check
// happens when connecting.
func (c *Client) CheckURL(u *url.URL) error {
	if u.User != nil {
		return fmt.Errorf("%w: credentials in URL", ErrScheme)
	}
	switch u.Scheme {
	case "https":
		return nil
	case "http":
		if c.AllowHTTPLoopback && isLoopbackHost(u.Hostname()) {
			return nil
		}
	}
	return fmt.Errorf("%w: %s://%s", ErrScheme, u.Scheme, u.Host)
}

func isLoopbackHost(host string) bool {
	if host == "localhost" {
		return true
	}
	ip, err := netip.ParseAddr(host)
	return err == nil && ip.IsLoopback()
}

func (c *Client) client() *http.Client {
	c.once.Do(func() {
		dialer := &net.Dialer{Timeout: c.timeout(), Control: c.Guard.Control}
		transport := &http.Transport{
			Proxy:                  nil, // a proxy would connect on our behalf, past the Guard
			DialContext:            c.dial(dialer),
			TLSClientConfig:        c.TLSConfig,
			TLSHandshakeTimeout:    c.timeout(),
			ResponseHeaderTimeout:  c.timeout(),
			MaxIdleConns:           64,
			MaxIdleConnsPerHost:    cmp.Or(c.MaxIdleConnsPerHost, 4),
			IdleConnTimeout:        90 * time.Second,
			MaxResponseHeaderBytes: 64 << 10,
			ForceAttemptHTTP2:      true,
		}
		c.http = &http.Client{
			Transport: transport,
			Timeout:   c.timeout(),
			CheckRedirect: func(req *http.Request, via []*http.Request) error {
				if len(via) > c.maxRedirects() {
					return fmt.Errorf("%w (%d)", ErrTooManyRedirects, len(via))
				}
				return c.CheckURL(req.URL)
			},
		}
	})
	return c.http
}

// dial resolves the host itself (so tests can choose the answer) and dials the addresses one by one;
// the dialer's Control hook checks each before connecting.
func (c *Client) dial(d *net.Dialer) func(ctx context.Context, network, addr string) (net.Conn, error) {
	return func(ctx context.Context, network, addr string) (net.Conn, error) {
		host, port, err := net.SplitHostPort(addr)
		if err != nil {
			return nil, err
		}
		var ips []netip.Addr
		if ip, err := netip.ParseAddr(host); err == nil {
			ips = []netip.Addr{ip}
		} else {
			lookup := c.LookupNetIP
			if lookup == nil {
				lookup = net.DefaultResolver.LookupNetIP
			}
			if ips, err = lookup(ctx, "ip", host); err != nil {
				return nil, fmt.Errorf("resolve %s: %w", host, err)
			}
		}
		var firstErr error
		for _, ip := range ips {
			if err := c.Guard.Check(ip); err != nil { // early, for a clear error; Control checks again
				firstErr = cmpErr(firstErr, fmt.Errorf("dial %s (%s): %w", host, ip, err))
				continue
			}
			conn, err := d.DialContext(ctx, network, net.JoinHostPort(ip.Unmap().String(), port))
			if err == nil {
				return conn, nil
			}
			firstErr = cmpErr(firstErr, err)
		}
		if firstErr == nil {
			firstErr = fmt.Errorf("resolve %s: no addresses", host)
		}
		return nil, firstErr
	}
}

func cmpErr(first, next error) error {
	if first != nil {
		return first
	}
	return next
}

// Get fetches a URL and returns its body when the final status is 200.
func (c *Client) Get(ctx context.Context, rawURL, accept string) (*Response, error) {
	h := http.Header{}
	if accept != "" {
		h.Set("Accept", accept)
	}
	return c.send(ctx, http.MethodGet, rawURL, h, nil)
}

// Post sends body with the given headers (wallet-exchange callbacks to relying parties) under the same
// checks as Get; any 2xx answer succeeds and its body is returned.
func (c *Client) Post(ctx context.Context, rawURL string, header http.Header, body []byte) (*Response, error) {
	return c.send(ctx, http.MethodPost, rawURL, header, body)
}

func (c *Client) send(ctx context.Context, method, rawURL string, header http.Header, body []byte) (*Response, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return nil, fmt.Errorf("fetch: %w", err)
	}
	if err := c.CheckURL(u); err != nil {
		return nil, err
	}
	var reqBody io.Reader
	if body != nil {
		reqBody = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, u.String(), reqBody)
	if err != nil {
		return nil, fmt.Errorf("fetch: %w", err)
	}
	for name, values := range header {
		req.Header[http.CanonicalHeaderKey(name)] = values
	}
	if c.UserAgent != "" {
		req.Header.Set("User-Agent", c.UserAgent)
	}
	resp, err := c.client().Do(req)
	if err != nil {
		return nil, &FetchError{Method: method, URL: u.Redacted(), Err: err}
	}
	defer resp.Body.Close()
	ok := resp.StatusCode == http.StatusOK || method != http.MethodGet && resp.StatusCode/100 == 2
	if !ok {
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 4096)) // lets the connection be reused
		return nil, fmt.Errorf("%s %s: %w", method, u.Redacted(), &StatusError{Code: resp.StatusCode})
	}
	limit := c.maxBytes()
	if resp.ContentLength > limit {
		return nil, fmt.Errorf("%s %s: %w: %d bytes declared", method, u.Redacted(), ErrTooLarge, resp.ContentLength)
	}
	respBody, err := io.ReadAll(io.LimitReader(resp.Body, limit+1))
	if err != nil {
		return nil, &FetchError{Method: method, URL: u.Redacted(), Err: err}
	}
	if int64(len(respBody)) > limit {
		return nil, fmt.Errorf("%s %s: %w: over %d bytes", method, u.Redacted(), ErrTooLarge, limit)
	}
	return &Response{Body: respBody, Header: resp.Header, URL: resp.Request.URL.String()}, nil
}

// CacheTTL is how long a response may be cached: its Cache-Control max-age capped at max, def when it
// gives none, and 0 for no-store or no-cache.
func CacheTTL(h http.Header, def, max time.Duration) time.Duration {
	ttl := def
	for _, line := range h.Values("Cache-Control") {
		for _, directive := range strings.Split(line, ",") {
			name, value, _ := strings.Cut(strings.TrimSpace(directive), "=")
			switch strings.ToLower(name) {
			case "no-store", "no-cache":
				return 0
			case "max-age":
				secs, err := strconv.ParseInt(strings.Trim(value, `"`), 10, 64)
				if err != nil || secs < 0 {
					return 0
				}
				ttl = time.Duration(min(secs, 1<<31)) * time.Second
			}
		}
	}
	return min(ttl, max)
}

package client

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// Client talks to one node. Set the fields before the first call; a Client is safe for concurrent use.
type Client struct {
	base string
	// HTTPClient sends the requests; nil: a client with a 30 s timeout.
	HTTPClient *http.Client
	// AdminToken is the node's admin bearer token, sent to the admin routes only (credential issuance,
	// revocation, the Request Service API).
	AdminToken string
	// UserAgent is sent with every request; "": "ionode-client".
	UserAgent string
	// Retry tunes the retries of GET requests.
	Retry Retry
	// MaxResponseBytes bounds an answer read (default 16 MiB); a longer one is an error.
	MaxResponseBytes int64
}

// New returns a client of the node at baseURL (e.g. http://127.0.0.1:3000).
func New(baseURL string) (*Client, error) {
	u, err := url.Parse(strings.TrimRight(baseURL, "/"))
	if err != nil {
		return nil, fmt.Errorf("node URL %q: %w", baseURL, err)
	}
	if u.Scheme != "http" && u.Scheme != "https" || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
		return nil, fmt.Errorf("node URL %q: want http(s)://host[:port][/path]", baseURL)
	}
	return &Client{base: u.String()}, nil
}

// BaseURL is the node's URL, without a trailing slash.
func (c *Client) BaseURL() string { return c.base }

func (c *Client) httpClient() *http.Client {
	if c.HTTPClient != nil {
		return c.HTTPClient
	}
	return defaultHTTPClient
}

// defaultHTTPClient is shared so that connections are reused; it is never modified.
var defaultHTTPClient = &http.Client{Timeout: 30 * time.Second}

func (c *Client) maxResponse() int64 {
	if c.MaxResponseBytes > 0 {
		return c.MaxResponseBytes
	}
	return 16 << 20
}

// Response is a node's answer, read whole.
type Response struct {
	StatusCode int
	Header     http.Header
	Body       []byte
}

// request describes one call.
type request struct {
	method, path string
	body         []byte // nil: none
	accept       string
	admin        bool // send the admin token
	retry        bool // idempotent: retry on transport errors and 429/502/503/504
}

// Do sends a request to a route of the node (path with its leading slash, already escaped) and reads
// the answer whole: any status is a Response, only a failure to get one is an error. GETs are retried
// as the package doc says. It is the escape hatch for routes without a method here.
func (c *Client) Do(ctx context.Context, method, path string, body []byte, admin bool) (*Response, error) {
	return c.send(ctx, request{method: method, path: path, body: body, admin: admin, retry: method == http.MethodGet})
}

func (c *Client) send(ctx context.Context, r request) (*Response, error) {
	var last error
	attempts := c.Retry.attempts()
	if !r.retry {
		attempts = 1
	}
	for try := 0; ; try++ {
		resp, err := c.once(ctx, r)
		switch {
		case err == nil && !retryable(resp.StatusCode):
			return resp, nil
		case err != nil && ctx.Err() != nil:
			return nil, err
		case err == nil:
			last = nil
		default:
			last = err
		}
		if try+1 >= attempts {
			if last != nil {
				return nil, last
			}
			return resp, nil
		}
		var hint time.Duration
		if resp != nil {
			hint = retryAfter(resp.Header)
		}
		if err := sleep(ctx, c.Retry.delay(try, hint)); err != nil {
			return nil, err
		}
	}
}

func retryable(status int) bool {
	switch status {
	case http.StatusTooManyRequests, http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return true
	}
	return false
}

func (c *Client) once(ctx context.Context, r request) (*Response, error) {
	var body io.Reader
	if r.body != nil {
		body = bytes.NewReader(r.body)
	}
	req, err := http.NewRequestWithContext(ctx, r.method, c.base+r.path, body)
	if err != nil {
		return nil, fmt.Errorf("node %s: %w", c.base, err)
	}
	if r.body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	accept := r.accept
	if accept == "" {
		accept = "application/json"
	}
	req.Header.Set("Accept", accept)
	ua := c.UserAgent
	if ua == "" {
		ua = "ionode-client"
	}
	req.Header.Set("User-Agent", ua)
	if r.admin && c.AdminToken != "" {
		req.Header.Set("Authorization", "Bearer "+c.AdminToken)
	}
	resp, err := c.httpClient().Do(req)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			return nil, fmt.Errorf("node %s is not reachable: %w", c.base, ue.Err)
		}
		return nil, fmt.Errorf("node %s: %w", c.base, err)
	}
	defer resp.Body.Close()
	limit := c.maxResponse()
	b, err := io.ReadAll(io.LimitReader(resp.Body, limit+1))
	if err != nil {
		return nil, fmt.Errorf("node %s: reading the answer: %w", c.base, err)
	}
	if int64(len(b)) > limit {
		return nil, fmt.Errorf("node %s: answer larger than %d bytes", c.base, limit)
	}
	return &Response{StatusCode: resp.StatusCode, Header: resp.Header, Body: b}, nil
}

// call sends r and decodes a 2xx answer into out (when not nil); any other status is an *APIError.
func (c *Client) call(ctx context.Context, r request, out any, want ...int) error {
	resp, err := c.send(ctx, r)
	if err != nil {
		return err
	}
	ok := resp.StatusCode/100 == 2
	if len(want) > 0 {
		ok = false
		for _, s := range want {
			ok = ok || resp.StatusCode == s
		}
	}
	if !ok {
		return parseError(resp.StatusCode, resp.Header, resp.Body)
	}
	if out == nil {
		return nil
	}
	if err := json.Unmarshal(resp.Body, out); err != nil {
		return fmt.Errorf("node %s: %s answered unreadable JSON: %w", c.base, r.path, err)
	}
	return nil
}

// postJSON is a request posting v as JSON.
func postJSON(path string, v any, admin bool) (request, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return request{}, fmt.Errorf("encode the body of %s: %w", path, err)
	}
	return request{method: http.MethodPost, path: path, body: b, admin: admin}, nil
}

package kubo

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math"
	"mime/multipart"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/ionode/ionode/cas"
)

// DefaultTimeout bounds a call whose context has no deadline: ION's IPFS
// fetch timeout (ion src/core.ts, ipfsFetchTimeoutInSeconds).
const DefaultTimeout = 10 * time.Second

// maxErrorBody bounds how much of an error answer is read.
const maxErrorBody = 64 << 10

// Client is a cas.Store over a Kubo node's RPC API. It is safe for
// concurrent use.
type Client struct {
	base   *url.URL
	hc     *http.Client
	Logger *slog.Logger // default slog.Default()
}

var _ cas.Store = (*Client)(nil)

// New returns a client of the Kubo RPC API at baseURL (for example
// "http://127.0.0.1:5001"). httpClient nil means http.DefaultClient; its own
// Timeout, if any, applies on top of the contexts' deadlines.
func New(baseURL string, httpClient *http.Client) (*Client, error) {
	u, err := url.Parse(baseURL)
	if err != nil {
		return nil, fmt.Errorf("kubo: API URL: %w", err)
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("kubo: API URL %q: want http(s)://host:port", baseURL)
	}
	if httpClient == nil {
		httpClient = http.DefaultClient
	}
	return &Client{base: u, hc: httpClient}, nil
}

func (c *Client) logger() *slog.Logger {
	if c.Logger != nil {
		return c.Logger
	}
	return slog.Default()
}

// endpoint builds the URL of an RPC command with its query.
func (c *Client) endpoint(command string, query url.Values) string {
	u := *c.base
	u.Path = strings.TrimSuffix(u.Path, "/") + "/api/v0/" + command
	u.RawQuery = query.Encode()
	return u.String()
}

// Put adds data to the Kubo node as `ipfs add` with default settings and pins
// it, returning the CIDv0.
func (c *Client) Put(ctx context.Context, data []byte) (string, error) {
	want, err := cas.ComputeCID(data)
	if err != nil {
		return "", err
	}
	ctx, cancel := withDefaultTimeout(ctx)
	defer cancel()

	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	part, err := mw.CreateFormFile("file", "file")
	if err != nil {
		return "", fmt.Errorf("kubo: add: %w", err)
	}
	if _, err := part.Write(data); err != nil {
		return "", fmt.Errorf("kubo: add: %w", err)
	}
	if err := mw.Close(); err != nil {
		return "", fmt.Errorf("kubo: add: %w", err)
	}
	// Explicit import settings: a node's Import config may differ from the
	// defaults ION's CIDs depend on.
	q := url.Values{
		"cid-version": {"0"},
		"chunker":     {"size-" + strconv.Itoa(cas.ChunkSize)},
		"raw-leaves":  {"false"},
		"pin":         {"true"},
		"quieter":     {"true"},
		"progress":    {"false"},
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.endpoint("add", q), &body)
	if err != nil {
		return "", fmt.Errorf("kubo: add: %w", err)
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	resp, err := c.hc.Do(req)
	if err != nil {
		if isDialError(err) {
			return "", fmt.Errorf("%w: add: %w", cas.ErrUnreachable, err)
		}
		return "", fmt.Errorf("kubo: add: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return "", fmt.Errorf("kubo: add: %s", readAPIError(resp))
	}
	got, err := addedHash(io.LimitReader(resp.Body, maxErrorBody))
	if err != nil {
		return "", fmt.Errorf("kubo: add: %w", err)
	}
	if got != want {
		return "", fmt.Errorf("kubo: add returned %s but `ipfs add` defaults give %s: check the node's Import settings", got, want)
	}
	return got, nil
}

// addedHash reads the add command's newline-delimited JSON answer and returns
// the last Hash in it (the root; earlier lines may be progress).
func addedHash(r io.Reader) (string, error) {
	var hash string
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		line := bytes.TrimSpace(sc.Bytes())
		if len(line) == 0 {
			continue
		}
		var out struct {
			Hash    string
			Message string
		}
		if err := json.Unmarshal(line, &out); err != nil {
			return "", fmt.Errorf("answer %q: %w", truncate(line), err)
		}
		if out.Message != "" && out.Hash == "" {
			return "", fmt.Errorf("node: %s", out.Message)
		}
		if out.Hash != "" {
			hash = out.Hash
		}
	}
	if err := sc.Err(); err != nil {
		return "", err
	}
	if hash == "" {
		return "", errors.New("answer holds no Hash")
	}
	return hash, nil
}

// Get reads the file named by id from the Kubo node, at most maxSize bytes.
func (c *Client) Get(ctx context.Context, id string, maxSize int64) ([]byte, error) {
	if _, err := cas.ParseCID(id); err != nil {
		return nil, err
	}
	if maxSize < 0 {
		return nil, fmt.Errorf("kubo: negative maximum size %d", maxSize)
	}
	ctx, cancel := withDefaultTimeout(ctx)
	defer cancel()

	// length = max+1: Kubo stops there, and max+1 bytes received mean "too
	// large" (the reference does the same, lib/ipfs/Ipfs.ts fetchContent).
	q := url.Values{"arg": {id}}
	if maxSize < math.MaxInt64 {
		q.Set("length", strconv.FormatInt(maxSize+1, 10))
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.endpoint("cat", q), nil)
	if err != nil {
		return nil, fmt.Errorf("kubo: cat: %w", err)
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		return nil, transportError(ctx, "cat "+id, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, catError(id, resp)
	}
	data, err := cas.ReadAtMost(resp.Body, maxSize, resp.ContentLength)
	if err != nil {
		if errors.Is(err, cas.ErrTooLarge) {
			return nil, fmt.Errorf("%w (cid %s)", err, id)
		}
		return nil, transportError(ctx, "cat "+id, err)
	}
	// Kubo reports a failure after the headers went out in a trailer; the
	// bytes read so far are then a truncated file.
	if msg := resp.Trailer.Get("X-Stream-Error"); msg != "" {
		return nil, fmt.Errorf("%w: cat %s: stream broke: %s", cas.ErrNotFound, id, msg)
	}
	c.pin(ctx, id)
	return data, nil
}

// pin keeps a fetched file on the Kubo node so it keeps serving it, as the
// reference does after every successful read. A failure only costs
// availability and is logged.
func (c *Client) pin(ctx context.Context, id string) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.endpoint("pin/add", url.Values{"arg": {id}}), nil)
	if err == nil {
		var resp *http.Response
		resp, err = c.hc.Do(req)
		if err == nil {
			if resp.StatusCode != http.StatusOK {
				err = errors.New(readAPIError(resp))
			}
			_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, maxErrorBody))
			resp.Body.Close()
		}
	}
	if err != nil {
		c.logger().Warn("kubo: pin after read failed", "cid", id, "err", err)
	}
}

// catError maps Kubo's error answer for cat. Only the directory answer is
// final; every other one (block not found, node offline, resolution failed)
// means "not found" and is retried, exactly as the reference treats them.
func catError(id string, resp *http.Response) error {
	msg := readAPIError(resp)
	if strings.Contains(msg, "this dag node is a directory") || strings.Contains(msg, "not a regular file") {
		return fmt.Errorf("%w: cat %s: %s", cas.ErrNotAFile, id, msg)
	}
	return fmt.Errorf("%w: cat %s: %s", cas.ErrNotFound, id, msg)
}

// readAPIError returns the Message of Kubo's JSON error answer
// ({"Message": "...", "Code": 0, "Type": "error"}), or the status and raw body.
func readAPIError(resp *http.Response) string {
	raw, _ := io.ReadAll(io.LimitReader(resp.Body, maxErrorBody))
	var body struct{ Message string }
	if err := json.Unmarshal(raw, &body); err == nil && body.Message != "" {
		return fmt.Sprintf("%s: %s", resp.Status, body.Message)
	}
	return fmt.Sprintf("%s: %s", resp.Status, truncate(bytes.TrimSpace(raw)))
}

// transportError maps a failed request: an expired context is "not found in
// time", a refused or failed dial is an unreachable node, anything else (a
// connection dropped mid-answer) is "not found" and so retried.
func transportError(ctx context.Context, what string, err error) error {
	if cerr := ctx.Err(); cerr != nil {
		return fmt.Errorf("%w: %s: %w", cas.ErrNotFound, what, cerr)
	}
	if isDialError(err) {
		return fmt.Errorf("%w: %s: %w", cas.ErrUnreachable, what, err)
	}
	return fmt.Errorf("%w: %s: %w", cas.ErrNotFound, what, err)
}

// isDialError reports a connection that could not be opened (refused, no
// route, unknown host): the reference's ECONNREFUSED case.
func isDialError(err error) bool {
	var op *net.OpError
	return errors.As(err, &op) && op.Op == "dial"
}

func withDefaultTimeout(ctx context.Context) (context.Context, context.CancelFunc) {
	if _, ok := ctx.Deadline(); ok {
		return context.WithCancel(ctx)
	}
	return context.WithTimeout(ctx, DefaultTimeout)
}

func truncate(b []byte) string {
	const n = 200
	if len(b) > n {
		return string(b[:n]) + "…"
	}
	return string(b)
}

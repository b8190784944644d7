package anchor

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"strings"
	"sync/atomic"
	"time"

	"github.com/btcsuite/btcd/btcjson"
	"github.com/btcsuite/btcd/rpcclient"
)

// jsonRPC is a minimal JSON-RPC 1.0 client over HTTP for the calls the watcher makes per block.
// rpcclient's HTTP POST mode sends one request at a time and opens a new connection for each; this
// one keeps connections alive, runs requests concurrently, honours contexts, and takes a hex result
// (getblock, getrawtransaction) out of the response without running a 300 KB string through
// encoding/json, which costs several times more than the rest of the block's handling.
type jsonRPC struct {
	url     string
	user    string
	pass    string
	cookie  string // cookie file, when no password is given (Bitcoin Core's default)
	headers map[string]string
	client  *http.Client
	id      atomic.Uint64
}

// newJSONRPC returns nil when rpcclient features it does not implement are configured (a proxy, a
// unix socket): the caller then keeps using rpcclient.
func newJSONRPC(cfg *rpcclient.ConnConfig) (*jsonRPC, error) {
	if cfg.Proxy != "" || strings.HasPrefix(cfg.Host, "unix") {
		return nil, nil
	}
	scheme := "https"
	var tlsConfig *tls.Config
	if cfg.DisableTLS {
		scheme = "http"
	} else if len(cfg.Certificates) > 0 {
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(cfg.Certificates) {
			return nil, errors.New("anchor: rpc: no certificate in ConnConfig.Certificates")
		}
		tlsConfig = &tls.Config{RootCAs: pool}
	}
	tr := &http.Transport{
		DialContext:         (&net.Dialer{Timeout: 30 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
		TLSClientConfig:     tlsConfig,
		MaxIdleConnsPerHost: 64, // the watcher's fetchers, the writer and the daemon share it
		IdleConnTimeout:     90 * time.Second,
	}
	return &jsonRPC{
		url: scheme + "://" + cfg.Host, user: cfg.User, pass: cfg.Pass, cookie: cfg.CookiePath,
		headers: cfg.ExtraHeaders, client: &http.Client{Transport: tr},
	}, nil
}

func (c *jsonRPC) close() { c.client.CloseIdleConnections() }

func (c *jsonRPC) auth() (user, pass string, err error) {
	if c.pass != "" || c.cookie == "" {
		return c.user, c.pass, nil
	}
	b, err := os.ReadFile(c.cookie)
	if err != nil {
		return "", "", fmt.Errorf("anchor: rpc cookie: %w", err)
	}
	user, pass, ok := strings.Cut(strings.TrimSpace(string(b)), ":")
	if !ok {
		return "", "", errors.New("anchor: rpc cookie: malformed cookie file")
	}
	return user, pass, nil
}

type rpcRequest struct {
	JSONRPC string `json:"jsonrpc"`
	ID      uint64 `json:"id"`
	Method  string `json:"method"`
	Params  []any  `json:"params"`
}

// do sends one request and returns the response body.
func (c *jsonRPC) do(ctx context.Context, method string, params ...any) ([]byte, error) {
	req, err := json.Marshal(rpcRequest{"1.0", c.id.Add(1), method, params})
	if err != nil {
		return nil, err
	}
	return c.post(ctx, method, req)
}

func (c *jsonRPC) post(ctx context.Context, method string, req []byte) ([]byte, error) {
	hreq, err := http.NewRequestWithContext(ctx, http.MethodPost, c.url, bytes.NewReader(req))
	if err != nil {
		return nil, fmt.Errorf("anchor: rpc %s: %w", method, err)
	}
	hreq.Header.Set("Content-Type", "application/json")
	for k, v := range c.headers {
		hreq.Header.Set(k, v)
	}
	user, pass, err := c.auth()
	if err != nil {
		return nil, err
	}
	hreq.SetBasicAuth(user, pass)
	resp, err := c.client.Do(hreq)
	if err != nil {
		return nil, fmt.Errorf("anchor: rpc %s: %w", method, err)
	}
	defer resp.Body.Close()
	var buf bytes.Buffer
	if resp.ContentLength > 0 {
		buf.Grow(int(resp.ContentLength))
	}
	if _, err := buf.ReadFrom(resp.Body); err != nil {
		return nil, fmt.Errorf("anchor: rpc %s: %w", method, err)
	}
	body := buf.Bytes()
	// Bitcoin Core answers errors with a 4xx/5xx status and a JSON body, btcd with 200; only a body
	// that is not JSON (401 from a wrong password, a proxy's page) is an HTTP error.
	if resp.StatusCode != http.StatusOK && !json.Valid(body) {
		return nil, fmt.Errorf("anchor: rpc %s: HTTP %s: %s", method, resp.Status, bytes.TrimSpace(body[:min(len(body), 200)]))
	}
	return body, nil
}

type rpcResponse struct {
	Result json.RawMessage   `json:"result"`
	Error  *btcjson.RPCError `json:"error"`
}

// call runs a request whose result is small, decoding it into out.
func (c *jsonRPC) call(ctx context.Context, out any, method string, params ...any) error {
	body, err := c.do(ctx, method, params...)
	if err != nil {
		return err
	}
	var resp rpcResponse
	if err := json.Unmarshal(body, &resp); err != nil {
		return fmt.Errorf("anchor: rpc %s: %w", method, err)
	}
	if resp.Error != nil {
		return resp.Error
	}
	if err := json.Unmarshal(resp.Result, out); err != nil {
		return fmt.Errorf("anchor: rpc %s result: %w", method, err)
	}
	return nil
}

// batch runs method once per params list in one JSON-RPC batch request (btcd and Bitcoin Core both
// take them) and returns the results in order; the first failed call's error fails the batch.
func (c *jsonRPC) batch(ctx context.Context, method string, params [][]any) ([]json.RawMessage, error) {
	reqs := make([]rpcRequest, len(params))
	for i, p := range params {
		reqs[i] = rpcRequest{"2.0", c.id.Add(1), method, p}
	}
	req, err := json.Marshal(reqs)
	if err != nil {
		return nil, err
	}
	body, err := c.post(ctx, method, req)
	if err != nil {
		return nil, err
	}
	var resps []struct {
		ID uint64 `json:"id"`
		rpcResponse
	}
	if err := json.Unmarshal(body, &resps); err != nil {
		// A server without batches answers with one error object.
		var one rpcResponse
		if json.Unmarshal(body, &one) == nil && one.Error != nil {
			return nil, one.Error
		}
		return nil, fmt.Errorf("anchor: rpc %s batch: %w", method, err)
	}
	// Answers may come in any order: match them by id.
	first := reqs[0].ID
	out := make([]json.RawMessage, len(reqs))
	for _, r := range resps {
		if r.Error != nil {
			return nil, r.Error
		}
		i := r.ID - first
		if r.ID < first || i >= uint64(len(out)) || out[i] != nil {
			return nil, fmt.Errorf("anchor: rpc %s batch: unexpected answer id %d", method, r.ID)
		}
		out[i] = r.Result
	}
	for i, r := range out {
		if r == nil {
			return nil, fmt.Errorf("anchor: rpc %s batch: no answer for call %d of %d", method, i+1, len(out))
		}
	}
	return out, nil
}

// callHex runs a request whose result is a hex string and returns its bytes.
func (c *jsonRPC) callHex(ctx context.Context, method string, params ...any) ([]byte, error) {
	body, err := c.do(ctx, method, params...)
	if err != nil {
		return nil, err
	}
	data, err := hexResult(body)
	if err != nil {
		return nil, fmt.Errorf("anchor: rpc %s: %w", method, err)
	}
	return data, nil
}

// hexResult decodes a JSON-RPC response whose result is a hex string. A small scanner finds the
// result's string at the top level of the object (skipping strings with IndexByte, not byte by byte);
// the rest of the body, with an empty string in its place, still goes through encoding/json for
// validity and the error member. Anything unusual (escapes in the result or in a key, a second key
// that encoding/json would also take for "result") takes the plain encoding/json path.
func hexResult(body []byte) ([]byte, error) {
	if start, end, ok := topLevelResultString(body); ok {
		envelope := make([]byte, 0, len(body)-(end-start))
		envelope = append(append(envelope, body[:start]...), body[end:]...)
		var resp rpcResponse
		if json.Unmarshal(envelope, &resp) == nil && string(resp.Result) == `""` {
			if resp.Error != nil {
				return nil, resp.Error
			}
			n := end - start
			if n%2 != 0 {
				return nil, fmt.Errorf("result is not hex: %w", hex.ErrLength)
			}
			data := make([]byte, n/2)
			if _, err := hex.Decode(data, body[start:end]); err != nil {
				return nil, fmt.Errorf("result is not hex: %w", err)
			}
			return data, nil
		}
	}
	var resp rpcResponse
	if err := json.Unmarshal(body, &resp); err != nil {
		return nil, err
	}
	if resp.Error != nil {
		return nil, resp.Error
	}
	var s string
	if err := json.Unmarshal(resp.Result, &s); err != nil {
		return nil, fmt.Errorf("result: %w", err)
	}
	return hex.DecodeString(s)
}

// topLevelResultString returns the bounds of the contents of the "result" member's string when body
// is an object with exactly one member whose name matches "result" as encoding/json matches it (case
// insensitively) and that string has no escapes. It checks only what it needs to find it; the caller
// validates the rest.
func topLevelResultString(body []byte) (start, end int, ok bool) {
	i := skipSpace(body, 0)
	if i >= len(body) || body[i] != '{' {
		return 0, 0, false
	}
	found := 0
	for i++; ; {
		i = skipSpace(body, i)
		if i >= len(body) {
			return 0, 0, false
		}
		if body[i] == '}' {
			return start, end, found == 1
		}
		if body[i] == ',' {
			i = skipSpace(body, i+1)
		}
		ks, ke, esc, next := scanString(body, i)
		if next < 0 || esc {
			return 0, 0, false
		}
		i = skipSpace(body, next)
		if i >= len(body) || body[i] != ':' {
			return 0, 0, false
		}
		i = skipSpace(body, i+1)
		if bytes.EqualFold(body[ks:ke], []byte("result")) {
			found++
			if i >= len(body) || body[i] != '"' {
				return 0, 0, false
			}
			vs, ve, vesc, vnext := scanString(body, i)
			if vnext < 0 || vesc {
				return 0, 0, false
			}
			start, end, i = vs, ve, vnext
			continue
		}
		if i = skipValue(body, i); i < 0 {
			return 0, 0, false
		}
	}
}

func skipSpace(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r') {
		i++
	}
	return i
}

// scanString reads the string starting at b[i] == '"': its contents' bounds, whether it has escapes,
// and the index after its closing quote (-1 when there is no string).
func scanString(b []byte, i int) (start, end int, escaped bool, next int) {
	if i >= len(b) || b[i] != '"' {
		return 0, 0, false, -1
	}
	start = i + 1
	for j := start; ; {
		k := bytes.IndexAny(b[j:], `"\`)
		if k < 0 {
			return 0, 0, false, -1
		}
		j += k
		if b[j] == '"' {
			return start, j, escaped, j + 1
		}
		escaped = true
		j += 2 // the escaped character (a \u escape's hex digits are plain)
		if j > len(b) {
			return 0, 0, false, -1
		}
	}
}

// skipValue returns the index after the value starting at b[i], or -1. Scalars are skipped up to the
// next delimiter; encoding/json checks them afterwards.
func skipValue(b []byte, i int) int {
	depth := 0
	for i < len(b) {
		switch c := b[i]; c {
		case '"':
			_, _, _, next := scanString(b, i)
			if next < 0 {
				return -1
			}
			i = next
		case '{', '[':
			depth++
			i++
		case '}', ']':
			if depth == 0 {
				return i
			}
			depth--
			i++
		case ',':
			if depth == 0 {
				return i
			}
			i++
		default:
			i++
		}
		if depth == 0 && i < len(b) && (b[i] == ',' || b[i] == '}' || b[i] == ']') {
			return i
		}
	}
	return -1
}

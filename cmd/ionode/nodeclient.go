package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/ionode/ionode/sidetree"
)

// nodeClient talks to an ION node's HTTP API (ionode's or the reference's: the routes are the same).
type nodeClient struct {
	base string
	http *http.Client
}

func (c nodeClient) client() *http.Client {
	if c.http != nil {
		return c.http
	}
	return &http.Client{Timeout: 30 * time.Second}
}

func (c nodeClient) do(req *http.Request) (int, []byte, error) {
	resp, err := c.client().Do(req)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			return 0, nil, fail(1, "node %s is not reachable: %v", c.base, ue.Err)
		}
		return 0, nil, fail(1, "node %s: %v", c.base, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 16<<20))
	if err != nil {
		return 0, nil, fail(1, "node %s: reading the answer: %v", c.base, err)
	}
	return resp.StatusCode, body, nil
}

// submit posts an operation request; a 400 becomes an invalid-input error with ION's code and message.
func (c nodeClient) submit(ctx context.Context, body []byte) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.base+"/operations", bytes.NewReader(body))
	if err != nil {
		return nil, fail(exitInvalidInput, "--node %q: %v", c.base, err)
	}
	req.Header.Set("Content-Type", "application/json")
	status, answer, err := c.do(req)
	if err != nil {
		return nil, err
	}
	if status != http.StatusOK {
		return nil, fail(exitInvalidInput, "node refused the operation (HTTP %d): %s", status, errorText(answer))
	}
	return answer, nil
}

// submitPatiently submits, and while the node still holds the DID's previous operation (anchored, its
// confirmation not yet settled) retries for up to wait: that lasts seconds, and a user who waited for
// the previous operation expects the next one to go through.
func (c nodeClient) submitPatiently(ctx context.Context, body []byte, wait time.Duration) error {
	deadline := time.Now().Add(wait)
	for {
		_, err := c.submit(ctx, body)
		if err == nil || wait <= 0 || time.Now().After(deadline) || !strings.Contains(err.Error(), "queueing_multiple_operations_per_did_not_allowed") {
			return err
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(250 * time.Millisecond):
		}
	}
}

// resolve returns the status and body of GET /identifiers/{did}.
func (c nodeClient) resolve(ctx context.Context, did string) (int, []byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.base+"/identifiers/"+url.PathEscape(did), nil)
	if err != nil {
		return 0, nil, fail(exitInvalidInput, "--node %q: %v", c.base, err)
	}
	return c.do(req)
}

// waitFor polls the DID's resolution until done accepts it or the time is up, showing progress on a
// terminal and nothing otherwise.
func (c nodeClient) waitFor(ctx context.Context, did string, limit time.Duration, progress io.Writer, done func(sidetree.Value) bool) (sidetree.Value, error) {
	deadline := time.Now().Add(limit)
	tty := isTerminal(progress)
	start := time.Now()
	for {
		status, body, err := c.resolve(ctx, did)
		if err != nil {
			return sidetree.Value{}, err
		}
		if status == http.StatusOK || status == http.StatusGone {
			res, err := sidetree.ParseJSON(body)
			if err == nil && done(res) {
				if tty {
					fmt.Fprintln(progress)
				}
				return res, nil
			}
		}
		if time.Now().After(deadline) {
			return sidetree.Value{}, fail(1, "the operation was not anchored within %v (last answer: HTTP %d)", limit, status)
		}
		if tty {
			fmt.Fprintf(progress, "\rwaiting for anchoring… %ds", int(time.Since(start).Seconds()))
		}
		select {
		case <-ctx.Done():
			return sidetree.Value{}, ctx.Err()
		case <-time.After(500 * time.Millisecond):
		}
	}
}

func errorText(body []byte) string {
	v, err := sidetree.ParseJSON(body)
	if err != nil {
		if len(body) > 200 {
			body = body[:200]
		}
		return string(body)
	}
	code, _ := v.Field("code").Str()
	msg, _ := v.Field("message").Str()
	if code == "" {
		return string(v.Stringify())
	}
	return code + ": " + msg
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	info, err := f.Stat()
	return err == nil && info.Mode()&os.ModeCharDevice != 0
}

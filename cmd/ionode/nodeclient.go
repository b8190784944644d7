package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/ionode/ionode/client"
	"github.com/ionode/ionode/sidetree"
)

// nodeClient is the CLI's handle on a node: package client does the talking; this maps its answers to
// the CLI's exit codes and messages.
type nodeClient struct {
	base string
	http *http.Client
}

func (c nodeClient) api(token string) (*client.Client, error) {
	api, err := client.New(c.base)
	if err != nil {
		return nil, fail(exitInvalidInput, "--node: %v", err)
	}
	api.HTTPClient, api.AdminToken, api.UserAgent = c.http, token, "ionode-cli"
	return api, nil
}

// cliError maps a client error to the CLI's: a refusal is invalid input, anything else a failure.
func cliError(err error) error {
	var apiErr *client.APIError
	if errors.As(err, &apiErr) && apiErr.StatusCode < 500 {
		return fail(exitInvalidInput, "%v", err)
	}
	return fail(1, "%v", err)
}

// do sends a request built against c.base and returns the status and answer.
func (c nodeClient) do(req *http.Request) (int, []byte, error) {
	token, _ := strings.CutPrefix(req.Header.Get("Authorization"), "Bearer ")
	api, err := c.api(token)
	if err != nil {
		return 0, nil, err
	}
	var body []byte
	if req.Body != nil {
		if body, err = io.ReadAll(req.Body); err != nil {
			return 0, nil, err
		}
	}
	resp, err := api.Do(req.Context(), req.Method, strings.TrimPrefix(req.URL.String(), api.BaseURL()), body, token != "")
	if err != nil {
		return 0, nil, fail(1, "%v", err)
	}
	return resp.StatusCode, resp.Body, nil
}

// submit posts an operation request; a refusal becomes an invalid-input error with ION's code and message.
func (c nodeClient) submit(ctx context.Context, body []byte) error {
	api, err := c.api("")
	if err != nil {
		return err
	}
	if _, err := api.Submit(ctx, body); err != nil {
		return cliError(err)
	}
	return nil
}

// submitAndWait submits the operation and waits up to wait until did resolves with it applied, showing
// progress on a terminal. submitted (optional) is called once the node has taken the operation.
func (c nodeClient) submitAndWait(ctx context.Context, did string, body []byte, wait time.Duration, progress io.Writer, submitted func()) (sidetree.Value, error) {
	api, err := c.api("")
	if err != nil {
		return sidetree.Value{}, err
	}
	ctx, cancel := context.WithTimeout(ctx, wait)
	defer cancel()
	tty := isTerminal(progress)
	w := client.Wait{Submitted: submitted, Progress: func(waited time.Duration) {
		if tty {
			fmt.Fprintf(progress, "\rwaiting for anchoring… %ds", int(waited.Seconds()))
		}
	}}
	res, err := api.SubmitAndWait(ctx, did, body, w)
	if tty {
		fmt.Fprintln(progress)
	}
	switch {
	case errors.Is(err, client.ErrNotAnchored):
		return sidetree.Value{}, fail(1, "the operation was not anchored within %v: %v", wait, err)
	case err != nil:
		return sidetree.Value{}, cliError(err)
	}
	return res, nil
}

// resolve returns the status and body of GET /identifiers/{did}.
func (c nodeClient) resolve(ctx context.Context, did string) (int, []byte, error) {
	api, err := c.api("")
	if err != nil {
		return 0, nil, err
	}
	res, err := api.Resolve(ctx, did)
	var apiErr *client.APIError
	switch {
	case errors.As(err, &apiErr):
		return apiErr.StatusCode, []byte(apiErr.Message), nil
	case err != nil:
		return 0, nil, fail(1, "%v", err)
	}
	return res.Status, res.Body.Stringify(), nil
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

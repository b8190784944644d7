package main

import (
	"context"
	"io"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/spf13/cobra"
)

// newHealthCommand is the container health check: the runtime image has no shell, curl or wget, so the
// binary itself asks its own /readyz.
func newHealthCommand(getenv func(string) string) *cobra.Command {
	var (
		url     string
		timeout time.Duration
	)
	cmd := &cobra.Command{
		Use:   "health",
		Short: "Exit 0 when a node answers its readiness check (for container health checks)",
		Long: `GET the node's /readyz (or the URL given with --url) and exit 0 on HTTP 200, 1 otherwise. Without
--url the address comes from ION_LISTEN (the same variable ionode serve reads), with a wildcard host
replaced by 127.0.0.1.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if url == "" {
				url = readyURL(getenv("ION_LISTEN"))
			}
			return checkHealth(cmd.Context(), url, timeout)
		},
	}
	cmd.Flags().StringVar(&url, "url", "", "URL to GET; empty: http://<ION_LISTEN or 127.0.0.1:3000>/readyz")
	cmd.Flags().DurationVar(&timeout, "timeout", 5*time.Second, "give up after this long")
	return cmd
}

// readyURL is the /readyz URL of a node listening on listen.
func readyURL(listen string) string {
	if listen == "" {
		listen = defaultServeConfig().Listen
	}
	host, port, err := net.SplitHostPort(listen)
	if err != nil {
		return "http://" + listen + "/readyz"
	}
	if host == "" || host == "0.0.0.0" || host == "::" {
		host = "127.0.0.1"
	}
	return "http://" + net.JoinHostPort(host, port) + "/readyz"
}

func checkHealth(ctx context.Context, url string, timeout time.Duration) error {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return fail(exitInvalidInput, "--url %q: %v", url, err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fail(1, "%s: not reachable: %v", url, rootCause(err))
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
	if resp.StatusCode != http.StatusOK {
		return fail(1, "%s: HTTP %d %s", url, resp.StatusCode, strings.Join(strings.Fields(string(body)), " "))
	}
	return nil
}

// rootCause drops the "Get <url>:" wrapping of net/http errors: the URL is already in the message.
func rootCause(err error) error {
	for {
		u, ok := err.(interface{ Unwrap() error })
		if !ok || u.Unwrap() == nil {
			return err
		}
		if _, isOp := err.(*net.OpError); isOp {
			return err
		}
		err = u.Unwrap()
	}
}

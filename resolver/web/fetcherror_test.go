package web_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"net"
	"net/netip"
	"strings"
	"testing"

	"github.com/ionode/ionode/internal/nettest"
	"github.com/ionode/ionode/internal/webtest"
	"github.com/ionode/ionode/resolver/web"
)

// TestFetchErrorHidesCause: whatever Get's caller puts in an answer (status list and DID configuration
// URLs are chosen by whoever presents a credential) says "could not connect" and nothing of the dial or
// DNS error; the cause stays matchable and reaches the log.
func TestFetchErrorHidesCause(t *testing.T) {
	srv := webtest.NewServer(t)
	secrets := []string{"10.1.2.3", "10.9.9.53", "dial", "lookup", "address not allowed", "no such host", "refused"}
	tests := []struct {
		name   string
		lookup func(context.Context, string, string) ([]netip.Addr, error)
		cause  func(error) bool
		logged string
	}{
		{"refused address", func(context.Context, string, string) ([]netip.Addr, error) {
			return []netip.Addr{netip.MustParseAddr("10.1.2.3")}, nil
		}, func(err error) bool { return errors.Is(err, web.ErrForbiddenAddress) }, "address not allowed"},
		{"unknown name", func(_ context.Context, _, host string) ([]netip.Addr, error) {
			return nil, &net.DNSError{Err: "no such host", Name: host, Server: "10.9.9.53:53", IsNotFound: true}
		}, func(err error) bool { var d *net.DNSError; return errors.As(err, &d) }, "no such host"},
		{"closed port", func(context.Context, string, string) ([]netip.Addr, error) {
			return []netip.Addr{netip.MustParseAddr("127.0.0.1")}, nil
		}, func(err error) bool { var o *net.OpError; return errors.As(err, &o) }, "connection refused"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			client := srv.Client()
			if tt.name != "closed port" {
				client.Guard = web.Guard{}
			}
			client.LookupNetIP = tt.lookup
			url := "https://host.internal:" + srv.Port + "/status/1"
			if tt.name == "closed port" {
				_, port, _ := net.SplitHostPort(nettest.RefusingAddr(t))
				url = "https://host.internal:" + port + "/status/1"
			}
			_, err := client.Get(context.Background(), url, "application/json")
			var fe *web.FetchError
			if !errors.As(err, &fe) {
				t.Fatalf("err = %v (%T), want a *FetchError", err, err)
			}
			if !tt.cause(err) {
				t.Errorf("the cause is lost: %v", fe.Err)
			}
			for _, secret := range secrets {
				if strings.Contains(err.Error(), secret) {
					t.Errorf("the error text carries %q: %s", secret, err)
				}
			}
			if !strings.Contains(err.Error(), "could not connect") {
				t.Errorf("err = %q", err)
			}
			var log bytes.Buffer
			slog.New(slog.NewTextHandler(&log, nil)).Info("fetch failed", "err", err)
			if !strings.Contains(log.String(), tt.logged) {
				t.Errorf("the log lacks the cause %q: %s", tt.logged, log.String())
			}
		})
	}
}

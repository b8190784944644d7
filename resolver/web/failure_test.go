package web

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/url"
	"testing"

	"github.com/ionode/ionode/resolver"
)

// TestClassify reads errors shaped as Client.Get returns them (inside *url.Error and *FetchError, or
// wrapped with the method and URL) and the ambiguous ones: a canceled or refused dial is also a
// *net.OpError.
func TestClassify(t *testing.T) {
	fetch := func(err error) error {
		return &FetchError{Method: "GET", URL: "https://example.com/", Err: &url.Error{Op: "Get", URL: "https://example.com/", Err: err}}
	}
	dial := func(err error) error { return &net.OpError{Op: "dial", Net: "tcp", Err: err} }
	tests := []struct {
		name string
		err  error
		want Failure
	}{
		{"nil", nil, FailureOther},
		{"canceled", fetch(context.Canceled), FailureCanceled},
		{"canceled dial", fetch(dial(context.Canceled)), FailureCanceled},
		{"redirects", fetch(fmt.Errorf("%w (4)", ErrTooManyRedirects)), FailureRedirects},
		{"redirect to http", fetch(fmt.Errorf("%w: http://example.com", ErrScheme)), FailureScheme},
		{"http URL", fmt.Errorf("%w: http://example.com", ErrScheme), FailureScheme},
		{"refused address", fetch(fmt.Errorf("dial x (10.0.0.1): %w", ErrForbiddenAddress)), FailureForbidden},
		{"refused in Control", fetch(dial(fmt.Errorf("%w: 10.0.0.1 is a private address", ErrForbiddenAddress))), FailureForbidden},
		{"unknown name", fetch(fmt.Errorf("resolve x: %w", &net.DNSError{Err: "no such host", IsNotFound: true})), FailureUnreachable},
		{"connection refused", fetch(dial(errors.New("connection refused"))), FailureUnreachable},
		{"too large", fmt.Errorf("GET u: %w: over 10 bytes", ErrTooLarge), FailureTooLarge},
		{"404", fmt.Errorf("GET u: %w", &StatusError{Code: 404}), FailureNotFound},
		{"410", fmt.Errorf("GET u: %w", &StatusError{Code: 410}), FailureNotFound},
		{"500", fmt.Errorf("GET u: %w", &StatusError{Code: 500}), FailureStatus},
		{"403", fmt.Errorf("GET u: %w", &StatusError{Code: 403}), FailureStatus},
		{"broken body", fetch(io.ErrUnexpectedEOF), FailureOther},
		{"deadline", fetch(context.DeadlineExceeded), FailureOther},
	}
	for _, tt := range tests {
		if got := Classify(tt.err); got != tt.want {
			t.Errorf("%s: Classify(%v) = %d, want %d", tt.name, tt.err, got, tt.want)
		}
	}
}

// TestFailureAnswers: what each kind of failure becomes for the did:web resolver (a resolution code) and
// in a FetchError's text (all a remote asker may read).
func TestFailureAnswers(t *testing.T) {
	tests := []struct {
		err  error
		code resolver.Code
		text string
	}{
		{context.Canceled, resolver.CodeInternal, "canceled"},
		{ErrTooManyRedirects, resolver.CodeInternal, "too many redirects"},
		{ErrScheme, resolver.CodeInternal, "redirected to a URL that is not allowed"},
		{ErrForbiddenAddress, resolver.CodeNotFound, "could not connect"},
		{&net.DNSError{Err: "no such host", Server: "10.9.9.53:53"}, resolver.CodeNotFound, "could not connect"},
		{&net.OpError{Op: "dial", Err: errors.New("connection refused")}, resolver.CodeNotFound, "could not connect"},
		{ErrTooLarge, resolver.CodeInvalidDIDDocument, "could not connect"},
		{&StatusError{Code: 404}, resolver.CodeNotFound, "could not connect"},
		{&StatusError{Code: 503}, resolver.CodeInternal, "could not connect"},
		{io.ErrUnexpectedEOF, resolver.CodeInternal, "could not connect"},
	}
	for _, tt := range tests {
		var rerr *resolver.Error
		if !errors.As(fetchError("did:web:example.com", tt.err), &rerr) || rerr.Code != tt.code {
			t.Errorf("fetchError(%v) = %v, want code %s", tt.err, rerr, tt.code)
		}
		fe := &FetchError{Method: "GET", URL: "https://example.com/", Err: tt.err}
		if want := "GET https://example.com/: " + tt.text; fe.Error() != want {
			t.Errorf("FetchError{%v} = %q, want %q", tt.err, fe.Error(), want)
		}
	}
}

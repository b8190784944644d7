package web

import (
	"context"
	"errors"
	"net"
	"net/http"
)

// Failure is why a Get or Post failed, in the terms every caller decides by: the did:web resolver turns
// it into a resolution code, FetchError into the only text a remote asker reads, a callback sender into
// retry or give up. They share this one reading of the error so that they cannot disagree on what an
// error is.
type Failure int

const (
	// FailureOther: none of the below (a timeout waiting for the answer, a connection broken mid-body).
	FailureOther Failure = iota
	// FailureCanceled: the caller's context was canceled, whatever step the fetch was at.
	FailureCanceled
	// FailureRedirects: more redirects than the Client's MaxRedirects (ErrTooManyRedirects).
	FailureRedirects
	// FailureScheme: the URL or a redirect is not one the Client may fetch (ErrScheme).
	FailureScheme
	// FailureForbidden: the Guard refused the host's addresses (ErrForbiddenAddress).
	FailureForbidden
	// FailureUnreachable: the host name did not resolve or no connection could be made.
	FailureUnreachable
	// FailureTooLarge: the answer is larger than the Client's MaxBytes (ErrTooLarge).
	FailureTooLarge
	// FailureNotFound: the server answered 404 Not Found or 410 Gone.
	FailureNotFound
	// FailureStatus: the server answered another status than success (a *StatusError).
	FailureStatus
)

// Classify reads an error of Client.Get or Client.Post (nil: FailureOther). Order matters where one
// error matches two kinds: a dial canceled by the caller is also a *net.OpError, and a refused address
// reaches the caller inside one; the cancellation and the Guard's refusal are what happened.
func Classify(err error) Failure {
	var (
		status *StatusError
		dnsErr *net.DNSError
		opErr  *net.OpError
	)
	switch {
	case err == nil:
		return FailureOther
	case errors.Is(err, context.Canceled):
		return FailureCanceled
	case errors.Is(err, ErrTooManyRedirects):
		return FailureRedirects
	case errors.Is(err, ErrScheme):
		return FailureScheme
	case errors.Is(err, ErrForbiddenAddress):
		return FailureForbidden
	case errors.Is(err, ErrTooLarge):
		return FailureTooLarge
	case errors.As(err, &status):
		if status.Code == http.StatusNotFound || status.Code == http.StatusGone {
			return FailureNotFound
		}
		return FailureStatus
	case errors.As(err, &dnsErr), errors.As(err, &opErr):
		return FailureUnreachable
	}
	return FailureOther
}

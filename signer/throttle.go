package signer

import (
	"fmt"
	"net/http"
)

// ErrThrottled marks a KMS's refusal to sign more just now (HTTP 429, ThrottlingException,
// RESOURCE_EXHAUSTED). It is transient; Retry waits it out for longer than other transient failures, so
// that throttling slows the batch writer and issuance down instead of failing them.
var ErrThrottled = fmt.Errorf("%w: throttled", ErrTransient)

// StatusError classifies a KMS's HTTP status: 429 is ErrThrottled; 408, 5xx are ErrTransient (an outage
// worth retrying); anything else is returned as a plain error, not retried.
func StatusError(backend string, status int) error {
	switch {
	case status == http.StatusTooManyRequests:
		return fmt.Errorf("%s: HTTP %d: %w", backend, status, ErrThrottled)
	case status == http.StatusRequestTimeout || status >= 500:
		return fmt.Errorf("%s: HTTP %d: %w", backend, status, ErrTransient)
	}
	return fmt.Errorf("%s: HTTP %d", backend, status)
}

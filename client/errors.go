package client

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/ionode/ionode/sidetree"
)

// APIError is a node's refusal: an HTTP status of 400 or more with the route's error body.
type APIError struct {
	StatusCode int
	// Code is the route's stable code: ION's code on the ION routes (e.g.
	// queueing_multiple_operations_per_did_not_allowed), the inner code on the Request Service API
	// (e.g. badOrMissingField), the DID resolution error on the Universal Resolver route (e.g. notFound).
	// The credential routes give none: "".
	Code    string
	Message string
	// Target is the offending field of a Request Service API request, when the node names one.
	Target string
	// RetryAfter is the node's Retry-After header (0 when absent).
	RetryAfter time.Duration
	// Err is the ION error (*sidetree.Error) of an ION route's refusal, so sidetree.CodeOf works on it.
	Err error
}

func (e *APIError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "node answered HTTP %d", e.StatusCode)
	if e.Code != "" {
		b.WriteString(": " + e.Code)
	}
	if e.Message != "" && e.Message != e.Code {
		b.WriteString(": " + e.Message)
	}
	if e.Target != "" {
		b.WriteString(" (" + e.Target + ")")
	}
	return b.String()
}

func (e *APIError) Unwrap() error { return e.Err }

// Is matches the Err values: a target with a Code matches that code, a target with only a StatusCode
// matches that status.
func (e *APIError) Is(target error) bool {
	var t *APIError
	if !errors.As(target, &t) || t.Message != "" {
		return false
	}
	if t.Code != "" {
		return t.Code == e.Code
	}
	return t.StatusCode != 0 && t.StatusCode == e.StatusCode
}

// The refusals callers act on, for errors.Is.
var (
	// ErrAlreadyAnchored: a create for a DID whose create is already anchored (it could change nothing).
	ErrAlreadyAnchored = &APIError{Code: "did_already_anchored"}
	// ErrOperationPending: the DID already has an operation waiting to be anchored (ION allows one).
	ErrOperationPending = &APIError{Code: string(sidetree.CodeQueueingMultipleOperationsPerDidNotAllowed)}
	// ErrQueueFull: the node's operation queue is full; nothing was queued.
	ErrQueueFull = &APIError{Code: "queue_full"}
	// ErrReadOnly: the node accepts no operations.
	ErrReadOnly = &APIError{Code: "read_only"}
	// ErrUnauthorized: an admin route without the node's admin token.
	ErrUnauthorized = &APIError{StatusCode: http.StatusUnauthorized}
	// ErrNotFound: a 404 (a DID on the Universal Resolver route, a request id, a status list).
	ErrNotFound = &APIError{StatusCode: http.StatusNotFound}
)

// ErrNotAnchored is returned (wrapped with the context's error) when a wait ends before the operation
// is anchored: it was submitted and may still be.
var ErrNotAnchored = errors.New("the operation was not anchored yet")

// maxErrorBody bounds what is parsed of an error answer: the node's are a few hundred bytes, and a body
// cut there is reported as text.
const maxErrorBody = 64 << 10

// errorBody is every error shape of the node's routes, read in one pass.
type errorBody struct {
	Code    string          `json:"code"`    // ION routes
	Message string          `json:"message"` // ION routes
	Error   json.RawMessage `json:"error"`   // credential routes: a string; Request Service API: an object
	Meta    *struct {
		Error        string `json:"error"`
		ErrorMessage string `json:"errorMessage"`
	} `json:"didResolutionMetadata"` // Universal Resolver route
}

type exchangeError struct {
	Code       string `json:"code"`
	Message    string `json:"message"`
	InnerError struct {
		Code    string `json:"code"`
		Message string `json:"message"`
		Target  string `json:"target"`
	} `json:"innererror"`
}

// parseError reads a refusal's body, whichever route's shape it has. It never fails: a body that is not
// one of the shapes becomes the message (cut to 200 bytes).
func parseError(status int, header http.Header, body []byte) *APIError {
	e := &APIError{StatusCode: status, RetryAfter: retryAfter(header)}
	var b errorBody
	if len(body) > maxErrorBody || json.Unmarshal(body, &b) != nil {
		e.Message = text(body)
		return e
	}
	switch {
	case b.Code != "":
		e.Code, e.Message = b.Code, b.Message
	case b.Meta != nil && b.Meta.Error != "":
		e.Code, e.Message = b.Meta.Error, b.Meta.ErrorMessage
	case len(b.Error) > 0 && b.Error[0] == '"':
		_ = json.Unmarshal(b.Error, &e.Message)
	case len(b.Error) > 0 && b.Error[0] == '{':
		var x exchangeError
		if json.Unmarshal(b.Error, &x) == nil {
			e.Code, e.Message, e.Target = x.InnerError.Code, x.Message, x.InnerError.Target
			if e.Code == "" {
				e.Code = x.Code
			}
		}
	default:
		e.Message = text(body)
	}
	return e
}

func text(body []byte) string {
	s := strings.TrimSpace(string(body))
	if len(s) > 200 {
		s = s[:200] + "…"
	}
	return s
}

// retryAfter reads a Retry-After header in seconds (the node's form); dates and junk read as 0.
func retryAfter(h http.Header) time.Duration {
	s, err := strconv.Atoi(h.Get("Retry-After"))
	if err != nil || s < 0 || s > 3600 {
		return 0
	}
	return time.Duration(s) * time.Second
}

package resolver

import (
	"errors"
	"fmt"
	"net/http"
)

// Code is a DID resolution error code, as DID Resolution writes it in resolution metadata.
type Code string

const (
	// CodeInvalidDID: the DID (or DID URL) is not syntactically valid for its method.
	CodeInvalidDID Code = "invalidDid"
	// CodeNotFound: the DID is valid but no document exists for it (404 from did:web, unknown did:ion).
	CodeNotFound Code = "notFound"
	// CodeMethodNotSupported: no resolver is configured for the DID's method.
	CodeMethodNotSupported Code = "methodNotSupported"
	// CodeDeactivated: the DID exists and was deactivated (did:ion 410).
	CodeDeactivated Code = "deactivated"
	// CodeInvalidDIDDocument: a document was found but is not a valid DID document for the DID (not
	// JSON, too large, or its id is another DID).
	CodeInvalidDIDDocument Code = "invalidDidDocument"
	// CodeInternal: the resolver failed (network error, store failure, unreadable document).
	CodeInternal Code = "internalError"
	// CodeRepresentationNotSupported: the asker accepts none of the representations the resolver
	// writes (HTTP content negotiation).
	CodeRepresentationNotSupported Code = "representationNotSupported"
)

// Error is a resolution failure. Errors with the same Code match under errors.Is.
type Error struct {
	Code    Code
	Message string
	Err     error // cause, if any
}

// Sentinels for errors.Is.
var (
	ErrInvalidDID         = &Error{Code: CodeInvalidDID}
	ErrNotFound           = &Error{Code: CodeNotFound}
	ErrMethodNotSupported = &Error{Code: CodeMethodNotSupported}
	ErrDeactivated        = &Error{Code: CodeDeactivated}
	ErrInvalidDIDDocument = &Error{Code: CodeInvalidDIDDocument}
	ErrInternal           = &Error{Code: CodeInternal}
)

func (e *Error) Error() string {
	// Errorf puts the cause's text in Message already.
	switch {
	case e.Message != "":
		return fmt.Sprintf("%s: %s", e.Code, e.Message)
	case e.Err != nil:
		return fmt.Sprintf("%s: %v", e.Code, e.Err)
	}
	return string(e.Code)
}

func (e *Error) Unwrap() error { return e.Err }

// Is matches any *Error with the same code.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t.Code == e.Code
}

// Errorf builds an *Error with a formatted message; a %w verb sets Err.
func Errorf(code Code, format string, args ...any) *Error {
	err := fmt.Errorf(format, args...)
	return &Error{Code: code, Message: err.Error(), Err: unwrapOnce(err)}
}

func unwrapOnce(err error) error {
	if u, ok := err.(interface{ Unwrap() error }); ok {
		return u.Unwrap()
	}
	return nil
}

// HTTPStatus is the status DID Resolution's HTTPS binding gives the code: both the Universal Resolver
// route and /identifiers answer with it, so one error reads the same on either.
func (c Code) HTTPStatus() int {
	switch c {
	case CodeInvalidDID:
		return http.StatusBadRequest
	case CodeNotFound:
		return http.StatusNotFound
	case CodeMethodNotSupported:
		return http.StatusNotImplemented
	case CodeDeactivated:
		return http.StatusGone
	case CodeInvalidDIDDocument:
		return http.StatusBadGateway // the DID's own server answered something that is not its document
	case CodeRepresentationNotSupported:
		return http.StatusNotAcceptable
	}
	return http.StatusInternalServerError
}

// CodeOf is the resolution error code of err: its *Error's code, CodeInternal for any other error, and
// "" for nil. Status and body of an answer both take it from here, so they agree.
func CodeOf(err error) Code {
	var rerr *Error
	switch {
	case err == nil:
		return ""
	case errors.As(err, &rerr):
		return rerr.Code
	}
	return CodeInternal
}

// HTTPStatusOf is the status of a resolution answer whose error is err: 200 for nil, else the status
// of its code (HTTPStatus).
func HTTPStatusOf(err error) int {
	if err == nil {
		return http.StatusOK
	}
	return CodeOf(err).HTTPStatus()
}

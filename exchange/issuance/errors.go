package issuance

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"time"
)

// APIError is an error answer in the Request Service API's shape.
type APIError struct {
	Status int
	// Code is the top-level code (badRequest, notFound, internalError); Inner the specific one
	// (badOrMissingField, …) with the field it concerns.
	Code        string
	Inner       string
	Target      string
	Message     string
	Description string
}

func (e *APIError) Error() string { return fmt.Sprintf("%s: %s", e.Code, e.Message) }

func badRequest(target, format string, args ...any) *APIError {
	return &APIError{Status: http.StatusBadRequest, Code: "badRequest", Inner: "badOrMissingField", Target: target, Message: fmt.Sprintf(format, args...)}
}

func writeError(w http.ResponseWriter, requestID string, err error) {
	var e *APIError
	if !errors.As(err, &e) {
		e = &APIError{Status: http.StatusInternalServerError, Code: "internalError", Message: "internal error"}
	}
	inner := map[string]string{"code": e.Inner, "message": e.Message}
	if e.Target != "" {
		inner["target"] = e.Target
	}
	body := map[string]any{
		"requestId": requestID,
		"date":      time.Now().UTC().Format(http.TimeFormat),
		"error":     map[string]any{"code": e.Code, "message": e.Message, "innererror": inner},
	}
	if e.Inner == "" {
		delete(body["error"].(map[string]any), "innererror")
	}
	writeJSON(w, e.Status, body)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

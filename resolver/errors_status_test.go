package resolver

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
)

func TestCodeHTTPStatus(t *testing.T) {
	tests := []struct {
		code Code
		want int
	}{
		{CodeInvalidDID, http.StatusBadRequest},
		{CodeNotFound, http.StatusNotFound},
		{CodeMethodNotSupported, http.StatusNotImplemented},
		{CodeDeactivated, http.StatusGone},
		{CodeInvalidDIDDocument, http.StatusBadGateway},
		{CodeInternal, http.StatusInternalServerError},
		{CodeRepresentationNotSupported, http.StatusNotAcceptable},
		{Code("somethingNew"), http.StatusInternalServerError},
	}
	for _, tt := range tests {
		if got := tt.code.HTTPStatus(); got != tt.want {
			t.Errorf("%s.HTTPStatus() = %d, want %d", tt.code, got, tt.want)
		}
	}
}

// TestCodeOf: an answer's status and body read the code from the same place, through any wrapping.
func TestCodeOf(t *testing.T) {
	tests := []struct {
		err    error
		code   Code
		status int
	}{
		{nil, "", http.StatusOK},
		{ErrNotFound, CodeNotFound, http.StatusNotFound},
		{fmt.Errorf("resolve: %w", Errorf(CodeDeactivated, "gone")), CodeDeactivated, http.StatusGone},
		{errors.New("store down"), CodeInternal, http.StatusInternalServerError},
	}
	for _, tt := range tests {
		if got := CodeOf(tt.err); got != tt.code {
			t.Errorf("CodeOf(%v) = %q, want %q", tt.err, got, tt.code)
		}
		if got := HTTPStatusOf(tt.err); got != tt.status {
			t.Errorf("HTTPStatusOf(%v) = %d, want %d", tt.err, got, tt.status)
		}
		if tt.err != nil && !strings.Contains(string(ResultJSON(nil, tt.err)), `"error":"`+string(tt.code)+`"`) {
			t.Errorf("ResultJSON(%v) = %s, want error %s", tt.err, ResultJSON(nil, tt.err), tt.code)
		}
	}
}

func TestIONCode(t *testing.T) {
	for status, want := range map[int]Code{200: "", 410: "", 404: CodeNotFound, 400: CodeInvalidDID, 500: CodeInternal} {
		if got := IONCode(status); got != want {
			t.Errorf("IONCode(%d) = %q, want %q", status, got, want)
		}
	}
}

package resolver

import (
	"net/http"
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
		{Code("somethingNew"), http.StatusInternalServerError},
	}
	for _, tt := range tests {
		if got := tt.code.HTTPStatus(); got != tt.want {
			t.Errorf("%s.HTTPStatus() = %d, want %d", tt.code, got, tt.want)
		}
	}
}

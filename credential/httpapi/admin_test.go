package httpapi_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/ionode/ionode/credential"
	"github.com/ionode/ionode/credential/httpapi"
)

// TestAdminBearer: the scheme is case-insensitive (RFC 9110), and neither an empty-token hash slipped
// into the configuration nor a token of Unicode spaces opens the admin routes.
func TestAdminBearer(t *testing.T) {
	api := &httpapi.API{Verifier: &credential.Verifier{},
		AdminTokenSHA256: []string{httpapi.HashToken(adminToken), httpapi.HashToken("")}}
	h := api.Handler()
	tests := []struct {
		auth       string
		authorized bool
	}{
		{"Bearer " + adminToken, true},
		{"bearer " + adminToken, true},
		{"BEARER  " + adminToken + " ", true},
		{"Bearer ", false},
		{"Bearer \u00a0", false},
		{"Bearer \t", false},
		{"Basic " + adminToken, false},
	}
	for _, tc := range tests {
		req := httptest.NewRequest(http.MethodPost, "/credentials/issue", strings.NewReader(`{}`))
		req.Header.Set("Authorization", tc.auth)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if got := rec.Code != http.StatusUnauthorized; got != tc.authorized {
			t.Errorf("Authorization %q: status %d, authorized %v, want %v", tc.auth, rec.Code, got, tc.authorized)
		}
	}
}

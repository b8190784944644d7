package httpapi

import (
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"net/http"
	"strings"
)

// RequireAdmin lets a request through only with "Authorization: Bearer <token>" whose SHA-256 (hex) is
// one of hashes; others get 401. Every route that changes what the node issues uses it.
func RequireAdmin(hashes []string, next http.Handler) http.Handler {
	sums := make([][]byte, 0, len(hashes))
	for _, h := range hashes {
		if b, err := hex.DecodeString(strings.TrimSpace(h)); err == nil && len(b) == sha256.Size {
			sums = append(sums, b)
		}
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		token, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		sum := sha256.Sum256([]byte(token))
		match := 0
		for _, h := range sums { // every hash is compared, so timing says nothing about which matched
			match |= subtle.ConstantTimeCompare(sum[:], h)
		}
		if !ok || token == "" || match != 1 {
			w.Header().Set("WWW-Authenticate", `Bearer realm="ionode-admin"`)
			writeJSON(w, http.StatusUnauthorized, errorBody{"admin bearer token required"})
			return
		}
		next.ServeHTTP(w, r)
	})
}

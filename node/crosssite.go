package node

import (
	"mime"
	"net/http"
	"net/url"
	"slices"
)

// writeOrigin refuses POST /operations from other sites' pages unless their origin is listed (the
// --cors-origin list; "*": any). Each accepted operation is anchored and costs a fee, and a browser
// sends a cross-site POST without asking first, so a page a developer visits could otherwise spend from
// a node on 127.0.0.1 or the intranet. Clients that are not browsers send neither Origin nor
// Sec-Fetch-Site and pass.
func writeOrigin(origins []string, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if crossSite(r) && !originListed(origins, r.Header.Get("Origin")) {
			writeError(w, http.StatusForbidden, "cross_site_request", "operations from another site's page are refused unless its origin is listed in --cors-origin")
			return
		}
		next.ServeHTTP(w, r)
	})
}

// crossSite: the request comes from a page of another origin. Sec-Fetch-Site, which browsers set and
// pages cannot, decides when present ("same-site" counts as cross: another port of the same host is
// another application); otherwise Origin is compared with the Host the request was sent to.
func crossSite(r *http.Request) bool {
	switch r.Header.Get("Sec-Fetch-Site") {
	case "same-origin", "none":
		return false
	case "":
	default:
		return true
	}
	origin := r.Header.Get("Origin")
	if origin == "" {
		return false
	}
	u, err := url.Parse(origin)
	return err != nil || u.Host == "" || u.Host != r.Host
}

func originListed(origins []string, origin string) bool {
	return origin != "" && origin != "null" && (slices.Contains(origins, "*") || slices.Contains(origins, origin))
}

// requireJSON answers 415 unless the body is declared application/json: browsers send no other type
// cross-site without a CORS preflight, which the node refuses for unlisted origins.
func requireJSON(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
		if err != nil || mt != "application/json" {
			writeError(w, http.StatusUnsupportedMediaType, "unsupported_media_type", "operation requests must be sent with Content-Type: application/json")
			return
		}
		next.ServeHTTP(w, r)
	})
}

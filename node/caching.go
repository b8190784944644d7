package node

import (
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"strings"

	"github.com/ionode/ionode/sidetree"
)

// resolutionMaxAge is how long a client or proxy may reuse a published DID's resolution: short, because
// an update can be anchored in the next block, but long enough to absorb bursts of the same lookup.
const resolutionMaxAge = "public, max-age=30"

// cacheResolution sets caching headers on a resolution answer and answers a matching conditional
// request with 304. Only published, live DIDs are cacheable; not found, deactivated, errors and
// unpublished long-form DIDs (which change when they are anchored) are not stored.
func cacheResolution(w http.ResponseWriter, r *http.Request, res sidetree.Resolution, body []byte) (done bool) {
	published, _ := res.Body.Field("didDocumentMetadata").Field("method").Field("published").Boolean()
	if res.Status != http.StatusOK || !published {
		w.Header().Set("Cache-Control", "no-store")
		return false
	}
	sum := sha256.Sum256(body)
	etag := `"` + base64.RawURLEncoding.EncodeToString(sum[:16]) + `"`
	w.Header().Set("ETag", etag)
	w.Header().Set("Cache-Control", resolutionMaxAge)
	for _, candidate := range strings.Split(r.Header.Get("If-None-Match"), ",") {
		if c := strings.TrimSpace(candidate); c == etag || c == "W/"+etag || c == "*" {
			w.WriteHeader(http.StatusNotModified)
			return true
		}
	}
	return false
}

// cacheDriverResolution applies the same policy to the Universal Resolver driver's did:ion answers, without
// an ETag: one resolution has several representations, chosen by the Accept header.
func cacheDriverResolution(w http.ResponseWriter, res sidetree.Resolution) {
	w.Header().Add("Vary", "Accept")
	published, _ := res.Body.Field("didDocumentMetadata").Field("method").Field("published").Boolean()
	if res.Status != http.StatusOK || !published {
		w.Header().Set("Cache-Control", "no-store")
		return
	}
	w.Header().Set("Cache-Control", resolutionMaxAge)
}

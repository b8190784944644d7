package node

import (
	"net/http"
	"strings"

	"github.com/ionode/ionode/resolver/ion"
	"github.com/ionode/ionode/sidetree"
)

// resolutionMaxAge is how long a client or proxy may reuse a published DID's resolution: short, because
// an update can be anchored in the next block, but long enough to absorb bursts of the same lookup.
const resolutionMaxAge = "public, max-age=30"

// cacheResolution sets caching headers on a resolution answer and answers a matching conditional
// request with 304. Only published, live DIDs are cacheable; not found, deactivated, errors and
// unpublished long-form DIDs (which change when they are anchored) are not stored.
func cacheResolution(w http.ResponseWriter, r *http.Request, ans *ion.Answer) (done bool) {
	h := w.Header()
	if ans.Status != http.StatusOK || !ans.Published {
		h["Cache-Control"] = noStore
		return false
	}
	h["Etag"] = etagValue(w, ans.ETag)
	h["Cache-Control"] = maxAge
	if inm := r.Header.Get("If-None-Match"); inm != "" {
		for candidate := range strings.SplitSeq(inm, ",") { // no slice of candidates: no allocation
			if c := strings.TrimSpace(candidate); c == "*" || strings.TrimPrefix(c, "W/") == ans.ETag {
				w.WriteHeader(http.StatusNotModified)
				return true
			}
		}
	}
	return false
}

// cacheDriverResolution applies the same policy to the Universal Resolver driver's did:ion answers, without
// an ETag: one resolution has several representations, chosen by the Accept header.
func cacheDriverResolution(w http.ResponseWriter, res sidetree.Resolution) {
	w.Header().Add("Vary", "Accept")
	if res.Status != http.StatusOK || !res.Published() {
		w.Header().Set("Cache-Control", "no-store")
		return
	}
	w.Header().Set("Cache-Control", resolutionMaxAge)
}

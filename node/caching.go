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
	cacheable, notModified := resolutionCaching(ans, r.Header.Get("If-None-Match"))
	if !cacheable {
		h["Cache-Control"] = noStore
		return false
	}
	h["Etag"] = etagValue(w, ans.ETag)
	h["Cache-Control"] = maxAge
	if notModified {
		w.WriteHeader(http.StatusNotModified)
	}
	return notModified
}

// resolutionCaching is the caching policy of a resolution answer, for both of the node's ways of
// writing one (cacheResolution, FastResolution): whether it is cacheable (Cache-Control maxAge and its
// ETag; otherwise noStore), and whether a request with If-None-Match inm is answered 304 instead.
func resolutionCaching(ans *ion.Answer, inm string) (cacheable, notModified bool) {
	if ans.Status != http.StatusOK || !ans.Published {
		return false, false
	}
	for candidate := range strings.SplitSeq(inm, ",") { // no slice of candidates: no allocation
		if c := strings.TrimSpace(candidate); c == "*" || (c != "" && strings.TrimPrefix(c, "W/") == ans.ETag) {
			return true, true
		}
	}
	return true, false
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

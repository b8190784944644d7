package node

import (
	"context"
	"net/http"
	"strings"
	"time"
	"unsafe"

	"github.com/valyala/fasthttp"
)

// FastResolution returns the node's native answer, on fasthttp, to the request it serves most: GET
// /identifiers/did:ion:<suffix> whose answer is at hand (HeldAnswerer). A transport on fasthttp
// (internal/httpserve) offers it every request first; it answers and reports true, or reports false
// having written nothing, and the request goes to Handler as every other request does. It sends what
// Handler sends for the same request (TestFastResolutionAgrees, FuzzFastResolution): the same answer
// through the same caching policy, request id, metrics and access log; it takes only requests for which
// the rest of Handler's chain adds nothing (no CORS Origin, no body, a path with nothing to decode).
//
// Why a second way to write one answer: net/http costs this request ~50 µs of CPU of its own, most of it
// the Go scheduler's wake-ups around the goroutine each request starts to watch its connection, against
// ~10 µs of the node's work (issue #19, the 5,000 requests/s run of bench/resolve). nil when the
// resolver has no answers at hand.
func (rt *Routes) FastResolution() func(*fasthttp.RequestCtx) bool {
	if rt.API == nil {
		return nil
	}
	held, ok := rt.API.Resolver.(HeldAnswerer)
	if !ok {
		return nil
	}
	api, log, cors := rt.API, rt.logger(), len(rt.CORSOrigins) > 0
	return func(c *fasthttp.RequestCtx) bool {
		// A body (Content-Length over 0, or chunked: -1) is withBodyLimit's to judge.
		if n := c.Request.Header.ContentLength(); !c.IsGet() || n > 0 || n == -1 || (cors && len(c.Request.Header.Peek("Origin")) > 0) {
			return false
		}
		did, ok := fastDID(c.Request.Header.RequestURI())
		if !ok {
			return false
		}
		start := time.Now()
		ans, ok := held.AnswerHeld(did)
		if !ok {
			return false
		}
		defer ans.Release() // SetBody copies the body
		api.Metrics.observeResolution("ion", ans.Status, time.Since(start))

		var idBuf [16]byte
		id := requestIDOf(c, &idBuf)
		h := &c.Response.Header
		h.Set("X-Request-Id", id)
		status, bytes := ans.Status, 0
		cacheable, notModified := resolutionCaching(ans, bytesString(c.Request.Header.Peek("If-None-Match")))
		if cacheable {
			h.Set("Etag", ans.ETag)
			h.Set("Cache-Control", resolutionMaxAge)
		} else {
			h.Set("Cache-Control", noStore[0])
		}
		if notModified {
			status = http.StatusNotModified
		} else {
			h.SetContentType(jsonContentType[0])
			c.SetBody(ans.Body)
			bytes = len(ans.Body)
		}
		c.SetStatusCode(status)
		if accessLogged(context.Background(), log) { // the path and the address are built only when logged
			logRequest(context.Background(), log, id, http.MethodGet, fastPrefix+did, status, bytes, start, c.RemoteAddr().String())
		}
		return true
	}
}

const fastPrefix = "/identifiers/"

// fastDID is the DID a raw request target names when FastResolution takes it: /identifiers/did:ion:
// and then only characters a DID's suffix is made of (any query is ignored, as Handler ignores it). A
// target with anything to decode or clean (%, /, a fragment, an absolute URL) is left to Handler, whose
// net/http parsing decides what it names. The DID is a view of target, not a copy: AnswerHeld reads it
// only during the call (HeldAnswerer), and the access log line copies it.
func fastDID(target []byte) (string, bool) {
	did, ok := strings.CutPrefix(targetPath(target), fastPrefix)
	suffix, ion := strings.CutPrefix(did, "did:ion:")
	if !ok || !ion || suffix == "" {
		return "", false
	}
	for i := range len(suffix) {
		if c := suffix[i]; !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '_' || c == ':' || c == '.') {
			return "", false
		}
	}
	return did, true
}

// targetPath is a raw request target's path: the target up to its query.
func targetPath(target []byte) string {
	path, _, _ := strings.Cut(bytesString(target), "?")
	return path
}

// bytesString is b as a string without a copy, for reading within the request that owns b.
func bytesString(b []byte) string { return unsafe.String(unsafe.SliceData(b), len(b)) }

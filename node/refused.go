package node

import (
	"context"
	"net/http"
	"strings"
	"time"

	"github.com/valyala/fasthttp"
)

// RefuseTooLarge answers a request whose body is over the node's limit for a transport that refuses
// it before any handler runs (internal/httpserve's TooLarge): as withBodyLimit answers it behind
// withRequestLog, the node's JSON 413 with the request's id, and the access log line, so that a refused
// request is still answered with an id the client can quote and still leaves a trace in the log.
func (rt *Routes) RefuseTooLarge(c *fasthttp.RequestCtx) {
	start := time.Now()
	var idBuf [16]byte
	id := requestIDOf(c, &idBuf)
	body := TooLargeBody()
	c.Response.Header.Set("X-Request-Id", id)
	c.SetStatusCode(http.StatusRequestEntityTooLarge)
	c.SetContentType(JSONContentType)
	c.SetBody(body)
	if log := rt.logger(); accessLogged(context.Background(), log) {
		method, path := string(c.Method()), strings.Clone(targetPath(c.Request.Header.RequestURI()))
		if len(c.Request.Header.RawHeaders()) == 0 {
			// fasthttp finds a chunked body over the limit while reading it, and has dropped the request's
			// line and header by then: logged unknown rather than as fasthttp's defaults (GET /).
			method, path = "", ""
		}
		logRequest(context.Background(), log, id, method, path, http.StatusRequestEntityTooLarge, len(body), start, c.RemoteAddr().String())
	}
}

// requestIDOf is the id of a request on fasthttp: the client's X-Request-Id when it is kept
// (keepsRequestID), else a fresh one formatted into buf.
func requestIDOf(c *fasthttp.RequestCtx, buf *[16]byte) string {
	if id := string(c.Request.Header.Peek("X-Request-Id")); keepsRequestID(id) {
		return id
	}
	return formatRequestID(buf)
}

// Package httpserve is the node's HTTP transport: a server on fasthttp that serves an http.Handler with
// the semantics the node had on net/http (timeouts, header and body limits, TLS ≥ 1.2, graceful
// shutdown), and offers every request first to an optional native handler that answers without the
// net/http machinery.
//
// Why: at 5,000 resolutions/s net/http's per-request machinery (a background-read goroutine per request,
// ~11 system calls and ~5 context switches) was ~50 µs of the node's ~120–135 µs of CPU per request
// (issue #19). fasthttp serves a connection from one goroutine with reused buffers.
//
// What differs from net/http, and why the node accepts it:
//   - No HTTP/2 under TLS: HTTP/1.1 only. The node's clients (resolvers, wallets, load balancers) speak
//     HTTP/1.1; a proxy in front may speak HTTP/2 to browsers.
//   - A request's context is not cancelled when the client goes away, only when the handler returns (as
//     net/http does too) or when the server shuts down. Every route keeps its own deadline
//     (node.Routes.RequestTimeout), so an abandoned request still ends.
//   - Bodies are read whole before the handler runs, bounded by MaxBodyBytes: a body over it is answered
//     by Config.TooLarge before any handler runs (net/http let the handler start and failed its read).
//     Such an answer is written by the transport, outside the http.Handler's middleware: the node's
//     TooLarge (node.Routes.RefuseTooLarge) gives it a request id and an access log line itself.
//   - Answers are buffered whole by the adaptor before they are written: no route streams (none uses
//     http.Flusher or http.Hijacker).
//   - ReadHeaderTimeout bounds a request's header, then ReadTimeout its body from the end of the header
//     (net/http counts ReadTimeout from the request's first byte). WriteTimeout bounds writing the answer,
//     not the handler's run (net/http's covered both); the routes' own deadline bounds the handler.
//   - A connection keeps its read buffer (MaxHeaderBytes + 4 KiB: a header must fit it whole) and a 4 KiB
//     write buffer while it is open, idle or not: ~24 KiB with the defaults where net/http kept ~8 KiB.
//     fasthttp can release them while idle (ReduceMemoryUsage) at the cost of an extra read system call
//     per request, which is what this transport is here to save.
//   - Errors the transport answers itself (a malformed request 400, a header over MaxHeaderBytes 431, a
//     request too slow 408) are plain text and close the connection, as net/http's do.
//   - What the handler sees of a request differs from net/http's in small ways the node's routes do not
//     read (FuzzServeRaw compares the rest with http.ReadRequest): a request without a body other than
//     GET and HEAD carries "Content-Length: 0" and an HTTP/1.0 one "Connection: close" in r.Header; an
//     empty Content-Type is absent; a '#' in the request target (clients never send one) ends it;
//     repeated Cookie headers arrive as one; r.ContentLength is the body's length, also when it came
//     chunked.
//   - A request with both Content-Length and Transfer-Encoding: chunked is read as chunked (as net/http
//     does) and its connection is closed after the answer, so bytes after the body are never taken for
//     the next request (no request smuggling).
//   - The handler sees its own copies of the request's strings: fasthttp's are views of buffers it
//     reuses for the next request, which a handler that keeps a header or path (a cache key, a log
//     queued for later) must not see change under it.
package httpserve

package httpserve

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"unsafe"

	"github.com/valyala/fasthttp"
)

// detach hands h a request of its own. The adaptor's request is a view of fasthttp's buffers (its
// strings point into memory reused by the connection's next request) and its context is the
// fasthttp.RequestCtx (recycled after the answer). h gets copies of the strings, in one allocation, and a
// context cancelled when it returns, as net/http's is. The request itself is the adaptor's copy, made
// for this call alone, so it is changed in place.
func detach(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rc, _ := r.Context().(*fasthttp.RequestCtx)
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		*r = *r.WithContext(ctx)
		own(r)
		if r.ContentLength == 0 {
			r.Body = http.NoBody // as net/http gives a request without a body (middleware need not wrap it)
		}
		if rc != nil {
			r.Close = rc.Request.Header.ConnectionClose()
		}
		h.ServeHTTP(w, r)
	})
}

// own replaces r's strings that point into fasthttp's buffers by copies.
func own(r *http.Request) {
	u := r.URL // parsed for this request by the adaptor: its own
	n := len(r.Method) + len(r.Proto) + len(r.Host) + len(r.RequestURI) + len(u.Scheme) + len(u.Opaque) + len(u.Host) +
		len(u.Path) + len(u.RawPath) + len(u.RawQuery) + len(u.Fragment)
	for k, vv := range r.Header {
		n += len(k)
		for _, v := range vv {
			n += len(v)
		}
	}
	for _, v := range r.TransferEncoding {
		n += len(v)
	}
	b := arena{buf: make([]byte, 0, n)}
	r.Method, r.Proto, r.Host, r.RequestURI = b.take(r.Method), b.take(r.Proto), b.take(r.Host), b.take(r.RequestURI)
	u.Scheme, u.Opaque, u.Host = b.take(u.Scheme), b.take(u.Opaque), b.take(u.Host)
	u.Path, u.RawPath, u.RawQuery, u.Fragment = b.take(u.Path), b.take(u.RawPath), b.take(u.RawQuery), b.take(u.Fragment)
	if u.User != nil {
		if p, ok := u.User.Password(); ok { // userinfo in a request target: rare
			u.User = url.UserPassword(strings.Clone(u.User.Username()), strings.Clone(p))
		} else {
			u.User = url.User(strings.Clone(u.User.Username()))
		}
	}
	// The header map and its value slices are the adaptor's, made for this request: only the strings
	// in them are fasthttp's. Keys are re-inserted as copies.
	var stack [32]string
	keys := stack[:0]
	for k := range r.Header {
		keys = append(keys, k)
	}
	for _, k := range keys {
		vv := r.Header[k]
		delete(r.Header, k)
		if k == "Host" {
			continue // net/http keeps the host in r.Host only
		}
		for i, v := range vv {
			vv[i] = b.take(v)
		}
		r.Header[b.take(k)] = vv
	}
	if len(r.TransferEncoding) > 0 {
		te := make([]string, len(r.TransferEncoding))
		for i, v := range r.TransferEncoding {
			te[i] = b.take(v)
		}
		r.TransferEncoding = te
	}
}

// arena copies strings into one buffer sized in advance: it never grows, so a string taken from it
// is never written again.
type arena struct{ buf []byte }

func (a *arena) take(s string) string {
	if s == "" {
		return ""
	}
	i := len(a.buf)
	a.buf = append(a.buf, s...)
	return unsafe.String(&a.buf[i], len(s))
}

package httpserve

import (
	"bufio"
	"bytes"
	"fmt"
	"net/http"
	"runtime"
	"strings"
	"testing"

	"github.com/valyala/fasthttp"
	"github.com/valyala/fasthttp/fasthttpadaptor"
)

// parse reads raw as the server does (fasthttp's reader, the adaptor's conversion, the handler's own
// copies) and returns the request a handler gets.
func parse(raw []byte) (*http.Request, error) {
	var ctx fasthttp.RequestCtx
	if err := ctx.Request.ReadLimitBody(bufio.NewReaderSize(bytes.NewReader(raw), 1<<20), 1<<20); err != nil {
		return nil, err
	}
	var r http.Request
	if err := fasthttpadaptor.ConvertRequest(&ctx, &r, true); err != nil {
		return nil, err
	}
	own(&r)
	return &r, nil
}

// cost is the allocations and bytes allocated per parse of raw.
func cost(t *testing.T, raw []byte) (allocs, bytes float64) {
	t.Helper()
	if _, err := parse(raw); err != nil {
		t.Fatal(err)
	}
	const runs = 20
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	allocs = testing.AllocsPerRun(runs, func() { parse(raw) })
	runtime.ReadMemStats(&after)
	return allocs, float64(after.TotalAlloc-before.TotalAlloc) / (runs + 1)
}

// TestParseIsLinear: the work of reading a request (counted as allocations and bytes allocated) grows
// in proportion to its headers and its body: doubling either at most doubles the cost above that of
// an empty request (with 10 % slack), where a quadratic parser would quadruple it.
func TestParseIsLinear(t *testing.T) {
	headers := func(n int) []byte {
		var b strings.Builder
		b.WriteString("GET /identifiers/x HTTP/1.1\r\nHost: h\r\n")
		for i := range n {
			fmt.Fprintf(&b, "X-H%d: value %d\r\nAccept: a/%d\r\n", i, i, i)
		}
		b.WriteString("\r\n")
		return []byte(b.String())
	}
	chunked := func(n int) []byte {
		var b strings.Builder
		b.WriteString("POST /operations HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n")
		for range n {
			b.WriteString("10\r\n0123456789abcdef\r\n")
		}
		b.WriteString("0\r\n\r\n")
		return []byte(b.String())
	}
	for _, tc := range []struct {
		name string
		raw  func(n int) []byte
		n    int
	}{{"headers", headers, 200}, {"chunked body", chunked, 2000}} {
		t.Run(tc.name, func(t *testing.T) {
			a0, b0 := cost(t, tc.raw(0))
			a1, b1 := cost(t, tc.raw(tc.n))
			a2, b2 := cost(t, tc.raw(2*tc.n))
			t.Logf("n=0: %.0f allocs %.0f B; n=%d: %.0f allocs %.0f B; n=%d: %.0f allocs %.0f B", a0, b0, tc.n, a1, b1, 2*tc.n, a2, b2)
			if b1 <= b0 {
				t.Fatalf("%d more elements cost no more bytes: the measure does not see them", tc.n)
			}
			if a2-a0 > 2.2*(a1-a0)+2 {
				t.Errorf("allocations grow faster than the input: %.0f → %.0f → %.0f", a0, a1, a2)
			}
			if b2-b0 > 2.2*(b1-b0) {
				t.Errorf("bytes allocated grow faster than the input: %.0f → %.0f → %.0f", b0, b1, b2)
			}
		})
	}
}

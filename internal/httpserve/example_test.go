package httpserve_test

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"time"

	"github.com/valyala/fasthttp"

	"github.com/ionode/ionode/internal/httpserve"
)

// A server whose Fast hook answers GET /ping natively; every other request goes to the http.Handler.
func ExampleServer_SetFast() {
	mux := http.NewServeMux()
	mux.HandleFunc("/hello", func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "hello from net/http's API") })
	srv := httpserve.New(httpserve.Config{ReadHeaderTimeout: 5 * time.Second, ReadTimeout: 15 * time.Second,
		WriteTimeout: time.Minute, IdleTimeout: 2 * time.Minute, MaxHeaderBytes: 16 << 10, MaxBodyBytes: 1 << 20}, mux)
	srv.SetFast(func(ctx *fasthttp.RequestCtx) bool {
		if !ctx.IsGet() || string(ctx.Path()) != "/ping" {
			return false // written nothing: the handler answers
		}
		ctx.SetContentType("text/plain")
		ctx.SetBodyString("pong")
		return true
	})
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		panic(err)
	}
	go srv.Serve(l)
	defer srv.Shutdown(context.Background())

	for _, path := range []string{"/ping", "/hello"} {
		resp, err := http.Get("http://" + l.Addr().String() + path)
		if err != nil {
			panic(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		fmt.Printf("%s: %d %s\n", path, resp.StatusCode, body)
	}
	// Output:
	// /ping: 200 pong
	// /hello: 200 hello from net/http's API
}

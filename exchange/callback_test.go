package exchange_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ionode/ionode/exchange"
	"github.com/ionode/ionode/resolver/web"
)

func loopbackDispatcher() *exchange.Dispatcher {
	g := web.Guard{AllowLoopback: true}
	return &exchange.Dispatcher{Client: exchange.NewCallbackClient(g, true), Guard: g, Attempts: 3, Backoff: time.Millisecond}
}

func TestCallbackDelivery(t *testing.T) {
	var calls atomic.Int32
	var got exchange.Event
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if calls.Add(1) == 1 {
			http.Error(w, "busy", http.StatusServiceUnavailable) // retried
			return
		}
		if r.Header.Get("Api-Key") != "secret" || r.Header.Get("Content-Type") != "application/json" {
			t.Errorf("headers %v", r.Header)
		}
		body, _ := io.ReadAll(r.Body)
		if err := json.Unmarshal(body, &got); err != nil {
			t.Error(err)
		}
	}))
	defer srv.Close()
	d := loopbackDispatcher()
	cb := &exchange.Callback{URL: srv.URL + "/cb", State: "st", Headers: map[string]string{"api-key": "secret"}}
	if err := d.CheckCallback(cb); err != nil {
		t.Fatal(err)
	}
	d.Send(cb, exchange.Event{RequestID: "r1", RequestStatus: exchange.StatusRetrieved})
	d.Wait()
	if calls.Load() != 2 || got.RequestID != "r1" || got.State != "st" || got.RequestStatus != exchange.StatusRetrieved {
		t.Fatalf("calls %d, event %+v", calls.Load(), got)
	}
}

func TestHostileCallbacks(t *testing.T) {
	// The production guard: loopback, private and link-local addresses are refused at creation.
	d := &exchange.Dispatcher{Client: exchange.NewCallbackClient(web.Guard{}, false)}
	for _, u := range []string{
		"https://127.0.0.1/cb", "https://[::1]/cb", "https://10.1.2.3/cb", "https://192.168.0.1/cb",
		"https://169.254.169.254/latest", "https://localhost/cb", "http://rp.example/cb", "file:///etc/passwd",
		"https://user:pw@rp.example/cb", "relative/cb",
	} {
		if err := d.CheckCallback(&exchange.Callback{URL: u}); err == nil {
			t.Errorf("callback %s accepted", u)
		}
	}
	if err := d.CheckCallback(&exchange.Callback{URL: "https://rp.example/cb", Headers: map[string]string{"X": "a\r\nInjected: 1"}}); err == nil {
		t.Error("header injection accepted")
	}
	if err := d.CheckCallback(&exchange.Callback{URL: "https://rp.example/cb"}); err != nil {
		t.Errorf("public callback refused: %v", err)
	}

	// A name that resolves to loopback passes creation but is refused when connecting.
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { hits.Add(1) }))
	defer srv.Close()
	c := exchange.NewCallbackClient(web.Guard{}, false)
	c.AllowHTTPLoopback = true // lets the scheme pass so that the address check is what refuses
	d = &exchange.Dispatcher{Client: c, Attempts: 3, Backoff: time.Millisecond}
	err := d.Deliver(context.Background(), &exchange.Callback{URL: srv.URL}, exchange.Event{RequestID: "r"})
	if !errors.Is(err, web.ErrForbiddenAddress) || hits.Load() != 0 {
		t.Fatalf("loopback delivery: err = %v, hits %d", err, hits.Load())
	}

	// Redirects are never followed: a public-looking endpoint cannot bounce the POST inward.
	inner := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { hits.Add(1) }))
	defer inner.Close()
	bounce := httptest.NewServer(http.RedirectHandler(inner.URL, http.StatusTemporaryRedirect))
	defer bounce.Close()
	d = loopbackDispatcher()
	err = d.Deliver(context.Background(), &exchange.Callback{URL: bounce.URL}, exchange.Event{RequestID: "r"})
	if !errors.Is(err, web.ErrTooManyRedirects) || hits.Load() != 0 {
		t.Fatalf("redirected delivery: err = %v, inner hits %d", err, hits.Load())
	}
}

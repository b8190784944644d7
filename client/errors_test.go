package client

import (
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/ionode/ionode/internal/worktest"
)

func TestParseError(t *testing.T) {
	tests := []struct {
		name, body        string
		code, msg, target string
	}{
		{"ION", `{"code":"did_already_anchored","message":"DID 'x' is already anchored"}`, "did_already_anchored", "DID 'x' is already anchored", ""},
		{"credential routes", `{"error":"admin bearer token required"}`, "", "admin bearer token required", ""},
		{"Request Service API", `{"error":{"code":"badRequest","message":"type is required","innererror":{"code":"badOrMissingField","target":"requestedCredentials"}}}`, "badOrMissingField", "type is required", "requestedCredentials"},
		{"driver", `{"didDocument":null,"didResolutionMetadata":{"error":"notFound","errorMessage":"no such DID"}}`, "notFound", "no such DID", ""},
		{"text", "upstream timed out\n", "", "upstream timed out", ""},
		{"other JSON", `[1,2]`, "", "[1,2]", ""},
		{"long text", strings.Repeat("x", 500), "", strings.Repeat("x", 200) + "…", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := parseError(400, http.Header{"Retry-After": {"7"}}, []byte(tt.body))
			if e.Code != tt.code || e.Message != tt.msg || e.Target != tt.target || e.RetryAfter.Seconds() != 7 {
				t.Errorf("got %+v", e)
			}
		})
	}
}

func TestAPIErrorIs(t *testing.T) {
	e := &APIError{StatusCode: 404, Code: "notFound", Message: "x"}
	if !errors.Is(e, ErrNotFound) || errors.Is(e, ErrUnauthorized) || errors.Is(e, ErrAlreadyAnchored) {
		t.Error("status matching")
	}
	if !errors.Is(&APIError{StatusCode: 400, Code: "queue_full"}, ErrQueueFull) {
		t.Error("code matching")
	}
}

func FuzzParseError(f *testing.F) {
	for _, s := range []string{`{"code":"a","message":"b"}`, `{"error":"x"}`, `{"error":{"innererror":{"code":"c"}}}`, `{"didResolutionMetadata":{"error":"notFound"}}`, "", "\xff"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, body string) {
		e := parseError(400, http.Header{}, []byte(body))
		if e.StatusCode != 400 || len(e.Error()) == 0 {
			t.Fatalf("%+v", e)
		}
	})
}

// The error body comes from the network: reading it must cost work linear in its size, whatever its
// shape, up to the bound (past it the body is only cut as text).
func TestParseErrorLinear(t *testing.T) {
	worktest.EachShape(t, 4000, 200, func(t *testing.T, n int, gen func(n int) string) {
		worktest.Linear(t, n, func(n int) []byte {
			return []byte(`{"code":"c","message":"m","error":` + gen(n) + `}`)
		}, func(in []byte) { parseError(400, http.Header{}, in) })
	})
	worktest.Linear(t, maxErrorBody, func(n int) []byte { return []byte(`"` + strings.Repeat(`\n`, n) + `"`) },
		func(in []byte) { parseError(400, http.Header{}, in) })
}

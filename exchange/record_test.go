package exchange

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"
)

// TestEncodeRecord: the spliced record reads back as the request, as the record json.Marshal writes does
// (older records and older readers share the format).
func TestEncodeRecord(t *testing.T) {
	now := time.Date(2026, 12, 6, 6, 0, 0, 123, time.UTC)
	base := Request{ID: "id-1", Kind: KindPresentation, Status: StatusRetrieved, Nonce: "n", Created: now,
		Expires: now.Add(time.Minute), Keep: now.Add(time.Hour)}
	tests := []struct {
		name string
		edit func(r *Request)
	}{
		{"bare", func(*Request) {}},
		{"callback, spec and result", func(r *Request) {
			r.Callback = &Callback{URL: "https://rp.example/cb", State: "s", Headers: map[string]string{"api-key": "k"}}
			r.Spec, r.Result = json.RawMessage(`{"request":{"a":[1,2,{"b":null}]}}`), json.RawMessage(`{"requestStatus":"x"}`)
		}},
		{"spec only", func(r *Request) { r.Spec = json.RawMessage(`{"a":1}`) }},
		{"result only", func(r *Request) { r.Result = json.RawMessage(`"x"`) }},
		{"raw members with spaces and <&>", func(r *Request) {
			r.Spec, r.Result = json.RawMessage("{ \"a\" : \"<&>\" }"), json.RawMessage(" [ 1 ] ")
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := base
			tt.edit(&r)
			got, err := encodeRecord(&r)
			if err != nil {
				t.Fatal(err)
			}
			want, _ := json.Marshal(&r)
			var back, wantBack Request
			if err := json.Unmarshal(got, &back); err != nil {
				t.Fatalf("record %s does not read back: %v", got, err)
			}
			_ = json.Unmarshal(want, &wantBack)
			back.Spec, back.Result = compact(t, back.Spec), compact(t, back.Result)
			wantBack.Spec, wantBack.Result = compact(t, wantBack.Spec), compact(t, wantBack.Result)
			if !reflect.DeepEqual(back, wantBack) {
				t.Fatalf("read back %+v, want %+v", back, wantBack)
			}
		})
	}
}

// compact normalizes a raw member (spacing, escapes) so that equal JSON values compare equal.
func compact(t *testing.T, raw json.RawMessage) json.RawMessage {
	t.Helper()
	if raw == nil {
		return nil
	}
	var v any
	if err := json.Unmarshal(raw, &v); err != nil {
		t.Fatal(err)
	}
	out, _ := json.Marshal(v)
	return out
}

// BenchmarkEncodeRecord: writing a record with raw members of bench/exchange's size, spliced and by
// json.Marshal (which scans and compacts them again).
func BenchmarkEncodeRecord(b *testing.B) {
	now := time.Now()
	r := &Request{ID: "id-1", Kind: KindPresentation, Status: StatusRetrieved, Nonce: "n", Created: now, Expires: now, Keep: now,
		Callback: &Callback{URL: "http://127.0.0.1:1/cb", State: "s", Headers: map[string]string{"api-key": "k"}},
		Spec:     json.RawMessage(`{"request":{"registration":{"clientName":"bench"},"requestedCredentials":[{"type":"Badge","acceptedIssuers":["did:ion:` + strings.Repeat("x", 1200) + `"]}]},"dcql":{"credentials":[{"id":"credential_0","format":"jwt_vc_json"}]}}`),
		Result:   json.RawMessage(`{"requestId":"r","requestStatus":"presentation_verified","verifiedCredentialsData":[{"issuer":"did:ion:` + strings.Repeat("x", 1200) + `","claims":{"name":"n"}}]}`)}
	for _, bm := range []struct {
		name   string
		encode func() ([]byte, error)
	}{
		{"spliced", func() ([]byte, error) { return encodeRecord(r) }},
		{"json.Marshal", func() ([]byte, error) { return json.Marshal(r) }},
	} {
		b.Run(bm.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := bm.encode(); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

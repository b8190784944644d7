package anchor

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"errors"
	"testing"

	"github.com/btcsuite/btcd/btcjson"
)

// slowHexResult is the plain encoding/json decoding hexResult must agree with.
func slowHexResult(body []byte) ([]byte, error) {
	var resp rpcResponse
	if err := json.Unmarshal(body, &resp); err != nil {
		return nil, err
	}
	if resp.Error != nil {
		return nil, resp.Error
	}
	var s string
	if err := json.Unmarshal(resp.Result, &s); err != nil {
		return nil, err
	}
	return hex.DecodeString(s)
}

func TestHexResult(t *testing.T) {
	tests := []struct {
		name    string
		body    string
		want    string // hex; "" with wantErr
		wantErr bool
		rpcCode btcjson.RPCErrorCode
	}{
		{name: "btcd", body: `{"result":"00ff10","error":null,"id":1}`, want: "00ff10"},
		{name: "core newline", body: "{\"result\":\"abCD\",\"error\":null,\"id\":7}\n", want: "abcd"},
		{name: "spaces", body: `{ "result" : "0102", "error": null, "id": 1 }`, want: "0102"},
		{name: "key order", body: `{"id":1,"error":null,"result":"0a"}`, want: "0a"},
		{name: "empty", body: `{"result":"","error":null,"id":1}`, want: ""},
		{name: "escaped", body: `{"result":"0\u0031","error":null,"id":1}`, want: "01"},
		{name: "rpc error", body: `{"result":null,"error":{"code":-5,"message":"Block not found"},"id":1}`, wantErr: true, rpcCode: -5},
		{name: "odd", body: `{"result":"abc","error":null,"id":1}`, wantErr: true},
		{name: "not hex", body: `{"result":"zz","error":null,"id":1}`, wantErr: true},
		{name: "number", body: `{"result":12,"error":null,"id":1}`, wantErr: true},
		{name: "truncated", body: `{"result":"00ff`, wantErr: true},
		{name: "result in another string", body: `{"x":"\"result\":\"","result":"01","error":null}`, want: "01"},
		{name: "decoy key", body: `{"result2":"ff","result":"01","error":null}`, want: "01"},
		{name: "garbage", body: `<html>`, wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := hexResult([]byte(tt.body))
			if tt.wantErr {
				if err == nil {
					t.Fatalf("got %x, want an error", got)
				}
				var rpcErr *btcjson.RPCError
				if tt.rpcCode != 0 && (!errors.As(err, &rpcErr) || rpcErr.Code != tt.rpcCode) {
					t.Fatalf("error %v, want RPC error %d", err, tt.rpcCode)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if hex.EncodeToString(got) != tt.want {
				t.Fatalf("got %x, want %s", got, tt.want)
			}
		})
	}
}

// FuzzHexResult checks the fast path against plain encoding/json: whatever it accepts, the slow
// decoding accepts with the same bytes.
func FuzzHexResult(f *testing.F) {
	for _, s := range []string{
		`{"result":"00ff10","error":null,"id":1}`,
		`{"id":1,"error":null,"result":"0a"}`,
		`{"result":null,"error":{"code":-5,"message":"x"},"id":1}`,
		`{"x":"\"result\":\"","result":"01","error":null}`,
		`{"result":"0\u0031","error":null,"id":1}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		got, err := hexResult(body)
		if err != nil {
			return
		}
		want, slowErr := slowHexResult(body)
		if slowErr != nil {
			t.Fatalf("fast path accepted %q as %x; encoding/json: %v", body, got, slowErr)
		}
		if !bytes.Equal(got, want) {
			t.Fatalf("fast path %x, encoding/json %x for %q", got, want, body)
		}
	})
}

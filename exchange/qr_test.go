package exchange_test

import (
	"bytes"
	"encoding/base64"
	"image/png"
	"strings"
	"testing"

	"github.com/ionode/ionode/exchange"
)

func TestQRDataURI(t *testing.T) {
	uri, err := exchange.QRDataURI("openid4vp://?client_id=x&request_uri=https%3A%2F%2Fnode.example%2Fr%2F1")
	if err != nil {
		t.Fatal(err)
	}
	data, ok := strings.CutPrefix(uri, "data:image/png;base64,")
	if !ok {
		t.Fatalf("not a PNG data URI: %.40s", uri)
	}
	raw, err := base64.StdEncoding.DecodeString(data)
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	if b := img.Bounds(); b.Dx() != 256 || b.Dy() != 256 {
		t.Fatalf("image %v, want 256×256", b)
	}
	term, err := exchange.QRTerminal("openid4vp://x")
	if err != nil || !strings.Contains(term, "█") {
		t.Fatalf("terminal QR: %v %q", err, term)
	}
}

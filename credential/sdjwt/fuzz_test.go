package sdjwt

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ionode/ionode/credential"
)

func rfcPresentation(f *testing.F) string {
	f.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "rfc9901", "presentation.txt"))
	if err != nil {
		f.Fatal(err)
	}
	return strings.Join(strings.Fields(string(b)), "")
}

// FuzzParse feeds arbitrary text to the SD-JWT parser and, when it parses, to the JWS parser and the
// Disclosure processing (signature aside): each must fail with a stable code or give a consistent
// result.
func FuzzParse(f *testing.F) {
	f.Add(rfcPresentation(f))
	f.Add("a.b.c~")
	f.Add("~~~")
	f.Add("eyJhbGciOiJFUzI1NiJ9.e30.AAAA~WyJzIiwibiIsMV0~")
	f.Fuzz(func(t *testing.T, raw string) {
		s, err := Parse(raw)
		if err != nil {
			if credential.CodeOf(err) == "" {
				t.Fatalf("error without a code: %v", err)
			}
			return
		}
		if got := s.String(); got != strings.TrimSpace(raw) {
			t.Fatalf("round trip %q != %q", got, raw)
		}
		if len(s.Disclosures) > MaxDisclosures {
			t.Fatalf("%d disclosures", len(s.Disclosures))
		}
		tok, err := credential.ParseJWS(s.JWT, nil)
		if err != nil {
			return
		}
		var payload map[string]any
		if decodeJSON(tok.Payload(), &payload) != nil {
			return
		}
		checkProcess(t, payload, s.Disclosures)
	})
}

// FuzzProcess feeds an arbitrary payload and Disclosures to the processing.
func FuzzProcess(f *testing.F) {
	f.Add(`{"_sd":["jsu9yVulwQQlhFlM_3JlzMaSFzglhQG0DpfayQwLUK4"],"n":[{"...":"pFndjkZ_VCzmyTa6UjlZo3dh-ko8aIKQc9DlGzhaVYo"}]}`, "WyIyR0xDNDJzS1F2ZUNmR2ZyeU5STjl3IiwgImdpdmVuX25hbWUiLCAiSm9obiJd~WyJsa2x4RjVqTVlsR1RQVW92TU5JdkNBIiwgIlVTIl0")
	f.Add(`{"_sd":"x"}`, "")
	f.Add(`{"a":{"_sd":[1]}}`, "W10")
	f.Fuzz(func(t *testing.T, payloadJSON, disclosures string) {
		var payload map[string]any
		if decodeJSON([]byte(payloadJSON), &payload) != nil {
			return
		}
		var ds []string
		if disclosures != "" {
			ds = strings.Split(disclosures, "~")
		}
		if len(ds) > MaxDisclosures {
			return
		}
		checkProcess(t, payload, ds)
	})
}

func checkProcess(t *testing.T, payload map[string]any, ds []string) {
	t.Helper()
	p, err := process(payload, ds)
	if err != nil {
		if credential.CodeOf(err) == "" {
			t.Fatalf("error without a code: %v", err)
		}
		return
	}
	if len(p.paths) != len(ds) {
		t.Fatalf("%d paths for %d disclosures", len(p.paths), len(ds))
	}
	for i, path := range p.paths {
		if len(path) == 0 {
			t.Fatalf("disclosure %d has no path", i)
		}
	}
	b, _ := json.Marshal(p.claims)
	if strings.Contains(string(b), `"_sd"`) || strings.Contains(string(b), `"_sd_alg"`) {
		t.Fatalf("processed claims keep _sd: %s", b)
	}
}

// FuzzParseDisclosure feeds arbitrary text to the Disclosure parser.
func FuzzParseDisclosure(f *testing.F) {
	f.Add("WyIyR0xDNDJzS1F2ZUNmR2ZyeU5STjl3IiwgImdpdmVuX25hbWUiLCAiSm9obiJd")
	f.Add("WyJsa2x4RjVqTVlsR1RQVW92TU5JdkNBIiwgIlVTIl0")
	f.Add(b64.EncodeToString([]byte(`["s","_sd",1]`)))
	f.Add(b64.EncodeToString([]byte(`[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]`)))
	f.Fuzz(func(t *testing.T, enc string) {
		d, err := ParseDisclosure(enc)
		if err != nil {
			if credential.CodeOf(err) != CodeInvalidDisclosure {
				t.Fatalf("error %v", err)
			}
			return
		}
		if reservedName(d.Name) || d.Encoded != enc || (d.IsArray && d.Name != "") {
			t.Fatalf("accepted %+v", d)
		}
	})
}

// FuzzKeyBinding feeds arbitrary KB-JWTs to the key-binding check of the RFC's credential: only the
// RFC's own KB-JWT may pass.
func FuzzKeyBinding(f *testing.F) {
	pres := rfcPresentation(f)
	s, err := Parse(pres)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(s.KBJWT)
	f.Add("eyJhbGciOiJFUzI1NiIsInR5cCI6ImtiK2p3dCJ9.e30.AAAA")
	f.Add("a.b.c")
	tok, err := credential.ParseJWS(s.JWT, nil)
	if err != nil {
		f.Fatal(err)
	}
	var pc payloadClaims
	if err := json.Unmarshal(tok.Payload(), &pc); err != nil {
		f.Fatal(err)
	}
	v := &Verifier{Now: func() time.Time { return time.Unix(1718298766, 0) }}
	opts := Options{Audience: "https://verifier.example.org", Nonce: "1234567890"}
	f.Fuzz(func(t *testing.T, kb string) {
		c := *s
		c.KBJWT = kb
		got, err := v.keyBinding(context.Background(), &c, &pc, opts)
		if err != nil {
			if credential.CodeOf(err) == "" {
				t.Fatalf("error without a code: %v", err)
			}
			return
		}
		if kb != s.KBJWT || got.Nonce != opts.Nonce {
			t.Fatalf("accepted another KB-JWT %q", kb)
		}
	})
}

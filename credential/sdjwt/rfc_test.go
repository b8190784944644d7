package sdjwt_test

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/ionode/ionode/credential/sdjwt"
	"github.com/ionode/ionode/resolver/web"
)

// fileFetcher answers the RFC issuer's metadata URL from testdata: the example host
// (issuer.example.com) cannot be served over TLS here. Every other URL is not found.
type fileFetcher map[string]string

func (f fileFetcher) Get(_ context.Context, url, _ string) (*web.Response, error) {
	path, ok := f[url]
	if !ok {
		return nil, fmt.Errorf("fetch %s: %w", url, &web.StatusError{Code: 404})
	}
	body, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return &web.Response{Body: body, URL: url}, nil
}

// readExample reads an RFC example with its line breaks removed, as the RFC says to.
func readExample(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "rfc9901", name))
	if err != nil {
		t.Fatal(err)
	}
	return strings.Join(strings.Fields(string(b)), "")
}

func rfcVerifier() *sdjwt.Verifier {
	return &sdjwt.Verifier{
		Fetcher: fileFetcher{"https://issuer.example.com/.well-known/jwt-vc-issuer": filepath.Join("testdata", "rfc9901", "issuer-metadata.json")},
		Types:   []string{"example+sd-jwt"},
		Now:     func() time.Time { return time.Unix(1718298766, 0) }, // the KB-JWT's iat
	}
}

func TestRFC9901Examples(t *testing.T) {
	address := map[string]any{"street_address": "123 Main St", "locality": "Anytown", "region": "Anystate", "country": "US"}
	cnf := map[string]any{"jwk": map[string]any{"kty": "EC", "crv": "P-256", "x": "TCAER19Zvu3OHF4j4W4vfSVoHIP1ILilDls7vCeGemc", "y": "ZxjiWWbZMQGHVWKVQ4hbSIirsVfuecCE6t4jT9F2HZQ"}}
	always := map[string]any{"iss": "https://issuer.example.com", "iat": json.Number("1683000000"), "exp": json.Number("1883000000"), "sub": "user_42", "cnf": cnf}
	with := func(extra map[string]any) map[string]any {
		m := maps.Clone(always)
		maps.Copy(m, extra)
		return m
	}
	for _, tt := range []struct {
		file       string
		opts       sdjwt.Options
		wantClaims map[string]any
		disclosed  []string
	}{
		{"issuance.txt", sdjwt.Options{}, with(map[string]any{
			"given_name": "John", "family_name": "Doe", "email": "johndoe@example.com", "phone_number": "+1-202-555-0101",
			"phone_number_verified": true, "address": address, "birthdate": "1940-01-01", "updated_at": json.Number("1570000000"),
			"nationalities": []any{"US", "DE"},
		}), []string{"given_name", "family_name", "email", "phone_number", "phone_number_verified", "address", "birthdate", "updated_at", "nationalities[0]", "nationalities[1]"}},
		// Section 5.2, and the Processed SD-JWT Payload the RFC gives for it.
		{"presentation.txt", sdjwt.Options{RequireKeyBinding: true, Audience: "https://verifier.example.org", Nonce: "1234567890"}, with(map[string]any{
			"given_name": "John", "family_name": "Doe", "address": address, "nationalities": []any{"US"},
		}), []string{"family_name", "address", "given_name", "nationalities[0]"}},
	} {
		t.Run(tt.file, func(t *testing.T) {
			r := rfcVerifier().Verify(context.Background(), readExample(t, tt.file), tt.opts)
			if !r.Valid {
				t.Fatalf("%s: %s %+v", r.Code, r.Detail, r.Checks)
			}
			if !reflect.DeepEqual(r.Claims, tt.wantClaims) {
				t.Errorf("claims\n got %v\nwant %v", r.Claims, tt.wantClaims)
			}
			var got []string
			for _, p := range r.Disclosed {
				got = append(got, p.String())
			}
			if !reflect.DeepEqual(got, tt.disclosed) {
				t.Errorf("disclosed %v, want %v", got, tt.disclosed)
			}
			if (r.KeyBinding != nil) != tt.opts.RequireKeyBinding {
				t.Errorf("key binding %+v", r.KeyBinding)
			}
		})
	}
}

// TestRFC9901ExampleTampered changes one character of each part of the RFC presentation in turn: each
// change must be refused, with the code of the part it broke.
func TestRFC9901ExampleTampered(t *testing.T) {
	pres := readExample(t, "presentation.txt")
	parts := strings.Split(pres, "~")
	opts := sdjwt.Options{RequireKeyBinding: true, Audience: "https://verifier.example.org", Nonce: "1234567890"}
	for i, want := range map[int]string{0: "invalid_signature", 1: "disclosure_not_referenced", 5: "invalid_key_binding"} {
		p := append([]string(nil), parts...)
		// Flip a character in the middle of the Disclosure, or of the JWT's signature.
		b := []byte(p[i])
		j := strings.LastIndexByte(p[i], '.') + 10
		if b[j] == 'A' {
			b[j] = 'B'
		} else {
			b[j] = 'A'
		}
		p[i] = string(b)
		r := rfcVerifier().Verify(context.Background(), strings.Join(p, "~"), opts)
		if r.Valid || (string(r.Code) != want && !(i == 1 && r.Code == "invalid_disclosure")) {
			t.Errorf("part %d tampered: %v %s %s", i, r.Valid, r.Code, r.Detail)
		}
	}
}

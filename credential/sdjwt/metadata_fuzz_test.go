package sdjwt

import (
	"context"
	"net/http"
	"testing"

	"github.com/ionode/ionode/credential"
	"github.com/ionode/ionode/resolver/web"
)

// memFetcher serves fixed bodies by URL; others are 404.
type memFetcher map[string][]byte

func (m memFetcher) Get(_ context.Context, url, _ string) (*web.Response, error) {
	b, ok := m[url]
	if !ok {
		return nil, &web.StatusError{Code: http.StatusNotFound}
	}
	return &web.Response{Body: b, URL: url, Header: http.Header{}}, nil
}

// FuzzIssuerMetadata feeds arbitrary JWT VC issuer metadata and JWKS documents to the issuer key
// lookup: a key or a coded failure, never a panic.
func FuzzIssuerMetadata(f *testing.F) {
	f.Add(`{"issuer":"https://issuer.example","jwks":{"keys":[{"kty":"EC","crv":"P-256","kid":"k1","x":"b28d4MwZMjw8-00CG4xfnn9SLMVMM19SlqZpVb_uNtQ","y":"Xv5zWwuoaTgdS6hV43yI6gBwTnjukmFQQnJ_kCxzqk8"}]}}`, "", "k1")
	f.Add(`{"issuer":"https://issuer.example","jwks_uri":"https://issuer.example/jwks"}`, `{"keys":[{"kty":"OKP","crv":"Ed25519","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}]}`, "")
	f.Add(`{"issuer":"https://other.example","jwks":{"keys":[]}}`, "", "")
	f.Fuzz(func(t *testing.T, md, jwksDoc, kid string) {
		v := &Verifier{Fetcher: memFetcher{
			"https://issuer.example/.well-known/jwt-vc-issuer": []byte(md),
			"https://issuer.example/jwks":                      []byte(jwksDoc),
		}}
		pub, err := v.urlIssuerKey(context.Background(), "https://issuer.example", kid)
		if err != nil {
			if credential.CodeOf(err) == "" {
				t.Fatalf("error without a code: %v", err)
			}
			return
		}
		if pub == nil {
			t.Fatal("no key and no error")
		}
	})
}

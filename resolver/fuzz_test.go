package resolver_test

import (
	"testing"

	"github.com/ionode/ionode/resolver"
)

// FuzzParseDocument: any bytes (what a did:web host serves) parse or fail without panicking, and every
// method of a parsed document can be looked up and its key read without panicking.
func FuzzParseDocument(f *testing.F) {
	f.Add([]byte(ionStyleDoc))
	f.Add([]byte(`{"id":"did:web:x","verificationMethod":[{"id":"#m","type":"Multikey","publicKeyMultibase":"z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK"}],"assertionMethod":["#m"]}`))
	f.Add([]byte(`{"id":"did:web:x","authentication":[{"id":"#e","type":"Ed25519VerificationKey2020","publicKeyMultibase":"z2"}],"service":[{"id":"#s","type":["LinkedDomains"],"serviceEndpoint":{"origins":["https://x"]}}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		doc, err := resolver.ParseDocument(data)
		if err != nil {
			return
		}
		for _, vm := range doc.VerificationMethod {
			_, _ = vm.PublicKey()
			_, _ = doc.FindMethod(vm.ID, "")
		}
		for _, rel := range []string{resolver.Authentication, resolver.AssertionMethod, resolver.KeyAgreement} {
			methods, _ := doc.Methods(rel)
			for _, vm := range methods {
				_, _ = vm.PublicKey()
				_, _ = doc.FindMethod(vm.ID, rel)
			}
		}
		for _, s := range doc.Service {
			_ = s.Origins()
			_ = s.HasType("LinkedDomains")
		}
	})
}

// FuzzParseJWK: a JWK that parses writes back (MarshalJWK) to one that parses to the same key.
func FuzzParseJWK(f *testing.F) {
	f.Add([]byte(`{"kty":"EC","crv":"secp256k1","x":"827O9mXy6PXF__uUwyHgAfHj3s189x3qyMR1faCNGqk","y":"nUzLznPmSyr0fnWAb8pkI11kpHPk2BW1kjqZgLk0BHY"}`))
	f.Add([]byte(`{"kty":"OKP","crv":"Ed25519","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}`))
	f.Add([]byte(`{"kty":"EC","crv":"P-256","x":"","y":"","d":"x"}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		pub, err := resolver.ParseJWK(data)
		if err != nil {
			return
		}
		out, err := resolver.MarshalJWK(pub)
		if err != nil {
			t.Fatalf("parsed %T does not marshal: %v", pub, err)
		}
		again, err := resolver.ParseJWK(out)
		if err != nil || !sameKey(pub, again) {
			t.Fatalf("round trip of %s: %s, %v", data, out, err)
		}
	})
}

// FuzzDecodeMultikey: a multikey that decodes encodes back to a multikey of the same key.
func FuzzDecodeMultikey(f *testing.F) {
	f.Add("z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK")
	f.Add("zQ3shokFTS3brHcDQrn82RUDfCZESWL1ZdCEJwekUDPQiYBme")
	f.Add("zDnaerDaTF5BXEavCrfRZEk316dpbLsfPDZ3WJ5hRTPFU2169")
	f.Add("z")
	f.Fuzz(func(t *testing.T, s string) {
		pub, err := resolver.DecodeMultikey(s)
		if err != nil {
			return
		}
		mk, err := resolver.EncodeMultikey(pub)
		if err != nil {
			t.Fatalf("decoded %T does not encode: %v", pub, err)
		}
		again, err := resolver.DecodeMultikey(mk)
		if err != nil || !sameKey(pub, again) {
			t.Fatalf("round trip of %q: %q, %v", s, mk, err)
		}
	})
}

package sdjwt_test

import (
	"context"
	"fmt"
	"time"

	"github.com/ionode/ionode/credential"
	"github.com/ionode/ionode/credential/sdjwt"
	"github.com/ionode/ionode/resolver"
	"github.com/ionode/ionode/resolver/key"
)

// An issuer (did:key) issues a PID with disclosable claims; the holder presents only the age claim
// to a verifier, bound to its key; the verifier learns that claim and nothing else it could hide.
func Example() {
	ctx := context.Background()
	issuerKey, _ := credential.GenerateKey(credential.EdDSA)
	tmp, _ := credential.NewBareSigner("", issuerKey)
	did, _ := key.DIDKey(tmp.Public())
	issuer, _ := credential.NewSigner(did+"#"+did[len("did:key:"):], issuerKey)
	holderKey, _ := credential.GenerateKey(credential.ES256)
	holder, _ := credential.NewBareSigner("", holderKey)

	issued, err := (&sdjwt.Issuer{Signer: issuer}).Issue(ctx, sdjwt.Claims{
		VCT:         "urn:example:pid:1",
		Claims:      map[string]any{"given_name": "Erika", "birthdate": "1963-08-12", "age_over_18": true},
		Disclosable: []string{"given_name", "birthdate", "age_over_18"},
		HolderKey:   holder.Public(),
		ValidUntil:  time.Now().Add(time.Hour),
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	presented, err := sdjwt.Present(issued, []string{"age_over_18"}, &sdjwt.KeyBinding{Signer: holder, Audience: "https://verifier.example", Nonce: "n-1"})
	if err != nil {
		fmt.Println(err)
		return
	}
	v := &sdjwt.Verifier{Resolver: &resolver.Dispatcher{Methods: map[string]resolver.Method{"key": key.Key{}}}}
	r := v.Verify(ctx, presented, sdjwt.Options{RequireKeyBinding: true, Audience: "https://verifier.example", Nonce: "n-1"})
	fmt.Println(r.Valid, r.Disclosed, r.Claims["age_over_18"], r.Claims["birthdate"])
	// Output: true [age_over_18] true <nil>
}

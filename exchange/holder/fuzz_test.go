package holder

import (
	"errors"
	"strings"
	"testing"

	"github.com/ionode/ionode/exchange/dcql"
	"github.com/ionode/ionode/internal/worktest"
)

const seedClaims = `{"client_id":"decentralized_identifier:did:key:z6Mk","response_type":"vp_token","response_mode":"direct_post",` +
	`"response_uri":"https://v.example/r","nonce":"n","state":"s","exp":1900000000,` +
	`"dcql_query":{"credentials":[{"id":"q","format":"jwt_vc_json","meta":{"type_values":[["T"]]}}]},"client_metadata":{"client_name":"C"}}`

// seedSetsClaims asks with DCQL credential sets, claim sets and values.
var seedSetsClaims = strings.Replace(seedClaims, `"dcql_query":{"credentials":[{"id":"q","format":"jwt_vc_json","meta":{"type_values":[["T"]]}}]}`,
	`"dcql_query":{"credentials":[{"id":"q","format":"jwt_vc_json","meta":{"type_values":[["T"]]}},`+
		`{"id":"p","format":"dc+sd-jwt","meta":{"vct_values":["urn:p"]},"claims":[{"id":"g","path":["given_name"],"values":["A",1,true]},{"id":"l","path":["address","locality"]}],"claim_sets":[["g","l"],["g"]]}],`+
		`"credential_sets":[{"options":[["p"],["q"]]},{"options":[["q"]],"required":false}]}`, 1)

// seedDraftClaims is a draft-era request (client_id_scheme did, a presentation definition) asking for an
// encrypted response.
const seedDraftClaims = `{"client_id":"did:key:z6Mk","client_id_scheme":"did","response_type":"vp_token","response_mode":"direct_post.jwt",` +
	`"response_uri":"https://v.example/r","nonce":"n","exp":1900000000,"presentation_definition":{"id":"d","input_descriptors":[` +
	`{"id":"a","group":["A"],"constraints":{"fields":[{"path":["$.vc.type"],"filter":{"type":"array","contains":{"const":"T"}}}]}}],` +
	`"submission_requirements":[{"rule":"pick","count":1,"from":"A"}]},"client_metadata":{"jwks":{"keys":[{"kty":"EC","crv":"P-256","use":"enc",` +
	`"x":"MKBCTNIcKUSDii11ySs3526iDZ8AiTo7Tu6KPAqv7D4","y":"4Etl6SRW2YiLUrN5vfvVHuhp7x8PxltmWWlbbM4IFyM"}]}}}`

func FuzzParseRequestClaims(f *testing.F) {
	for _, s := range []string{seedClaims, seedSetsClaims, seedDraftClaims, `{}`, `[]`, `null`, `{"client_id":"decentralized_identifier:did:x"}`, strings.Repeat("[", 40), `{"exp":1e400}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, payload []byte) {
		r, err := parseRequestClaims(payload)
		if err != nil {
			return
		}
		asks := len(r.DCQL.Credentials) > 0 != (r.Definition != nil)
		encrypted := r.ResponseMode == "direct_post.jwt"
		if r.Nonce == "" || !encrypted && r.ResponseMode != "direct_post" || encrypted != (r.EncryptTo != nil) || !strings.HasPrefix(r.DID, "did:") || !asks {
			t.Fatalf("accepted %+v", r)
		}
	})
}

func FuzzParseAuthorizationRequest(f *testing.F) {
	for _, s := range []string{"openid4vp://?client_id=c&request_uri=https%3A%2F%2Fv.example%2Fr", "https://v.example/r", "openid4vp://", "%zz", "haip://?request_uri=http://[::1]/x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		ar, err := ParseAuthorizationRequest(s)
		if err == nil && !strings.HasPrefix(ar.RequestURI, "http") {
			t.Fatalf("accepted request_uri %q", ar.RequestURI)
		}
	})
}

// TestParseRequestClaimsLinear: the request object's reader costs work linear in the payload, for each
// hostile JSON shape placed where a verifier may put anything (a member this wallet does not read, the
// client name, a query id).
func TestParseRequestClaimsLinear(t *testing.T) {
	places := map[string]func(v string) string{
		"unknown member": func(v string) string { return strings.Replace(seedClaims, `{"client_id"`, `{"x":`+v+`,"client_id"`, 1) },
		"client_name":    func(v string) string { return strings.Replace(seedClaims, `"client_name":"C"`, `"client_name":`+v, 1) },
		"dcql meta": func(v string) string {
			return strings.Replace(seedSetsClaims, `"meta":{"vct_values"`, `"meta":{"x":`+v+`,"vct_values"`, 1)
		},
		"definition": func(v string) string { return strings.Replace(seedDraftClaims, `"id":"d",`, `"id":"d","x":`+v+`,`, 1) },
		"jwks": func(v string) string {
			return strings.Replace(seedDraftClaims, `"use":"enc",`, `"use":"enc","x5c":`+v+`,`, 1)
		},
	}
	for place, embed := range places {
		t.Run(place, func(t *testing.T) {
			worktest.EachShape(t, 4<<10, maxDepth-4, func(t *testing.T, n int, gen func(n int) string) {
				worktest.Linear(t, n, func(n int) []byte { return []byte(embed(gen(n))) }, func(in []byte) { _, _ = parseRequestClaims(in) })
			})
		})
	}
}

const seedOffer = `{"credential_issuer":"https://i.example","credential_configuration_ids":["E"],` +
	`"grants":{"urn:ietf:params:oauth:grant-type:pre-authorized_code":{"pre-authorized_code":"c","tx_code":{"input_mode":"numeric","length":4}}}}`

func FuzzParseOffer(f *testing.F) {
	for _, s := range []string{seedOffer, `{}`, `{"grants":null}`, strings.Repeat(`{"a":`, 30)} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		o, err := parseOffer(body)
		if err != nil {
			return
		}
		if o.CredentialIssuer == "" || o.PreAuthorizedCode == "" || len(o.ConfigurationIDs) == 0 {
			t.Fatalf("accepted %+v", o)
		}
	})
}

// TestParseOfferLinear: the offer reader costs work linear in the offer, for each hostile JSON shape in
// a member it does not read and in the pre-authorized code.
func TestParseOfferLinear(t *testing.T) {
	places := map[string]func(v string) string{
		"unknown member": func(v string) string {
			return strings.Replace(seedOffer, `{"credential_issuer"`, `{"x":`+v+`,"credential_issuer"`, 1)
		},
		"code": func(v string) string {
			return strings.Replace(seedOffer, `"pre-authorized_code":"c"`, `"pre-authorized_code":`+v, 1)
		},
	}
	for place, embed := range places {
		t.Run(place, func(t *testing.T) {
			worktest.EachShape(t, 4<<10, maxDepth-6, func(t *testing.T, n int, gen func(n int) string) {
				worktest.Linear(t, n, func(n int) []byte { return []byte(embed(gen(n))) }, func(in []byte) { _, _ = parseOffer(in) })
			})
		})
	}
}

// TestParseRequestClaimsSets: a request object's DCQL credential sets, claim sets and values reach the
// wallet as exchange/dcql parsed them; a set naming no credential query refuses the request.
func TestParseRequestClaimsSets(t *testing.T) {
	r, err := parseRequestClaims([]byte(seedSetsClaims))
	if err != nil {
		t.Fatal(err)
	}
	if len(r.DCQL.CredentialSets) != 2 || r.DCQL.CredentialSets[1].IsRequired() || len(r.DCQL.Credentials[1].ClaimSets) != 2 || len(r.DCQL.Credentials[1].Claims[0].Values) != 3 {
		t.Fatalf("parsed %+v", r.DCQL)
	}
	bad := strings.Replace(seedSetsClaims, `[["p"],["q"]]`, `[["p"],["z"]]`, 1)
	if _, err := parseRequestClaims([]byte(bad)); !errors.Is(err, ErrRequest) || !errors.Is(err, dcql.ErrQuery) {
		t.Fatalf("a set naming no query: %v", err)
	}
}

package credential_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/ionode/ionode/credential"
	"github.com/ionode/ionode/internal/credtest"
	"github.com/ionode/ionode/internal/worktest"
)

// TestVerifyLinear: a VC-JWT, and a VP-JWT around it, whose claims hold hostile JSON (escapes, nesting,
// repeated keys, long numbers, many keys) cost verification work linear in their size.
func TestVerifyLinear(t *testing.T) {
	e := credtest.NewEnv(t)
	v := verifier(e)
	issuerKey := credtest.KeyDID(t, credential.EdDSA)
	holder := credtest.KeyDID(t, credential.EdDSA)
	now := e.Now().Unix()
	vc := func(hostile string) string {
		payload := fmt.Sprintf(`{"iss":%q,"sub":%q,"nbf":%d,"vc":{"@context":["https://www.w3.org/2018/credentials/v1"],`+
			`"type":["VerifiableCredential"],"credentialSubject":{"id":%q,"x":%s}}}`, issuerKey.DID(), holder.DID(), now, holder.DID(), hostile)
		tok, err := issuerKey.Sign([]byte(payload), "JWT")
		if err != nil {
			t.Fatal(err)
		}
		return tok
	}
	worktest.EachShape(t, 2000, 400, func(t *testing.T, n int, gen func(int) string) {
		worktest.Linear(t, n, func(n int) []byte { return []byte(vc(gen(n))) }, func(in []byte) {
			if r := v.VerifyCredential(context.Background(), string(in)); !r.Valid {
				t.Fatalf("credential not valid: %v", r.Err())
			}
		})
		vp := func(n int) []byte {
			payload := fmt.Sprintf(`{"iss":%q,"nbf":%d,"vp":{"@context":["https://www.w3.org/2018/credentials/v1"],`+
				`"type":["VerifiablePresentation"],"verifiableCredential":[%q],"x":%s}}`, holder.DID(), now, vc(`1`), gen(n))
			tok, err := holder.Sign([]byte(payload), "JWT")
			if err != nil {
				t.Fatal(err)
			}
			return []byte(tok)
		}
		worktest.Linear(t, n, vp, func(in []byte) {
			_ = v.VerifyPresentation(context.Background(), string(in), credential.PresentationOptions{})
		})
	})
}

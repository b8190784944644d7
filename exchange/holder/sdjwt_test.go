package holder_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/ionode/ionode/credential/sdjwt"
	"github.com/ionode/ionode/exchange"
	"github.com/ionode/ionode/exchange/holder"
	"github.com/ionode/ionode/exchange/oid4vp"
)

// TestAnswerSDJWT: for a dc+sd-jwt DCQL query the wallet presents its SD-JWT VC of that vct with only
// the asked claims disclosed and a KB-JWT for the request; the node's SD-JWT verifier accepts it and
// sees nothing else of the selectively disclosable claims.
func TestAnswerSDJWT(t *testing.T) {
	n := newNode(t)
	w := newWallet(t)
	iss := &sdjwt.Issuer{Signer: n.issuer.Signer}
	pid, err := iss.Issue(context.Background(), sdjwt.Claims{VCT: "urn:test:pid",
		Claims:      map[string]any{"given_name": "Alice", "family_name": "Liddell", "address": map[string]any{"locality": "Oxford", "street_address": "Christ Church"}},
		Disclosable: []string{"given_name", "family_name", "address.locality", "address.street_address"}, HolderKID: w.Holder.Signer.KID})
	if err != nil {
		t.Fatal(err)
	}
	rc := exchange.RequestedCredential{Type: "urn:test:pid", Format: oid4vp.FormatSDJWT,
		Claims: []exchange.ClaimRequest{{Path: []any{"given_name"}}, {Path: []any{"address", "locality"}}}}
	id, walletURL := n.createWith(t, nil, rc)
	ar, _ := holder.ParseAuthorizationRequest(walletURL)
	r, err := w.Fetch(context.Background(), ar)
	if err != nil {
		t.Fatal(err)
	}
	out, err := w.Answer(context.Background(), r, []string{n.issue(t, "VerifiedEmployee", w.Holder.Signer.DID()), pid}, holder.Choice{})
	if err != nil {
		t.Fatal(err)
	}
	if !out.Accepted || !slices.Equal(out.Presented["credential_0"], []string{pid}) {
		t.Fatalf("outcome %+v", out)
	}
	ev := n.status(t, id)
	if ev.RequestStatus != exchange.StatusPresentationVerified || len(ev.VerifiedCredentialsData) != 1 {
		t.Fatalf("status %+v", ev)
	}
	claims := string(ev.VerifiedCredentialsData[0].Claims)
	if !strings.Contains(claims, `"Alice"`) || !strings.Contains(claims, `"Oxford"`) || strings.Contains(claims, "Liddell") || strings.Contains(claims, "Christ Church") {
		t.Fatalf("disclosed claims %s", claims)
	}

	// A query for another vct is not answered.
	rc.Type = "urn:test:other"
	_, walletURL = n.createWith(t, nil, rc)
	ar, _ = holder.ParseAuthorizationRequest(walletURL)
	if r, err = w.Fetch(context.Background(), ar); err != nil {
		t.Fatal(err)
	}
	if _, err := w.Answer(context.Background(), r, []string{pid}, holder.Choice{}); !errors.Is(err, holder.ErrNoMatch) {
		t.Fatalf("another vct: %v", err)
	}
}

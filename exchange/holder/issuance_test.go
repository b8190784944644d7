package holder_test

import (
	"context"
	"errors"
	"net/http"
	"testing"

	"github.com/ionode/ionode/credential"
	"github.com/ionode/ionode/exchange/holder"
	"github.com/ionode/ionode/exchange/oid4vci"
	"github.com/ionode/ionode/internal/credtest"
	"github.com/ionode/ionode/internal/oid4vcitest"
)

// TestReceive: the wallet redeems the node's offers (by reference and by value, with and without a PIN)
// and gets a credential bound to its DID that the credential verifier accepts.
func TestReceive(t *testing.T) {
	env := oid4vcitest.NewEnv(t, false)
	w := &holder.Wallet{Holder: &credential.Issuer{Signer: credtest.KeyDID(t, credential.EdDSA)}, HTTP: env.HTTP}
	tests := []struct {
		name     string
		pin      string
		byValue  bool
		typed    string
		wantErr  bool
		issuerOK bool
	}{
		{name: "by reference", byValue: false},
		{name: "by value", byValue: true},
		{name: "with PIN", pin: "4821", typed: "4821"},
		{name: "wrong PIN", pin: "4821", typed: "1111", wantErr: true, issuerOK: true},
		{name: "PIN missing", pin: "4821", wantErr: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			o := env.Offer(t, oid4vci.OfferRequest{ConfigurationIDs: []string{oid4vcitest.Employee}, Claims: map[string]any{"displayName": "Alice"}, PIN: tc.pin})
			u := o.ByReference
			if tc.byValue {
				u = o.ByValue
			}
			offer, err := w.FetchOffer(context.Background(), u)
			if err != nil {
				t.Fatal(err)
			}
			if (offer.TxCode != nil) != (tc.pin != "") {
				t.Fatalf("tx_code %+v", offer.TxCode)
			}
			creds, err := w.Receive(context.Background(), offer, tc.typed)
			if tc.wantErr {
				var ie *holder.IssuerError
				if err == nil || tc.issuerOK != errors.As(err, &ie) || (ie != nil && ie.Status != http.StatusBadRequest) {
					t.Fatalf("err %v", err)
				}
				return
			}
			if err != nil || len(creds) != 1 {
				t.Fatalf("%v, %d credentials", err, len(creds))
			}
			r := env.Verifier(nil).VerifyCredential(context.Background(), creds[0])
			if err := r.Err(); err != nil || r.Credential.Subject != w.Holder.Signer.DID() || r.Credential.Issuer != env.Signer.DID() {
				t.Fatalf("%+v, %v", r.Credential, err)
			}
			// The code is single use.
			if _, err := w.Receive(context.Background(), offer, tc.typed); err == nil {
				t.Fatal("a redeemed offer was redeemed again")
			}
		})
	}
}

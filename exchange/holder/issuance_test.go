package holder_test

import (
	"context"
	"errors"
	"net/http"
	"testing"

	"github.com/ionode/ionode/credential"
	"github.com/ionode/ionode/credential/sdjwt"
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

// TestReceiveSDJWT: the wallet redeems an offer of a dc+sd-jwt configuration and gets an SD-JWT VC
// bound to its key that the SD-JWT verifier accepts with a key-bound presentation of it.
func TestReceiveSDJWT(t *testing.T) {
	const pid = "PID"
	sd := credtest.KeyDID(t, credential.ES256)
	env := oid4vcitest.NewEnvWith(t, false, func(e *oid4vcitest.Env) {
		e.Issuer.Formats = map[string]oid4vci.Format{oid4vci.FormatSDJWTVC: oid4vci.SDJWTVC{Issuer: &sdjwt.Issuer{Signer: sd}}}
		e.Issuer.Config.Configurations[pid] = &oid4vci.Configuration{Format: oid4vci.FormatSDJWTVC, VCT: "urn:test:pid", Disclosable: []string{"given_name"}}
	})
	w := &holder.Wallet{Holder: &credential.Issuer{Signer: credtest.KeyDID(t, credential.EdDSA)}, HTTP: env.HTTP}
	o := env.Offer(t, oid4vci.OfferRequest{ConfigurationIDs: []string{pid}, Claims: map[string]any{"given_name": "Alice"}})
	offer, err := w.FetchOffer(context.Background(), o.ByReference)
	if err != nil {
		t.Fatal(err)
	}
	creds, err := w.Receive(context.Background(), offer, "")
	if err != nil || len(creds) != 1 {
		t.Fatalf("%v, %d credentials", err, len(creds))
	}
	vp, err := sdjwt.Present(creds[0], []string{"given_name"}, &sdjwt.KeyBinding{Signer: w.Holder.Signer, Audience: "https://v.example", Nonce: "n"})
	if err != nil {
		t.Fatal(err)
	}
	v := &sdjwt.Verifier{Resolver: env.Resolver, IgnoreStatus: true}
	r := v.Verify(context.Background(), vp, sdjwt.Options{RequireKeyBinding: true, Audience: "https://v.example", Nonce: "n"})
	if !r.Valid || r.VCT != "urn:test:pid" {
		t.Fatalf("%+v", r)
	}
}

package main

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/ionode/ionode/credential"
	"github.com/ionode/ionode/exchange/holder"
)

func newVCReceiveCommand() *cobra.Command {
	var (
		holderKey, holderKID, txCode, out, caFile string
		allowLoopback                             bool
	)
	cmd := &cobra.Command{
		Use:   "receive OFFER-URL",
		Short: "Receive a credential from an OpenID4VCI offer (pre-authorized code), bound to the holder's DID",
		Long: `Redeem an OpenID4VCI credential offer (openid-credential-offer://?credential_offer_uri=… or
?credential_offer=…): read the issuer's metadata, exchange the pre-authorized code (with --tx-code when the
offer asks for a PIN) for an access token, prove possession of the holder's key (an openid4vci-proof+jwt
with --holder-kid, the issuer's nonce and aud) and receive one credential per offered configuration. The
credentials are written to --out (owner-only, one per line), or printed. Exit status: 0 received, 4 the
issuer refused, 2 bad input.`,
		Example: `  ionode vc receive --holder-key holder.jwk --holder-kid did:key --tx-code 4821 --out employee.jwt \
    'openid-credential-offer://?credential_offer_uri=https%3A%2F%2Fnode.example%2Foid4vci%2Foffers%2F…'`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if holderKey == "" || holderKID == "" {
				return fail(exitInvalidInput, "--holder-key (a private JWK file or a pkcs11: URI) and --holder-kid (the DID URL of its key, or did:key / did:jwk) are required")
			}
			signer, err := readSigner(holderKey, holderKID)
			if err != nil {
				return err
			}
			client, err := receiveClient(caFile)
			if err != nil {
				return err
			}
			w := &holder.Wallet{Holder: &credential.Issuer{Signer: signer}, HTTP: client, AllowHTTPLoopback: allowLoopback}
			offer, err := w.FetchOffer(cmd.Context(), args[0])
			if err != nil {
				return receiveFailure(err)
			}
			if offer.TxCode != nil && txCode == "" {
				return fail(exitInvalidInput, "the offer asks for a PIN of %d characters: give it with --tx-code", offer.TxCode.Length)
			}
			creds, err := w.Receive(cmd.Context(), offer, txCode)
			if err != nil {
				return receiveFailure(err)
			}
			text := strings.Join(creds, "\n") + "\n"
			if out == "" {
				_, err = fmt.Fprint(cmd.OutOrStdout(), text)
				return err
			}
			if err := os.WriteFile(out, []byte(text), 0o600); err != nil {
				return fail(1, "--out: %v", err)
			}
			fmt.Fprintf(cmd.OutOrStdout(), "received %d credential(s) from %s for %s into %s\n", len(creds), offer.CredentialIssuer, signer.DID(), out)
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&holderKey, "holder-key", "", "private JWK file (or pkcs11: URI) of the holder's key, which the credential is bound to")
	f.StringVar(&holderKID, "holder-kid", "", "DID URL of the holder's key (did:key / did:jwk: derived from the key)")
	f.StringVar(&txCode, "tx-code", "", "the PIN the issuer gave apart from the offer")
	f.StringVar(&out, "out", "", "file to store the credentials in (owner-only); empty: print them")
	f.StringVar(&caFile, "ca-file", "", "PEM certificates trusted for the issuer besides the system roots")
	f.BoolVar(&allowLoopback, "allow-loopback", false, "TESTS ONLY: let the offer use plain http to a loopback address")
	return cmd
}

// receiveClient is the HTTP client of `vc receive`: a timeout, --ca-file's roots, and no redirects (a
// token or a proof must reach only the endpoint the issuer's metadata names).
func receiveClient(caFile string) (*http.Client, error) {
	c := &http.Client{Timeout: 30 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	if caFile == "" {
		return c, nil
	}
	tc, err := tlsConfigFor(caFile)
	if err != nil {
		return nil, err
	}
	c.Transport = &http.Transport{TLSClientConfig: tc}
	return c, nil
}

// receiveFailure maps the holder package's issuance errors to exit codes.
func receiveFailure(err error) error {
	var ie *holder.IssuerError
	switch {
	case errors.As(err, &ie):
		return fail(exitNotValid, "%v", err)
	case errors.Is(err, holder.ErrOffer), errors.Is(err, holder.ErrRequest):
		return fail(exitInvalidInput, "%v", err)
	}
	return fail(1, "%v", err)
}

// tlsConfigFor trusts caFile's PEM certificates besides the system roots.
func tlsConfigFor(caFile string) (*tls.Config, error) {
	pem, err := os.ReadFile(caFile)
	if err != nil {
		return nil, fail(exitInvalidInput, "--ca-file: %v", err)
	}
	pool, err := x509.SystemCertPool()
	if err != nil {
		pool = x509.NewCertPool()
	}
	if !pool.AppendCertsFromPEM(pem) {
		return nil, fail(exitInvalidInput, "--ca-file %s holds no PEM certificate", caFile)
	}
	return &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}, nil
}

package main

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/ionode/ionode/exchange"
	"github.com/ionode/ionode/exchange/issuance"
)

func newRequestIssuanceCommand(getenv func(string) string) *cobra.Command {
	var (
		node, token, authority, clientName, typ, claimsJSON, pin, callbackURL, bodyFile string
		follow                                                                          bool
		poll                                                                            time.Duration
	)
	cmd := &cobra.Command{
		Use:   "issuance",
		Short: "Offer a credential to a wallet: print the offer's URL, PIN and QR code, then follow its status",
		Long: `Creates an issuance request at the node (POST /v1.0/verifiableCredentials/createIssuanceRequest, admin
token): an OpenID4VCI credential offer of --type with --claims. Prints the wallet URL
(openid-credential-offer://…), the PIN the holder must type (with --pin) and a QR code, then polls the
request's status until the wallet has received the credential or the request expired. Exit status: 0
issued (the status is printed as JSON), 4 the issuance failed, 1 expired.`,
		Example: `  ionode request issuance --node http://127.0.0.1:3000 --authority did:ion:EiA… --type VerifiedEmployee \
    --claims '{"displayName":"Alice"}' --pin 4821
  ionode request issuance --node http://127.0.0.1:3000 --body issuance.json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if token == "" {
				token = getenv("ION_ADMIN_TOKEN")
			}
			var body any
			if bodyFile != "" {
				raw, err := readRequestBody(cmd, bodyFile, []string{"authority", "type", "claims", "pin", "client-name", "callback-url"})
				if err != nil {
					return err
				}
				body, pin = raw, bodyPin(raw)
			} else {
				if typ == "" || authority == "" {
					return fail(exitInvalidInput, "--authority and --type (or --body) are required")
				}
				b := issuance.Request{Authority: authority, Type: typ, Registration: exchange.Registration{ClientName: clientName}}
				if claimsJSON != "" {
					if err := json.Unmarshal([]byte(claimsJSON), &b.Claims); err != nil || b.Claims == nil {
						return fail(exitInvalidInput, "--claims must be a JSON object: %v", err)
					}
				}
				if pin != "" {
					b.Pin = &issuance.Pin{Value: pin, Length: len(pin)}
				}
				if callbackURL != "" {
					b.Callback = &exchange.Callback{URL: callbackURL}
				}
				body = b
			}
			if node == "" {
				return fail(exitInvalidInput, "--node is required")
			}
			c := nodeClient{base: strings.TrimRight(node, "/")}
			created, qr, err := createRequest(cmd, c, "/createIssuanceRequest", token, body)
			if err != nil {
				return err
			}
			out := cmd.OutOrStdout()
			fmt.Fprintf(out, "request %s, expires %s\n%s\n", created.RequestID, time.Unix(created.Expiry, 0).UTC().Format(time.RFC3339), created.URL)
			if pin != "" {
				fmt.Fprintf(out, "PIN (tell the holder apart from the QR code): %s\n", pin)
			}
			fmt.Fprint(out, qr)
			if !follow {
				return nil
			}
			return followRequest(cmd, c, token, created, poll)
		},
	}
	f := cmd.Flags()
	f.StringVar(&node, "node", "", "the node's URL, e.g. http://127.0.0.1:3000")
	f.StringVar(&token, "admin-token", "", "the node's admin bearer token (default $ION_ADMIN_TOKEN)")
	f.StringVar(&bodyFile, "body", "", bodyFlagHelp("createIssuanceRequest"))
	f.StringVar(&authority, "authority", "", "the node's issuer DID")
	f.StringVar(&typ, "type", "", "the credential configuration id (or type) to offer")
	f.StringVar(&claimsJSON, "claims", "", `the credential's claims, a JSON object, e.g. '{"displayName":"Alice"}'`)
	f.StringVar(&pin, "pin", "", "a PIN (4-8 digits) the holder must type to receive the credential")
	f.StringVar(&clientName, "client-name", "ionode", "the issuer's name shown by the wallet")
	f.StringVar(&callbackURL, "callback-url", "", "the issuer's callback URL (optional)")
	f.BoolVar(&follow, "follow", true, "poll the status until the wallet receives the credential or the request expires")
	f.DurationVar(&poll, "poll", 2*time.Second, "time between status polls")
	return cmd
}

package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/ionode/ionode/exchange"
	"github.com/ionode/ionode/exchange/oid4vp"
)

func newRequestCommand(getenv func(string) string) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "request",
		Short: "Create wallet requests at a node (Request Service API) and follow them",
	}
	cmd.AddCommand(newRequestPresentationCommand(getenv), newRequestIssuanceCommand(getenv))
	return cmd
}

func newRequestPresentationCommand(getenv func(string) string) *cobra.Command {
	var (
		node, token, clientName, purpose, callbackURL, query, bodyFile string
		types, issuers                                                 []string
		allowRevoked, follow                                           bool
		poll                                                           time.Duration
	)
	cmd := &cobra.Command{
		Use:   "presentation",
		Short: "Ask a wallet for credentials: print the request's URL and QR code, then follow its status",
		Long: `Creates a presentation request at the node (POST /v1.0/verifiableCredentials/createPresentationRequest,
admin token), prints the wallet URL and a QR code, and polls the request's status until the wallet has
answered or the request expired. Exit status: 0 verified (the result is printed as JSON), 4 refused, 1
expired.`,
		Example: `  ionode request presentation --node http://127.0.0.1:3000 --type VerifiedEmployee --accepted-issuer did:ion:EiA…
  ionode request presentation --node http://127.0.0.1:3000 --body request.json   # any body the API takes, e.g. DCQL credential sets`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if token == "" {
				token = getenv("ION_ADMIN_TOKEN")
			}
			var body any
			if bodyFile != "" {
				raw, err := readRequestBody(cmd, bodyFile, []string{"type", "accepted-issuer", "client-name", "purpose", "callback-url", "query", "allow-revoked"})
				if err != nil {
					return err
				}
				body = raw
			} else {
				if len(types) == 0 {
					return fail(exitInvalidInput, "at least one --type (or --body) is required")
				}
				b := exchange.PresentationRequest{Registration: exchange.Registration{ClientName: clientName, Purpose: purpose}}
				if callbackURL != "" {
					b.Callback = &exchange.Callback{URL: callbackURL}
				}
				if query != oid4vp.QueryDCQL {
					b.Extensions = &exchange.PresentationExtensions{Query: query}
				}
				for _, t := range types {
					rc := exchange.RequestedCredential{Type: t, Purpose: purpose, AcceptedIssuers: issuers}
					rc.Configuration.Validation.AllowRevoked = allowRevoked
					b.RequestedCredentials = append(b.RequestedCredentials, rc)
				}
				body = b
			}
			if node == "" {
				return fail(exitInvalidInput, "--node is required")
			}
			c := nodeClient{base: strings.TrimRight(node, "/")}
			created, qr, err := createRequest(cmd, c, "/createPresentationRequest", token, body)
			if err != nil {
				return err
			}
			out := cmd.OutOrStdout()
			fmt.Fprintf(out, "request %s, expires %s\n%s\n%s", created.RequestID,
				time.Unix(created.Expiry, 0).UTC().Format(time.RFC3339), created.URL, qr)
			if !follow {
				return nil
			}
			return followRequest(cmd, c, token, created, poll)
		},
	}
	f := cmd.Flags()
	f.StringVar(&node, "node", "", "the node's URL, e.g. http://127.0.0.1:3000")
	f.StringVar(&token, "admin-token", "", "the node's admin bearer token (default $ION_ADMIN_TOKEN)")
	f.StringArrayVar(&types, "type", nil, "credential type to ask for (repeatable: one credential each)")
	f.StringArrayVar(&issuers, "accepted-issuer", nil, "DID of an issuer to accept (repeatable); none: any trusted issuer")
	f.StringVar(&clientName, "client-name", "ionode", "the relying party's name shown by the wallet")
	f.StringVar(&purpose, "purpose", "", "why the credentials are asked for, shown by the wallet")
	f.StringVar(&callbackURL, "callback-url", "", "the relying party's callback URL (optional)")
	f.StringVar(&bodyFile, "body", "", bodyFlagHelp("createPresentationRequest"))
	f.StringVar(&query, "query", oid4vp.QueryDCQL, "how the wallet is asked: dcql (OpenID4VP 1.0) or presentation_definition (DIF Presentation Exchange, for draft-era wallets)")
	f.BoolVar(&allowRevoked, "allow-revoked", false, "accept revoked credentials (reported as REVOKED)")
	f.BoolVar(&follow, "follow", true, "poll the status until the wallet answers or the request expires")
	f.DurationVar(&poll, "poll", 2*time.Second, "time between status polls")
	return cmd
}

// createRequest posts a create…Request body and returns the node's answer and its URL as a terminal QR
// code.
func createRequest(cmd *cobra.Command, c nodeClient, route, token string, body any) (exchange.CreateResponse, string, error) {
	var created exchange.CreateResponse
	code, answer, err := c.postJSON(cmd.Context(), exchange.APIPrefix+route, token, body)
	if err != nil {
		return created, "", err
	}
	if code != http.StatusCreated {
		return created, "", requestAPIError(code, answer)
	}
	if err := json.Unmarshal(answer, &created); err != nil || created.URL == "" {
		return created, "", fail(1, "node answered without a request: %.200s", answer)
	}
	qr, err := exchange.QRTerminal(created.URL)
	return created, qr, err
}

// requestAPIError is the message of a Request Service API error answer.
func requestAPIError(code int, body []byte) error {
	var e struct {
		Error struct {
			Message    string `json:"message"`
			InnerError struct {
				Target string `json:"target"`
			} `json:"innererror"`
		} `json:"error"`
	}
	if code != http.StatusUnauthorized && json.Unmarshal(body, &e) == nil && e.Error.Message != "" {
		msg := e.Error.Message
		if t := e.Error.InnerError.Target; t != "" {
			msg = t + ": " + msg
		}
		return fail(exitInvalidInput, "node answered HTTP %d: %s", code, msg)
	}
	return apiError(code, body)
}

// followRequest polls the status route until the request ends.
func followRequest(cmd *cobra.Command, c nodeClient, token string, created exchange.CreateResponse, poll time.Duration) error {
	ctx := cmd.Context()
	deadline := time.Unix(created.Expiry, 0).Add(poll)
	for {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.base+exchange.APIPrefix+"/requests/"+created.RequestID, nil)
		if err != nil {
			return err
		}
		req.Header.Set("Authorization", "Bearer "+token)
		code, answer, err := c.do(req)
		if err != nil {
			return err
		}
		if code != http.StatusOK {
			return requestAPIError(code, answer)
		}
		var ev exchange.Event
		if err := json.Unmarshal(answer, &ev); err != nil {
			return fail(1, "node answered an unreadable status: %.200s", answer)
		}
		switch ev.RequestStatus {
		case exchange.StatusPresentationVerified, exchange.StatusIssuanceSuccessful:
			return printJSON(cmd, answer, true)
		case exchange.StatusPresentationError:
			_ = printJSON(cmd, answer, true)
			return fail(exitNotValid, "the presentation was refused")
		case exchange.StatusIssuanceError:
			_ = printJSON(cmd, answer, true)
			return fail(exitNotValid, "the issuance failed")
		}
		if time.Now().After(deadline) {
			return fail(1, "the request expired without an answer (last status %s)", ev.RequestStatus)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(poll):
		}
	}
}

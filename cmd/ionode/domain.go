package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/spf13/cobra"

	"github.com/ionode/ionode/credential"
	"github.com/ionode/ionode/credential/linkeddomains"
	"github.com/ionode/ionode/credential/policy"
	"github.com/ionode/ionode/resolver"
	"github.com/ionode/ionode/resolver/web"
)

func newDomainCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "domain",
		Short: "Link a DID and a web origin (DIF Well Known DID Configuration) and verify such links",
		Long: `Create and verify the DIF Well Known DID Configuration: the file served at
https://<origin>/.well-known/did-configuration.json holding a Domain Linkage credential by which a DID
claims the origin, as wallets check it for Microsoft Entra Verified ID issuers and verifiers. The DID
document must also list the origin in a LinkedDomains service.

Exit codes: 0 success, 1 usage or unexpected error, 2 invalid input, 4 the link does not verify.`,
	}
	cmd.AddCommand(newDomainLinkCommand(), newDomainVerifyCommand())
	return cmd
}

func newDomainLinkCommand() *cobra.Command {
	var (
		keyFile, kid, origin, out string
		validFor                  time.Duration
		asJSON                    bool
	)
	cmd := &cobra.Command{
		Use:   "link",
		Short: "Sign a Domain Linkage credential and write the did-configuration.json to publish",
		Long: `Sign a Domain Linkage credential binding the DID of --kid to --origin with --key, and print the DID
configuration (or write it to --out) to serve at <origin>/.well-known/did-configuration.json. Add the
origin to the DID document's LinkedDomains service too (e.g. ionode did update --add-service).`,
		Example: `  ionode domain link --key key-1.jwk --kid did:ion:EiA…#key-1 --origin https://contoso.com --out did-configuration.json`,
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			norm, err := linkeddomains.NormalizeOrigin(origin)
			if err != nil {
				return fail(exitInvalidInput, "--origin: %v", err)
			}
			if validFor <= 0 {
				return fail(exitInvalidInput, "--valid-for must be positive")
			}
			signer, err := readSigner(keyFile, kid)
			if err != nil {
				return err
			}
			jwt, err := linkeddomains.Create(signer, norm, time.Now(), validFor)
			if err != nil {
				return fail(exitInvalidInput, "%v", err)
			}
			config, _ := json.MarshalIndent(linkeddomains.Configuration{Context: linkeddomains.ContextV1, LinkedDIDs: []string{jwt}}, "", "  ")
			if out != "" {
				if err := os.WriteFile(out, append(config, '\n'), 0o644); err != nil {
					return fmt.Errorf("write --out: %w", err)
				}
			}
			if asJSON {
				b, _ := json.Marshal(map[string]any{"did": signer.DID(), "origin": norm, "jwt": jwt, "configuration": json.RawMessage(config), "file": out})
				return printJSON(cmd, b, false)
			}
			if out != "" {
				_, err := fmt.Fprintf(cmd.OutOrStdout(), "wrote %s: serve it at %s%s\n", out, norm, linkeddomains.WellKnownPath)
				return err
			}
			_, err = fmt.Fprintln(cmd.OutOrStdout(), string(config))
			return err
		},
	}
	f := cmd.Flags()
	f.StringVar(&keyFile, "key", "", "private JWK file of a key in the DID's assertionMethod")
	f.StringVar(&kid, "kid", "", "DID URL of the key's verification method, e.g. did:ion:EiA…#key-1")
	f.StringVar(&origin, "origin", "", "the https origin to link, e.g. https://contoso.com")
	f.DurationVar(&validFor, "valid-for", 365*24*time.Hour, "validity of the Domain Linkage credential")
	f.StringVar(&out, "out", "", "write the DID configuration to this file (default: print it)")
	f.BoolVar(&asJSON, "json", false, "print one JSON object (did, origin, jwt, configuration)")
	return cmd
}

func newDomainVerifyCommand() *cobra.Command {
	var (
		rf     resolveFlags
		asJSON bool
	)
	cmd := &cobra.Command{
		Use:   "verify DID ORIGIN",
		Short: "Check that a DID and an origin are linked both ways",
		Long: `Resolve the DID, check that its document lists ORIGIN in a LinkedDomains service, fetch
ORIGIN/.well-known/did-configuration.json and verify its Domain Linkage credential for the DID.`,
		Example: `  ionode domain verify did:ion:EiA… https://contoso.com --node http://127.0.0.1:3000`,
		Args:    cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			did, origin := args[0], args[1]
			if _, err := resolver.MethodName(did); err != nil {
				return fail(exitInvalidInput, "invalid DID: %v", err)
			}
			norm, err := linkeddomains.NormalizeOrigin(origin)
			if err != nil {
				return fail(exitInvalidInput, "invalid origin: %v", err)
			}
			client, err := rf.client()
			if err != nil {
				return err
			}
			methods := rf.dispatcher(client)
			resolved, err := methods.Resolve(cmd.Context(), did)
			if err != nil {
				if errors.Is(err, resolver.ErrNotFound) {
					return fail(exitNotFound, "DID not found: %s", oneLine(err.Error()))
				}
				return fail(exitNotValid, "cannot resolve %s: %s", did, oneLine(err.Error()))
			}
			lv := &linkeddomains.Verifier{Client: client, Credentials: &credential.Verifier{Resolver: methods, IgnoreStatus: true}}
			linkErr := lv.Verify(cmd.Context(), resolved, norm)
			if asJSON {
				out := map[string]any{"did": did, "origin": norm, "linked": linkErr == nil}
				if linkErr != nil {
					out["error"] = linkErr.Error()
				}
				b, _ := json.Marshal(out)
				if err := printJSON(cmd, b, false); err != nil {
					return err
				}
			}
			if linkErr != nil {
				return fail(exitNotValid, "%s", oneLine(linkErr.Error()))
			}
			if !asJSON {
				_, err = fmt.Fprintf(cmd.OutOrStdout(), "linked: %s ↔ %s\n", did, norm)
			}
			return err
		},
	}
	rf.bind(cmd)
	cmd.Flags().BoolVar(&asJSON, "json", false, "print one JSON object (did, origin, linked, error)")
	return cmd
}

// loadPolicy reads a trust policy file, verifying linked domains with the client.
func loadPolicy(path string, client *web.Client, core *credential.Verifier) (*policy.Policy, error) {
	p, err := policy.Load(path)
	if err != nil {
		return nil, fail(exitInvalidInput, "--policy: %v", err)
	}
	p.Links = &linkeddomains.Verifier{Client: client, Credentials: core}
	return p, nil
}

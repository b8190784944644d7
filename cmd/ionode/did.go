package main

import (
	"bytes"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/ionode/ionode/resolver"
	"github.com/ionode/ionode/sidetree"
	"github.com/spf13/cobra"
)

func newDIDCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "did",
		Short: "Create and resolve did:ion identifiers",
	}
	cmd.AddCommand(newDIDResolveCommand(), newDIDCreateCommand(), newDIDUpdateCommand(), newDIDRecoverCommand(), newDIDDeactivateCommand())
	return cmd
}

// methodForDID picks the DID method from the DID itself: did:ion:test:… is testnet, did:ion:… mainnet.
func methodForDID(did string) string {
	if strings.HasPrefix(did, "did:ion:test:") {
		return "ion:test"
	}
	return "ion"
}

func newDIDResolveCommand() *cobra.Command {
	var (
		pretty bool
		node   string
	)
	cmd := &cobra.Command{
		Use:   "resolve DID",
		Short: "Resolve a DID and print the resolution result (the body of GET /identifiers/{did})",
		Long: `Resolve a DID and print the resolution result a node returns from GET /identifiers/{did}: for
did:ion exactly ION's, for did:web, did:key and did:jwk a W3C DID Resolution result.

Without --node, a long-form did:ion is resolved offline from its embedded initial state (published:
false), did:key and did:jwk offline from the key they carry, and did:web over HTTPS from its domain
(loopback and private addresses refused, as the node refuses them); a short-form did:ion needs a node
that has seen its anchoring.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			did := strings.TrimSpace(args[0])
			if name, err := resolver.MethodName(did); err == nil && name != "ion" && node == "" {
				res, err := resolveOther(cmd.Context(), did)
				if err != nil {
					return fail(exitCodeOf(err), "cannot resolve %s: %v", did, err)
				}
				return printJSON(cmd, resolver.ResultJSON(res, nil), pretty)
			} else if err == nil && name != "ion" {
				return resolveWithNode(cmd, node, did, pretty)
			}
			parsed, err := sidetree.ParseDID(did, methodForDID(did), sidetree.Mainnet().Latest())
			if err != nil {
				return fail(exitInvalidInput, "invalid DID: %v", err)
			}
			if node != "" {
				return resolveWithNode(cmd, node, did, pretty)
			}
			if parsed.IsShortForm() {
				return fail(exitNotFound, "%s is a short-form DID: resolving it needs a node (the offline resolver only resolves long-form DIDs)", parsed.ShortForm)
			}
			res := sidetree.ResolveDID(parsed, nil)
			if err := printJSON(cmd, res.Body.Stringify(), pretty); err != nil {
				return err
			}
			if res.Status == 404 {
				return fail(exitNotFound, "DID not found")
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&pretty, "pretty", false, "indent the JSON output")
	cmd.Flags().StringVar(&node, "node", "", "ION node URL to resolve with (e.g. http://127.0.0.1:3000); empty: offline, long-form only")
	return cmd
}

// resolveWithNode prints a node's resolution of did (GET /identifiers/{did}, every method it knows).
func resolveWithNode(cmd *cobra.Command, node, did string, pretty bool) error {
	status, body, err := nodeClient{base: strings.TrimRight(node, "/")}.resolve(cmd.Context(), did)
	if err != nil {
		return err
	}
	switch status {
	case 200, 410:
		return printJSON(cmd, body, pretty)
	case 404:
		return fail(exitNotFound, "DID not found")
	case 400, 501:
		return fail(exitInvalidInput, "invalid DID: %s", errorText(body))
	}
	return fail(1, "node answered HTTP %d: %s", status, errorText(body))
}

func printJSON(cmd *cobra.Command, body []byte, pretty bool) error {
	if pretty {
		// json.Indent works on the bytes, so the key order stays ION's.
		var buf bytes.Buffer
		if err := json.Indent(&buf, body, "", "  "); err != nil {
			return fmt.Errorf("indent output: %w", err)
		}
		body = buf.Bytes()
	}
	_, err := fmt.Fprintln(cmd.OutOrStdout(), string(body))
	return err
}

func newDIDCreateCommand() *cobra.Command {
	var (
		network, outDir, keyID, keyType string
		purposes, services              []string
		asJSON                          bool
		node                            string
		wait                            time.Duration
	)
	cmd := &cobra.Command{
		Use:   "create",
		Short: "Generate keys and print a new long-form DID and its create request",
		Long: `Generate a recovery key, an update key and a document key, write the private keys as JWK files
(permissions 0600) to --out, and print the new DID (long-form and short-form) and the create request
to POST to an ION node's /operations.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			net, err := sidetree.NetworkByName(network)
			if err != nil {
				return fail(exitInvalidInput, "%v", err)
			}
			docKey, docKeyType, err := generateDocumentKey(keyType)
			if err != nil {
				return fail(exitInvalidInput, "%v", err)
			}
			recovery, err := sidetree.GenerateES256K(rand.Reader)
			if err != nil {
				return err
			}
			update, err := sidetree.GenerateES256K(rand.Reader)
			if err != nil {
				return err
			}
			doc := sidetree.Document{PublicKeys: []sidetree.PublicKey{{ID: keyID, Type: docKeyType, JWK: docKey.Public().Value(), Purposes: purposes}}}
			for _, s := range services {
				svc, err := parseServiceFlag(s)
				if err != nil {
					return fail(exitInvalidInput, "%v", err)
				}
				doc.Services = append(doc.Services, svc)
			}
			req, err := sidetree.NewCreateRequest(net.Method, recovery, update, doc, net.Latest())
			if err != nil {
				return fail(exitInvalidInput, "cannot build the create request: %v", err)
			}
			files := map[string]sidetree.JWK{"recovery.jwk": recovery, "update.jwk": update, keyID + ".jwk": docKey}
			written, err := writeKeyFiles(outDir, files)
			if err != nil {
				return err
			}
			shortForm := "did:" + net.Method + ":" + req.DIDSuffix
			if node != "" {
				c := nodeClient{base: strings.TrimRight(node, "/")}
				if wait > 0 {
					if _, err := c.submitAndWait(cmd.Context(), shortForm, req.Body.Stringify(), wait, cmd.ErrOrStderr(), nil); err != nil {
						return err
					}
				} else if err := c.submit(cmd.Context(), req.Body.Stringify()); err != nil {
					return err
				}
			}
			if asJSON {
				out := sidetree.Object(
					sidetree.Member{Key: "did", Value: sidetree.String(req.LongForm)},
					sidetree.Member{Key: "shortFormDid", Value: sidetree.String(shortForm)},
					sidetree.Member{Key: "keyFiles", Value: stringsValue(written)},
					sidetree.Member{Key: "request", Value: req.Body},
				)
				return printJSON(cmd, out.Stringify(), false)
			}
			w := cmd.OutOrStdout()
			fmt.Fprintf(w, "DID (long-form):  %s\n", req.LongForm)
			fmt.Fprintf(w, "DID (short-form): %s\n", shortForm)
			fmt.Fprintf(w, "Private keys:     %s\n", strings.Join(written, ", "))
			switch {
			case node != "" && wait > 0:
				fmt.Fprintf(w, "Anchored:         the create request was posted to %s and the DID resolves as published\n", node)
				return nil
			case node != "":
				fmt.Fprintf(w, "Submitted:        the create request was posted to %s; it resolves as published once anchored (--wait waits)\n", node)
				return nil
			}
			fmt.Fprintln(w, "Create request (POST it to a node's /operations):")
			return printJSON(cmd, req.Body.Stringify(), false)
		},
	}
	f := cmd.Flags()
	f.StringVar(&network, "network", "mainnet", "network whose DID method to use: mainnet (did:ion), testnet (did:ion:test), regtest")
	f.StringVar(&outDir, "out", ".", "directory for the private key files")
	f.StringVar(&keyID, "key-id", "key-1", "id of the document key")
	f.StringVar(&keyType, "key-type", "secp256k1", "document key type: secp256k1 or Ed25519")
	f.StringSliceVar(&purposes, "purposes", []string{sidetree.PurposeAuthentication, sidetree.PurposeAssertionMethod}, "purposes of the document key")
	f.StringArrayVar(&services, "service", nil, "a service as id,type,endpoint (repeatable)")
	f.BoolVar(&asJSON, "json", false, "print one JSON object")
	f.StringVar(&node, "node", "", "ION node URL to submit the create request to; empty: print it only")
	f.DurationVar(&wait, "wait", 0, "with --node: wait up to this long for the DID to be anchored and resolve as published")
	return cmd
}

func generateDocumentKey(keyType string) (sidetree.JWK, string, error) {
	switch strings.ToLower(keyType) {
	case "secp256k1", "es256k":
		k, err := sidetree.GenerateES256K(rand.Reader)
		return k, "EcdsaSecp256k1VerificationKey2019", err
	case "ed25519", "eddsa":
		k, err := sidetree.GenerateEd25519(rand.Reader)
		return k, "JsonWebKey2020", err
	}
	return sidetree.JWK{}, "", fmt.Errorf("unknown key type %q (want secp256k1 or Ed25519)", keyType)
}

func parseServiceFlag(s string) (sidetree.Service, error) {
	parts := strings.SplitN(s, ",", 3)
	if len(parts) != 3 || parts[0] == "" || parts[1] == "" || parts[2] == "" {
		return sidetree.Service{}, fmt.Errorf("service %q: want id,type,endpoint", s)
	}
	return sidetree.Service{ID: parts[0], Type: parts[1], Endpoint: sidetree.String(parts[2])}, nil
}

// writeKeyFiles writes private JWKs with owner-only permissions, refusing to overwrite existing files.
func writeKeyFiles(dir string, keys map[string]sidetree.JWK) ([]string, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("create key directory: %w", err)
	}
	var written []string
	for _, name := range []string{"recovery.jwk", "update.jwk"} {
		if err := writeKeyFile(filepath.Join(dir, name), keys[name]); err != nil {
			return written, err
		}
		written = append(written, filepath.Join(dir, name))
		delete(keys, name)
	}
	for name, k := range keys {
		if err := writeKeyFile(filepath.Join(dir, name), k); err != nil {
			return written, err
		}
		written = append(written, filepath.Join(dir, name))
	}
	return written, nil
}

func writeKeyFile(path string, k sidetree.JWK) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		if errors.Is(err, os.ErrExist) {
			return fail(exitInvalidInput, "key file %s already exists: refusing to overwrite a key", path)
		}
		return fmt.Errorf("write key file: %w", err)
	}
	data, _ := json.MarshalIndent(k, "", "  ")
	if _, err := f.Write(append(data, '\n')); err != nil {
		f.Close()
		return fmt.Errorf("write key file %s: %w", path, err)
	}
	return f.Close()
}

func stringsValue(ss []string) sidetree.Value {
	vs := make([]sidetree.Value, len(ss))
	for i, s := range ss {
		vs[i] = sidetree.String(s)
	}
	return sidetree.Array(vs...)
}

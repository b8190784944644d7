package main

import (
	"bytes"
	"context"
	"crypto"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/ionode/ionode/credential"
	"github.com/ionode/ionode/credential/sdjwt"
	"github.com/ionode/ionode/credential/status"
	"github.com/ionode/ionode/resolver"
	"github.com/ionode/ionode/resolver/ion"
	"github.com/ionode/ionode/resolver/key"
	"github.com/ionode/ionode/resolver/methods"
	"github.com/ionode/ionode/resolver/web"
	"github.com/ionode/ionode/sidetree"
	"github.com/ionode/ionode/signer"
)

// exitNotValid is the exit code of a credential, presentation or domain link that did not verify.
const exitNotValid = 4

func newVCCommand(getenv func(string) string) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "vc",
		Short: "Issue, present, verify and revoke verifiable credentials (VC-JWT, SD-JWT VC)",
		Long: `Issue, verify and revoke W3C verifiable credentials in JWT form (VC Data Model 1.1 JWT encoding, or
VC 2.0 vc+jwt), signed by a key of a did:ion, did:web, did:key or did:jwk issuer; and SD-JWT VCs
(dc+sd-jwt, selective disclosure), which the holder presents with only the claims it chooses.

Exit codes: 0 success, 1 usage or unexpected error, 2 invalid input, 4 the credential is not valid.`,
	}
	cmd.AddCommand(newVCIssueCommand(getenv), newVCVerifyCommand(), newVCRevokeCommand(getenv), newVCPresentCommand(), newVCReceiveCommand())
	return cmd
}

// resolveFlags configure local resolution: did:ion through a node (or offline for long-form DIDs),
// did:web over the SSRF-guarded client, did:key and did:jwk offline.
type resolveFlags struct {
	node          string
	allowLoopback bool
	allowPrivate  bool
	caFile        string
}

func (r *resolveFlags) bind(cmd *cobra.Command) {
	f := cmd.Flags()
	f.StringVar(&r.node, "node", "", "ionode / ION node URL resolving did:ion (e.g. http://127.0.0.1:3000); empty: long-form did:ion only, offline")
	f.BoolVar(&r.allowLoopback, "allow-loopback", false, "TESTS ONLY: let did:web and status list fetches reach loopback addresses (plain HTTP too)")
	f.BoolVar(&r.allowPrivate, "allow-private", false, "let did:web and status list fetches reach private network addresses")
	f.StringVar(&r.caFile, "ca-file", "", "PEM certificates trusted for did:web and status list fetches besides the system roots")
}

func (r *resolveFlags) client() (*web.Client, error) {
	c := &web.Client{
		Guard:             web.Guard{AllowLoopback: r.allowLoopback, AllowPrivate: r.allowPrivate},
		AllowHTTPLoopback: r.allowLoopback,
		UserAgent:         "ionode-cli",
	}
	if r.caFile != "" {
		tc, err := tlsConfigFor(r.caFile)
		if err != nil {
			return nil, err
		}
		c.TLSConfig = tc
	}
	return c, nil
}

func (r *resolveFlags) dispatcher(client *web.Client) *resolver.Dispatcher {
	var ionMethod resolver.IONResolver = ion.LongFormOnly{}
	if r.node != "" {
		ionMethod = nodeION{nodeClient{base: r.node}}
	}
	return methods.New(ionMethod, web.New(client, web.Options{}), nil)
}

// nodeION resolves did:ion with a node (package client; a malformed --node fails each resolution).
type nodeION struct{ c nodeClient }

func (n nodeION) Resolve(ctx context.Context, did string) (sidetree.Resolution, error) {
	api, err := n.c.api("")
	if err != nil {
		return sidetree.Resolution{}, err
	}
	return api.Resolve(ctx, did)
}

// readSigner reads a private JWK file (as `ionode keys generate` and `ionode did create` write them) and
// pairs it with the DID URL of its verification method. kid "did:key" or "did:jwk" derives that DID
// from the key.
func readSigner(path, kid string) (*credential.Signer, error) {
	if path == "" {
		return nil, fail(exitInvalidInput, "--key is required (a private JWK file or a pkcs11: URI)")
	}
	k, err := openSignerKey(path)
	if err != nil {
		return nil, err
	}
	switch kid {
	case "":
		return nil, fail(exitInvalidInput, "--kid is required: the DID URL of the key's verification method (or did:key / did:jwk)")
	case "did:key", "did:jwk":
		did, fragment := "", ""
		if kid == "did:key" {
			did, err = key.DIDKey(k.Public())
			fragment = strings.TrimPrefix(did, "did:key:")
		} else {
			did, err = key.DIDJWK(k.Public())
			fragment = "0"
		}
		if err != nil {
			return nil, fail(exitInvalidInput, "%v", err)
		}
		kid = did + "#" + fragment
	}
	s, err := credential.NewKeySigner(kid, k)
	if err != nil {
		return nil, fail(exitInvalidInput, "--kid: %v", err)
	}
	return s, nil
}

// openSignerKey opens a signing key: a pkcs11: URI names one in a token, anything else is a private JWK
// file (owner-only).
func openSignerKey(path string) (signer.Signer, error) {
	if isTokenURI(path) {
		k, err := openTokenKey(context.Background(), path)
		if err != nil {
			return nil, err
		}
		return signer.Checked(k), nil
	}
	priv, err := readPrivateKey(path)
	if err != nil {
		return nil, err
	}
	return signer.NewLocal(path, "file", priv)
}

// readPrivateKey reads a private JWK file, refusing one others can read.
func readPrivateKey(path string) (crypto.PrivateKey, error) {
	info, err := os.Stat(path)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, fail(exitInvalidInput, "key file %s does not exist", path)
		}
		return nil, fmt.Errorf("key file: %w", err)
	}
	if info.Mode().Perm()&0o077 != 0 {
		return nil, fail(exitInvalidInput, "key file %s is readable by others (mode %v): chmod 600 it", path, info.Mode().Perm())
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("key file: %w", err)
	}
	priv, err := credential.ParsePrivateJWK(data)
	if err != nil {
		return nil, fail(exitInvalidInput, "key file %s: %v", path, err)
	}
	return priv, nil
}

// readJWTArg returns the JWT argument, reading standard input for "-".
func readJWTArg(cmd *cobra.Command, arg string) (string, error) {
	if arg != "-" {
		return strings.TrimSpace(arg), nil
	}
	b, err := io.ReadAll(io.LimitReader(cmd.InOrStdin(), 1<<20))
	if err != nil {
		return "", fmt.Errorf("read standard input: %w", err)
	}
	return strings.TrimSpace(string(b)), nil
}

// postJSON posts body to a node route and returns the status and answer.
func (c nodeClient) postJSON(ctx context.Context, path, token string, body any) (int, []byte, error) {
	b, err := json.Marshal(body)
	if err != nil {
		return 0, nil, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.base+path, bytes.NewReader(b))
	if err != nil {
		return 0, nil, fail(exitInvalidInput, "--node %q: %v", c.base, err)
	}
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	return c.do(req)
}

// apiError is the message of a credential route's error answer.
func apiError(code int, body []byte) error {
	var e struct {
		Error string `json:"error"`
	}
	msg := strings.TrimSpace(string(body))
	if json.Unmarshal(body, &e) == nil && e.Error != "" {
		msg = e.Error
	}
	if len(msg) > 200 {
		msg = msg[:200]
	}
	switch code {
	case http.StatusUnauthorized:
		return fail(exitInvalidInput, "node refused the admin token (HTTP 401): set --admin-token or ION_ADMIN_TOKEN")
	case http.StatusBadRequest, http.StatusNotFound, http.StatusRequestEntityTooLarge:
		return fail(exitInvalidInput, "node answered HTTP %d: %s", code, msg)
	}
	return fail(1, "node answered HTTP %d: %s", code, msg)
}

func newVCIssueCommand(getenv func(string) string) *cobra.Command {
	var (
		keyFile, kid, format, id, subjectID, subjectJSON, node, token string
		types, claims, contexts                                       []string
		validFor                                                      time.Duration
		withStatus, asJSON                                            bool
		sd                                                            sdjwtIssueFlags
	)
	cmd := &cobra.Command{
		Use:   "issue",
		Short: "Issue a credential: sign it with a local key, or have a node issue it (--node)",
		Long: `Issue a verifiable credential and print its JWT.

Locally, it is signed with --key (a private JWK file) as the verification method --kid, which must be
in the issuer DID's assertionMethod for verifiers to accept it. With --node, the node's configured issuer
signs it through POST /credentials/issue (admin bearer token: --admin-token or ION_ADMIN_TOKEN), and
--status gives it an entry in the node's revocation list.

The subject is --subject-id (the holder's DID) plus --claim name=value pairs, or a whole JSON object with
--subject-json.`,
		Example: `  ionode vc issue --key key-1.jwk --kid did:ion:EiA…#key-1 --type VerifiedEmployee \
    --subject-id did:key:z6Mk… --claim name=Alice --valid-for 8760h
  ionode vc issue --node https://node.example --status --type VerifiedEmployee --subject-id did:key:z6Mk…`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			subject := map[string]any{}
			if subjectJSON != "" {
				if err := json.Unmarshal([]byte(subjectJSON), &subject); err != nil || subject == nil {
					return fail(exitInvalidInput, "--subject-json must be a JSON object")
				}
			}
			if subjectID != "" {
				subject["id"] = subjectID
			}
			for _, c := range claims {
				name, value, ok := strings.Cut(c, "=")
				if !ok || name == "" {
					return fail(exitInvalidInput, "--claim %q: want name=value", c)
				}
				subject[name] = value
			}
			if len(subject) == 0 {
				return fail(exitInvalidInput, "the credential needs a subject: --subject-id, --claim or --subject-json")
			}
			if format == sdjwt.Format {
				return issueSDJWT(cmd, &sd, subject, keyFile, kid, node, withStatus, validFor, asJSON)
			}
			f := credential.Format(format)
			if f != credential.FormatJWT && f != credential.FormatVCJWT {
				return fail(exitInvalidInput, "--format must be %s, %s or %s", credential.FormatJWT, credential.FormatVCJWT, sdjwt.Format)
			}
			if validFor < 0 {
				return fail(exitInvalidInput, "--valid-for must not be negative")
			}
			var until *time.Time
			if validFor > 0 {
				u := time.Now().Add(validFor).UTC().Truncate(time.Second)
				until = &u
			}
			out := map[string]any{}
			if node != "" {
				if keyFile != "" || kid != "" {
					return fail(exitInvalidInput, "--node issues with the node's own key: drop --key and --kid")
				}
				if token == "" {
					token = getenv("ION_ADMIN_TOKEN")
				}
				body := map[string]any{"format": f, "id": id, "types": types, "contexts": contexts, "credentialSubject": subject, "status": withStatus}
				if until != nil {
					body["validUntil"] = until
				}
				c := nodeClient{base: strings.TrimRight(node, "/")}
				code, answer, err := c.postJSON(cmd.Context(), "/credentials/issue", token, body)
				if err != nil {
					return err
				}
				if code != http.StatusOK {
					return apiError(code, answer)
				}
				var issued struct {
					JWT    string          `json:"jwt"`
					Status json.RawMessage `json:"credentialStatus"`
				}
				if err := json.Unmarshal(answer, &issued); err != nil || issued.JWT == "" {
					return fail(1, "node answered without a credential: %.200s", answer)
				}
				out["jwt"] = issued.JWT
				if len(issued.Status) > 0 && string(issued.Status) != "null" {
					out["credentialStatus"] = issued.Status
				}
			} else {
				if withStatus {
					return fail(exitInvalidInput, "--status needs --node: status lists are kept by the node")
				}
				signer, err := readSigner(keyFile, kid)
				if err != nil {
					return err
				}
				c := credential.Claims{Format: f, ID: id, Types: types, Contexts: contexts, Subject: subject}
				if until != nil {
					c.ValidUntil = *until
				}
				jwt, err := (&credential.Issuer{Signer: signer}).Issue(c)
				if err != nil {
					return fail(exitInvalidInput, "%v", err)
				}
				out["jwt"] = jwt
				out["issuer"] = signer.DID()
				out["kid"] = signer.KID
			}
			if asJSON {
				b, _ := json.Marshal(out)
				return printJSON(cmd, b, false)
			}
			_, err := fmt.Fprintln(cmd.OutOrStdout(), out["jwt"])
			return err
		},
	}
	f := cmd.Flags()
	f.StringVar(&keyFile, "key", "", "private JWK file of the issuer's key (written by ionode keys generate or did create --out)")
	f.StringVar(&kid, "kid", "", "DID URL of the key's verification method, e.g. did:ion:EiA…#key-1; did:key or did:jwk derive it from the key")
	f.StringVar(&format, "format", string(credential.FormatJWT), "jwt_vc (VC 1.1 JWT, as Entra and did-jwt-vc), vc+jwt (VC 2.0) or dc+sd-jwt (SD-JWT VC)")
	f.StringVar(&id, "id", "", "credential id (default: a random urn:uuid)")
	f.StringArrayVar(&types, "type", nil, "credential type besides VerifiableCredential (repeatable)")
	f.StringArrayVar(&contexts, "context", nil, "JSON-LD context after the data model's (repeatable)")
	f.StringVar(&subjectID, "subject-id", "", "DID of the subject (holder)")
	f.StringArrayVar(&claims, "claim", nil, "a subject claim name=value (repeatable)")
	f.StringVar(&subjectJSON, "subject-json", "", "the whole credentialSubject as a JSON object")
	f.DurationVar(&validFor, "valid-for", 0, "validity from now, e.g. 8760h; 0: no expiry")
	f.StringVar(&node, "node", "", "issue through this node's POST /credentials/issue instead of a local key")
	f.StringVar(&token, "admin-token", "", "the node's admin bearer token (default $ION_ADMIN_TOKEN)")
	f.BoolVar(&withStatus, "status", false, "with --node: give the credential an entry in the node's revocation list")
	f.BoolVar(&asJSON, "json", false, "print one JSON object (jwt, issuer, kid, credentialStatus)")
	sd.bind(f)
	return cmd
}

func newVCVerifyCommand() *cobra.Command {
	var (
		rf                          resolveFlags
		remote, presentation, asJSN bool
		audience, nonce, policyFile string
	)
	cmd := &cobra.Command{
		Use:   "verify JWT|-",
		Short: "Verify a credential (or with --presentation a VP-JWT), locally or at a node",
		Long: `Verify a VC-JWT (or a VP-JWT with --presentation): the issuer's DID is resolved, the kid must be in
its assertionMethod, then the signature, validity period, revocation status and (with --policy) the
issuer's trust are checked. "-" reads the JWT from standard input.

Locally, did:ion DIDs are resolved through --node (or offline, long-form only), did:web over HTTPS.
With --remote the JWT is sent to --node's POST /credentials/verify (or /presentations/verify), which
checks against the node's own resolver and trust policy.

Exit codes: 0 valid, 4 not valid (the reason's code is printed), 1 or 2 when verification could not run.`,
		Example: `  ionode vc verify eyJhbGciOiJFUzI1NksiLCJraWQiOi… --node http://127.0.0.1:3000
  ionode vc verify --remote --node https://node.example - < credential.jwt`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			jwt, err := readJWTArg(cmd, args[0])
			if err != nil {
				return err
			}
			if jwt == "" {
				return fail(exitInvalidInput, "no JWT given")
			}
			if presentation && audience == "" {
				return fail(exitInvalidInput, "--presentation needs --audience (this verifier's identifier)")
			}
			var res credential.Result
			if remote {
				if rf.node == "" {
					return fail(exitInvalidInput, "--remote needs --node")
				}
				if policyFile != "" {
					return fail(exitInvalidInput, "--policy applies to local verification; the node uses its own trust policy")
				}
				if sdjwt.Is(jwt) {
					return verifySDJWTRemote(cmd, rf.node, jwt, audience, nonce, asJSN)
				}
				path, body := "/credentials/verify", map[string]string{"jwt": jwt}
				if presentation {
					path, body["audience"], body["nonce"] = "/presentations/verify", audience, nonce
				}
				c := nodeClient{base: strings.TrimRight(rf.node, "/")}
				code, answer, err := c.postJSON(cmd.Context(), path, "", body)
				if err != nil {
					return err
				}
				if code != http.StatusOK {
					return apiError(code, answer)
				}
				if err := json.Unmarshal(answer, &res); err != nil || res.TransactionID == "" {
					return fail(1, "node answered without a verification result: %.200s", answer)
				}
			} else {
				if sdjwt.Is(jwt) {
					return verifySDJWT(cmd, &rf, policyFile, jwt, audience, nonce, asJSN)
				}
				v, err := localVerifier(&rf, policyFile)
				if err != nil {
					return err
				}
				if presentation {
					res = *v.VerifyPresentation(cmd.Context(), jwt, credential.PresentationOptions{Audience: audience, Nonce: nonce})
				} else {
					res = *v.VerifyCredential(cmd.Context(), jwt)
				}
			}
			if asJSN {
				b, _ := json.Marshal(res)
				if err := printJSON(cmd, b, false); err != nil {
					return err
				}
			} else if res.Valid {
				printValid(cmd.OutOrStdout(), &res)
			}
			if !res.Valid {
				detail := strings.TrimPrefix(oneLine(res.Detail), string(res.Code)+": ")
				return fail(exitNotValid, "%s not valid: %s: %s (transaction %s)", res.Kind, res.Code, detail, res.TransactionID)
			}
			return nil
		},
	}
	rf.bind(cmd)
	f := cmd.Flags()
	f.BoolVar(&remote, "remote", false, "verify at --node's POST /credentials/verify instead of locally")
	f.BoolVar(&presentation, "presentation", false, "the JWT is a VP-JWT (presentation)")
	f.StringVar(&audience, "audience", "", "with --presentation: this verifier's identifier, which the VP's aud must hold")
	f.StringVar(&nonce, "nonce", "", "with --presentation: the nonce the holder was given")
	f.StringVar(&policyFile, "policy", "", "trust policy file (trusted issuers per credential type); empty: any issuer whose signature verifies")
	f.BoolVar(&asJSN, "json", false, "print the whole verification result as JSON (checks, transaction id)")
	return cmd
}

// localVerifier builds a verifier over the local dispatcher with status checking and an optional policy.
func localVerifier(rf *resolveFlags, policyFile string) (*credential.Verifier, error) {
	client, err := rf.client()
	if err != nil {
		return nil, err
	}
	methods := rf.dispatcher(client)
	core := &credential.Verifier{Resolver: methods, IgnoreStatus: true}
	v := &credential.Verifier{Resolver: methods, Status: &status.Checker{Client: client, Verifier: core}}
	if policyFile != "" {
		p, err := loadPolicy(policyFile, client, core)
		if err != nil {
			return nil, err
		}
		v.Policy = p
	}
	return v, nil
}

func printValid(w io.Writer, r *credential.Result) {
	if c := r.Credential; c != nil && r.Kind == "credential" {
		fmt.Fprintf(w, "valid credential %s\n  issuer:  %s\n  subject: %s\n  types:   %s\n", c.ID, c.Issuer, c.Subject, strings.Join(c.Types, ", "))
	} else if p := r.Presentation; p != nil {
		fmt.Fprintf(w, "valid presentation by %s holding %d credential(s)\n", p.Holder, len(r.Credentials))
	}
	fmt.Fprintf(w, "  transaction: %s\n", r.TransactionID)
}

func oneLine(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > 300 {
		s = s[:300] + "…"
	}
	return s
}

func newVCRevokeCommand(getenv func(string) string) *cobra.Command {
	var (
		node, token, list string
		index             int
		undo, asJSON      bool
	)
	cmd := &cobra.Command{
		Use:   "revoke [JWT|-]",
		Short: "Revoke a credential issued by a node (set its status list bit), or with --undo reinstate it",
		Long: `Set the status list bit of a credential issued by --node, through its admin route
POST /status/{list}/{index} (bearer token: --admin-token or ION_ADMIN_TOKEN). The list and index come
from the credential's credentialStatus (give the JWT, or "-" for standard input), or from --list and
--index.`,
		Example: `  ionode vc revoke --node https://node.example eyJhbGciOi…
  ionode vc revoke --node https://node.example --list revocation --index 80212 --undo`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if node == "" {
				return fail(exitInvalidInput, "--node is required: status lists are kept by the node that issued")
			}
			switch {
			case len(args) == 1 && (list != "" || index >= 0):
				return fail(exitInvalidInput, "give the credential or --list and --index, not both")
			case len(args) == 1:
				jwt, err := readJWTArg(cmd, args[0])
				if err != nil {
					return err
				}
				entry, err := statusOf(jwt)
				if err != nil {
					return err
				}
				list, index, err = listAndIndex(entry)
				if err != nil {
					return err
				}
			case list == "" || index < 0:
				return fail(exitInvalidInput, "give the credential, or --list and --index")
			}
			if !status.ValidID(list) {
				return fail(exitInvalidInput, "--list %q is not a status list id", list)
			}
			if token == "" {
				token = getenv("ION_ADMIN_TOKEN")
			}
			c := nodeClient{base: strings.TrimRight(node, "/")}
			code, answer, err := c.postJSON(cmd.Context(), "/status/"+list+"/"+strconv.Itoa(index), token, map[string]bool{"revoked": !undo})
			if err != nil {
				return err
			}
			if code != http.StatusNoContent && code != http.StatusOK {
				return apiError(code, answer)
			}
			if asJSON {
				b, _ := json.Marshal(map[string]any{"list": list, "index": index, "revoked": !undo})
				return printJSON(cmd, b, false)
			}
			verb := "revoked"
			if undo {
				verb = "reinstated"
			}
			_, err = fmt.Fprintf(cmd.OutOrStdout(), "%s: list %s index %d\n", verb, list, index)
			return err
		},
	}
	f := cmd.Flags()
	f.StringVar(&node, "node", "", "URL of the node that issued the credential")
	f.StringVar(&token, "admin-token", "", "the node's admin bearer token (default $ION_ADMIN_TOKEN)")
	f.StringVar(&list, "list", "", "status list id (instead of a credential)")
	f.IntVar(&index, "index", -1, "status list index (instead of a credential)")
	f.BoolVar(&undo, "undo", false, "clear the bit: reinstate the credential")
	f.BoolVar(&asJSON, "json", false, "print one JSON object")
	return cmd
}

// statusOf reads the credentialStatus of a VC-JWT without verifying it (the node that issued it decides).
func statusOf(jwt string) (credential.Status, error) {
	if sdjwt.Is(jwt) {
		return sdjwtStatusOf(jwt)
	}
	parts := strings.Split(jwt, ".")
	if len(parts) != 3 {
		return credential.Status{}, fail(exitInvalidInput, "not a JWT (want three base64url parts)")
	}
	payload, err := sidetree.DecodeBase64URL(parts[1])
	if err != nil {
		return credential.Status{}, fail(exitInvalidInput, "JWT payload is not base64url")
	}
	var claims struct {
		VC *struct {
			Status json.RawMessage `json:"credentialStatus"`
		} `json:"vc"`
		Status json.RawMessage `json:"credentialStatus"`
	}
	if err := json.Unmarshal(payload, &claims); err != nil {
		return credential.Status{}, fail(exitInvalidInput, "JWT payload is not JSON")
	}
	raw := claims.Status
	if claims.VC != nil && len(claims.VC.Status) > 0 {
		raw = claims.VC.Status
	}
	if len(raw) == 0 {
		return credential.Status{}, fail(exitInvalidInput, "the credential has no credentialStatus: it cannot be revoked")
	}
	var entry credential.Status
	if err := json.Unmarshal(raw, &entry); err != nil {
		var entries []credential.Status // VC 2.0 allows a list; take the revocation entry
		if json.Unmarshal(raw, &entries) != nil {
			return credential.Status{}, fail(exitInvalidInput, "unreadable credentialStatus")
		}
		for i, e := range entries {
			if i == 0 || e.StatusPurpose == "revocation" {
				entry = e
			}
		}
	}
	return entry, nil
}

// listAndIndex reads the node's list id (the last path segment of the list URL) and the index.
func listAndIndex(entry credential.Status) (string, int, error) {
	u, err := url.Parse(entry.StatusListCredential)
	if err != nil || u.Path == "" {
		return "", 0, fail(exitInvalidInput, "credentialStatus has no usable statusListCredential URL")
	}
	list := u.Path[strings.LastIndex(u.Path, "/")+1:]
	index, err := strconv.Atoi(entry.StatusListIndex)
	if err != nil || index < 0 {
		return "", 0, fail(exitInvalidInput, "credentialStatus has no valid statusListIndex")
	}
	return list, index, nil
}

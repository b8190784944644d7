package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/ionode/ionode/credential"
	"github.com/ionode/ionode/credential/sdjwt"
	"github.com/ionode/ionode/credential/status/tokenstatus"
	"github.com/ionode/ionode/resolver"
)

// sdjwtIssueFlags are the flags of `vc issue --format dc+sd-jwt`.
type sdjwtIssueFlags struct {
	vct         string
	disclosable []string
	holderKey   string
	holderKID   string
	statusURI   string
	statusIndex int
	noDecoys    bool
}

func (s *sdjwtIssueFlags) bind(f *pflag.FlagSet) {
	f.StringVar(&s.vct, "vct", "", "with dc+sd-jwt: the credential type (vct), e.g. urn:eudi:pid:1 or an https URL")
	f.StringSliceVar(&s.disclosable, "disclosable", nil, "with dc+sd-jwt: claims the holder may disclose one by one, e.g. name,birthdate,address.locality,nationalities.*")
	f.StringVar(&s.holderKey, "holder-key", "", "with dc+sd-jwt: JWK file of the holder's key (its public part is bound as cnf.jwk)")
	f.StringVar(&s.holderKID, "holder-kid", "", "with dc+sd-jwt: DID URL of the holder's key, bound as cnf.kid")
	f.StringVar(&s.statusURI, "status-uri", "", "with dc+sd-jwt: URL of the issuer's token status list (status.status_list.uri)")
	f.IntVar(&s.statusIndex, "status-index", -1, "with dc+sd-jwt: the credential's index in --status-uri")
	f.BoolVar(&s.noDecoys, "no-decoys", false, "with dc+sd-jwt: leave out decoy digests (they hide how many claims are disclosable)")
}

// issueSDJWT issues an SD-JWT VC with a local key.
func issueSDJWT(cmd *cobra.Command, sd *sdjwtIssueFlags, subject map[string]any, keyFile, kid, node string, withStatus bool, validFor time.Duration, asJSON bool) error {
	if node != "" || withStatus {
		return fail(exitInvalidInput, "dc+sd-jwt credentials are signed locally with --key; give --status-uri and --status-index for a status list entry")
	}
	if sd.vct == "" {
		return fail(exitInvalidInput, "--vct is required for dc+sd-jwt")
	}
	signer, err := readSigner(keyFile, kid)
	if err != nil {
		return err
	}
	c := sdjwt.Claims{VCT: sd.vct, Claims: subject, Disclosable: sd.disclosable, HolderKID: sd.holderKID}
	if id, ok := subject["id"].(string); ok {
		c.Subject = id
		delete(subject, "id")
	}
	if sd.holderKey != "" {
		data, err := os.ReadFile(sd.holderKey)
		if err != nil {
			return fail(exitInvalidInput, "--holder-key: %v", err)
		}
		// A public JWK, or the holder's private one (only its public part is used).
		if c.HolderKey, err = resolver.ParseJWK(data); err != nil {
			priv, perr := credential.ParsePrivateJWK(data)
			if perr != nil {
				return fail(exitInvalidInput, "--holder-key %s: %v", sd.holderKey, err)
			}
			s, _ := credential.NewBareSigner("", priv)
			c.HolderKey = s.Public()
		}
	}
	switch {
	case sd.statusURI != "" && sd.statusIndex >= 0:
		c.Status = &sdjwt.StatusListRef{Index: sd.statusIndex, URI: sd.statusURI}
	case sd.statusURI != "" || sd.statusIndex >= 0:
		return fail(exitInvalidInput, "--status-uri and --status-index go together")
	}
	if validFor > 0 {
		c.ValidUntil = time.Now().Add(validFor).Truncate(time.Second)
	}
	out, err := (&sdjwt.Issuer{Signer: signer, NoDecoys: sd.noDecoys}).Issue(cmd.Context(), c)
	if err != nil {
		return fail(exitInvalidInput, "%v", err)
	}
	if asJSON {
		b, _ := json.Marshal(map[string]any{"sdJwt": out, "issuer": signer.DID(), "kid": signer.KID, "format": sdjwt.Format})
		return printJSON(cmd, b, false)
	}
	_, err = fmt.Fprintln(cmd.OutOrStdout(), out)
	return err
}

func newVCPresentCommand() *cobra.Command {
	var (
		disclose                       []string
		holderKey, holderKID, aud, non string
		vp                             vpFlags
	)
	cmd := &cobra.Command{
		Use:   "present CREDENTIAL...|-",
		Short: "Present credentials: a VP-JWT of VC-JWTs (or answer an OpenID4VP request), or an SD-JWT VC",
		Long: `Make a presentation of an SD-JWT VC ("-" reads it from standard input) that discloses only the
claims named by --disclose (and what is needed to reach them). With --holder-key (the private JWK of the
key the credential is bound to) it appends a key-binding JWT for --audience and --nonce.

Given VC-JWTs (arguments, files holding them, or "-"), it signs a VP-JWT with --holder-key/--holder-kid
for --audience and --nonce. With --request (an openid4vp:// URL or a request_uri) it answers an OpenID4VP
request instead with the held VC-JWTs and SD-JWT VCs: the request object must be signed by the verifier's
DID (client_id decentralized_identifier:, or a draft-era bare DID with client_id_scheme did; resolved like
vc verify: did:ion through --node); a DCQL query gets a VP-JWT per jwt_vc_json query and, per dc+sd-jwt
query, an SD-JWT VC disclosing only the claims asked for with a KB-JWT; a presentation_definition gets a
VP-JWT and a presentation_submission meeting its submission_requirements. The answer is posted to its
response_uri (direct_post, or encrypted for direct_post.jwt). Exit status: 0 accepted, 4 the request did
not verify or the verifier refused, 2 no held credential matches.

Choosing among held credentials (DCQL): a credential answers a query by format, type or vct, and its
claims and their values; of a query's claim_sets, the first it satisfies is the one disclosed. Of
credential_sets, the first option (in the verifier's order) all of whose queries can be answered is
answered, optional sets too when possible. When several credentials answer one query, the newest (by
iat; the first given among equals) is presented, one per query even when the query allows multiple;
--use FILE presents FILE's credentials instead for the queries they answer (and prefers the options
holding those queries; with multiple, all of them), and fails if one answers nothing (for a
presentation_definition, FILE's credentials are matched to descriptors first).`,
		Example: `  ionode vc present --disclose given_name,address.locality --holder-key holder.jwk \
    --audience https://verifier.example --nonce 8Hk2… - < pid.sd-jwt
  ionode vc present --holder-key holder.jwk --holder-kid did:key --node http://127.0.0.1:3000 \
    --request 'openid4vp://?client_id=…&request_uri=…' employee.jwt
  ionode vc present --holder-key holder.jwk --holder-kid did:key --request "$URL" \
    --use badge-2025.jwt wallet/*.jwt`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			vcjwt := func(args []string) error {
				switch {
				case len(disclose) > 0 && vp.request != "":
					return fail(exitInvalidInput, "--disclose does not go with --request: the request names the claims to disclose")
				case len(disclose) > 0:
					return fail(exitInvalidInput, "--disclose is for SD-JWT VCs; a VC-JWT is presented whole")
				}
				return presentVCJWT(cmd, &vp, args, holderKey, holderKID, aud, non)
			}
			// With --request the held credentials (VC-JWTs and SD-JWT VCs) answer the request's queries.
			if vp.request != "" || len(args) > 1 || !sdjwt.Is(args[0]) && args[0] != "-" {
				return vcjwt(args)
			}
			issued, err := readJWTArg(cmd, args[0])
			if err != nil {
				return err
			}
			if !sdjwt.Is(issued) {
				return vcjwt([]string{issued})
			}
			var kb *sdjwt.KeyBinding
			if holderKey != "" {
				if aud == "" || non == "" {
					return fail(exitInvalidInput, "a key-bound presentation needs --audience and --nonce")
				}
				priv, err := readPrivateKey(holderKey)
				if err != nil {
					return err
				}
				signer, err := credential.NewBareSigner(holderKID, priv)
				if err != nil {
					return fail(exitInvalidInput, "--holder-key: %v", err)
				}
				kb = &sdjwt.KeyBinding{Signer: signer, Audience: aud, Nonce: non}
			}
			out, err := sdjwt.Present(issued, disclose, kb)
			if err != nil {
				return fail(exitInvalidInput, "%v", err)
			}
			_, err = fmt.Fprintln(cmd.OutOrStdout(), out)
			return err
		},
	}
	f := cmd.Flags()
	f.StringSliceVar(&disclose, "disclose", nil, "claims to disclose, e.g. given_name,address.locality,nationalities.0")
	f.StringVar(&holderKey, "holder-key", "", "private JWK file of the holder's key: adds a key-binding JWT")
	f.StringVar(&holderKID, "holder-kid", "", "DID URL of the holder's key (did:key / did:jwk: derived from the key): a VP-JWT's kid, or an SD-JWT bound with cnf.kid")
	f.StringVar(&aud, "audience", "", "the verifier's identifier (KB-JWT aud)")
	f.StringVar(&non, "nonce", "", "the nonce the verifier gave (KB-JWT nonce)")
	vp.bind(cmd)
	return cmd
}

// verifySDJWT verifies an SD-JWT VC (or its presentation) locally.
func verifySDJWT(cmd *cobra.Command, rf *resolveFlags, policyFile, raw, audience, nonce string, asJSON bool) error {
	client, err := rf.client()
	if err != nil {
		return err
	}
	methods := rf.dispatcher(client)
	checker := &tokenstatus.Checker{Fetcher: client}
	v := &sdjwt.Verifier{Resolver: methods, Fetcher: client, Status: checker}
	checker.Keys = v
	if policyFile != "" {
		p, err := loadPolicy(policyFile, client, &credential.Verifier{Resolver: methods, IgnoreStatus: true})
		if err != nil {
			return err
		}
		v.Policy = p
	}
	r := v.Verify(cmd.Context(), raw, sdjwt.Options{RequireKeyBinding: audience != "", Audience: audience, Nonce: nonce})
	return printSDJWTResult(cmd, r, asJSON)
}

// verifySDJWTRemote verifies an SD-JWT VC at a node: POST /presentations/verify (KB-JWT required)
// with an audience, else POST /credentials/verify.
func verifySDJWTRemote(cmd *cobra.Command, node, raw, audience, nonce string, asJSON bool) error {
	path, body := "/credentials/verify", map[string]string{"jwt": raw}
	if audience != "" {
		path, body["audience"], body["nonce"] = "/presentations/verify", audience, nonce
	}
	c := nodeClient{base: strings.TrimRight(node, "/")}
	code, answer, err := c.postJSON(cmd.Context(), path, "", body)
	if err != nil {
		return err
	}
	if code != http.StatusOK {
		return apiError(code, answer)
	}
	var r sdjwt.Result
	if err := json.Unmarshal(answer, &r); err != nil || r.TransactionID == "" {
		return fail(1, "node answered without a verification result: %.200s", answer)
	}
	return printSDJWTResult(cmd, &r, asJSON)
}

func printSDJWTResult(cmd *cobra.Command, r *sdjwt.Result, asJSON bool) error {
	if asJSON {
		b, _ := json.Marshal(r)
		if err := printJSON(cmd, b, false); err != nil {
			return err
		}
	} else if r.Valid {
		var disclosed []string
		for _, p := range r.Disclosed {
			disclosed = append(disclosed, p.String())
		}
		w := cmd.OutOrStdout()
		fmt.Fprintf(w, "valid SD-JWT VC\n  issuer:    %s\n  vct:       %s\n  disclosed: %s\n", r.Issuer, r.VCT, strings.Join(disclosed, ", "))
		if r.KeyBinding != nil {
			fmt.Fprintf(w, "  bound to the holder's key for %s\n", r.KeyBinding.Audience)
		}
		fmt.Fprintf(w, "  transaction: %s\n", r.TransactionID)
	}
	if !r.Valid {
		detail := strings.TrimPrefix(oneLine(r.Detail), string(r.Code)+": ")
		return fail(exitNotValid, "SD-JWT VC not valid: %s: %s (transaction %s)", r.Code, detail, r.TransactionID)
	}
	return nil
}

// sdjwtStatusOf reads status.status_list of an SD-JWT VC without verifying it (the node that issued it
// decides), as the entry `vc revoke` sets.
func sdjwtStatusOf(raw string) (credential.Status, error) {
	s, err := sdjwt.Parse(raw)
	if err != nil {
		return credential.Status{}, fail(exitInvalidInput, "%v", err)
	}
	tok, err := credential.ParseJWS(s.JWT, nil)
	if err != nil {
		return credential.Status{}, fail(exitInvalidInput, "%v", err)
	}
	var claims struct {
		Status *struct {
			StatusList *sdjwt.StatusListRef `json:"status_list"`
		} `json:"status"`
	}
	if err := json.Unmarshal(tok.Payload(), &claims); err != nil {
		return credential.Status{}, fail(exitInvalidInput, "SD-JWT payload is not JSON")
	}
	if claims.Status == nil || claims.Status.StatusList == nil {
		return credential.Status{}, fail(exitInvalidInput, "the credential has no status.status_list: it cannot be revoked")
	}
	ref := claims.Status.StatusList
	return credential.Status{StatusListIndex: strconv.Itoa(ref.Index), StatusListCredential: ref.URI}, nil
}

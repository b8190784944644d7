package main

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"maps"
	"net/http"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/ionode/ionode/credential"
	"github.com/ionode/ionode/credential/sdjwt"
	"github.com/ionode/ionode/exchange/holder"
)

// vpFlags are `vc present`'s flags for VP-JWTs (VC-JWT credentials); SD-JWT VCs use the rest.
type vpFlags struct {
	request string
	use     []string
	ttl     time.Duration
	resolve resolveFlags
}

func (p *vpFlags) bind(cmd *cobra.Command) {
	f := cmd.Flags()
	f.StringVar(&p.request, "request", "", "answer this OpenID4VP request (openid4vp:// URL or request_uri) with the held VC-JWTs and SD-JWT VCs")
	f.StringArrayVar(&p.use, "use", nil, "with --request: present this credential (a file, or the credential itself; repeatable) for the credential queries it answers, before any other held one; an error if it answers none")
	f.DurationVar(&p.ttl, "valid-for", 5*time.Minute, "lifetime of the VP-JWT")
	p.resolve.bind(cmd)
}

// presentVCJWT makes a VP-JWT of held VC-JWTs, or with --request answers an OpenID4VP request with them.
func presentVCJWT(cmd *cobra.Command, p *vpFlags, args []string, holderKey, holderKID, audience, nonce string) error {
	held, err := readCredentials(cmd, args)
	if err != nil {
		return err
	}
	if holderKey == "" || holderKID == "" {
		return fail(exitInvalidInput, "a VP-JWT needs --holder-key (a private JWK file or a pkcs11: URI) and --holder-kid (the DID URL of its authentication key, or did:key / did:jwk)")
	}
	signer, err := readSigner(holderKey, holderKID)
	if err != nil {
		return err
	}
	h := &credential.Issuer{Signer: signer}
	if p.request == "" {
		if len(p.use) > 0 {
			return fail(exitInvalidInput, "--use chooses among the credentials that answer a --request")
		}
		if slices.ContainsFunc(held, sdjwt.Is) {
			return fail(exitInvalidInput, "an SD-JWT VC is presented alone (with --disclose), or among others with --request")
		}
		if audience == "" {
			return fail(exitInvalidInput, "--audience is required (the verifier's identifier), or --request to answer a request")
		}
		vp, err := h.Present(held, audience, nonce, p.ttl)
		if err != nil {
			return fail(exitInvalidInput, "%v", err)
		}
		_, err = fmt.Fprintln(cmd.OutOrStdout(), vp)
		return err
	}
	if audience != "" || nonce != "" {
		return fail(exitInvalidInput, "--audience and --nonce come from the request: leave them out with --request")
	}
	return answerRequest(cmd, p, h, held)
}

// answerRequest runs the holder's side of OpenID4VP and prints the verifier's answer.
func answerRequest(cmd *cobra.Command, p *vpFlags, h *credential.Issuer, held []string) error {
	var choice holder.Choice
	if len(p.use) > 0 {
		var err error
		if choice.Use, err = readCredentials(cmd, p.use); err != nil {
			return err
		}
		for _, u := range choice.Use {
			if !slices.Contains(held, u) {
				held = append(held, u)
			}
		}
	}
	ar, err := holder.ParseAuthorizationRequest(p.request)
	if err != nil {
		return fail(exitInvalidInput, "--request: %v", err)
	}
	client, err := p.resolve.client()
	if err != nil {
		return err
	}
	w := &holder.Wallet{Holder: h, Resolver: p.resolve.dispatcher(client), TTL: p.ttl, AllowHTTPLoopback: p.resolve.allowLoopback,
		// Never follow a redirect: a response carries credentials and must reach response_uri only.
		HTTP: &http.Client{Timeout: 30 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
	ctx := cmd.Context()
	r, err := w.Fetch(ctx, ar)
	if err != nil {
		return walletFailure("the request", err)
	}
	name := r.ClientName
	if name == "" {
		name = "(unnamed)"
	}
	out := cmd.OutOrStdout()
	fmt.Fprintf(out, "verifier %s, signed by %s\n", oneLine(name), r.DID)
	outcome, err := w.Answer(ctx, r, held, choice)
	if err != nil {
		return walletFailure("the answer", err)
	}
	for _, id := range slices.Sorted(maps.Keys(outcome.Presented)) {
		for _, vc := range outcome.Presented[id] {
			fmt.Fprintf(out, "presented for %s: %s\n", id, describeHeld(vc))
		}
	}
	if !outcome.Accepted {
		reason := outcome.Error
		if outcome.Code != "" {
			reason = outcome.Code
		}
		return fail(exitNotValid, "the verifier refused the presentation (HTTP %d): %s: %s", outcome.Status, reason, oneLine(outcome.Description))
	}
	fmt.Fprintln(out, "accepted")
	if outcome.RedirectURI != "" {
		fmt.Fprintf(out, "continue at %s\n", outcome.RedirectURI)
	}
	return nil
}

// walletFailure maps the holder package's errors to exit codes: a request that does not verify is not
// valid (4), a credential set that cannot answer it is invalid input (2), the rest is an error (1).
func walletFailure(what string, err error) error {
	var f *credential.Failure
	switch {
	case errors.As(err, &f):
		return fail(exitNotValid, "%s does not verify: %v", what, err)
	case errors.Is(err, holder.ErrRequest):
		return fail(exitNotValid, "%v", err)
	case errors.Is(err, holder.ErrNoMatch):
		return fail(exitInvalidInput, "%v", err)
	}
	return fail(1, "%s: %v", what, err)
}

// describeHeld names a held VC-JWT by its start, for the user to recognise which one went out.
func describeHeld(vc string) string {
	if len(vc) > 24 {
		return vc[:24] + "…"
	}
	return vc
}

// maxHeldBytes bounds what `vc present` reads of credentials.
const maxHeldBytes = 4 << 20

// readCredentials reads the held credentials: each argument is a VC-JWT or SD-JWT VC, a file of them, or
// "-" for standard input; files and standard input hold one or more separated by white space.
func readCredentials(cmd *cobra.Command, args []string) ([]string, error) {
	var held []string
	for _, arg := range args {
		var r io.Reader
		switch info, err := os.Stat(arg); {
		case arg == "-":
			r = cmd.InOrStdin()
		case err == nil && info.Mode().IsRegular():
			f, err := os.Open(arg)
			if err != nil {
				return nil, fail(exitInvalidInput, "%v", err)
			}
			defer f.Close()
			r = f
		default:
			r = strings.NewReader(arg)
		}
		sc := bufio.NewScanner(io.LimitReader(r, maxHeldBytes))
		sc.Buffer(make([]byte, 0, 64<<10), maxHeldBytes)
		sc.Split(bufio.ScanWords)
		for sc.Scan() {
			if strings.Count(sc.Text(), ".") != 2 && !sdjwt.Is(sc.Text()) {
				return nil, fail(exitInvalidInput, "%s: %q is neither a VC-JWT nor an SD-JWT VC", argName(arg), credential.Truncate(sc.Text()))
			}
			held = append(held, sc.Text())
		}
		if err := sc.Err(); err != nil {
			return nil, fail(exitInvalidInput, "%s: %v", argName(arg), err)
		}
	}
	if len(held) == 0 {
		return nil, fail(exitInvalidInput, "no credential given")
	}
	return held, nil
}

func argName(arg string) string {
	if arg == "-" {
		return "standard input"
	}
	return credential.Truncate(arg)
}

package holder_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ionode/ionode/credential"
	"github.com/ionode/ionode/credential/sdjwt"
	"github.com/ionode/ionode/exchange"
	"github.com/ionode/ionode/exchange/dcql"
	"github.com/ionode/ionode/exchange/holder"
	"github.com/ionode/ionode/exchange/oid4vp"
)

// heldSet is a wallet's credentials for the choice tests: three employee badges issued a day apart (the
// newest is Bob's), two loyalty cards and a PID (SD-JWT VC) without a birthdate.
type heldSet struct {
	old, alice, bob, card1, card2, pid string
}

func newHeldSet(t *testing.T, n *node, w *holder.Wallet) heldSet {
	t.Helper()
	day := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	vc := func(typ, name string, days int) string {
		iss := &credential.Issuer{Signer: n.issuer.Signer, Now: func() time.Time { return day.AddDate(0, 0, days) }}
		jwt, err := iss.Issue(credential.Claims{Types: []string{typ}, Subject: map[string]any{"id": w.Holder.Signer.DID(), "name": name}})
		if err != nil {
			t.Fatal(err)
		}
		return jwt
	}
	pid, err := (&sdjwt.Issuer{Signer: n.issuer.Signer}).Issue(context.Background(), sdjwt.Claims{VCT: "urn:test:pid",
		Claims:      map[string]any{"given_name": "Alice", "address": map[string]any{"locality": "Oxford"}},
		Disclosable: []string{"given_name", "address.locality"}, HolderKID: w.Holder.Signer.KID})
	if err != nil {
		t.Fatal(err)
	}
	return heldSet{old: vc("Badge", "Alice", 0), alice: vc("Badge", "Alice", 1), bob: vc("Badge", "Bob", 2),
		card1: vc("Loyalty", "A", 0), card2: vc("Loyalty", "B", 1), pid: pid}
}

// TestPresentChooses: for each credential query the wallet presents the credentials that answer it by
// type or vct, claims and values; the first answerable option of each credential set; the newest by
// iat when several answer; what Choice.Use names first; and refuses when a required set cannot be met.
func TestPresentChooses(t *testing.T) {
	n := newNode(t)
	w := newWallet(t)
	h := newHeldSet(t, n, w)
	all := []string{h.old, h.alice, h.bob, h.card1, h.card2, h.pid}
	const badge = `{"id":"badge","format":"jwt_vc_json","meta":{"type_values":[["Badge"]]}}`
	const alice = `{"id":"badge","format":"jwt_vc_json","meta":{"type_values":[["Badge"]]},"claims":[{"path":["credentialSubject","name"],"values":["Alice"]}]}`
	const loyalty = `{"id":"loyalty","format":"jwt_vc_json","multiple":true,"meta":{"type_values":[["Loyalty"]]}}`
	const pid = `{"id":"pid","format":"dc+sd-jwt","meta":{"vct_values":["urn:test:pid"]},"claims":[{"id":"g","path":["given_name"]},{"id":"bd","path":["birthdate"]},{"id":"loc","path":["address","locality"]}],"claim_sets":[["g","bd"],["g","loc"]]}`
	sets := func(creds, sets string) string {
		return `{"credentials":[` + creds + `],"credential_sets":` + sets + `}`
	}
	tests := []struct {
		name  string
		query string
		held  []string
		use   []string
		want  map[string][]string // query id → chosen credentials; nil: ErrNoMatch
		// disclosed are the PID's claims disclosed, when it is presented.
		disclosed []string
	}{
		{"the newest badge", `{"credentials":[` + badge + `]}`, all, nil, map[string][]string{"badge": {h.bob}}, nil},
		{"the newest badge of Alice", `{"credentials":[` + alice + `]}`, all, nil, map[string][]string{"badge": {h.alice}}, nil},
		{"the badge named", `{"credentials":[` + badge + `]}`, all, []string{h.old}, map[string][]string{"badge": {h.old}}, nil},
		{"a named badge that is not Alice's", `{"credentials":[` + alice + `]}`, all, []string{h.bob}, nil, nil},
		{"first option: the PID, second claim set", sets(pid+","+badge, `[{"options":[["pid"],["badge"]]}]`), all, nil,
			map[string][]string{"pid": {h.pid}}, []string{"given_name", "locality"}},
		{"only the first claim set's claims", `{"credentials":[` + strings.Replace(pid, `"claim_sets":[["g","bd"],["g","loc"]]`, `"claim_sets":[["g"],["g","loc"]]`, 1) + `]}`, all, nil,
			map[string][]string{"pid": {h.pid}}, []string{"given_name"}},
		{"second option when no PID", sets(pid+","+badge, `[{"options":[["pid"],["badge"]]}]`), []string{h.alice, h.card1}, nil,
			map[string][]string{"badge": {h.alice}}, nil},
		{"the option holding the named credential", sets(pid+","+badge, `[{"options":[["pid"],["badge"]]}]`), all, []string{h.alice},
			map[string][]string{"badge": {h.alice}}, nil},
		{"optional set answered when possible", sets(badge+","+loyalty, `[{"options":[["badge"]]},{"options":[["loyalty"]],"required":false}]`), all, nil,
			map[string][]string{"badge": {h.bob}, "loyalty": {h.card2}}, nil},
		{"optional set left out", sets(badge+","+loyalty, `[{"options":[["badge"]]},{"options":[["loyalty"]],"required":false}]`), []string{h.old}, nil,
			map[string][]string{"badge": {h.old}}, nil},
		{"multiple: every named card", sets(badge+","+loyalty, `[{"options":[["badge"]]},{"options":[["loyalty"]],"required":false}]`), all, []string{h.card1, h.card2},
			map[string][]string{"badge": {h.bob}, "loyalty": {h.card2, h.card1}}, nil},
		{"required set not met", sets(pid+","+badge, `[{"options":[["pid"],["badge"]]}]`), []string{h.card1}, nil, nil, nil},
		{"without sets, all are required", `{"credentials":[` + badge + `,` + loyalty + `]}`, []string{h.alice}, nil, nil, nil},
		{"a named credential that answers nothing", `{"credentials":[` + badge + `]}`, all, []string{h.card1}, nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q, err := dcql.Parse([]byte(tt.query))
			if err != nil {
				t.Fatal(err)
			}
			r := &holder.Request{ClientID: "decentralized_identifier:did:example:v", Nonce: "n", DCQL: *q}
			out, err := w.Present(r, tt.held, holder.Choice{Use: tt.use})
			if tt.want == nil {
				if !errors.Is(err, holder.ErrNoMatch) {
					t.Fatalf("Present: %v, want ErrNoMatch", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(out.Chosen) != len(tt.want) {
				t.Fatalf("chose %d queries, want %v", len(out.Chosen), tt.want)
			}
			for id, want := range tt.want {
				if !slices.Equal(out.Chosen[id], want) {
					t.Fatalf("%s: chose %s, want %s", id, names(h, out.Chosen[id]), names(h, want))
				}
			}
			if tt.disclosed != nil {
				if got := disclosedNames(t, out.VPToken, "pid"); !slices.Equal(got, tt.disclosed) {
					t.Fatalf("disclosed %v, want %v", got, tt.disclosed)
				}
			}
		})
	}
}

// disclosedNames lists the claim names (and array markers) of the Disclosures sent for query id, sorted.
func disclosedNames(t *testing.T, vpToken, id string) []string {
	t.Helper()
	token, err := oid4vp.ParseVPToken(vpToken)
	if err != nil || len(token[id]) != 1 {
		t.Fatalf("vp_token %v %v", token, err)
	}
	s, err := sdjwt.Parse(token[id][0])
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, enc := range s.Disclosures {
		d, err := sdjwt.ParseDisclosure(enc)
		if err != nil {
			t.Fatal(err)
		}
		names = append(names, d.Name)
	}
	slices.Sort(names)
	return names
}

// TestAnswerCredentialSets: end to end through the node's verifier over HTTP, a wallet holding three
// credentials (a badge, a loyalty card, a PID) answers a request whose credential sets ask for a PID
// (given_name with a birthdate, or given_name with the locality) or a badge, and optionally loyalty
// cards: it sends the PID with the second claim set and the card; the verifier accepts. Named the
// badge, it sends the badge instead; holding only the card, it sends nothing.
func TestAnswerCredentialSets(t *testing.T) {
	n := newNode(t)
	w := newWallet(t)
	h := newHeldSet(t, n, w)
	held := []string{h.alice, h.card1, h.pid}
	no := false
	ext := &exchange.PresentationExtensions{CredentialSets: []dcql.CredentialSet{
		{Options: [][]string{{"pid"}, {"badge"}}}, {Options: [][]string{{"loyalty"}}, Required: &no}}}
	rcs := func() []exchange.RequestedCredential {
		return []exchange.RequestedCredential{
			{ID: "pid", Type: "urn:test:pid", Format: "dc+sd-jwt", Claims: []exchange.ClaimRequest{
				{ID: "g", Path: []any{"given_name"}}, {ID: "bd", Path: []any{"birthdate"}}, {ID: "loc", Path: []any{"address", "locality"}}},
				ClaimSets: [][]string{{"g", "bd"}, {"g", "loc"}}},
			{ID: "badge", Type: "Badge"},
			{ID: "loyalty", Type: "Loyalty", Multiple: true},
		}
	}
	answer := func(held []string, choice holder.Choice) (string, *holder.Outcome, error) {
		id, walletURL := n.createWith(t, ext, rcs()...)
		ar, _ := holder.ParseAuthorizationRequest(walletURL)
		r, err := w.Fetch(context.Background(), ar)
		if err != nil {
			t.Fatal(err)
		}
		if len(r.DCQL.CredentialSets) != 2 || len(r.DCQL.Credentials[0].ClaimSets) != 2 {
			t.Fatalf("request DCQL %+v", r.DCQL)
		}
		out, err := w.Answer(context.Background(), r, held, choice)
		return id, out, err
	}

	id, out, err := answer(held, holder.Choice{})
	if err != nil || !out.Accepted {
		t.Fatalf("answer: %+v %v", out, err)
	}
	if !slices.Equal(out.Presented["pid"], []string{h.pid}) || !slices.Equal(out.Presented["loyalty"], []string{h.card1}) || len(out.Presented) != 2 {
		t.Fatalf("presented %d queries", len(out.Presented))
	}
	ev := n.status(t, id)
	if ev.RequestStatus != exchange.StatusPresentationVerified || len(ev.VerifiedCredentialsData) != 2 {
		t.Fatalf("status %+v", ev)
	}
	var disclosed []string
	for _, d := range ev.VerifiedCredentialsData {
		for _, p := range d.Disclosed {
			parts := make([]string, len(p))
			for i, c := range p {
				parts[i] = fmt.Sprint(c)
			}
			disclosed = append(disclosed, strings.Join(parts, "."))
		}
	}
	slices.Sort(disclosed)
	if !slices.Equal(disclosed, []string{"address.locality", "given_name"}) {
		t.Fatalf("the verifier saw %v disclosed", disclosed)
	}

	id, out, err = answer(held, holder.Choice{Use: []string{h.alice}})
	if err != nil || !out.Accepted || !slices.Equal(out.Presented["badge"], []string{h.alice}) || out.Presented["pid"] != nil {
		t.Fatalf("answer with the badge named: %+v %v", out, err)
	}
	if ev := n.status(t, id); ev.RequestStatus != exchange.StatusPresentationVerified || len(ev.VerifiedCredentialsData) != 2 {
		t.Fatalf("status %+v", ev)
	}

	id, _, err = answer([]string{h.card1}, holder.Choice{})
	if !errors.Is(err, holder.ErrNoMatch) || !errors.Is(err, dcql.ErrCredentialSets) || !strings.Contains(err.Error(), "pid") {
		t.Fatalf("only a loyalty card: %v", err)
	}
	if ev := n.status(t, id); ev.RequestStatus == exchange.StatusPresentationVerified || ev.RequestStatus == exchange.StatusPresentationError {
		t.Fatalf("a response was sent: %+v", ev)
	}
}

// names names the held credentials of h in a test's message.
func names(h heldSet, creds []string) []string {
	byCred := map[string]string{h.old: "old", h.alice: "alice", h.bob: "bob", h.card1: "card1", h.card2: "card2", h.pid: "pid"}
	out := make([]string, len(creds))
	for i, c := range creds {
		out[i] = byCred[c]
	}
	return out
}

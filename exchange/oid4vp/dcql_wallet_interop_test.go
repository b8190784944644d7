package oid4vp_test

import (
	"slices"
	"testing"

	"github.com/ionode/ionode/exchange"
	"github.com/ionode/ionode/exchange/dcql"
	"github.com/ionode/ionode/internal/oid4vcitest"
)

// TestCredentialSetsWalletInterop: the independent wallet, holding a PID (SD-JWT VC) and an employee
// VC-JWT, has the OpenWallet Foundation's dcql library choose what answers a request with credential
// sets (a PID, or else the employee credential; optionally a loyalty card it does not hold) and claim
// sets (the PID's given_name with a claim it lacks, or with its locality): it sends the PID with the
// second claim set, and the node accepts. When no claim set of the PID can be met, dcql falls back to
// the second option and the node accepts the employee credential alone.
func TestCredentialSetsWalletInterop(t *testing.T) {
	requireWallet(t)
	sdKey, n, holder, wallet, o, employeeOffer := newSDWalletSetup(t)
	no := false
	ask := func(pidClaimSets [][]string) exchange.CreateResponse {
		return n.create(t, exchange.PresentationRequest{
			RequestedCredentials: []exchange.RequestedCredential{
				{ID: "pid", Type: pidVCT, Format: "dc+sd-jwt", AcceptedIssuers: []string{sdKey.DID()}, Claims: []exchange.ClaimRequest{
					{ID: "g", Path: []any{"given_name"}}, {ID: "x", Path: []any{"no_such_claim"}}, {ID: "loc", Path: []any{"address", "locality"}}},
					ClaimSets: pidClaimSets},
				{ID: "badge", Type: oid4vcitest.Employee, AcceptedIssuers: []string{n.Signer.DID()},
					Claims: []exchange.ClaimRequest{{Path: []any{"credentialSubject", "displayName"}, Values: []any{"Erika"}}}},
				{ID: "loyalty", Type: "Loyalty", Multiple: true},
			},
			Extensions: &exchange.PresentationExtensions{CredentialSets: []dcql.CredentialSet{
				{Options: [][]string{{"pid"}, {"badge"}}}, {Options: [][]string{{"loyalty"}}, Required: &no}}},
		})
	}
	pidFirst, badgeOnly := ask([][]string{{"g", "x"}, {"g", "loc"}}), ask([][]string{{"x"}, {"x", "loc"}})
	respond := func(req string) map[string]any {
		return map[string]any{"op": "respond", "request": req, "choose": true, "holder": wallet, "as": req}
	}
	steps := []walletStep{
		{name: "receive a PID", cmd: map[string]any{"op": "receive", "offer": o.ByReference, "txCode": "", "holder": wallet, "configurationId": "pid", "as": "pid"}},
		{name: "receive a VC-JWT", cmd: map[string]any{"op": "receive", "offer": employeeOffer.ByReference, "txCode": "", "holder": wallet, "configurationId": oid4vcitest.Employee, "as": "employee"}},
		{name: "resolve", cmd: map[string]any{"op": "resolve", "url": pidFirst.URL, "as": "pidFirst"}},
		{name: "dcql picks the PID and its second claim set", cmd: respond("pidFirst"), request: pidFirst.RequestID},
		{name: "resolve a request the PID cannot meet", cmd: map[string]any{"op": "resolve", "url": badgeOnly.URL, "as": "badgeOnly"}},
		{name: "dcql picks the second option", cmd: respond("badgeOnly"), request: badgeOnly.RequestID},
	}
	n.run(t, holder.DID(), steps, func(*testing.T, walletStep, interopResult) {}, func(t *testing.T, vcd exchange.VerifiedCredentialData) {
		if slices.Contains(vcd.Type, oid4vcitest.Employee) {
			if string(vcd.Claims) != `{"displayName":"Erika"}` {
				t.Fatalf("verified claims %s", vcd.Claims)
			}
			return
		}
		paths := disclosedPaths(vcd)
		if !slices.Equal(paths, []string{`["address","locality"]`, `["address"]`, `["given_name"]`}) {
			t.Fatalf("disclosed %v", paths)
		}
	})
}

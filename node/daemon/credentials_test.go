package daemon

import (
	"context"
	"crypto/ed25519"
	"net/http"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/ionode/ionode/credential"
	"github.com/ionode/ionode/credential/status"
	"github.com/ionode/ionode/internal/credtest"
	"github.com/ionode/ionode/resolver"
	"github.com/ionode/ionode/resolver/ion"
	"github.com/ionode/ionode/resolver/key"
	"github.com/ionode/ionode/sidetree"
)

// remoteRecorder stands for the web status checker: it only records that it was asked.
type remoteRecorder struct{ asked int }

func (r *remoteRecorder) CheckStatus(context.Context, string, credential.Status) error {
	r.asked++
	return nil
}

// TestStatusCheckerOwnLists: entries of the node's own lists are read from its store (a revocation counts
// at once), with the entry's kind and purpose checked; other lists and issuers go to the web checker.
func TestStatusCheckerOwnLists(t *testing.T) {
	ctx := context.Background()
	signer := credtest.KeyDID(t, credential.EdDSA)
	mgr := &status.Manager{Store: &status.FileStore{Dir: filepath.Join(t.TempDir(), "status")}, Issuer: &credential.Issuer{Signer: signer}, BaseURL: "https://node.example/status"}
	if err := mgr.Create(ctx, "revocation", status.StatusList2021, "revocation", 0); err != nil {
		t.Fatal(err)
	}
	entry, err := mgr.Allocate(ctx, "revocation")
	if err != nil {
		t.Fatal(err)
	}
	index, _ := strconv.Atoi(entry.StatusListIndex)
	if err := mgr.SetStatus(ctx, "revocation", index, true); err != nil {
		t.Fatal(err)
	}
	remote := &remoteRecorder{}
	c := &statusChecker{own: mgr, issuer: signer.DID(), remote: remote}
	with := func(change func(*credential.Status)) credential.Status {
		e := entry
		change(&e)
		return e
	}
	other := index + 1
	if other >= status.MinEntries {
		other = index - 1
	}
	tests := []struct {
		name   string
		issuer string
		entry  credential.Status
		code   credential.Code // "" for not revoked
		remote bool
	}{
		{"revoked", signer.DID(), entry, credential.CodeRevoked, false},
		{"other index", signer.DID(), with(func(e *credential.Status) { e.StatusListIndex = strconv.Itoa(other) }), "", false},
		{"index out of range", signer.DID(), with(func(e *credential.Status) { e.StatusListIndex = strconv.Itoa(status.MinEntries) }), credential.CodeStatusUnavailable, false},
		{"index not canonical", signer.DID(), with(func(e *credential.Status) { e.StatusListIndex = "0" + e.StatusListIndex }), credential.CodeStatusUnavailable, false},
		{"wrong purpose", signer.DID(), with(func(e *credential.Status) { e.StatusPurpose = "suspension" }), credential.CodeStatusUnavailable, false},
		{"wrong kind", signer.DID(), with(func(e *credential.Status) { e.Type = status.BitstringStatusList.EntryType() }), credential.CodeStatusUnavailable, false},
		{"unknown list", signer.DID(), with(func(e *credential.Status) { e.StatusListCredential = mgr.URL("other") }), credential.CodeStatusUnavailable, false},
		{"another issuer", "did:web:example.com", entry, "", true},
		{"another URL", signer.DID(), with(func(e *credential.Status) { e.StatusListCredential = "https://elsewhere.example/status/revocation" }), "", true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			before := remote.asked
			err := c.CheckStatus(ctx, tc.issuer, tc.entry)
			if got := credential.CodeOf(err); got != tc.code {
				t.Fatalf("code %q (%v), want %q", got, err, tc.code)
			}
			if asked := remote.asked > before; asked != tc.remote {
				t.Fatalf("web checker asked: %v, want %v", asked, tc.remote)
			}
		})
	}
}

// TestIdentifiersOtherMethods: GET /identifiers/{did} answers did:ion through ION's resolver unchanged,
// other methods through the dispatcher with the Universal Resolver's statuses.
func TestIdentifiersOtherMethods(t *testing.T) {
	pub, _, _ := ed25519.GenerateKey(nil)
	didKey, _ := key.DIDKey(pub)
	ionRes := &ion.Resolver{Network: sidetree.Regtest(), Log: credtest.EmptyLog{}}
	r := identifiers{answers: ion.NewAnswers(ionRes, 0), methods: &resolver.Dispatcher{Methods: map[string]resolver.Method{"ion": resolver.ION(ionRes), "key": key.Key{}}}}
	suffixOnly := "did:ion:EiDyOQbbZAa3aiRzeCkV7LOx3SERjjH93EXoIM3UoN4oWg"
	tests := []struct {
		did    string
		status int
		field  string // a member the body must have
	}{
		{didKey, http.StatusOK, "didDocument"},
		{"did:key:zNope", http.StatusBadRequest, "didResolutionMetadata"},
		{"did:example:1", http.StatusNotImplemented, "didResolutionMetadata"},
		{suffixOnly, http.StatusNotFound, "code"}, // ION's own body
		{"not-a-did", http.StatusBadRequest, "code"},
	}
	for _, tc := range tests {
		res, err := r.Resolve(context.Background(), tc.did)
		if err != nil {
			t.Fatal(err)
		}
		want, _ := ionRes.Resolve(context.Background(), tc.did)
		if tc.field == "code" && string(want.Body.Stringify()) != string(res.Body.Stringify()) {
			t.Errorf("%s: body differs from ION's: %s", tc.did, res.Body.Stringify())
		}
		if _, ok := res.Body.Get(tc.field); res.Status != tc.status || !ok {
			t.Errorf("%s: %d %s, want %d with %s", tc.did, res.Status, res.Body.Stringify(), tc.status, tc.field)
		}
		// The serialized answer GET /identifiers/{did} sends is the same resolution, byte for byte.
		ans, err := r.Answer(context.Background(), tc.did)
		if err != nil || ans.Status != res.Status || string(ans.Body) != string(res.Body.Stringify()) {
			t.Errorf("%s: answer %v %v, want %d %s", tc.did, ans, err, res.Status, res.Body.Stringify())
		}
	}
}

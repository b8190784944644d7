package status_test

import (
	"context"
	"errors"
	"net/netip"
	"strings"
	"testing"

	"github.com/ionode/ionode/credential"
	"github.com/ionode/ionode/credential/status"
	"github.com/ionode/ionode/resolver/web"
)

// TestStatusFetchHidesAddresses: a credential's statusListCredential URL is chosen by whoever presents
// it, so a failed fetch must not tell them what the node's network answered (an internal address, a
// refused dial), only that the list was unavailable.
func TestStatusFetchHidesAddresses(t *testing.T) {
	client := &web.Client{LookupNetIP: func(context.Context, string, string) ([]netip.Addr, error) {
		return []netip.Addr{netip.MustParseAddr("10.1.2.3")}, nil
	}}
	c := &status.Checker{Client: client, Verifier: &credential.Verifier{}}
	err := c.CheckStatus(context.Background(), "did:example:issuer", credential.Status{
		Type: "BitstringStatusListEntry", StatusPurpose: "revocation", StatusListIndex: "7",
		StatusListCredential: "https://lists.internal/1",
	})
	var f *credential.Failure
	if !errors.As(err, &f) || f.Code != credential.CodeStatusUnavailable {
		t.Fatalf("err = %v, want %s", err, credential.CodeStatusUnavailable)
	}
	if !errors.Is(err, web.ErrForbiddenAddress) {
		t.Errorf("the cause is lost: %v", err)
	}
	for _, secret := range []string{"10.1.2.3", "address not allowed", "dial", "private"} {
		if strings.Contains(f.Detail, secret) {
			t.Errorf("the detail carries %q: %s", secret, f.Detail)
		}
	}
}

package daemon

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/ionode/ionode/credential"
	"github.com/ionode/ionode/credential/status"
)

// statusChecker reads the node's own status lists from its store, so that a revocation made through
// the admin route counts at once in the node's own verifications, and checks every other list over the
// web (status.Checker, which caches a fetched list for minutes).
type statusChecker struct {
	own    *status.Manager // nil when the node issues nothing
	issuer string          // DID of the node's issuer
	remote credential.StatusChecker
}

func (c *statusChecker) CheckStatus(ctx context.Context, issuer string, entry credential.Status) error {
	if c.own != nil && issuer == c.issuer {
		if id, ok := strings.CutPrefix(entry.StatusListCredential, c.own.URL("")); ok && status.ValidID(id) {
			return c.checkOwn(ctx, id, entry)
		}
	}
	return c.remote.CheckStatus(ctx, issuer, entry)
}

func (c *statusChecker) checkOwn(ctx context.Context, id string, entry credential.Status) error {
	unavailable := func(format string, args ...any) error {
		err := fmt.Errorf(format, args...)
		return &credential.Failure{Code: credential.CodeStatusUnavailable, Detail: err.Error(), Err: err}
	}
	kind, ok := status.KindOfEntry(entry.Type)
	if !ok {
		return unavailable("unsupported credentialStatus type %q", entry.Type)
	}
	index, err := strconv.Atoi(entry.StatusListIndex)
	if err != nil || index < 0 || strconv.Itoa(index) != entry.StatusListIndex {
		return unavailable("statusListIndex %q is not a non-negative integer", entry.StatusListIndex)
	}
	listKind, purpose, set, err := c.own.Lookup(ctx, id, index)
	switch {
	case errors.Is(err, status.ErrNotFound):
		return unavailable("this node has no status list %s", id)
	case listKind == "": // the list could not be read
		return unavailable("status list %s: %w", id, err)
	case listKind != kind || purpose != entry.StatusPurpose:
		return unavailable("%s %s entry points at the %s %s list %s", entry.Type, entry.StatusPurpose, listKind, purpose, id)
	case err != nil: // the index is outside the list
		return unavailable("%v", err)
	}
	if set {
		return &credential.Failure{Code: credential.CodeRevoked, Detail: fmt.Sprintf("%s bit %d of %s is set", entry.StatusPurpose, index, entry.StatusListCredential)}
	}
	return nil
}

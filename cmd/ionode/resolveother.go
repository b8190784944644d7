package main

import (
	"context"
	"errors"

	"github.com/ionode/ionode/resolver"
	"github.com/ionode/ionode/resolver/ion"
	"github.com/ionode/ionode/resolver/methods"
)

// resolveOther resolves a DID of a method other than ion without a node: did:key and did:jwk offline
// (the key is the DID), did:web over HTTPS through the same SSRF-guarded client the node uses. Its
// result is the W3C DID Resolution result the node's Universal Resolver route gives.
func resolveOther(ctx context.Context, did string) (*resolver.Result, error) {
	return methods.New(ion.LongFormOnly{}, nil, nil).Resolve(ctx, did)
}

// exitCodeOf maps a resolution error to the CLI's exit codes.
func exitCodeOf(err error) int {
	var rerr *resolver.Error
	switch {
	case err == nil:
		return 0
	case errors.As(err, &rerr) && (rerr.Code == resolver.CodeInvalidDID || rerr.Code == resolver.CodeMethodNotSupported):
		return exitInvalidInput
	case errors.As(err, &rerr) && rerr.Code == resolver.CodeNotFound:
		return exitNotFound
	}
	return 1
}

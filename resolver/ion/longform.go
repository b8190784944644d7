package ion

import (
	"context"
	"strings"

	"github.com/ionode/ionode/sidetree"
)

// LongFormOnly resolves long-form did:ion DIDs (did:ion:test: ones too) from the create operation they
// carry, with no node and no store: a verifier without a node can still resolve a DID whose holder
// presents its long form. What it cannot know is whether the DID was updated or deactivated since: its
// answer is the DID's initial state, marked unpublished. Short-form DIDs are not found (404).
type LongFormOnly struct{}

// Resolve resolves a DID as the ION API does, with an empty operation log.
func (LongFormOnly) Resolve(ctx context.Context, did string) (sidetree.Resolution, error) {
	network := sidetree.Mainnet()
	if strings.HasPrefix(did, "did:"+sidetree.Testnet().Method+":") {
		network = sidetree.Testnet()
	}
	return (&Resolver{Network: network, Log: noOperations{}}).Resolve(ctx, did)
}

// noOperations is the operation log of a resolver without a node.
type noOperations struct{}

func (noOperations) Operations(context.Context, string) ([]sidetree.AnchoredOperation, uint64, error) {
	return nil, 0, nil
}

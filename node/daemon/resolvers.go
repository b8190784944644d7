package daemon

import (
	"context"

	"github.com/ionode/ionode/node"
	"github.com/ionode/ionode/resolver"
	"github.com/ionode/ionode/resolver/ion"
	"github.com/ionode/ionode/resolver/methods"
	"github.com/ionode/ionode/resolver/web"
	"github.com/ionode/ionode/sidetree"
)

// dispatcher resolves every DID method the node knows through one resolver.Dispatcher: did:ion from the
// node's store through answers (the cache GET /identifiers serves from) (its state cache is generation-checked, so a cached state is never older than the
// store's operations for the DID), did:web over the SSRF-guarded client, did:key and did:jwk offline.
func (d *Daemon) dispatcher(answers *ion.Answers, client *web.Client) *resolver.Dispatcher {
	return methods.New(answers, web.New(client, web.Options{MaxTTL: d.cfg.Credentials.WebMaxTTL, Logger: d.log}), d.log)
}

// identifiers answers GET /identifiers/{did}: did:ion (and anything that is not a DID) through ION's
// resolver, so those answers stay exactly ION's; DIDs of other methods through the dispatcher, as W3C
// DID Resolution results with the Universal Resolver's statuses.
type identifiers struct {
	answers *ion.Answers // ION's resolver, its answers kept serialized
	methods *resolver.Dispatcher
}

// Answer is Resolve serialized; did:ion answers come from the node's remembered answers.
func (r identifiers) Answer(ctx context.Context, did string) (*ion.Answer, error) {
	if isION(did) {
		return r.answers.Answer(ctx, did)
	}
	res, err := r.Resolve(ctx, did)
	if err != nil {
		return nil, err
	}
	return ion.NewAnswer(res), nil
}

var _ node.HeldAnswerer = identifiers{}

// AnswerHeld is the node's kept did:ion answer when serving it waits on nothing (ion.Answers.AnswerHeld):
// GET /identifiers serves it without a request deadline.
func (r identifiers) AnswerHeld(did string) (*ion.Answer, bool) {
	if !isION(did) {
		return nil, false
	}
	return r.answers.AnswerHeld(did)
}

// isION: did:ion and anything that is not a DID go to ION's resolver.
func isION(did string) bool {
	name, err := resolver.MethodName(did)
	return err != nil || name == "ion"
}

func (r identifiers) Resolve(ctx context.Context, did string) (sidetree.Resolution, error) {
	if isION(did) {
		return r.answers.Resolve(ctx, did)
	}
	res, err := r.methods.Resolve(ctx, did)
	body, perr := sidetree.ParseJSON(resolver.ResultJSON(res, err))
	if perr != nil {
		return sidetree.Resolution{}, perr
	}
	return sidetree.Resolution{Status: resolver.HTTPStatusOf(err), Body: body}, nil
}

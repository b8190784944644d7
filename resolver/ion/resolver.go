package ion

import (
	"context"
	"errors"
	"fmt"
	"log/slog"

	"github.com/ionode/ionode/sidetree"
)

// OperationLog is what the resolver needs of the store: a DID's anchored operations in
// (transaction number, operation index) order.
type OperationLog interface {
	// Operations returns a DID's anchored operations and the log's generation for that DID: a number the
	// store changes whenever an operation of the DID is stored or rolled back.
	Operations(ctx context.Context, didSuffix string) (ops []sidetree.AnchoredOperation, generation uint64, err error)
}

// StateCache keeps computed DID states. The generation closes the race between a resolver computing a
// state and the observer storing a new operation meanwhile: a state is cached only with the generation
// its operations were read at, and served only while that is still the DID's current generation.
type StateCache interface {
	// CachedState returns the cached state if it was computed at the DID's current generation.
	CachedState(ctx context.Context, didSuffix string) (data []byte, ok bool, err error)
	// CacheState stores a state computed from the operations of the given generation; the store ignores it
	// when the DID's generation has moved on.
	CacheState(ctx context.Context, didSuffix string, generation uint64, data []byte) error
}

// Resolver resolves did:ion DIDs of one network.
type Resolver struct {
	Network sidetree.Network
	Log     OperationLog
	Cache   StateCache // optional
	Logger  *slog.Logger
}

// Resolve resolves a DID string. A malformed DID is not an error: it is a 400 resolution with ION's code.
// Errors are failures of the store.
func (r *Resolver) Resolve(ctx context.Context, did string) (sidetree.Resolution, error) {
	parsed, malformed := r.parse(did)
	if parsed == nil {
		return malformed, nil
	}
	return r.resolveParsed(ctx, parsed)
}

// Answer is Resolve serialized, as GET /identifiers/{did} sends it: the body is written straight from the
// DID's state (see answerParsed). Errors are failures of the store.
func (r *Resolver) Answer(ctx context.Context, did string) (*Answer, error) {
	parsed, malformed := r.parse(did)
	if parsed == nil {
		return NewAnswer(malformed), nil
	}
	return r.answerParsed(ctx, parsed)
}

// parse parses a DID string of r's network; a malformed one gives nil and its 400 resolution.
func (r *Resolver) parse(did string) (*sidetree.DID, sidetree.Resolution) {
	parsed, err := sidetree.ParseDID(did, r.Network.Method, r.Network.Latest())
	if err != nil {
		return nil, sidetree.Resolution{Status: 400, Body: sidetree.ErrorBody(err)}
	}
	return parsed, sidetree.Resolution{}
}

// resolveParsed is Resolve of a parsed DID.
func (r *Resolver) resolveParsed(ctx context.Context, parsed *sidetree.DID) (sidetree.Resolution, error) {
	state, err := r.State(ctx, parsed.Suffix)
	var unresolvable *sidetree.Error
	if errors.As(err, &unresolvable) {
		return sidetree.Resolution{Status: 400, Body: sidetree.ErrorBody(unresolvable)}, nil
	}
	if err != nil {
		return sidetree.Resolution{}, err
	}
	return sidetree.ResolveDIDState(parsed, state), nil
}

// State returns the published state of a DID suffix, nil when it has no valid create. A *sidetree.Error
// means the reference fails this DID's resolution (see sidetree.Resolve); other errors are the store's.
func (r *Resolver) State(ctx context.Context, suffix string) (*sidetree.State, error) {
	if r.Cache != nil {
		data, ok, err := r.Cache.CachedState(ctx, suffix)
		if err != nil {
			return nil, fmt.Errorf("read cached state of %s: %w", suffix, err)
		}
		if ok {
			if len(data) == 0 {
				return nil, nil // cached "no valid create"
			}
			state, err := sidetree.DecodeState(data)
			if err == nil {
				return state, nil
			}
			r.logger().Warn("discarding unreadable cached DID state", "suffix", suffix, "err", err)
		}
	}
	ops, generation, err := r.Log.Operations(ctx, suffix)
	if err != nil {
		return nil, fmt.Errorf("read operations of %s: %w", suffix, err)
	}
	state, err := sidetree.Resolve(ops)
	if err != nil {
		return nil, fmt.Errorf("resolve %s: %w", suffix, err)
	}
	if r.Cache != nil && len(ops) > 0 {
		var data []byte
		if state != nil {
			data = sidetree.EncodeState(state)
		}
		if err := r.Cache.CacheState(ctx, suffix, generation, data); err != nil {
			r.logger().Warn("caching DID state failed", "suffix", suffix, "err", err)
		}
	}
	return state, nil
}

func (r *Resolver) logger() *slog.Logger {
	if r.Logger != nil {
		return r.Logger
	}
	return slog.Default()
}

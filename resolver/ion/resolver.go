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
	res, _, _, _, err := r.resolve(ctx, did)
	return res, err
}

// resolve is Resolve, also returning the parsed DID (nil when malformed) and the encoded state the
// answer was computed from, with whether the state cache holds exactly that encoding for the DID now
// (cached: false when there is no cache, no anchored operation, or the state could not be cached).
func (r *Resolver) resolve(ctx context.Context, did string) (_ sidetree.Resolution, _ *sidetree.DID, data []byte, cached bool, _ error) {
	parsed, err := sidetree.ParseDID(did, r.Network.Method, r.Network.Latest())
	if err != nil {
		return sidetree.Resolution{Status: 400, Body: sidetree.ErrorBody(err)}, nil, nil, false, nil
	}
	state, data, cached, err := r.state(ctx, parsed.Suffix)
	var unresolvable *sidetree.Error
	if errors.As(err, &unresolvable) {
		return sidetree.Resolution{Status: 400, Body: sidetree.ErrorBody(unresolvable)}, parsed, nil, false, nil
	}
	if err != nil {
		return sidetree.Resolution{}, parsed, nil, false, err
	}
	return sidetree.ResolveDIDState(parsed, state), parsed, data, cached, nil
}

// State returns the published state of a DID suffix, nil when it has no valid create. A *sidetree.Error
// means the reference fails this DID's resolution (see sidetree.Resolve); other errors are the store's.
func (r *Resolver) State(ctx context.Context, suffix string) (*sidetree.State, error) {
	state, _, _, err := r.state(ctx, suffix)
	return state, err
}

// state is State, also returning the state's encoding and whether the state cache holds it.
func (r *Resolver) state(ctx context.Context, suffix string) (_ *sidetree.State, data []byte, cached bool, _ error) {
	if r.Cache != nil {
		data, ok, err := r.Cache.CachedState(ctx, suffix)
		if err != nil {
			return nil, nil, false, fmt.Errorf("read cached state of %s: %w", suffix, err)
		}
		if ok {
			if len(data) == 0 {
				return nil, data, true, nil // cached "no valid create"
			}
			state, err := sidetree.DecodeState(data)
			if err == nil {
				return state, data, true, nil
			}
			r.logger().Warn("discarding unreadable cached DID state", "suffix", suffix, "err", err)
		}
	}
	ops, generation, err := r.Log.Operations(ctx, suffix)
	if err != nil {
		return nil, nil, false, fmt.Errorf("read operations of %s: %w", suffix, err)
	}
	state, err := sidetree.Resolve(ops)
	if err != nil {
		return nil, nil, false, fmt.Errorf("resolve %s: %w", suffix, err)
	}
	if r.Cache != nil && len(ops) > 0 {
		data = nil
		if state != nil {
			data = sidetree.EncodeState(state)
		}
		if err := r.Cache.CacheState(ctx, suffix, generation, data); err != nil {
			r.logger().Warn("caching DID state failed", "suffix", suffix, "err", err)
			return state, nil, false, nil
		}
		// Whether the cache kept it (the generation may have moved on) is the next read's to tell:
		// an answer remembered under this encoding is only served while the cache returns it.
		return state, data, true, nil
	}
	return state, nil, false, nil
}

func (r *Resolver) logger() *slog.Logger {
	if r.Logger != nil {
		return r.Logger
	}
	return slog.Default()
}

package sidetree

import "net/http"

// Resolution is what GET /identifiers/{did} answers: an HTTP status and a JSON body.
type Resolution struct {
	Status int
	Body   Value
	// State is the DID's state, nil when not found.
	State *State
}

// ResolveDID resolves a parsed DID from its anchored operations (in store order), as the reference's
// RequestHandler.handleResolveRequest: a short-form DID is found only if anchored; a long-form DID
// resolves from the chain when anchored (published) and otherwise from its embedded create operation.
func ResolveDID(did *DID, anchored []AnchoredOperation) Resolution {
	state, err := Resolve(anchored)
	if err != nil {
		return Resolution{Status: http.StatusBadRequest, Body: ErrorBody(err)}
	}
	return ResolveDIDState(did, state)
}

// ResolveDIDState is ResolveDID for a published state already computed (nil when the DID has no valid
// anchored create), e.g. from a cache.
func ResolveDIDState(did *DID, state *State) Resolution {
	state, status, published := resolvedState(did, state)
	if state == nil {
		return Resolution{Status: status, Body: notFoundBody()}
	}
	return Resolution{Status: status, Body: ResolutionResult(state, did, published), State: state}
}

// AppendResolveDID is ResolveDID serialized: it appends the body's JSON.stringify form to dst and
// returns it with the status and whether the DID is published (Resolution.Published), writing the body
// straight from the state instead of composing it (AppendResolutionResult).
func AppendResolveDID(dst []byte, did *DID, anchored []AnchoredOperation) (body []byte, status int, published bool) {
	state, err := Resolve(anchored)
	if err != nil {
		return ErrorBody(err).AppendStringify(dst), http.StatusBadRequest, false
	}
	return AppendResolveDIDState(dst, did, state)
}

// AppendResolveDIDState is ResolveDIDState serialized, as AppendResolveDID is ResolveDID.
func AppendResolveDIDState(dst []byte, did *DID, state *State) (body []byte, status int, published bool) {
	state, status, published = resolvedState(did, state)
	if state == nil {
		return notFoundBody().AppendStringify(dst), status, false
	}
	return AppendResolutionResult(dst, state, did, published), status, published
}

// resolvedState is the state a DID resolves to given its published state (nil when none), the HTTP
// status and whether it is published; nil when the DID is not found.
func resolvedState(did *DID, state *State) (*State, int, bool) {
	published := state != nil
	if state == nil && !did.IsShortForm() {
		// The reference applies the embedded create at transaction 0: it is a theoretical state.
		state = ApplyParsed(did.Create, 0, nil)
	}
	switch {
	case state == nil:
		return nil, http.StatusNotFound, false
	case state.Deactivated():
		return state, http.StatusGone, published
	}
	return state, http.StatusOK, published
}

func notFoundBody() Value { return ErrorBody(newError(CodeDidNotFound, "DID Not Found")) }

// ErrorBody is ION's error body, {code, message}. The message of our own codes is ours.
func ErrorBody(err error) Value {
	var code Code
	msg := err.Error()
	if e, ok := err.(*Error); ok {
		code, msg = e.Code, e.Message
	} else if c := CodeOf(err); c != "" {
		code = c
	} else {
		code = CodeInvalidJSON
	}
	return Object(Member{"code", String(string(code))}, Member{"message", String(msg)})
}

// Published reports whether the resolution is of a published DID (its didDocumentMetadata.method.published).
func (r Resolution) Published() bool {
	published, _ := r.Body.Field("didDocumentMetadata").Field("method").Field("published").Boolean()
	return published
}

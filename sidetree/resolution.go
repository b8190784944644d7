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
	published := state != nil
	if state == nil && !did.IsShortForm() {
		// The reference applies the embedded create at transaction 0: it is a theoretical state.
		state = ApplyParsed(did.Create, 0, nil)
	}
	if state == nil {
		return Resolution{Status: http.StatusNotFound, Body: ErrorBody(newError(CodeDidNotFound, "DID Not Found"))}
	}
	status := http.StatusOK
	if state.Deactivated() {
		status = http.StatusGone
	}
	return Resolution{Status: status, Body: ResolutionResult(state, did, published), State: state}
}

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

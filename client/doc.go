// Package client is the Go client of an ionode node's HTTP API (and, for the ION routes, of any ION
// node: the routes are the same). The ionode CLI talks to nodes through it.
//
// It covers the ION API (resolve, submit an operation and wait until it is anchored, a DID's operation
// history), the Universal Resolver driver route, the node status, the credential routes (issue, verify,
// revoke) and the wallet-exchange requests (createPresentationRequest, createIssuanceRequest and their
// status route).
//
// Every call takes a context. GET requests are retried with exponential backoff on transport failures
// and on 429, 502, 503 and 504 answers; a POST is never resent blindly: SubmitAndWait retries only the
// refusals after which the node has done nothing (a full queue, the DID's previous operation still
// pending) and takes did_already_anchored, for a create, as done. A node's refusal is an *APIError
// carrying the route's stable code: match it with errors.As, or with errors.Is against ErrAlreadyAnchored
// and the other Err values.
//
// A Client resolves did:ion for the resolver package too: resolver.ION(c) is a resolver.Method that
// resolves through the node.
package client

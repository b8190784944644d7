// Package ion resolves did:ion DIDs: from the node's operation log (published DIDs) and from a long-form
// DID's embedded initial state (unpublished ones), returning exactly the body and status the ION reference
// node returns from GET /identifiers/{did}. Computed states are cached in the store and recomputed from the
// log whenever the log changes.
package ion

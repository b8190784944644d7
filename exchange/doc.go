// Package exchange is the wallet-exchange core shared by the OpenID4VP verifier (exchange/oid4vp) and the
// OpenID4VCI issuer (exchange/oid4vci): request records with their state machine, the Request Service API
// envelope in Microsoft Entra Verified ID's shapes, the relying-party callback dispatcher (SSRF-guarded,
// retried with backoff) and QR codes.
//
// # Request state
//
// A request record lives in the node's store so that replicas behind a load balancer share it. The store
// offers it through this method set (node/store.Sessions; implemented by the Pebble and MongoDB stores and
// checked by internal/storetest). Consumers declare their own interface with exactly these methods:
//
//	type Sessions interface {
//		// PutSession stores a new record that stays visible until expires. created is false (and nothing
//		// is written) when a live record already has this id; an expired one is replaced.
//		PutSession(ctx context.Context, id string, data []byte, expires time.Time) (created bool, err error)
//		// GetSession returns a live record and its version (1 after PutSession, +1 per swap); ok is false
//		// when there is none or it has expired.
//		GetSession(ctx context.Context, id string) (data []byte, version uint64, ok bool, err error)
//		// SwapSession replaces a live record only while its version is still version (compare-and-swap).
//		// swapped is false when another writer came first, or the record is gone or expired.
//		SwapSession(ctx context.Context, id string, version uint64, data []byte, expires time.Time) (swapped bool, err error)
//		// DeleteSession removes a record; deleting a missing one is not an error.
//		DeleteSession(ctx context.Context, id string) error
//	}
//
// Ids are opaque strings of 1–200 bytes without NUL; each consumer prefixes its own (this package uses
// "vp:" for presentation requests, oid4vci uses "vci:"). data is at most 64 KiB. Expired records are
// invisible to every method and are removed by the store in the background. On a MongoDB store these
// writes work on read-only (replica) stores too: session state is not chain data. A read-only Pebble
// store cannot write at all and returns store.ErrReadOnly.
package exchange

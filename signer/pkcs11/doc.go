// Package pkcs11 keeps signing keys in a PKCS#11 token (an HSM, a smart card, SoftHSM2) behind the
// signer.Signer interface. A key is named by an RFC 7512 URI (pkcs11:token=…;object=…), found by its
// label, generated inside the token (never exportable) and used through a pool of sessions.
//
// The PIN comes from a file or an environment variable, never from the URI or a flag value: a pin-value
// attribute is refused, because a URI ends up in shell history, process listings and configuration files.
//
// Loading a PKCS#11 module needs cgo (dlopen); a build without cgo returns ErrNoCGO.
package pkcs11

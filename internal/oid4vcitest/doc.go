// Package oid4vcitest starts an OpenID4VCI issuer on a test HTTPS server for the tests of
// exchange/oid4vci and the packages built on it: a did:key ES256K issuer, a status list, resolvers for
// holders and an in-process session store.
package oid4vcitest

// Package interop cross-checks ionode against the ION reference implementation: the npm packages
// @decentralized-identity/sidetree 1.0.6 (the code ION mainnet nodes run) and
// @decentralized-identity/ion-sdk 1.0.4 (what wallets use to build requests), driven through
// reference.mjs in a Node.js child process.
//
// The tests generate DIDs and operation histories on both sides (ion-sdk's random keys and our
// builder's), resolve them with both resolvers, submit requests to both POST /operations handlers, and
// require byte-identical response bodies. They need `npm ci` in this directory; without node_modules
// they skip, except under CI (CI set), where a missing reference is a failure.
package interop

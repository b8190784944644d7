// Package interop holds the cross-check of ionode's VC-JWTs against an independent implementation,
// did-jwt-vc and did-jwt from the npm registry (package.json and package-lock.json pin them; run
// `npm ci` here). interop_test.go drives interop.mjs with Node: credentials issued by ionode verify with
// did-jwt-vc and the other way round, for ES256K and EdDSA, with did:web, did:key and long-form did:ion
// issuers. The test skips when node_modules is missing, unless CI is set.
package interop

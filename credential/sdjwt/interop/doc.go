// Package interop cross-checks credential/sdjwt and credential/status/tokenstatus against the OpenWallet
// Foundation's @sd-jwt packages (@sd-jwt/sd-jwt-vc, @sd-jwt/core, @sd-jwt/jwt-status-list,
// @sd-jwt/crypto-nodejs) run by Node.js in a child process: what ionode issues and presents they
// verify, what they issue and present ionode verifies, and each side reads the other's status list
// tokens. Run `npm ci` here first; in CI (CI set) a missing Node.js or node_modules fails the test.
package interop

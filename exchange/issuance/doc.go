// Package issuance is the Request Service API's issuance side in Microsoft Entra Verified ID's shapes:
//
//	POST /v1.0/verifiableCredentials/createIssuanceRequest   admin: type, claims, pin, callback, registration
//
// mounted on the exchange.Mux, whose GET …/requests/{id} answers the request's status.
//
// A request becomes an OpenID4VCI credential offer (exchange/oid4vci) for the configuration whose id or
// types hold the request's type; its claims go into the credential, its PIN becomes the offer's tx_code.
// The answer carries requestId, url (openid-credential-offer://?credential_offer_uri=…), expiry and,
// with includeQRCode, qrCode (a PNG data URI).
//
// As the wallet goes through the exchange, the relying party's callback gets request_retrieved, then
// issuance_successful or issuance_error ({"code", "message"}), each with requestId and state, through a
// Callbacks sender (exchange.Dispatcher: SSRF-guarded, retried). The request record (exchange.Requests,
// kind vci) lives in the session store with the offer, so replicas share it.
//
// Fields Entra has and ionode does not use: manifest (the configurations file replaces it), a hashed pin
// (salt, alg, iterations: refused), expirationDate of the credential (the configuration's validity
// applies).
package issuance

// Command exchange measures wallet exchanges per second against the whole node (issue 18): node/daemon
// as `ionode serve` runs it, with its OpenID4VCI issuer and OpenID4VP verifier, serves on loopback, and a
// second process (this command re-executed) plays the wallets and the relying party over real HTTP:
//
//   - issuance: createIssuanceRequest (admin token, with a callback), the credential offer, the token
//     request (pre-authorized code), the nonce request and the credential request with the wallet's
//     proof of possession; the node checks the proof, takes a status-list entry and signs a VC-JWT;
//   - presentation: createPresentationRequest, the wallet's fetch of the signed request object, its VP
//     around one credential issued by the node, and the direct_post response, which the node verifies
//     (both signatures, the issuer's did:ion, the status list, nonce, audience and expiry).
//
// Every exchange must succeed and every request's final callback must reach the relying party, or the
// run fails. The node's CPU time is this process's; the wallets' (their VP and proof signatures) and
// the relying party's are the load generator's, reported apart. In the same run, the ES256K signing
// rate of the node's key is measured, and each flow's rate is set against it and against Entra
// Verified ID's planning figure (about 2,000 Key Vault signings per 10 s, about 3 per exchange).
//
//	go run ./bench/exchange                          # 20,000 exchanges of each flow
//	go run ./bench/exchange -tiny                    # seconds; what CI runs (TestExchangeTiny)
//	go run ./bench/exchange -cpuprofile /tmp/x       # the node's profiles: /tmp/x-issuance.pprof, …
//
// Targets (issue 18): ≥ 500 issuances/s and ≥ 1,000 presentations/s on a 2-core machine.
package main

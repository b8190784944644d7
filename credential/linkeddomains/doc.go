// Package linkeddomains creates and verifies DIF Well Known DID Configurations: the
// /.well-known/did-configuration.json resource by which a web origin and a DID vouch for each other, as
// wallets check it for Microsoft Entra Verified ID issuers and verifiers.
//
// A link holds when both directions hold: the DID document lists the origin in a LinkedDomains service,
// and the origin's DID configuration contains a valid Domain Linkage credential (JWT form) issued by the
// DID about the DID (iss = sub = credentialSubject.id) for exactly that origin, signed by a key in the
// DID's assertionMethod.
package linkeddomains

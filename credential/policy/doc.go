// Package policy is the verifier's trust policy: which issuers are trusted for which credential types,
// named by DID or by a web origin the issuer's DID must be verifiably linked to (DIF Linked Domains).
// It is loaded from a JSON file:
//
//	{
//	  "trustedIssuers": [
//	    {"credentialTypes": ["VerifiedEmployee"], "dids": ["did:web:contoso.com"]},
//	    {"credentialTypes": ["VerifiedEmployee", "Badge"], "linkedDomains": ["https://fabrikam.com"]},
//	    {"credentialTypes": ["*"], "dids": ["did:ion:EiA..."]}
//	  ]
//	}
//
// A credential is trusted when one of its types (other than VerifiableCredential) has a rule (or a "*"
// rule exists) that lists its issuer's DID, or lists an origin that the issuer's DID document claims in a
// LinkedDomains service and whose DID configuration verifies. Otherwise verification fails with
// domain_not_linked (a listed origin was claimed but its link did not verify) or untrusted_issuer.
package policy

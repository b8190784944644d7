// Package presex is DIF Presentation Exchange v2 for the node's verifier and holder: it builds the
// presentation_definition that asks for the relying party's credentials, reads a wallet's
// presentation_submission and follows its descriptor_map into the vp_token to the credentials that answer
// each input descriptor, whose constraints it then checks.
//
// It is pure: no I/O, no clock, no signature checks. JWTs met on the way are decoded by the caller's
// Decoder (the node's one JWS parser), and the presentations it selects are verified by the credential
// package afterwards. Wallet input is bounded before it is parsed (MaxSubmissionBytes, maxDepth,
// MaxDescriptors, maxPathBytes) and every step is linear in it.
//
// Only what PE needs for VC-JWTs in OpenID4VP is implemented: the formats jwt_vp/jwt_vp_json holding
// jwt_vc/jwt_vc_json, JSONPath's member and index steps (no wildcards, slices, filters or recursive
// descent: see path.go), and the JSON Schema keywords type, const, enum, pattern and contains in field
// filters. Submission requirements (rules all and pick with count, min and max, from a group or
// from_nested) are validated, evaluated against a submission (Satisfies) and used to choose what a
// holder answers (Choose). A definition from outside is read by ParseDefinition, bounded and validated
// with stable error codes (ErrorCode).
package presex

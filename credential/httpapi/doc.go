// Package httpapi exposes the credential packages over HTTP for the node to mount:
//
//	POST /credentials/verify     public: {"jwt": "<VC-JWT or SD-JWT VC>"} → verification result with its checks
//	POST /presentations/verify   public: {"jwt": "<VP-JWT or SD-JWT+KB>", "nonce": "...", "audience": "..."} → result
//	POST /credentials/issue      admin:  credential claims → {"jwt": "<VC-JWT>"}
//	POST /status/{list}/{index}  admin:  {"revoked": true|false} sets or clears a status bit
//	GET  /status/{list}          public: the list's signed status list credential
//
// Admin routes require "Authorization: Bearer <token>" whose SHA-256 equals one of the configured
// hashes (compared in constant time; several hashes allow rotation). Request bodies are size-limited.
// Verification answers 200 with {"valid": false, "code": ...} for credentials that fail: the request
// itself succeeded.
package httpapi

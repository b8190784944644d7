// Package gcpkms keeps a signing key in Google Cloud KMS behind the signer.Signer interface. A key version
// is named by gcpkms://projects/<p>/locations/<l>/keyRings/<r>/cryptoKeys/<k>/cryptoKeyVersions/<n>; its
// algorithm must be EC_SIGN_SECP256K1_SHA256 (ES256K) or EC_SIGN_P256_SHA256 (ES256). Cloud KMS signs the
// 32-byte digest and returns DER, converted here to R||S with low S for ES256K. Every request and response
// carries a CRC32C checksum, as Google asks clients to verify, so a corrupted digest or signature in
// transit is an error rather than a bad credential.
//
// Credentials come from Application Default Credentials. The client library's own retries are off:
// signer.Retry is the one retry policy, so that every throttle (RESOURCE_EXHAUSTED) and outage is counted
// in /metrics.
package gcpkms

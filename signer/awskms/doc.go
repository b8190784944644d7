// Package awskms keeps a signing key in AWS KMS behind the signer.Signer interface. A key is named by
// awskms:///<key>, where <key> is a key ARN, an alias ARN, alias/<name> or a key id; the key spec must be
// ECC_SECG_P256K1 (ES256K: Bitcoin, ION, ES256K JWTs) or ECC_NIST_P256 (ES256), with key usage
// SIGN_VERIFY. The node sends KMS the 32-byte digest (MessageType DIGEST, ECDSA_SHA_256), never the
// message, and converts KMS's DER signature to R||S with low S.
//
// Credentials and region come from the AWS SDK's usual chain (environment, shared config, instance or
// pod role); a key ARN's own region wins. The SDK's own retries are off: signer.Retry is the one retry
// policy, so that every throttle and outage is counted in /metrics.
package awskms

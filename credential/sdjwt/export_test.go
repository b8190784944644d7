package sdjwt

// DigestString exposes the Disclosure digest to the external tests.
func DigestString(s string) string { return digest(s) }

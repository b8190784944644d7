// Package webtest runs did:web servers for tests: an in-process HTTPS server on loopback with its own
// certificate authority (for "localhost", 127.0.0.1 and ::1), a web.Client that trusts that authority
// and allows loopback, and helpers to publish DID documents and other files on it. The CA certificate is
// available as PEM for other processes (Node's NODE_EXTRA_CA_CERTS).
package webtest

package web

import "testing"

func TestDocumentURL(t *testing.T) {
	tests := []struct {
		did, want string
		ok        bool
	}{
		{"did:web:w3c-ccg.github.io", "https://w3c-ccg.github.io/.well-known/did.json", true},
		{"did:web:w3c-ccg.github.io:user:alice", "https://w3c-ccg.github.io/user/alice/did.json", true},
		{"did:web:example.com%3A3000", "https://example.com:3000/.well-known/did.json", true},
		{"did:web:example.com%3A3000:user:alice", "https://example.com:3000/user/alice/did.json", true},
		{"did:web:example.com:a%20b", "https://example.com/a%20b/did.json", true},
		{"did:web:localhost%3A8443", "https://localhost:8443/.well-known/did.json", true},
		{"did:web:127.0.0.1", "", false},
		{"did:web:10.0.0.1%3A443", "", false},
		{"did:web:", "", false},
		{"did:web:example.com%3A0", "", false},
		{"did:web:example.com%3A65536", "", false},
		{"did:web:example.com%3A08", "", false},
		{"did:web:example.com%3Aabc", "", false},
		{"did:web:exa_mple.com", "", false},
		{"did:web:-example.com", "", false},
		{"did:web:example..com", "", false},
		{"did:web:example.com:..", "", false},
		{"did:web:example.com:a%2Fb", "", false},
		{"did:web:example.com:", "", false},
		{"did:web:example.com#key-1", "", false},
		{"did:web:example.com/path", "", false},
		{"did:web:user@example.com", "", false},
		{"did:key:z6Mk", "", false},
	}
	for _, tt := range tests {
		got, err := DocumentURL(tt.did)
		if (err == nil) != tt.ok || got != tt.want {
			t.Errorf("DocumentURL(%q) = %q, %v; want %q ok=%v", tt.did, got, err, tt.want, tt.ok)
		}
	}
}

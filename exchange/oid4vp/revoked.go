package oid4vp

import (
	"slices"
	"sync"

	"github.com/ionode/ionode/credential"
)

// revokedSet records the status entries a check found revoked, so that a request allowing revoked
// credentials can report them instead of refusing them. E is a W3C status entry or a token status
// list reference.
type revokedSet[E comparable] struct {
	mu      sync.Mutex
	entries []E
}

// note passes a status check's err through, except revoked: then it records entry and returns nil.
func (s *revokedSet[E]) note(entry E, err error) error {
	if credential.CodeOf(err) != credential.CodeRevoked {
		return err
	}
	s.mu.Lock()
	s.entries = append(s.entries, entry)
	s.mu.Unlock()
	return nil
}

// any reports whether a recorded entry matches.
func (s *revokedSet[E]) any(match func(E) bool) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.ContainsFunc(s.entries, match)
}

package status

import (
	"context"
	"crypto/rand"
	"encoding/binary"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/ionode/ionode/credential"
)

// Manager is the issuer side: it creates lists, hands out indexes, sets and clears bits, and signs and
// publishes each list's status list credential. It is safe for concurrent use.
//
// It keeps every list it has read or written decoded in memory (a list is a few dozen KiB), so that
// reading a bit does not read and inflate the stored list each time: a Manager must be the only writer
// of its Store's lists, as a node is of its data directory.
type Manager struct {
	Store  Store
	Issuer *credential.Issuer
	// BaseURL is where the Handler is mounted, e.g. https://issuer.example/status: a list's credential URL
	// is BaseURL + "/" + id.
	BaseURL string
	// Validity of each signed list credential (validUntil); default 24 hours. The credential is
	// re-signed when half of it has passed, and whenever the list changes.
	Validity time.Duration
	// MaxAge is the Cache-Control max-age the Handler sends (and a status list token's ttl); default 5
	// minutes.
	MaxAge time.Duration
	// Tokens signs the lists of kind TokenStatusList; required to publish them.
	Tokens TokenSigner

	mu     sync.Mutex
	signed map[string]signedList
	lists  map[string]*List // decoded, as last loaded or saved; guarded by mu
}

// load returns list id, from memory when this Manager has read or written it before. The caller holds
// mu and, when it changes the list, saves it with save.
func (m *Manager) load(ctx context.Context, id string) (*List, error) {
	if l, ok := m.lists[id]; ok {
		return l, nil
	}
	l, err := m.Store.Load(ctx, id)
	if err != nil {
		return nil, err
	}
	if m.lists == nil {
		m.lists = map[string]*List{}
	}
	m.lists[id] = l
	return l, nil
}

// save writes l and keeps it as the list in memory; when the write fails the changed list is dropped, so
// the next load reads what the store holds. The caller holds mu.
func (m *Manager) save(ctx context.Context, l *List) error {
	if err := m.Store.Save(ctx, l); err != nil {
		delete(m.lists, l.ID)
		return err
	}
	if m.lists == nil {
		m.lists = map[string]*List{}
	}
	m.lists[l.ID] = l
	return nil
}

// kind is list id's kind ("" when it cannot be read).
func (m *Manager) kind(ctx context.Context, id string) Kind {
	m.mu.Lock()
	defer m.mu.Unlock()
	l, err := m.load(ctx, id)
	if err != nil {
		return ""
	}
	return l.Kind
}

// Lookup reads the bit of index in list id, with the list's kind and purpose (for checking that an
// entry points at the right kind of list). An error with an empty kind is the list's (ErrNotFound, or
// unreadable); with the kind set, the index is outside the list.
func (m *Manager) Lookup(ctx context.Context, id string, index int) (kind Kind, purpose string, set bool, err error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	l, err := m.load(ctx, id)
	if err != nil {
		return "", "", false, err
	}
	set, err = l.Bits.Get(index)
	return l.Kind, l.Purpose, set, err
}

// TokenSigner signs a list as an IETF status list token (credential/status/tokenstatus.Signer) for
// uri, issued at now, valid for validity, to be cached for ttl.
type TokenSigner interface {
	SignToken(l *List, uri string, now time.Time, validity, ttl time.Duration) (string, error)
}

type signedList struct {
	jwt     string
	version uint64
	issued  time.Time
}

func (m *Manager) validity() time.Duration {
	if m.Validity > 0 {
		return m.Validity
	}
	return 24 * time.Hour
}

func (m *Manager) now() time.Time {
	if m.Issuer != nil && m.Issuer.Now != nil {
		return m.Issuer.Now()
	}
	return time.Now()
}

// URL is the status list credential URL of a list.
func (m *Manager) URL(id string) string { return strings.TrimRight(m.BaseURL, "/") + "/" + id }

// Create makes a new empty list of size entries (at least MinEntries); it fails if the list exists.
func (m *Manager) Create(ctx context.Context, id string, kind Kind, purpose string, size int) error {
	if !ValidID(id) {
		return fmt.Errorf("invalid status list id %q", id)
	}
	if kind != StatusList2021 && kind != BitstringStatusList && kind != TokenStatusList {
		return fmt.Errorf("unknown status list kind %q", kind)
	}
	if purpose != "revocation" && purpose != "suspension" {
		return fmt.Errorf("status purpose %q: want revocation or suspension", purpose)
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, err := m.load(ctx, id); err == nil {
		return fmt.Errorf("status list %s exists", id)
	} else if !errors.Is(err, ErrNotFound) {
		return err
	}
	return m.save(ctx, &List{ID: id, Kind: kind, Purpose: purpose, Bits: NewBitstring(size), Allocated: NewBitstring(size), Version: 1})
}

// ErrFull is returned by Allocate when every index of a list is in use.
var ErrFull = errors.New("status list full")

// Allocate hands out an unused index of a list, chosen at random as the specifications recommend (a
// sequential index would tell verifiers the order of issuance), and returns the credentialStatus entry
// for it.
func (m *Manager) Allocate(ctx context.Context, id string) (credential.Status, error) {
	entries, err := m.AllocateN(ctx, id, 1)
	if err != nil {
		return credential.Status{}, err
	}
	return entries[0], nil
}

// AllocateN hands out n unused indexes at once, each chosen at random like Allocate's, with one store
// write for all of them (a write re-encodes and syncs the whole list).
func (m *Manager) AllocateN(ctx context.Context, id string, n int) ([]credential.Status, error) {
	if n < 1 {
		return nil, fmt.Errorf("allocate %d status entries: want at least 1", n)
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	l, err := m.load(ctx, id)
	if err != nil {
		return nil, err
	}
	size := l.Allocated.Len()
	out := make([]credential.Status, 0, n)
	for range n {
		i, ok := randomFree(l.Allocated, size)
		if !ok {
			delete(m.lists, id) // the indexes set so far were not saved
			return nil, fmt.Errorf("%w: %s", ErrFull, id)
		}
		_ = l.Allocated.Set(i, true)
		idx := strconv.Itoa(i)
		out = append(out, credential.Status{
			ID: m.URL(id) + "#" + idx, Type: l.Kind.EntryType(), StatusPurpose: l.Purpose,
			StatusListIndex: idx, StatusListCredential: m.URL(id),
		})
	}
	l.Version++
	if err := m.save(ctx, l); err != nil {
		return nil, err
	}
	return out, nil
}

// randomFree returns the first unallocated index at or after a random start, wrapping around.
func randomFree(allocated Bitstring, size int) (int, bool) {
	var rnd [8]byte
	_, _ = rand.Read(rnd[:])
	start := int(binary.BigEndian.Uint64(rnd[:]) % uint64(size))
	for k := 0; k < size; k++ {
		i := (start + k) % size
		if used, _ := allocated.Get(i); !used {
			return i, true
		}
	}
	return 0, false
}

// SetStatus sets (revoked or suspended) or clears the bit of index in a list.
func (m *Manager) SetStatus(ctx context.Context, id string, index int, set bool) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	l, err := m.load(ctx, id)
	if err != nil {
		return err
	}
	cur, err := l.Bits.Get(index)
	if err != nil {
		return err
	}
	if cur == set {
		return nil
	}
	_ = l.Bits.Set(index, set)
	l.Version++
	return m.save(ctx, l)
}

// Credential returns the list's signed status list credential, re-signing it when the list changed or
// half its validity passed.
func (m *Manager) Credential(ctx context.Context, id string) (string, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	l, err := m.load(ctx, id)
	if err != nil {
		return "", err
	}
	now := m.now()
	if s, ok := m.signed[id]; ok && s.version == l.Version && now.Sub(s.issued) < m.validity()/2 {
		return s.jwt, nil
	}
	jwt, err := m.sign(l, now)
	if err != nil {
		return "", err
	}
	if m.signed == nil {
		m.signed = map[string]signedList{}
	}
	m.signed[id] = signedList{jwt: jwt, version: l.Version, issued: now}
	return jwt, nil
}

func (m *Manager) maxAge() time.Duration {
	if m.MaxAge > 0 {
		return m.MaxAge
	}
	return 5 * time.Minute
}

func (m *Manager) sign(l *List, now time.Time) (string, error) {
	if l.Kind == TokenStatusList {
		if m.Tokens == nil {
			return "", fmt.Errorf("status list %s: no token signer configured", l.ID)
		}
		return m.Tokens.SignToken(l, m.URL(l.ID), now, m.validity(), m.maxAge())
	}
	enc, err := l.Bits.Encode(l.Kind)
	if err != nil {
		return "", err
	}
	url := m.URL(l.ID)
	c := credential.Claims{
		ID:         url,
		Types:      []string{l.Kind.CredentialType()},
		ValidFrom:  now,
		ValidUntil: now.Add(m.validity()),
		Subject:    map[string]any{"id": url + "#list", "type": string(l.Kind), "statusPurpose": l.Purpose, "encodedList": enc},
	}
	if l.Kind == StatusList2021 {
		c.Format = credential.FormatJWT
		c.Contexts = []string{"https://w3id.org/vc/status-list/2021/v1"}
	} else {
		c.Format = credential.FormatVCJWT
	}
	return m.Issuer.Issue(c)
}

// Handler serves GET /{list} (mount it under BaseURL's path with http.StripPrefix) with the list's
// signed credential.
func (m *Manager) Handler() http.Handler {
	maxAge := m.maxAge()
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			w.Header().Set("Allow", "GET, HEAD")
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		id := strings.Trim(r.URL.Path, "/")
		if !ValidID(id) {
			http.NotFound(w, r)
			return
		}
		jwt, err := m.Credential(r.Context(), id)
		if errors.Is(err, ErrNotFound) {
			http.NotFound(w, r)
			return
		}
		if err != nil {
			http.Error(w, "status list unavailable", http.StatusInternalServerError)
			return
		}
		contentType := "application/vc+jwt"
		if m.kind(r.Context(), id) == TokenStatusList {
			contentType = "application/statuslist+jwt"
		}
		w.Header().Set("Content-Type", contentType)
		w.Header().Set("Cache-Control", "public, max-age="+strconv.Itoa(int(maxAge.Seconds())))
		_, _ = w.Write([]byte(jwt))
	})
}

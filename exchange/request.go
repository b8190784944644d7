package exchange

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

// Sessions is the node store's request-record method set (doc.go; node/store.Sessions).
type Sessions interface {
	PutSession(ctx context.Context, id string, data []byte, expires time.Time) (created bool, err error)
	GetSession(ctx context.Context, id string) (data []byte, version uint64, ok bool, err error)
	SwapSession(ctx context.Context, id string, version uint64, data []byte, expires time.Time) (swapped bool, err error)
	DeleteSession(ctx context.Context, id string) error
}

// Status is a request's state, named as the Request Service API's requestStatus values.
type Status string

// The states of a request: created → retrieved → one terminal outcome. A terminal request accepts
// nothing more (single use).
const (
	StatusCreated              Status = "request_created"
	StatusRetrieved            Status = "request_retrieved"
	StatusPresentationVerified Status = "presentation_verified"
	StatusPresentationError    Status = "presentation_error"
	StatusIssuanceSuccessful   Status = "issuance_successful"
	StatusIssuanceError        Status = "issuance_error"
)

// Terminal reports whether no transition leaves s.
func (s Status) Terminal() bool {
	switch s {
	case StatusPresentationVerified, StatusPresentationError, StatusIssuanceSuccessful, StatusIssuanceError:
		return true
	}
	return false
}

// next lists the legal transitions.
var next = map[Status][]Status{
	StatusCreated:   {StatusRetrieved, StatusPresentationError, StatusIssuanceError},
	StatusRetrieved: {StatusPresentationVerified, StatusPresentationError, StatusIssuanceSuccessful, StatusIssuanceError},
}

// CanMove reports whether a request may go from one state to another.
func CanMove(from, to Status) bool {
	for _, s := range next[from] {
		if s == to {
			return true
		}
	}
	return false
}

// Kinds of request; each keeps its records under its own id prefix.
const (
	KindPresentation = "vp"
	KindIssuance     = "vci"
)

// Request is one stored exchange. Kind-specific data (the request as created, the wallet's result)
// travels as raw JSON so that each protocol package owns its shapes.
type Request struct {
	ID       string          `json:"id"`
	Kind     string          `json:"kind"`
	Status   Status          `json:"status"`
	Nonce    string          `json:"nonce"`
	Created  time.Time       `json:"created"`
	Expires  time.Time       `json:"expires"` // the wallet must finish before this
	Callback *Callback       `json:"callback,omitempty"`
	Spec     json.RawMessage `json:"spec,omitempty"`   // what the relying party asked for
	Result   json.RawMessage `json:"result,omitempty"` // the callback body of the latest status
	// Keep is when the store drops the record, by the store's own (wall) clock, which may differ from
	// Requests.Now in tests.
	Keep    time.Time `json:"keep"`
	version uint64
}

// Expired reports whether the wallet's time is up at now.
func (r *Request) Expired(now time.Time) bool { return !now.Before(r.Expires) }

// Errors of Requests, matched with errors.Is.
var (
	// ErrNotFound: no such request, or it is past its retention.
	ErrNotFound = errors.New("request not found")
	// ErrConflict: the request moved on while the caller was deciding (another replica or a replay).
	ErrConflict = errors.New("request changed concurrently")
	// ErrBadTransition: the request is not in a state that allows this step (used, completed).
	ErrBadTransition = errors.New("request state does not allow this")
)

// DefaultLifetime is how long a wallet has to complete a request; DefaultRetention is how long the
// outcome stays readable by the status route after that.
const (
	DefaultLifetime  = 5 * time.Minute
	DefaultRetention = 10 * time.Minute
)

// Requests keeps request records in Sessions.
type Requests struct {
	Sessions  Sessions
	Lifetime  time.Duration    // default DefaultLifetime
	Retention time.Duration    // default DefaultRetention
	Now       func() time.Time // default time.Now
}

// Time is the current time by the requests' clock.
func (q *Requests) Time() time.Time { return q.now() }

func (q *Requests) now() time.Time {
	if q.Now != nil {
		return q.Now()
	}
	return time.Now()
}

func (q *Requests) lifetime() time.Duration {
	if q.Lifetime > 0 {
		return q.Lifetime
	}
	return DefaultLifetime
}

func (q *Requests) retention() time.Duration {
	if q.Retention > 0 {
		return q.Retention
	}
	return DefaultRetention
}

// RandomID returns 128 random bits, base64url: request ids and nonces are unguessable.
func RandomID() string {
	var b [16]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails
	return base64.RawURLEncoding.EncodeToString(b[:])
}

func key(kind, id string) string { return kind + ":" + id }

// Create stores a new request of kind with a fresh id and nonce; spec must be JSON (or empty).
func (q *Requests) Create(ctx context.Context, kind string, cb *Callback, spec json.RawMessage) (*Request, error) {
	if len(spec) > 0 && !json.Valid(spec) {
		return nil, fmt.Errorf("request: spec is not JSON")
	}
	now := q.now()
	r := &Request{
		ID: RandomID(), Kind: kind, Status: StatusCreated, Nonce: RandomID(),
		Created: now, Expires: now.Add(q.lifetime()), Callback: cb, Spec: spec,
		Keep: time.Now().Add(q.lifetime() + q.retention()),
	}
	data, err := encodeRecord(r)
	if err != nil {
		return nil, fmt.Errorf("request: %w", err)
	}
	created, err := q.Sessions.PutSession(ctx, key(kind, r.ID), data, r.Keep)
	if err != nil {
		return nil, fmt.Errorf("store request: %w", err)
	}
	if !created {
		return nil, fmt.Errorf("store request: %w: id collision", ErrConflict)
	}
	r.version = 1
	return r, nil
}

// Get reads a request.
func (q *Requests) Get(ctx context.Context, kind, id string) (*Request, error) {
	if id == "" || len(id) > 64 {
		return nil, ErrNotFound
	}
	data, version, ok, err := q.Sessions.GetSession(ctx, key(kind, id))
	if err != nil {
		return nil, fmt.Errorf("read request: %w", err)
	}
	if !ok {
		return nil, ErrNotFound
	}
	var r Request
	if err := json.Unmarshal(data, &r); err != nil {
		return nil, fmt.Errorf("read request %s: %w", id, err)
	}
	r.version = version
	return &r, nil
}

// Move takes r (as read by Get) to status with result (JSON) as its callback body. It fails with
// ErrBadTransition when the state machine forbids the step and ErrConflict when the stored request
// changed since it was read: exactly one of several concurrent movers wins.
func (q *Requests) Move(ctx context.Context, r *Request, to Status, result json.RawMessage) error {
	if !CanMove(r.Status, to) {
		return fmt.Errorf("%w: %s → %s", ErrBadTransition, r.Status, to)
	}
	if len(result) > 0 && !json.Valid(result) {
		return fmt.Errorf("request: result is not JSON")
	}
	moved := *r
	moved.Status, moved.Result = to, result
	data, err := encodeRecord(&moved)
	if err != nil {
		return fmt.Errorf("request: %w", err)
	}
	swapped, err := q.Sessions.SwapSession(ctx, key(r.Kind, r.ID), r.version, data, r.Keep)
	if err != nil {
		return fmt.Errorf("store request: %w", err)
	}
	if !swapped {
		return ErrConflict
	}
	*r = moved
	r.version++
	return nil
}

// Event is the request's latest event: its stored callback body, or a bare status before any outcome.
func (r *Request) Event() Event {
	var ev Event
	if len(r.Result) > 0 && json.Unmarshal(r.Result, &ev) == nil {
		return ev
	}
	ev = Event{RequestID: r.ID, RequestStatus: r.Status}
	if r.Callback != nil {
		ev.State = r.Callback.State
	}
	return ev
}

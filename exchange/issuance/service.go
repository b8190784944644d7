package issuance

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"slices"
	"time"

	"github.com/ionode/ionode/credential"
	"github.com/ionode/ionode/exchange/oid4vci"
)

// Callbacks delivers callback bodies to relying parties: the node's dispatcher, which guards against
// SSRF, sends the configured headers and retries with backoff. Send must not block for long.
type Callbacks interface {
	Send(ctx context.Context, cb Callback, body any)
}

// QRCoder renders a URL as a QR code image, as a data: URI.
type QRCoder interface {
	DataURI(text string) (string, error)
}

// Request statuses, as callbacks and the status route report them.
const (
	StatusCreated    = "request_created"
	StatusRetrieved  = "request_retrieved"
	StatusSuccessful = "issuance_successful"
	StatusError      = "issuance_error"
)

// Service creates issuance requests and follows them through the OpenID4VCI exchange. Set Issuer.Events
// to the Service so that it hears of the exchange.
type Service struct {
	Issuer    *oid4vci.Issuer
	Callbacks Callbacks // nil: requests with a callback are refused
	QR        QRCoder   // nil: no qrCode in answers
	// TTL is how long a request (and its offer) stays redeemable; default 5 minutes.
	TTL    time.Duration
	Logger *slog.Logger
}

const prefixRequest = "vci:req:"

// record is a request's state in the session store.
type record struct {
	Status          string         `json:"status"`
	ConfigurationID string         `json:"configuration_id"`
	Callback        *Callback      `json:"callback,omitempty"`
	Error           *CallbackError `json:"error,omitempty"`
	Subject         string         `json:"subject,omitempty"`
	Expires         time.Time      `json:"expires"`
}

// CallbackError is the error member of an issuance_error callback.
type CallbackError struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

// Response is createIssuanceRequest's answer.
type Response struct {
	RequestID string `json:"requestId"`
	URL       string `json:"url"`
	Expiry    int64  `json:"expiry"`
	QRCode    string `json:"qrCode,omitempty"`
}

func (s *Service) ttl() time.Duration {
	if s.TTL > 0 {
		return s.TTL
	}
	return 5 * time.Minute
}

func (s *Service) logger() *slog.Logger {
	if s.Logger != nil {
		return s.Logger
	}
	return slog.New(slog.DiscardHandler)
}

// Create makes an issuance request: an offer for the configuration of r.Type.
func (s *Service) Create(ctx context.Context, r *Request) (*Response, error) {
	if did := s.Issuer.Credentials.Signer.DID(); r.Authority != did {
		return nil, badRequest("authority", "authority %q is not this node's issuer %s", r.Authority, did)
	}
	configID, err := s.configurationFor(r.Type)
	if err != nil {
		return nil, err
	}
	if _, ok := r.Claims["id"]; ok {
		return nil, badRequest("claims.id", "claims.id is the holder's DID, bound by the wallet's proof: leave it out")
	}
	if r.Callback != nil && s.Callbacks == nil {
		return nil, badRequest("callback", "this node sends no callbacks: poll the request's status instead")
	}
	offer := oid4vci.OfferRequest{ConfigurationIDs: []string{configID}, Claims: r.Claims, RequestID: credential.NewTransactionID(), TTL: s.ttl()}
	if r.Pin != nil {
		if r.Pin.Value == "" {
			return nil, badRequest("pin.value", "pin.value is required with a pin")
		}
		offer.PIN = r.Pin.Value
	}
	expires := s.Issuer.Now().Add(s.ttl())
	rec := record{Status: StatusCreated, ConfigurationID: configID, Callback: r.Callback, Expires: expires}
	if _, err := s.Issuer.Sessions.PutSession(ctx, prefixRequest+offer.RequestID, mustJSON(rec), expires); err != nil {
		return nil, fmt.Errorf("store request: %w", err)
	}
	o, err := s.Issuer.CreateOffer(ctx, offer)
	if err != nil {
		return nil, badRequest("", "%v", err)
	}
	resp := &Response{RequestID: offer.RequestID, URL: o.ByReference, Expiry: o.Expires.Unix()}
	if r.IncludeQRCode && s.QR != nil {
		if resp.QRCode, err = s.QR.DataURI(o.ByReference); err != nil {
			return nil, fmt.Errorf("QR code: %w", err)
		}
	}
	s.logger().InfoContext(ctx, "issuance: request created", "request_id", offer.RequestID, "configuration", configID, "client", r.Registration.ClientName)
	return resp, nil
}

// configurationFor finds the configuration whose id, types or vct is typ.
func (s *Service) configurationFor(typ string) (string, error) {
	cfgs := s.Issuer.Config.Configurations
	if _, ok := cfgs[typ]; ok {
		return typ, nil
	}
	var ids []string
	for id, c := range cfgs {
		if slices.Contains(c.Types, typ) || c.VCT == typ {
			ids = append(ids, id)
		}
	}
	switch len(ids) {
	case 1:
		return ids[0], nil
	case 0:
		return "", badRequest("type", "no credential configuration issues type %q", typ)
	}
	slices.Sort(ids)
	return "", badRequest("type", "type %q is issued by several configurations (%v): use a configuration id", typ, ids)
}

// StatusAnswer is what the status route returns.
type StatusAnswer struct {
	RequestID     string         `json:"requestId"`
	RequestStatus string         `json:"requestStatus"`
	Subject       string         `json:"subject,omitempty"`
	Error         *CallbackError `json:"error,omitempty"`
	Expiry        int64          `json:"expiry"`
}

// Status returns a request's state.
func (s *Service) Status(ctx context.Context, id string) (*StatusAnswer, error) {
	rec, _, ok, err := s.load(ctx, id)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, &APIError{Status: http.StatusNotFound, Code: "notFound", Message: "no such request (or it expired)"}
	}
	return &StatusAnswer{RequestID: id, RequestStatus: rec.Status, Subject: rec.Subject, Error: rec.Error, Expiry: rec.Expires.Unix()}, nil
}

func (s *Service) load(ctx context.Context, id string) (*record, uint64, bool, error) {
	if id == "" || len(id) > 64 {
		return nil, 0, false, nil
	}
	data, version, ok, err := s.Issuer.Sessions.GetSession(ctx, prefixRequest+id)
	if err != nil || !ok {
		return nil, 0, false, err
	}
	var rec record
	if err := json.Unmarshal(data, &rec); err != nil {
		return nil, 0, false, fmt.Errorf("request %s: %w", id, err)
	}
	return &rec, version, true, nil
}

// transition moves a request to status (once: repeated events do not repeat callbacks) and sends the
// callback. Statuses only move forward: created → retrieved → successful or error.
func (s *Service) transition(ctx context.Context, id, status string, update func(*record)) {
	for range 8 {
		rec, version, ok, err := s.load(ctx, id)
		if err != nil || !ok {
			if err != nil {
				s.logger().ErrorContext(ctx, "issuance: request state", "request_id", id, "err", err)
			}
			return
		}
		if rank(status) <= rank(rec.Status) {
			return
		}
		rec.Status = status
		if update != nil {
			update(rec)
		}
		swapped, err := s.Issuer.Sessions.SwapSession(ctx, prefixRequest+id, version, mustJSON(rec), rec.Expires)
		if err != nil {
			s.logger().ErrorContext(ctx, "issuance: request state", "request_id", id, "err", err)
			return
		}
		if !swapped {
			continue
		}
		if rec.Callback != nil && s.Callbacks != nil {
			body := map[string]any{"requestId": id, "requestStatus": status, "state": rec.Callback.State}
			if rec.Error != nil {
				body["error"] = rec.Error
			}
			s.Callbacks.Send(ctx, *rec.Callback, body)
		}
		return
	}
}

func rank(status string) int {
	switch status {
	case StatusCreated:
		return 0
	case StatusRetrieved:
		return 1
	}
	return 2
}

// OfferRetrieved implements oid4vci.Events.
func (s *Service) OfferRetrieved(ctx context.Context, requestID string) {
	s.transition(ctx, requestID, StatusRetrieved, nil)
}

// Issued implements oid4vci.Events.
func (s *Service) Issued(ctx context.Context, requestID, _, holder string) {
	s.transition(ctx, requestID, StatusSuccessful, func(r *record) { r.Subject = holder })
}

// IssuanceFailed implements oid4vci.Events: the request ends with issuance_error, except on
// invalid_nonce, after which wallets fetch a fresh nonce and retry.
func (s *Service) IssuanceFailed(ctx context.Context, requestID string, code oid4vci.Code, description string) {
	if code == oid4vci.CodeInvalidNonce {
		return // wallets fetch a fresh nonce and retry
	}
	s.transition(ctx, requestID, StatusError, func(r *record) {
		r.Error = &CallbackError{Code: "ISSUANCE_FLOW_ERROR", Message: string(code) + ": " + description}
	})
}

func mustJSON(v any) []byte {
	b, _ := json.Marshal(v) // plain records
	return b
}

package issuance

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"slices"

	"github.com/ionode/ionode/exchange"
	"github.com/ionode/ionode/exchange/oid4vci"
)

// Callbacks checks and delivers relying-party callbacks (*exchange.Dispatcher: SSRF-guarded, retried).
type Callbacks interface {
	CheckCallback(cb *exchange.Callback) error
	Send(cb *exchange.Callback, ev exchange.Event)
}

// Service creates issuance requests and follows them through the OpenID4VCI exchange. Set Issuer.Events
// to the Service so that it hears of the exchange.
type Service struct {
	Issuer    *oid4vci.Issuer
	Requests  *exchange.Requests
	Callbacks Callbacks // nil: requests with a callback are refused
	Logger    *slog.Logger
}

// spec is what the request asked for, kept in the request record.
type spec struct {
	Type            string `json:"type"`
	ConfigurationID string `json:"configuration_id"`
	ClientName      string `json:"client_name"`
}

func (s *Service) logger() *slog.Logger {
	if s.Logger != nil {
		return s.Logger
	}
	return slog.New(slog.DiscardHandler)
}

// Create makes an issuance request: a request record and an offer for the configuration of r.Type.
func (s *Service) Create(ctx context.Context, r *Request) (*exchange.CreateResponse, error) {
	if did := s.Issuer.Credentials.Signer.DID(); r.Authority != did {
		return nil, exchange.BadField("authority", "authority %q is not this node's issuer %s", r.Authority, did)
	}
	configID, err := s.configurationFor(r.Type)
	if err != nil {
		return nil, err
	}
	if _, ok := r.Claims["id"]; ok {
		return nil, exchange.BadField("claims.id", "claims.id is the holder's DID, bound by the wallet's proof: leave it out")
	}
	if r.Callback != nil {
		if s.Callbacks == nil {
			return nil, exchange.BadField("callback", "this node sends no callbacks: poll the request's status instead")
		}
		if err := s.Callbacks.CheckCallback(r.Callback); err != nil {
			return nil, err
		}
	}
	data, _ := json.Marshal(spec{Type: r.Type, ConfigurationID: configID, ClientName: r.Registration.ClientName})
	req, err := s.Requests.Create(ctx, exchange.KindIssuance, r.Callback, data)
	if err != nil {
		return nil, err
	}
	offer := oid4vci.OfferRequest{ConfigurationIDs: []string{configID}, Claims: r.Claims, RequestID: req.ID, TTL: req.Expires.Sub(s.Requests.Time())}
	if r.Pin != nil {
		offer.PIN = r.Pin.Value
	}
	o, err := s.Issuer.CreateOffer(ctx, offer)
	if err != nil {
		return nil, exchange.BadField("", "%v", err)
	}
	resp := &exchange.CreateResponse{RequestID: req.ID, URL: o.ByReference, Expiry: req.Expires.Unix()}
	if r.IncludeQRCode {
		if resp.QRCode, err = exchange.QRDataURI(o.ByReference); err != nil {
			return nil, err
		}
	}
	s.logger().InfoContext(ctx, "issuance: request created", "request_id", req.ID, "configuration", configID, "client", r.Registration.ClientName)
	return resp, nil
}

// configurationFor finds the configuration whose id, or else types or vct, is typ.
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
		return "", exchange.BadField("type", "no credential configuration issues type %q", typ)
	}
	slices.Sort(ids)
	return "", exchange.BadField("type", "type %q is issued by several configurations (%v): use a configuration id", typ, ids)
}

// move takes the request to status (when its state allows: repeated events change nothing) and sends
// the callback.
func (s *Service) move(ctx context.Context, id string, ev exchange.Event) {
	for range 8 {
		r, err := s.Requests.Get(ctx, exchange.KindIssuance, id)
		if err != nil {
			if !errors.Is(err, exchange.ErrNotFound) {
				s.logger().ErrorContext(ctx, "issuance: request state", "request_id", id, "err", err)
			}
			return
		}
		if !exchange.CanMove(r.Status, ev.RequestStatus) {
			return
		}
		ev.RequestID = id
		if r.Callback != nil {
			ev.State = r.Callback.State
		}
		body, _ := json.Marshal(ev)
		err = s.Requests.Move(ctx, r, ev.RequestStatus, body)
		if errors.Is(err, exchange.ErrConflict) {
			continue
		}
		if err != nil {
			s.logger().ErrorContext(ctx, "issuance: request state", "request_id", id, "err", err)
			return
		}
		if s.Callbacks != nil {
			s.Callbacks.Send(r.Callback, ev)
		}
		return
	}
}

// OfferRetrieved implements oid4vci.Events.
func (s *Service) OfferRetrieved(ctx context.Context, requestID string) {
	s.move(ctx, requestID, exchange.Event{RequestStatus: exchange.StatusRetrieved})
}

// Issued implements oid4vci.Events.
func (s *Service) Issued(ctx context.Context, requestID, _, holder string) {
	s.move(ctx, requestID, exchange.Event{RequestStatus: exchange.StatusIssuanceSuccessful, Subject: holder})
}

// IssuanceFailed implements oid4vci.Events: the request ends with issuance_error, except on
// invalid_nonce, after which wallets fetch a fresh nonce and retry.
func (s *Service) IssuanceFailed(ctx context.Context, requestID string, code oid4vci.Code, description string) {
	if code == oid4vci.CodeInvalidNonce {
		return
	}
	s.move(ctx, requestID, exchange.Event{RequestStatus: exchange.StatusIssuanceError,
		Error: &exchange.CallbackError{Code: "ISSUANCE_FLOW_ERROR", Message: string(code) + ": " + description}})
}

// PathCreate is createIssuanceRequest's route.
const PathCreate = exchange.APIPrefix + "/createIssuanceRequest"

// Mount adds createIssuanceRequest to the Request Service API (behind its admin token); the request's
// status is the Mux's status route.
func (s *Service) Mount(m *exchange.Mux) {
	m.HandleAdmin("POST "+PathCreate, http.HandlerFunc(s.create))
}

func (s *Service) create(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxRequestSize))
	if err != nil {
		exchange.WriteError(w, exchange.BadField("", "body: %v", err))
		return
	}
	req, err := ParseRequest(body)
	if err != nil {
		exchange.WriteError(w, err)
		return
	}
	resp, err := s.Create(r.Context(), req)
	if err != nil {
		var apiErr *exchange.APIError
		if !errors.As(err, &apiErr) {
			s.logger().ErrorContext(r.Context(), "issuance: create", "err", fmt.Errorf("create: %w", err))
		}
		exchange.WriteError(w, err)
		return
	}
	exchange.WriteJSON(w, http.StatusCreated, resp)
}

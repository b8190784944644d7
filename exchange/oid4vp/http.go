package oid4vp

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"

	"github.com/ionode/ionode/exchange"
)

// Mount adds the verifier's routes to the Request Service API: createPresentationRequest (admin) and
// the wallet's request_uri and response_uri.
func (v *Verifier) Mount(m *exchange.Mux) {
	m.HandleAdmin("POST "+exchange.APIPrefix+"/createPresentationRequest", http.HandlerFunc(v.create))
	m.HandleWallet("GET "+exchange.APIPrefix+"/oid4vp/{id}/request", http.HandlerFunc(v.requestObject))
	m.HandleWallet("POST "+exchange.APIPrefix+"/oid4vp/{id}/response", http.HandlerFunc(v.response))
}

// maxCreateBytes bounds a createPresentationRequest body.
const maxCreateBytes = 64 << 10

func (v *Verifier) create(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxCreateBytes))
	if err != nil {
		exchange.WriteError(w, exchange.BadField("", "body unreadable or over %d bytes", maxCreateBytes))
		return
	}
	pr, err := ParseCreate(body)
	if err != nil {
		exchange.WriteError(w, err)
		return
	}
	resp, err := v.Create(r.Context(), *pr)
	if err != nil {
		exchange.WriteError(w, err)
		return
	}
	exchange.WriteJSON(w, http.StatusCreated, resp)
}

// ParseCreate reads a createPresentationRequest body (bounded in depth; unknown fields ignored, as the
// hosted service does for fields it does not know).
func ParseCreate(body []byte) (*exchange.PresentationRequest, error) {
	if len(body) > maxCreateBytes {
		return nil, exchange.BadField("", "body over %d bytes", maxCreateBytes)
	}
	if err := checkDepth(body, maxDepth); err != nil {
		return nil, exchange.BadField("", "%v", err)
	}
	var pr exchange.PresentationRequest
	if err := json.Unmarshal(body, &pr); err != nil {
		return nil, exchange.BadField("", "body is not a presentation request: %v", err)
	}
	return &pr, nil
}

type oauthError struct {
	Error       string `json:"error"`
	Description string `json:"error_description"`
	Code        string `json:"code"`
}

// walletFailure answers a wallet in OAuth's error shape, with the stable code beside it.
func walletFailure(w http.ResponseWriter, err error) {
	var we *WalletError
	if !errors.As(err, &we) {
		exchange.WriteJSON(w, http.StatusInternalServerError, oauthError{"server_error", "the request could not be processed", "internal"})
		return
	}
	status := http.StatusBadRequest
	if we.Code == CodeUnknownRequest {
		status = http.StatusNotFound
	}
	exchange.WriteJSON(w, status, oauthError{"invalid_request", we.Detail, we.Code})
}

func (v *Verifier) requestObject(w http.ResponseWriter, r *http.Request) {
	jwt, err := v.RequestObject(r.Context(), r.PathValue("id"))
	if err != nil {
		walletFailure(w, err)
		return
	}
	w.Header().Set("Content-Type", "application/"+RequestObjectType)
	w.Header().Set("Cache-Control", "no-store")
	_, _ = io.WriteString(w, jwt)
}

func (v *Verifier) response(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, MaxResponseBytes)
	if err := r.ParseForm(); err != nil {
		walletFailure(w, walletErr(CodeMalformed, "body is not a form within %d bytes", MaxResponseBytes))
		return
	}
	f := r.PostForm
	resp := Response{VPToken: f.Get("vp_token"), State: f.Get("state"), IDToken: f.Get("id_token"), Encrypted: f.Get("response"),
		PresentationSubmission: f.Get("presentation_submission")}
	if _, err := v.Respond(r.Context(), r.PathValue("id"), resp); err != nil {
		walletFailure(w, err)
		return
	}
	exchange.WriteJSON(w, http.StatusOK, struct{}{})
}

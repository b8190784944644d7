package exchange

import (
	"errors"
	"net/http"

	"github.com/ionode/ionode/credential/httpapi"
)

// APIPrefix is where the Request Service API lives, as in Entra Verified ID.
const APIPrefix = "/v1.0/verifiableCredentials"

// Mux is the /v1.0/verifiableCredentials API. It serves the status route itself; each protocol
// package mounts its routes with HandleAdmin (relying-party calls such as createPresentationRequest and
// createIssuanceRequest) and HandleWallet (the wallet-facing endpoints).
type Mux struct {
	mux      *http.ServeMux
	requests *Requests
	admin    []string
}

// NewMux returns the API with its status route. adminTokenSHA256 are the admin tokens' hex SHA-256
// hashes; relying-party routes require one as a bearer token.
func NewMux(requests *Requests, adminTokenSHA256 []string) *Mux {
	m := &Mux{mux: http.NewServeMux(), requests: requests, admin: adminTokenSHA256}
	m.HandleAdmin("GET "+APIPrefix+"/requests/{id}", http.HandlerFunc(m.status))
	return m
}

// HandleAdmin serves pattern (a net/http pattern) behind the admin bearer token.
func (m *Mux) HandleAdmin(pattern string, h http.Handler) {
	m.mux.Handle(pattern, httpapi.Admin(m.admin, h))
}

// HandleWallet serves pattern to anyone: wallets hold no token.
func (m *Mux) HandleWallet(pattern string, h http.Handler) { m.mux.Handle(pattern, h) }

func (m *Mux) ServeHTTP(w http.ResponseWriter, r *http.Request) { m.mux.ServeHTTP(w, r) }

// status answers a request's latest event: for relying parties without a public callback URL. It needs
// the admin token, since a verified presentation's claims are personal data.
func (m *Mux) status(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	for _, kind := range []string{KindPresentation, KindIssuance} {
		req, err := m.requests.Get(r.Context(), kind, id)
		if errors.Is(err, ErrNotFound) {
			continue
		}
		if err != nil {
			WriteError(w, err)
			return
		}
		WriteJSON(w, http.StatusOK, req.Event())
		return
	}
	WriteError(w, &APIError{Status: http.StatusNotFound, Code: "notFound", InnerCode: "requestNotFound",
		Message: "no such request, or it has expired"})
}

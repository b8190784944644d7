package issuance

import (
	"errors"
	"io"
	"net/http"
)

// Paths of the Request Service API served here.
const (
	PathCreate = "/v1.0/verifiableCredentials/createIssuanceRequest"
	PathStatus = "/v1.0/verifiableCredentials/issuanceRequests/"
)

// Handler serves createIssuanceRequest and the status route. Callers wrap it with the admin token
// check.
func (s *Service) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST "+PathCreate, func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxRequestSize))
		if err != nil {
			writeError(w, "", badRequest("", "body: %v", err))
			return
		}
		req, err := ParseRequest(body)
		if err != nil {
			writeError(w, "", err)
			return
		}
		resp, err := s.Create(r.Context(), req)
		if err != nil {
			var apiErr *APIError
			if !errors.As(err, &apiErr) {
				s.logger().ErrorContext(r.Context(), "issuance: create", "err", err)
			}
			writeError(w, "", err)
			return
		}
		writeJSON(w, http.StatusCreated, resp)
	})
	mux.HandleFunc("GET "+PathStatus+"{id}", func(w http.ResponseWriter, r *http.Request) {
		st, err := s.Status(r.Context(), r.PathValue("id"))
		if err != nil {
			writeError(w, r.PathValue("id"), err)
			return
		}
		writeJSON(w, http.StatusOK, st)
	})
	return mux
}

package httpapi

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"github.com/ionode/ionode/credential"
	"github.com/ionode/ionode/credential/sdjwt"
	"github.com/ionode/ionode/credential/status"
	"github.com/ionode/ionode/internal/bearer"
)

// API holds what the handlers use. Verifier is required; Issuer and Status enable the admin routes.
type API struct {
	Verifier *credential.Verifier
	// SDJWT verifies SD-JWT VCs (a jwt holding "~"); nil: they are refused as invalid VC-JWTs.
	SDJWT *sdjwt.Verifier
	// Audience is this verifier's identifier for presentations. When empty, the request's audience is
	// used (the relying party calling the endpoint states its own identifier).
	Audience string
	Issuer   *credential.Issuer
	Status   *status.Manager
	// StatusList is the list new credentials get an entry in when the issue request asks for status.
	StatusList string
	// AdminTokenSHA256 are hex SHA-256 hashes of the admin bearer tokens.
	AdminTokenSHA256 []string
	MaxBody          int64 // default 64 KiB
	Logger           *slog.Logger
}

// HashToken returns the hex SHA-256 of a token, the form AdminTokenSHA256 takes.
func HashToken(token string) string {
	h := sha256.Sum256([]byte(token))
	return hex.EncodeToString(h[:])
}

// Handler returns the routes described in the package documentation.
func (a *API) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /credentials/verify", a.verifyCredential)
	mux.HandleFunc("POST /presentations/verify", a.verifyPresentation)
	mux.Handle("POST /credentials/issue", a.admin(http.HandlerFunc(a.issue)))
	mux.Handle("POST /status/{list}/{index}", a.admin(http.HandlerFunc(a.setStatus)))
	if a.Status != nil {
		mux.Handle("GET /status/", http.StripPrefix("/status", a.Status.Handler()))
	}
	return mux
}

func (a *API) logger() *slog.Logger {
	if a.Logger != nil {
		return a.Logger
	}
	return slog.New(slog.DiscardHandler)
}

func (a *API) maxBody() int64 {
	if a.MaxBody > 0 {
		return a.MaxBody
	}
	return 64 << 10
}

type errorBody struct {
	Error string `json:"error"`
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(code)
	_ = json.NewEncoder(w).Encode(v)
}

// decode reads a JSON body within the size limit.
func (a *API) decode(w http.ResponseWriter, r *http.Request, v any) bool {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, a.maxBody()))
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		writeJSON(w, http.StatusRequestEntityTooLarge, errorBody{fmt.Sprintf("body larger than %d bytes", a.maxBody())})
		return false
	}
	if err != nil {
		writeJSON(w, http.StatusBadRequest, errorBody{"unreadable body"})
		return false
	}
	if err := json.Unmarshal(body, v); err != nil {
		writeJSON(w, http.StatusBadRequest, errorBody{"body must be JSON: " + err.Error()})
		return false
	}
	return true
}

func (a *API) verifyCredential(w http.ResponseWriter, r *http.Request) {
	var req struct {
		JWT string `json:"jwt"`
	}
	if !a.decode(w, r, &req) {
		return
	}
	if a.SDJWT != nil && sdjwt.Is(req.JWT) {
		writeJSON(w, http.StatusOK, a.SDJWT.Verify(r.Context(), req.JWT, sdjwt.Options{}))
		return
	}
	writeJSON(w, http.StatusOK, a.Verifier.VerifyCredential(r.Context(), req.JWT))
}

func (a *API) verifyPresentation(w http.ResponseWriter, r *http.Request) {
	var req struct {
		JWT      string `json:"jwt"`
		Nonce    string `json:"nonce"`
		Audience string `json:"audience"`
	}
	if !a.decode(w, r, &req) {
		return
	}
	aud := a.Audience
	if aud == "" {
		aud = req.Audience
	}
	if a.SDJWT != nil && sdjwt.Is(req.JWT) { // an SD-JWT VC presented with a KB-JWT
		writeJSON(w, http.StatusOK, a.SDJWT.Verify(r.Context(), req.JWT, sdjwt.Options{RequireKeyBinding: true, Audience: aud, Nonce: req.Nonce}))
		return
	}
	writeJSON(w, http.StatusOK, a.Verifier.VerifyPresentation(r.Context(), req.JWT, credential.PresentationOptions{Audience: aud, Nonce: req.Nonce}))
}

// admin lets a request through only with a bearer token whose hash is configured.
func (a *API) admin(next http.Handler) http.Handler { return Admin(a.AdminTokenSHA256, next) }

// Admin lets a request through only with a bearer token whose hex SHA-256 is in hashes: the one admin
// guard of the node's HTTP APIs (the wallet-exchange routes use it too).
func Admin(hashes []string, next http.Handler) http.Handler {
	parsed := make([]bearer.Hash, 0, len(hashes))
	for _, h := range hashes {
		// A malformed or empty-token hash admits nobody (ionode serve refuses it at startup).
		if b, err := bearer.ParseHash(h); err == nil {
			parsed = append(parsed, b)
		}
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if token, ok := bearer.Token(r); !ok || !bearer.Match(token, parsed) {
			w.Header().Set("WWW-Authenticate", `Bearer realm="ionode-admin"`)
			writeJSON(w, http.StatusUnauthorized, errorBody{"admin bearer token required"})
			return
		}
		next.ServeHTTP(w, r)
	})
}

// IssueRequest is the body of POST /credentials/issue.
type IssueRequest struct {
	Format     credential.Format `json:"format"`
	ID         string            `json:"id"`
	Types      []string          `json:"types"`
	Contexts   []string          `json:"contexts"`
	Subject    map[string]any    `json:"credentialSubject"`
	ValidFrom  *time.Time        `json:"validFrom"`
	ValidUntil *time.Time        `json:"validUntil"`
	// Status asks for a status entry in the configured list.
	Status bool `json:"status"`
}

func (a *API) issue(w http.ResponseWriter, r *http.Request) {
	if a.Issuer == nil {
		writeJSON(w, http.StatusNotImplemented, errorBody{"this node issues no credentials"})
		return
	}
	var req IssueRequest
	if !a.decode(w, r, &req) {
		return
	}
	if len(req.Subject) == 0 {
		writeJSON(w, http.StatusBadRequest, errorBody{"credentialSubject required"})
		return
	}
	c := credential.Claims{Format: req.Format, ID: req.ID, Types: req.Types, Contexts: req.Contexts, Subject: req.Subject}
	if req.ValidFrom != nil {
		c.ValidFrom = *req.ValidFrom
	}
	if req.ValidUntil != nil {
		c.ValidUntil = *req.ValidUntil
	}
	if req.Status {
		if a.Status == nil || a.StatusList == "" {
			writeJSON(w, http.StatusBadRequest, errorBody{"no status list configured"})
			return
		}
		entry, err := a.Status.Allocate(r.Context(), a.StatusList)
		if err != nil {
			a.logger().ErrorContext(r.Context(), "status allocation failed", "list", a.StatusList, "err", err)
			writeJSON(w, http.StatusServiceUnavailable, errorBody{"status allocation failed"})
			return
		}
		c.Status = &entry
	}
	jwt, err := a.Issuer.Issue(c)
	if err != nil {
		writeJSON(w, http.StatusBadRequest, errorBody{err.Error()})
		return
	}
	a.logger().InfoContext(r.Context(), "credential issued", "types", req.Types, "subject", req.Subject["id"], "status", c.Status != nil)
	writeJSON(w, http.StatusOK, map[string]any{"jwt": jwt, "credentialStatus": c.Status})
}

func (a *API) setStatus(w http.ResponseWriter, r *http.Request) {
	if a.Status == nil {
		writeJSON(w, http.StatusNotImplemented, errorBody{"this node keeps no status lists"})
		return
	}
	list := r.PathValue("list")
	index, err := strconv.Atoi(r.PathValue("index"))
	if err != nil || index < 0 || !status.ValidID(list) {
		writeJSON(w, http.StatusBadRequest, errorBody{"invalid list or index"})
		return
	}
	var req struct {
		Revoked *bool `json:"revoked"`
	}
	if !a.decode(w, r, &req) {
		return
	}
	if req.Revoked == nil {
		writeJSON(w, http.StatusBadRequest, errorBody{`body must be {"revoked": true|false}`})
		return
	}
	err = a.Status.SetStatus(r.Context(), list, index, *req.Revoked)
	switch {
	case errors.Is(err, status.ErrNotFound):
		writeJSON(w, http.StatusNotFound, errorBody{"no such status list"})
		return
	case err != nil:
		writeJSON(w, http.StatusBadRequest, errorBody{err.Error()})
		return
	}
	a.logger().InfoContext(r.Context(), "credential status changed", "list", list, "index", index, "revoked", *req.Revoked)
	w.WriteHeader(http.StatusNoContent)
}

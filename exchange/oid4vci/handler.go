package oid4vci

import (
	"io"
	"net/http"
	"net/url"
	"strings"
)

// maxFormSize bounds a token request: a code, a PIN and a grant type.
const maxFormSize = 8 << 10

// Handler serves the issuer's endpoints (see the package documentation). Mount it at the root of URL.
func (i *Issuer) Handler() http.Handler {
	mux := http.NewServeMux()
	issuerMD, asMD := mustJSON(i.Metadata()), mustJSON(i.AuthorizationServerMetadata())
	static := func(body []byte) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			w.Header().Set("Cache-Control", "max-age=300")
			w.Header().Set("Access-Control-Allow-Origin", "*")
			_, _ = w.Write(body)
		}
	}
	mux.Handle("GET "+PathIssuerMetadata, static(issuerMD))
	mux.Handle("GET "+PathASMetadata, static(asMD))
	mux.HandleFunc("GET "+PathOffers+"{id}", func(w http.ResponseWriter, r *http.Request) {
		offer, err := i.OfferByReference(r.Context(), r.PathValue("id"))
		if err != nil {
			writeError(w, err)
			return
		}
		writeJSON(w, http.StatusOK, offer)
	})
	mux.HandleFunc("POST "+PathToken, func(w http.ResponseWriter, r *http.Request) {
		body, err := readBody(w, r, maxFormSize)
		if err != nil {
			writeError(w, err)
			return
		}
		form, err := ParseTokenRequest(r.Header.Get("Content-Type"), body)
		if err != nil {
			writeError(w, err)
			return
		}
		resp, err := i.Token(r.Context(), form)
		if err != nil {
			i.logRefusal(r, err)
			writeError(w, err)
			return
		}
		writeJSON(w, http.StatusOK, resp)
	})
	mux.HandleFunc("POST "+PathNonce, func(w http.ResponseWriter, r *http.Request) {
		n, err := i.NewNonce(r.Context())
		if err != nil {
			i.logRefusal(r, err)
			writeError(w, err)
			return
		}
		writeJSON(w, http.StatusOK, map[string]string{"c_nonce": n})
	})
	mux.HandleFunc("POST "+PathCredential, func(w http.ResponseWriter, r *http.Request) {
		bearer, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		if !ok {
			writeError(w, errorf(CodeInvalidToken, "send the access token as Authorization: Bearer"))
			return
		}
		body, err := readBody(w, r, MaxBodySize)
		if err != nil {
			writeError(w, err)
			return
		}
		resp, err := i.Credential(r.Context(), strings.TrimSpace(bearer), body)
		if err != nil {
			i.logRefusal(r, err)
			writeError(w, err)
			return
		}
		writeJSON(w, http.StatusOK, resp)
	})
	return mux
}

func readBody(w http.ResponseWriter, r *http.Request, limit int64) ([]byte, error) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, limit))
	if err != nil {
		return nil, errorf(CodeInvalidRequest, "body: %w", err)
	}
	return body, nil
}

// ParseTokenRequest parses a token request body (application/x-www-form-urlencoded).
func ParseTokenRequest(contentType string, body []byte) (url.Values, error) {
	mt, _, _ := strings.Cut(contentType, ";")
	if strings.TrimSpace(strings.ToLower(mt)) != "application/x-www-form-urlencoded" {
		return nil, errorf(CodeInvalidRequest, "the token request must be application/x-www-form-urlencoded")
	}
	if len(body) > maxFormSize {
		return nil, errorf(CodeInvalidRequest, "body larger than %d bytes", maxFormSize)
	}
	form, err := url.ParseQuery(string(body))
	if err != nil {
		return nil, errorf(CodeInvalidRequest, "form: %w", err)
	}
	// RFC 6749 §3.2: parameters must not be repeated.
	for k, v := range form {
		if len(v) > 1 {
			return nil, errorf(CodeInvalidRequest, "parameter %q is repeated", trunc(k))
		}
	}
	return form, nil
}

func (i *Issuer) logRefusal(r *http.Request, err error) {
	if c := CodeOf(err); c != "" && c != CodeServerError {
		i.Logger.InfoContext(r.Context(), "oid4vci: refused", "path", r.URL.Path, "code", c, "reason", err.Error())
		return
	}
	i.Logger.ErrorContext(r.Context(), "oid4vci: failed", "path", r.URL.Path, "err", err)
}

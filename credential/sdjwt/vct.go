package sdjwt

import (
	"context"
	"crypto/sha256"
	"crypto/sha512"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/ionode/ionode/credential"
	"github.com/ionode/ionode/resolver/web"
)

// checkType checks vct against the verifier's list and, when vct is an https URL, against the type
// metadata published there (SD-JWT VC Section 6): the document must name the same vct, and match
// vct#integrity when the issuer signed one. A type whose URL answers 404 publishes no metadata.
func (v *Verifier) checkType(ctx context.Context, r *Result, isVC bool, opts Options) bool {
	if !isVC {
		r.skip(CheckType, "not an SD-JWT VC")
		return true
	}
	if len(opts.VCT) > 0 && !slices.Contains(opts.VCT, r.VCT) {
		r.fail(CheckType, fail(CodeInvalidType, "vct %q is not one of %v", credential.Truncate(r.VCT), opts.VCT), CodeInvalidType)
		return false
	}
	if !strings.HasPrefix(r.VCT, "https://") || v.Fetcher == nil {
		r.pass(CheckType, "no type metadata to resolve")
		return true
	}
	body, err := v.get(ctx, r.VCT, "application/json")
	var se *web.StatusError
	switch {
	case errors.As(err, &se) && se.Code == http.StatusNotFound:
		r.pass(CheckType, "no type metadata published")
		return true
	case err != nil:
		r.fail(CheckType, fail(CodeTypeMetadataUnavailable, "type metadata: %w", err), CodeTypeMetadataUnavailable)
		return false
	}
	var md struct {
		VCT string `json:"vct"`
	}
	if err := decodeJSON(body, &md); err != nil || md.VCT != r.VCT {
		r.fail(CheckType, fail(CodeInvalidType, "type metadata at %s does not describe this vct", credential.Truncate(r.VCT)), CodeInvalidType)
		return false
	}
	if integrity, ok := r.Claims["vct#integrity"].(string); ok {
		if err := checkIntegrity(integrity, body); err != nil {
			r.fail(CheckType, fail(CodeInvalidType, "type metadata: %w", err), CodeInvalidType)
			return false
		}
	}
	r.pass(CheckType, "type metadata resolved")
	return true
}

// checkIntegrity checks a W3C Subresource Integrity value (sha256-, sha384- or sha512-, base64),
// passing when any of the listed digests matches.
func checkIntegrity(sri string, body []byte) error {
	for _, m := range strings.Fields(sri) {
		alg, want, ok := strings.Cut(m, "-")
		if !ok {
			continue
		}
		var got []byte
		switch alg {
		case "sha256":
			h := sha256.Sum256(body)
			got = h[:]
		case "sha384":
			h := sha512.Sum384(body)
			got = h[:]
		case "sha512":
			h := sha512.Sum512(body)
			got = h[:]
		default:
			continue
		}
		w, err := base64.StdEncoding.DecodeString(want)
		if err == nil && subtle.ConstantTimeCompare(w, got) == 1 {
			return nil
		}
	}
	return fmt.Errorf("vct#integrity does not match")
}

package exchange

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/ionode/ionode/exchange/dcql"
	"github.com/ionode/ionode/exchange/presex"
)

// The Request Service API's shapes, with Microsoft Entra Verified ID's field names, so that a relying
// party's code moving off the hosted service changes only its base URL.

// Registration names the relying party to the holder.
type Registration struct {
	ClientName string `json:"clientName"`
	Purpose    string `json:"purpose,omitempty"`
	LogoURL    string `json:"logoUrl,omitempty"`
}

// Callback is where and how the node reports a request's progress.
type Callback struct {
	URL     string            `json:"url"`
	State   string            `json:"state,omitempty"`
	Headers map[string]string `json:"headers,omitempty"`
}

// Validation tunes the checks of one requested credential.
type Validation struct {
	AllowRevoked         bool `json:"allowRevoked,omitempty"`
	ValidateLinkedDomain bool `json:"validateLinkedDomain,omitempty"`
}

// RequestedCredential is one credential the relying party asks for.
type RequestedCredential struct {
	Type            string   `json:"type"`
	Purpose         string   `json:"purpose,omitempty"`
	AcceptedIssuers []string `json:"acceptedIssuers,omitempty"`
	Configuration   struct {
		Validation Validation `json:"validation"`
	} `json:"configuration"`
	// Format and Claims are ionode's extension (Entra has none): format "dc+sd-jwt" asks for an SD-JWT
	// VC whose vct is Type, and Claims for the claims to disclose, by DCQL claims path pointer. The
	// default format is jwt_vc_json.
	Format string         `json:"format,omitempty"`
	Claims []ClaimRequest `json:"claims,omitempty"`
	// Group is ionode's extension for ionode.query "presentation_definition": the groups of this
	// credential's input descriptor, which ionode.submissionRequirements pick from.
	Group []string `json:"group,omitempty"`
	// ID, Multiple and ClaimSets are ionode's DCQL extensions: ID names the credential query (default
	// "credential_<index>"), which ionode.credentialSets' options name; Multiple lets the wallet send
	// more than one credential for it; ClaimSets are alternative combinations of Claims by their ids,
	// in order of preference (the first the credential satisfies is the one checked).
	ID        string     `json:"id,omitempty"`
	Multiple  bool       `json:"multiple,omitempty"`
	ClaimSets [][]string `json:"claimSets,omitempty"`
}

// ClaimRequest asks for one claim by its DCQL claims path pointer: member names (strings), null for
// every element of an array, integers for one element, e.g. ["address", "locality"].
type ClaimRequest struct {
	ID   string `json:"id,omitempty"`
	Path []any  `json:"path"`
	// Values, when given, are the only values accepted (strings, integers, booleans).
	Values []any `json:"values,omitempty"`
}

// PresentationRequest is the body of createPresentationRequest.
type PresentationRequest struct {
	Authority            string                `json:"authority"`
	IncludeQRCode        bool                  `json:"includeQRCode,omitempty"`
	IncludeReceipt       bool                  `json:"includeReceipt,omitempty"`
	Registration         Registration          `json:"registration"`
	Callback             *Callback             `json:"callback,omitempty"`
	RequestedCredentials []RequestedCredential `json:"requestedCredentials"`
	// Extensions are this node's own fields; Entra's API has none of them.
	Extensions *PresentationExtensions `json:"ionode,omitempty"`
}

// PresentationExtensions opt a presentation request into OpenID4VP features the hosted service's API
// cannot ask for.
type PresentationExtensions struct {
	// Query is "dcql" (the default: OpenID4VP 1.0) or "presentation_definition" (DIF Presentation
	// Exchange v2 in a draft-era request with client_id_scheme=did, for wallets built on the drafts).
	Query string `json:"query,omitempty"`
	// ResponseMode is "direct_post" (the default) or "direct_post.jwt": the wallet encrypts its
	// response to a key of this request.
	ResponseMode string `json:"responseMode,omitempty"`
	// ResponseType is "vp_token" (the default), "vp_token id_token" (presentations and a SIOPv2
	// self-issued id_token) or "id_token" (the holder's DID alone; no credentials are requested).
	ResponseType string `json:"responseType,omitempty"`
	// SubmissionRequirements (with Query "presentation_definition") say which combinations of the
	// requested credentials answer, by their Group, as DIF Presentation Exchange v2 writes them: e.g.
	// [{"rule":"pick","count":1,"from":"A"}] asks for any one credential of group A. Without them every
	// requested credential is required.
	SubmissionRequirements []presex.SubmissionRequirement `json:"submissionRequirements,omitempty"`
	// CredentialSets (with Query "dcql", the default) are DCQL credential_sets: each lists options, each
	// option the ids of requested credentials that together answer it, e.g.
	// [{"options":[["pid"],["passport","bill"]]},{"options":[["loyalty"]],"required":false}]. A required
	// set (the default) must have one option answered; without sets every requested credential is.
	CredentialSets []dcql.CredentialSet `json:"credentialSets,omitempty"`
}

// CreateResponse answers createPresentationRequest (and createIssuanceRequest).
type CreateResponse struct {
	RequestID string `json:"requestId"`
	URL       string `json:"url"`
	Expiry    int64  `json:"expiry"` // Unix seconds
	QRCode    string `json:"qrCode,omitempty"`
}

// CredentialState says whether a presented credential is revoked.
type CredentialState struct {
	RevocationStatus string `json:"revocationStatus"` // VALID or REVOKED
}

// DomainValidation is the issuer's verified linked domain.
type DomainValidation struct {
	URL string `json:"url"`
}

// VerifiedCredentialData is one verified credential in a presentation_verified callback.
type VerifiedCredentialData struct {
	Issuer           string            `json:"issuer"`
	Type             []string          `json:"type"`
	Claims           json.RawMessage   `json:"claims"`
	CredentialState  CredentialState   `json:"credentialState"`
	DomainValidation *DomainValidation `json:"domainValidation,omitempty"`
	IssuanceDate     *time.Time        `json:"issuanceDate,omitempty"`
	ExpirationDate   *time.Time        `json:"expirationDate,omitempty"`
	// Disclosed are the paths of the claims an SD-JWT VC's holder chose to disclose (member names and
	// array indexes), beside the always-visible ones in Claims.
	Disclosed [][]any `json:"disclosed,omitempty"`
}

// CallbackError is the error of a *_error callback.
type CallbackError struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

// Event is a callback body, and the body of the status route.
type Event struct {
	RequestID               string                   `json:"requestId"`
	RequestStatus           Status                   `json:"requestStatus"`
	State                   string                   `json:"state,omitempty"`
	Subject                 string                   `json:"subject,omitempty"`
	VerifiedCredentialsData []VerifiedCredentialData `json:"verifiedCredentialsData,omitempty"`
	Error                   *CallbackError           `json:"error,omitempty"`
}

// APIError is a Request Service API error. Code is the top-level code (badRequest, unauthorized,
// notFound, internalError), InnerCode the specific, stable reason and Target the offending field.
type APIError struct {
	Status    int
	Code      string
	InnerCode string
	Message   string
	Target    string
}

func (e *APIError) Error() string {
	if e.Target != "" {
		return fmt.Sprintf("%s: %s (%s)", e.InnerCode, e.Message, e.Target)
	}
	return e.InnerCode + ": " + e.Message
}

// BadField is the APIError of a missing or malformed field of a request body.
func BadField(target, format string, args ...any) *APIError {
	return &APIError{Status: http.StatusBadRequest, Code: "badRequest", InnerCode: "badOrMissingField",
		Message: fmt.Sprintf(format, args...), Target: target}
}

type errorBody struct {
	RequestID string    `json:"requestId,omitempty"`
	Date      string    `json:"date"`
	Error     errorInfo `json:"error"`
}

type errorInfo struct {
	Code       string     `json:"code"`
	Message    string     `json:"message"`
	InnerError innerError `json:"innererror"`
}

type innerError struct {
	Code    string `json:"code"`
	Message string `json:"message"`
	Target  string `json:"target,omitempty"`
}

// WriteError answers err in the API's error shape: an *APIError as it says, anything else as a 500
// without its text (which may name internals).
func WriteError(w http.ResponseWriter, err error) {
	var ae *APIError
	if !errors.As(err, &ae) {
		ae = &APIError{Status: http.StatusInternalServerError, Code: "internalError", InnerCode: "internalError",
			Message: "the request could not be processed"}
	}
	body := errorBody{
		Date: time.Now().UTC().Format(http.TimeFormat),
		Error: errorInfo{Code: ae.Code, Message: ae.Message,
			InnerError: innerError{Code: ae.InnerCode, Message: ae.Message, Target: ae.Target}},
	}
	WriteJSON(w, ae.Status, body)
}

// WriteJSON answers v as JSON with status.
func WriteJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

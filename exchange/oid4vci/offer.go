package oid4vci

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"net/http"
	"net/url"
	"slices"
	"time"
)

// OfferRequest is what to offer.
type OfferRequest struct {
	// ConfigurationIDs are the credential configurations offered (at least one).
	ConfigurationIDs []string
	// Claims go into each credential's subject (besides its id, the holder).
	Claims map[string]any
	// PIN, when set, is the tx_code the holder must type (digits, 4-8 of them); with PINLength > 0 and no
	// PIN, one of that length is generated.
	PIN       string
	PINLength int
	// RequestID links the offer to a Request Service API request, for Events.
	RequestID string
	// TTL of the pre-authorized code; default Issuer.CodeTTL.
	TTL time.Duration
}

// Offer is a created credential offer.
type Offer struct {
	// JSON is the credential offer object.
	JSON json.RawMessage
	// ByValue is openid-credential-offer://?credential_offer=…; ByReference carries credential_offer_uri.
	ByValue, ByReference string
	// URI is the offer's credential_offer_uri.
	URI string
	// PIN is the tx_code the holder must type ("" without one): show it to the user apart from the QR code.
	PIN     string
	Expires time.Time
}

// OfferScheme is the URI scheme wallets register for credential offers.
const OfferScheme = "openid-credential-offer://"

// MaxClaimsSize bounds an offer's claims (they are stored with the code and copied into the credential).
const MaxClaimsSize = 16 << 10

// CreateOffer stores a pre-authorized code for the configurations and returns the offer.
func (i *Issuer) CreateOffer(ctx context.Context, r OfferRequest) (*Offer, error) {
	if len(r.ConfigurationIDs) == 0 {
		return nil, errors.New("offer: no credential configurations")
	}
	for _, id := range r.ConfigurationIDs {
		cfg, ok := i.Config.Configurations[id]
		if !ok {
			return nil, fmt.Errorf("offer: unknown credential configuration %q", id)
		}
		if cc, ok := i.Formats[cfg.Format].(ClaimsChecker); ok {
			if err := cc.CheckClaims(cfg, r.Claims); err != nil {
				return nil, fmt.Errorf("offer: configuration %s: %w", id, err)
			}
		}
	}
	if b, err := json.Marshal(r.Claims); err != nil || len(b) > MaxClaimsSize {
		return nil, fmt.Errorf("offer: claims must be JSON of at most %d bytes", MaxClaimsSize)
	}
	pin := r.PIN
	switch {
	case pin != "" && !validPIN(pin):
		return nil, errors.New("offer: pin must be 4-8 digits")
	case pin == "" && r.PINLength != 0:
		if r.PINLength < 4 || r.PINLength > 8 {
			return nil, errors.New("offer: pin length must be 4-8")
		}
		pin = randomPIN(r.PINLength)
	}
	ttl := r.TTL
	if ttl <= 0 {
		ttl = i.CodeTTL
	}
	now := i.Now()
	code, offerID := newSecret(), newSecret()
	g := grant{ConfigurationIDs: slices.Clone(r.ConfigurationIDs), Claims: r.Claims, RequestID: r.RequestID, Expires: now.Add(ttl)}
	if pin != "" {
		g.TxCode = txCodeHash(code, pin)
	}
	preAuth := map[string]any{"pre-authorized_code": code}
	if pin != "" {
		preAuth["tx_code"] = map[string]any{"input_mode": "numeric", "length": len(pin), "description": "The PIN shown by the issuer"}
	}
	offer, err := json.Marshal(map[string]any{
		"credential_issuer":            i.URL,
		"credential_configuration_ids": r.ConfigurationIDs,
		"grants":                       map[string]any{GrantPreAuthorized: preAuth},
	})
	if err != nil {
		return nil, fmt.Errorf("offer: %w", err)
	}
	if err := i.put(ctx, secretID(prefixCode, code), marshalRecord(g), g.Expires); err != nil {
		return nil, err
	}
	if err := i.put(ctx, prefixOffer+offerID, marshalRecord(storedOffer{Offer: offer, RequestID: r.RequestID}), g.Expires); err != nil {
		return nil, err
	}
	uri := i.URL + PathOffers + offerID
	return &Offer{
		JSON:        offer,
		ByValue:     OfferScheme + "?credential_offer=" + url.QueryEscape(string(offer)),
		ByReference: OfferScheme + "?credential_offer_uri=" + url.QueryEscape(uri),
		URI:         uri,
		PIN:         pin,
		Expires:     g.Expires,
	}, nil
}

func (i *Issuer) put(ctx context.Context, id string, data []byte, expires time.Time) error {
	created, err := i.Sessions.PutSession(ctx, id, data, expires)
	if err != nil {
		return fmt.Errorf("store session: %w", err)
	}
	if !created {
		return errors.New("store session: id collision")
	}
	return nil
}

func validPIN(p string) bool {
	if len(p) < 4 || len(p) > 8 {
		return false
	}
	for _, c := range p {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

func randomPIN(n int) string {
	b := make([]byte, n)
	for k := range b {
		d, _ := rand.Int(rand.Reader, big.NewInt(10))
		b[k] = byte('0' + d.Int64())
	}
	return string(b)
}

// txCodeHash binds the PIN to its code, so equal PINs of two codes hash differently.
func txCodeHash(code, pin string) string {
	h := sha256.Sum256([]byte(code + "\x00" + pin))
	return hex.EncodeToString(h[:])
}

// storedOffer is an offer kept for retrieval by reference.
type storedOffer struct {
	Offer     json.RawMessage `json:"offer"`
	RequestID string          `json:"request_id,omitempty"`
}

// maxOfferID bounds the id of an offer URI; ids are 43 characters.
const maxOfferID = 64

// OfferByReference returns a stored offer (what credential_offer_uri serves) and tells Events.
func (i *Issuer) OfferByReference(ctx context.Context, id string) (json.RawMessage, error) {
	if id == "" || len(id) > maxOfferID {
		return nil, errorf(CodeInvalidRequest, "no such credential offer")
	}
	var o storedOffer
	_, ok, err := getRecord(ctx, i.Sessions, prefixOffer+id, &o)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, &Error{Code: CodeInvalidRequest, Description: "the credential offer is unknown or expired", Status: http.StatusNotFound}
	}
	if o.RequestID != "" && i.Events != nil {
		i.Events.OfferRetrieved(ctx, o.RequestID)
	}
	return o.Offer, nil
}

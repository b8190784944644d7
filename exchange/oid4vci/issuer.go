package oid4vci

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"strings"
	"time"

	"github.com/ionode/ionode/credential"
)

// StatusAllocator hands out status-list entries (*status.Manager).
type StatusAllocator interface {
	Allocate(ctx context.Context, list string) (credential.Status, error)
}

// Events are told what happens to an offer made for a request (exchange/issuance sends them to the
// relying party's callback). Calls must not block for long.
type Events interface {
	// OfferRetrieved: the wallet fetched the offer by reference or redeemed its code.
	OfferRetrieved(ctx context.Context, requestID string)
	// Issued: the credential was issued to holder.
	Issued(ctx context.Context, requestID, configurationID, holder string)
	// IssuanceFailed: the wallet's credential or token request was refused.
	IssuanceFailed(ctx context.Context, requestID string, code Code, description string)
}

// Issuer is the OpenID4VCI credential issuer. Set the fields, then call Init once before use.
type Issuer struct {
	// URL is the credential issuer identifier (https://node.example): the metadata's credential_issuer,
	// the proofs' audience and the base of the endpoints.
	URL    string
	Config *Config
	// Formats by format identifier; Init adds jwt_vc_json over Credentials when it is missing.
	Formats     map[string]Format
	Credentials *credential.Issuer
	// Status and StatusList give credentials a status-list entry when their configuration asks for one.
	Status     StatusAllocator
	StatusList string
	// Holders resolves the DIDs of proof keys.
	Holders  credential.DIDResolver
	Sessions Sessions
	Events   Events // optional

	CodeTTL  time.Duration // pre-authorized code lifetime; default 5 minutes
	TokenTTL time.Duration // access token lifetime; default 5 minutes
	NonceTTL time.Duration // c_nonce lifetime; default 5 minutes
	// MaxTxCodeAttempts wrong tx_codes burn a code; default 5.
	MaxTxCodeAttempts int
	// TxCodeLock is the lock after the first wrong tx_code, doubled after each further one; default 1s.
	TxCodeLock time.Duration
	// ProofMaxAge is how old a proof's iat may be; default 5 minutes (and at most 1 minute ahead).
	ProofMaxAge time.Duration
	Now         func() time.Time
	Logger      *slog.Logger

	nonceKeys nonceKeys
}

// Init checks the configuration and fills in defaults.
func (i *Issuer) Init() error {
	u, err := url.Parse(i.URL)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
		return fmt.Errorf("credential issuer URL %q: want an https URL without query or fragment", i.URL)
	}
	i.URL = strings.TrimRight(i.URL, "/")
	if i.Sessions == nil || i.Holders == nil || i.Config == nil {
		return errors.New("oid4vci: Sessions, Holders and Config are required")
	}
	if i.Formats == nil {
		i.Formats = map[string]Format{}
	}
	if _, ok := i.Formats[FormatJWTVCJSON]; !ok && i.Credentials != nil {
		i.Formats[FormatJWTVCJSON] = JWTVC{Issuer: i.Credentials}
	}
	if err := i.Config.validate(i.Formats); err != nil {
		return err
	}
	for id, c := range i.Config.Configurations {
		if c.Status && (i.Status == nil || i.StatusList == "") {
			return fmt.Errorf("configuration %s asks for a status entry and the issuer has no status list", id)
		}
	}
	setDefault(&i.CodeTTL, 5*time.Minute)
	setDefault(&i.TokenTTL, 5*time.Minute)
	setDefault(&i.NonceTTL, 5*time.Minute)
	setDefault(&i.TxCodeLock, time.Second)
	setDefault(&i.ProofMaxAge, 5*time.Minute)
	if i.MaxTxCodeAttempts <= 0 {
		i.MaxTxCodeAttempts = 5
	}
	if i.Now == nil {
		i.Now = time.Now
	}
	if i.Logger == nil {
		i.Logger = slog.New(slog.DiscardHandler)
	}
	return nil
}

func setDefault(d *time.Duration, v time.Duration) {
	if *d <= 0 {
		*d = v
	}
}

// Endpoint paths below the issuer URL.
const (
	PathIssuerMetadata = "/.well-known/openid-credential-issuer"
	PathASMetadata     = "/.well-known/oauth-authorization-server"
	PathOffers         = "/oid4vci/offers/"
	PathToken          = "/oid4vci/token"
	PathNonce          = "/oid4vci/nonce"
	PathCredential     = "/oid4vci/credential"
)

// GrantPreAuthorized is the pre-authorized code grant type.
const GrantPreAuthorized = "urn:ietf:params:oauth:grant-type:pre-authorized_code"

package credential

import (
	"context"
	"encoding/json"
	"log/slog"
	"strconv"
	"time"

	"github.com/ionode/ionode/resolver"
)

// Check outcomes.
const (
	Pass = "pass"
	Fail = "fail"
	Skip = "skip"
)

// Check is one step of a verification and how it went.
type Check struct {
	Name    string `json:"name"`
	Outcome string `json:"outcome"` // pass, fail or skip
	Detail  string `json:"detail,omitempty"`
}

// Result is the outcome of verifying a credential or a presentation: every check performed, in order,
// and on failure the stable Code of the failing one. Results are logged by the Verifier and are what
// the HTTP handlers answer.
type Result struct {
	TransactionID string  `json:"transactionId"`
	Kind          string  `json:"kind"` // "credential" or "presentation"
	Valid         bool    `json:"valid"`
	Code          Code    `json:"code,omitempty"`
	Detail        string  `json:"detail,omitempty"`
	Checks        []Check `json:"checks"`

	Credential   *VerifiedCredential   `json:"credential,omitempty"`
	Presentation *VerifiedPresentation `json:"presentation,omitempty"`
	// Credentials are the results of a presentation's credentials.
	Credentials []*Result `json:"credentials,omitempty"`
}

// VerifiedCredential is what a verified (or partly verified) credential says. Fields are filled as far
// as verification got; trust them only when Result.Valid.
type VerifiedCredential struct {
	Format     Format          `json:"format"`
	ID         string          `json:"id,omitempty"`
	Issuer     string          `json:"issuer,omitempty"`
	Subject    string          `json:"subject,omitempty"`
	Types      []string        `json:"types,omitempty"`
	ValidFrom  *time.Time      `json:"validFrom,omitempty"`
	ValidUntil *time.Time      `json:"validUntil,omitempty"`
	Status     []Status        `json:"status,omitempty"`
	KID        string          `json:"kid,omitempty"`
	Claims     json.RawMessage `json:"claims,omitempty"` // the credential (vc claim or VC 2.0 payload)
	// IssuerResolution is the issuer's resolution the signature was verified with (read-only: it may
	// be shared by a resolver's cache), so that later checks of the issuer need not resolve it again.
	IssuerResolution *resolver.Result `json:"-"`
}

// VerifiedPresentation is what a verified presentation says.
type VerifiedPresentation struct {
	Holder   string   `json:"holder,omitempty"`
	Audience []string `json:"audience,omitempty"`
	Nonce    string   `json:"nonce,omitempty"`
	KID      string   `json:"kid,omitempty"`
}

// Err returns nil for a valid result, else a *Failure with the result's code.
func (r *Result) Err() error {
	if r.Valid {
		return nil
	}
	return &Failure{Code: r.Code, Detail: r.Detail}
}

func (r *Result) pass(name, detail string) { r.Checks = append(r.Checks, Check{name, Pass, detail}) }
func (r *Result) skip(name, detail string) { r.Checks = append(r.Checks, Check{name, Skip, detail}) }

// fail records a failed check and sets the result's code from err (a *Failure, else defaultCode).
func (r *Result) fail(name string, err error, defaultCode Code) *Result {
	code := CodeOf(err)
	if code == "" {
		code = defaultCode
	}
	r.Checks = append(r.Checks, Check{name, Fail, err.Error()})
	r.Valid, r.Code, r.Detail = false, code, err.Error()
	return r
}

// log writes the audit record of a verification.
func (r *Result) log(ctx context.Context, logger *slog.Logger) {
	if !logger.Enabled(ctx, slog.LevelInfo) {
		return
	}
	attrs := []any{"transactionId", r.TransactionID, "kind", r.Kind, "valid", r.Valid}
	if r.Code != "" {
		attrs = append(attrs, "code", r.Code, "detail", r.Detail)
	}
	if c := r.Credential; c != nil {
		attrs = append(attrs, "issuer", c.Issuer, "subject", c.Subject, "types", c.Types, "credentialId", c.ID)
	}
	if p := r.Presentation; p != nil {
		attrs = append(attrs, "holder", p.Holder, "audience", p.Audience)
	}
	checks := make([]any, 0, len(r.Checks))
	for i, c := range r.Checks {
		checks = append(checks, slog.String(strconv.Itoa(i)+"."+c.Name, c.Outcome))
	}
	attrs = append(attrs, slog.Group("checks", checks...))
	msg := "verification passed"
	if !r.Valid {
		msg = "verification failed"
	}
	logger.InfoContext(ctx, msg, attrs...)
}

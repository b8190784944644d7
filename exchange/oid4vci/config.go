package oid4vci

import (
	"encoding/json"
	"fmt"
	"os"
	"regexp"
	"time"
)

// Display is how a wallet shows the issuer or a credential (Entra's display definition): name, locale,
// logo and colours.
type Display struct {
	Name            string `json:"name"`
	Locale          string `json:"locale,omitempty"`
	Logo            *Image `json:"logo,omitempty"`
	Description     string `json:"description,omitempty"`
	BackgroundColor string `json:"background_color,omitempty"`
	BackgroundImage *Image `json:"background_image,omitempty"`
	TextColor       string `json:"text_color,omitempty"`
}

// Image is a logo or background image.
type Image struct {
	URI     string `json:"uri"`
	AltText string `json:"alt_text,omitempty"`
}

// ClaimDisplay describes one claim of a credential for wallets: its path in the credential
// (e.g. ["credentialSubject", "given_name"]) and its labels.
type ClaimDisplay struct {
	Path      []string     `json:"path"`
	Mandatory bool         `json:"mandatory,omitempty"`
	Display   []ClaimLabel `json:"display,omitempty"`
}

// ClaimLabel is a claim's name in a locale.
type ClaimLabel struct {
	Name   string `json:"name"`
	Locale string `json:"locale,omitempty"`
}

// Configuration is one kind of credential the issuer offers (an entry of
// credential_configurations_supported).
type Configuration struct {
	// Format is the credential format, e.g. jwt_vc_json; the Issuer must have a Format for it.
	Format string `json:"format"`
	// Types are the credential's types besides VerifiableCredential (jwt_vc_json).
	Types []string `json:"types,omitempty"`
	// Contexts are @context entries after the data model's base context (jwt_vc_json).
	Contexts []string `json:"contexts,omitempty"`
	// VCT is the credential type of SD-JWT VC formats.
	VCT string `json:"vct,omitempty"`
	// Disclosable are the claims a dc+sd-jwt holder may disclose one by one (sdjwt.Claims.Disclosable
	// paths: "given_name", "address.street_address", "nationalities.*"); the others are always visible.
	Disclosable []string `json:"disclosable,omitempty"`
	// NoDecoys leaves decoy digests out of dc+sd-jwt credentials (on by default: they hide how many
	// claims a credential holds).
	NoDecoys bool           `json:"no_decoys,omitempty"`
	Scope    string         `json:"scope,omitempty"`
	Display  []Display      `json:"display,omitempty"`
	Claims   []ClaimDisplay `json:"claims,omitempty"`
	// Validity is how long an issued credential is valid ("8760h"); empty: no expiry.
	Validity Duration `json:"validity,omitempty"`
	// Status gives each credential an entry in the issuer's status list, so that it can be revoked.
	Status bool `json:"status,omitempty"`
}

// Duration is a time.Duration written as "90m" in JSON.
type Duration time.Duration

// UnmarshalJSON reads a duration string.
func (d *Duration) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("duration: %w", err)
	}
	v, err := time.ParseDuration(s)
	if err != nil || v < 0 {
		return fmt.Errorf("duration %q: want a positive Go duration such as 8760h", s)
	}
	*d = Duration(v)
	return nil
}

// MarshalJSON writes a duration string.
func (d Duration) MarshalJSON() ([]byte, error) { return json.Marshal(time.Duration(d).String()) }

// Config is the issuer's configurations file: the issuer's display and the credentials it offers, by
// configuration id.
type Config struct {
	Display        []Display                 `json:"display,omitempty"`
	Configurations map[string]*Configuration `json:"credential_configurations"`
}

var configID = regexp.MustCompile(`^[A-Za-z0-9._~-]{1,64}$`)

// maxConfigFile bounds the configurations file.
const maxConfigFile = 1 << 20

// LoadConfig reads and validates a configurations file.
func LoadConfig(path string) (*Config, error) {
	info, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if info.Size() > maxConfigFile {
		return nil, fmt.Errorf("%s: larger than %d bytes", path, maxConfigFile)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var c Config
	if err := json.Unmarshal(data, &c); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return &c, nil
}

// validate checks the configurations against the formats the issuer has.
func (c *Config) validate(formats map[string]Format) error {
	if len(c.Configurations) == 0 {
		return fmt.Errorf("no credential configurations")
	}
	for id, cfg := range c.Configurations {
		if !configID.MatchString(id) {
			return fmt.Errorf("configuration id %q: want 1-64 letters, digits, '.', '_', '~' or '-'", id)
		}
		if cfg == nil {
			return fmt.Errorf("configuration %s is empty", id)
		}
		f, ok := formats[cfg.Format]
		if !ok {
			return fmt.Errorf("configuration %s: unsupported format %q", id, cfg.Format)
		}
		if err := f.Validate(cfg); err != nil {
			return fmt.Errorf("configuration %s: %w", id, err)
		}
		for _, d := range cfg.Display {
			if d.Name == "" {
				return fmt.Errorf("configuration %s: a display entry has no name", id)
			}
		}
	}
	return nil
}

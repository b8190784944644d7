package oid4vci

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/ionode/ionode/credential/sdjwt"
)

// FormatSDJWTVC is the OpenID4VCI format identifier of IETF SD-JWT VCs.
const FormatSDJWTVC = sdjwt.Format

// SDJWTVC issues dc+sd-jwt credentials: the offer's claims, those the configuration names disclosable
// replaced by digests (with decoys unless the configuration says no_decoys), bound to the proof's key:
// cnf.kid when the proof named a DID URL, cnf.jwk when it carried a bare jwk.
type SDJWTVC struct {
	Issuer *sdjwt.Issuer
	// StatusList is the Token Status List (status kind TokenStatusList) that configurations with status
	// take their entries from; the issuer's StatusList is a W3C list, which SD-JWT VCs cannot reference.
	StatusList string
}

// Validate requires a vct, and a token status list when the configuration asks for status.
func (f SDJWTVC) Validate(c *Configuration) error {
	switch {
	case c.VCT == "":
		return errors.New("dc+sd-jwt needs a vct")
	case len(c.Types) > 0 || len(c.Contexts) > 0:
		return errors.New("dc+sd-jwt takes a vct, not types or contexts")
	case c.Status && f.StatusList == "":
		return errors.New("dc+sd-jwt with status needs a token status list")
	case f.Issuer == nil || f.Issuer.Signer == nil:
		return errors.New("dc+sd-jwt needs an SD-JWT issuer with a signer")
	}
	for _, p := range c.Disclosable {
		if strings.TrimSpace(p) == "" {
			return errors.New("an empty disclosable path")
		}
	}
	return nil
}

// Metadata adds vct and the issuer's signing algorithm.
func (f SDJWTVC) Metadata(c *Configuration, m map[string]any) {
	m["vct"] = c.VCT
	m["credential_signing_alg_values_supported"] = []string{f.Issuer.Signer.Alg}
}

// StatusListID names the token status list.
func (f SDJWTVC) StatusListID() string { return f.StatusList }

// Issue signs the SD-JWT VC with all its Disclosures; the wallet picks which to present.
func (f SDJWTVC) Issue(ctx context.Context, in Issuance) (string, error) {
	cfg := in.Configuration
	c := sdjwt.Claims{VCT: cfg.VCT, Claims: in.Claims, HolderKey: in.HolderKey, HolderKID: in.HolderKID}
	if in.HolderKey == nil && in.HolderKID == "" {
		return "", errors.New("dc+sd-jwt: no holder key to bind to")
	}
	if in.HolderKID != "" {
		c.Subject = in.Holder
	}
	// A disclosable claim that this offer does not carry is left out rather than refused: offers of one
	// configuration may carry different optional claims. (The sdjwt issuer refuses unmatched paths, which
	// catches typos in nested paths.)
	for _, p := range cfg.Disclosable {
		top, _, _ := strings.Cut(strings.TrimSpace(p), ".")
		if _, ok := in.Claims[top]; ok {
			c.Disclosable = append(c.Disclosable, p)
		}
	}
	iss := *f.Issuer
	iss.NoDecoys = iss.NoDecoys || cfg.NoDecoys
	if v := time.Duration(cfg.Validity); v > 0 {
		now := time.Now()
		if iss.Now != nil {
			now = iss.Now()
		}
		c.ValidFrom = now.Truncate(time.Second)
		c.ValidUntil = c.ValidFrom.Add(v)
	}
	if in.Status != nil {
		idx, err := strconv.Atoi(in.Status.StatusListIndex)
		if err != nil || in.Status.StatusListCredential == "" {
			return "", fmt.Errorf("dc+sd-jwt: status entry %q of %q is not a token status list entry", in.Status.StatusListIndex, in.Status.StatusListCredential)
		}
		c.Status = &sdjwt.StatusListRef{Index: idx, URI: in.Status.StatusListCredential}
	}
	return iss.Issue(ctx, c)
}

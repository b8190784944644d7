package oid4vp

import (
	"context"
	"fmt"
	"strings"

	"github.com/ionode/ionode/credential"
	"github.com/ionode/ionode/credential/linkeddomains"
	"github.com/ionode/ionode/exchange"
	"github.com/ionode/ionode/resolver"
)

// LinkVerifier checks that a DID and a web origin vouch for each other (credential/linkeddomains).
type LinkVerifier interface {
	Verify(ctx context.Context, did *resolver.Result, origin string) error
}

// CodeDomainNotLinked: validateLinkedDomain is set and the issuer has no verified linked domain. It is
// the credential package's code for the same finding.
const CodeDomainNotLinked = string(credential.CodeDomainNotLinked)

// maxOrigins bounds the origins of one issuer that are checked.
const maxOrigins = 4

func (v *Verifier) checkLinksAvailable(requested []exchange.RequestedCredential) error {
	if v.Links != nil {
		return nil
	}
	for i, rc := range requested {
		if rc.Configuration.Validation.ValidateLinkedDomain {
			return exchange.BadField(fmt.Sprintf("requestedCredentials[%d].configuration.validation.validateLinkedDomain", i),
				"this node is not configured to verify linked domains")
		}
	}
	return nil
}

// validateDomain reports the issuer's first verified linked domain as domainValidation, as Entra does
// whether or not the request requires one; with validateLinkedDomain an issuer without one is refused.
// issuer is the resolution the credential's signature was verified with; nil resolves the issuer.
func (v *Verifier) validateDomain(ctx context.Context, rc exchange.RequestedCredential, issuer *resolver.Result, data *exchange.VerifiedCredentialData) *WalletError {
	required := rc.Configuration.Validation.ValidateLinkedDomain
	if v.Links == nil {
		if required {
			return walletErr(CodeDomainNotLinked, "this node verifies no linked domains")
		}
		return nil
	}
	res, err := issuer, error(nil)
	if res == nil {
		res, err = v.Credentials.Resolver.Resolve(ctx, data.Issuer)
	}
	if err != nil {
		if required {
			return walletErr(CodeDomainNotLinked, "issuer %s: %v", credential.Truncate(data.Issuer), err)
		}
		return nil
	}
	origins := linkeddomains.Origins(res.Document)
	if len(origins) > maxOrigins {
		origins = origins[:maxOrigins]
	}
	var reasons []string
	for _, o := range origins {
		err := v.Links.Verify(ctx, res, o)
		if err == nil {
			// Entra reports the origin with a trailing slash.
			data.DomainValidation = &exchange.DomainValidation{URL: o + "/"}
			return nil
		}
		reasons = append(reasons, err.Error())
	}
	if !required {
		return nil
	}
	if len(reasons) == 0 {
		return walletErr(CodeDomainNotLinked, "issuer %s names no linked domain", credential.Truncate(data.Issuer))
	}
	return walletErr(CodeDomainNotLinked, "%s", strings.Join(reasons, "; "))
}

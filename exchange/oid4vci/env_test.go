package oid4vci_test

import "github.com/ionode/ionode/internal/oid4vcitest"

// Short names for the shared test environment.
type env = oid4vcitest.Env

const (
	employee = oid4vcitest.Employee
	badge    = oid4vcitest.Badge
	list     = oid4vcitest.List
)

var (
	newEnv            = oid4vcitest.NewEnv
	preAuthCode       = oid4vcitest.PreAuthCode
	tokenForm         = oid4vcitest.TokenForm
	proof             = oid4vcitest.Proof
	proofJWK          = oid4vcitest.ProofJWK
	credentialRequest = oid4vcitest.CredentialRequest
	mustJSON          = oid4vcitest.MustJSON
)

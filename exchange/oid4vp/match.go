package oid4vp

// MatchTypes reports whether a credential of types answers meta: wallets (exchange/holder) pick
// their credentials by the same rule the verifier checks them with.
func (m CredentialMeta) MatchTypes(types []string) bool { return m.matchTypes(types) }

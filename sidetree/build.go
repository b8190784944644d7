package sidetree

import "fmt"

// PublicKey is a DID document key as requests carry it (ion-sdk's IonPublicKeyModel).
type PublicKey struct {
	ID       string
	Type     string // e.g. "EcdsaSecp256k1VerificationKey2019" or "JsonWebKey2020"
	JWK      Value  // the public key JWK as JSON (its property order is kept); see JWK.Value
	Purposes []string
}

// Value returns the key with ion-sdk's property order; purposes only when there are some.
func (k PublicKey) Value() Value {
	o := Object(Member{"id", String(k.ID)}, Member{"type", String(k.Type)}, Member{"publicKeyJwk", k.JWK})
	if len(k.Purposes) > 0 {
		ps := make([]Value, len(k.Purposes))
		for i, p := range k.Purposes {
			ps[i] = String(p)
		}
		o.Set("purposes", Array(ps...))
	}
	return o
}

// Service is a DID document service. Endpoint is a string (a URI) or an object.
type Service struct {
	ID       string
	Type     string
	Endpoint Value
}

// Value returns the service as {id, type, serviceEndpoint}.
func (s Service) Value() Value {
	return Object(Member{"id", String(s.ID)}, Member{"type", String(s.Type)}, Member{"serviceEndpoint", s.Endpoint})
}

// Document is the content of a replace patch: the keys and services a DID starts (or restarts) with.
type Document struct {
	PublicKeys []PublicKey
	Services   []Service
}

// Value returns {publicKeys, services}, leaving out empty lists as ion-sdk users usually do.
func (d Document) Value() Value {
	o := Object()
	if len(d.PublicKeys) > 0 {
		keys := make([]Value, len(d.PublicKeys))
		for i, k := range d.PublicKeys {
			keys[i] = k.Value()
		}
		o.Set("publicKeys", Array(keys...))
	}
	if len(d.Services) > 0 {
		svcs := make([]Value, len(d.Services))
		for i, s := range d.Services {
			svcs[i] = s.Value()
		}
		o.Set("services", Array(svcs...))
	}
	return o
}

// CreateRequest is a create operation request with what it derives.
type CreateRequest struct {
	Body      Value  // the POST /operations body
	DIDSuffix string // the DID's unique suffix
	LongForm  string // the long-form DID (built with the method given to NewCreateRequest)
}

// NewCreateRequest builds a create request as ion-sdk's IonRequest.createCreateRequest does, and checks
// that ION would accept it.
func NewCreateRequest(method string, recoveryKey, updateKey JWK, doc Document, p Parameters) (*CreateRequest, error) {
	if err := checkOperationKey(recoveryKey, "recovery"); err != nil {
		return nil, err
	}
	if err := checkOperationKey(updateKey, "update"); err != nil {
		return nil, err
	}
	delta := Object(
		Member{"updateCommitment", String(CommitmentOf(updateKey.Public().Value()))},
		Member{"patches", Array(Object(Member{"action", String(PatchReplace)}, Member{"document", doc.Value()}))},
	)
	if err := ValidateDeltaSize(delta, p); err != nil {
		return nil, err
	}
	deltaHash, err := hashCanonical(delta)
	if err != nil {
		return nil, err
	}
	suffixData := Object(
		Member{"deltaHash", String(deltaHash)},
		Member{"recoveryCommitment", String(CommitmentOf(recoveryKey.Public().Value()))},
	)
	body := Object(Member{"type", String(string(OpCreate))}, Member{"suffixData", suffixData}, Member{"delta", delta})
	op, err := ParseOperation(body.Stringify())
	if err != nil {
		return nil, err
	}
	if !op.HasDelta {
		return nil, ValidateDelta(delta)
	}
	long, err := LongFormDID(method, suffixData, delta)
	if err != nil {
		return nil, err
	}
	return &CreateRequest{Body: body, DIDSuffix: op.DIDSuffix, LongForm: long}, nil
}

// UpdateChanges are the patches of an update request, applied in ion-sdk's order: services added,
// services removed, keys added, keys removed.
type UpdateChanges struct {
	AddServices      []Service
	RemoveServiceIDs []string
	AddPublicKeys    []PublicKey
	RemoveKeyIDs     []string
}

func (c UpdateChanges) patches() Value {
	var patches []Value
	if len(c.AddServices) > 0 {
		svcs := make([]Value, len(c.AddServices))
		for i, s := range c.AddServices {
			svcs[i] = s.Value()
		}
		patches = append(patches, Object(Member{"action", String(PatchAddServices)}, Member{"services", Array(svcs...)}))
	}
	if len(c.RemoveServiceIDs) > 0 {
		patches = append(patches, Object(Member{"action", String(PatchRemoveServices)}, Member{"ids", stringArray(c.RemoveServiceIDs)}))
	}
	if len(c.AddPublicKeys) > 0 {
		keys := make([]Value, len(c.AddPublicKeys))
		for i, k := range c.AddPublicKeys {
			keys[i] = k.Value()
		}
		patches = append(patches, Object(Member{"action", String(PatchAddPublicKeys)}, Member{"publicKeys", Array(keys...)}))
	}
	if len(c.RemoveKeyIDs) > 0 {
		patches = append(patches, Object(Member{"action", String(PatchRemovePublicKeys)}, Member{"ids", stringArray(c.RemoveKeyIDs)}))
	}
	return Array(patches...)
}

func stringArray(ss []string) Value {
	vs := make([]Value, len(ss))
	for i, s := range ss {
		vs[i] = String(s)
	}
	return Array(vs...)
}

// NewUpdateRequest builds an update request signed with the current update key (a private JWK), committing
// to nextUpdateKey, as ion-sdk's createUpdateRequest does.
func NewUpdateRequest(didSuffix string, updateKey SigningKey, nextUpdateKey JWK, changes UpdateChanges, p Parameters) (Value, error) {
	if err := checkSigningKey(updateKey, "update"); err != nil {
		return Value{}, err
	}
	if err := checkOperationKey(nextUpdateKey, "next update"); err != nil {
		return Value{}, err
	}
	delta := Object(
		Member{"patches", changes.patches()},
		Member{"updateCommitment", String(CommitmentOf(nextUpdateKey.Public().Value()))},
	)
	deltaHash, err := hashCanonical(delta)
	if err != nil {
		return Value{}, err
	}
	pub := updateKey.PublicJWK().Value()
	jws, err := SignES256K(Object(Member{"updateKey", pub}, Member{"deltaHash", String(deltaHash)}), updateKey)
	if err != nil {
		return Value{}, err
	}
	body := Object(
		Member{"type", String(string(OpUpdate))},
		Member{"didSuffix", String(didSuffix)},
		Member{"revealValue", String(RevealValueOf(pub))},
		Member{"delta", delta},
		Member{"signedData", String(jws.Compact())},
	)
	return body, checkRequest(body, p)
}

// NewRecoverRequest builds a recover request signed with the current recovery key, replacing the document
// and committing to the next recovery and update keys, as ion-sdk's createRecoverRequest does.
func NewRecoverRequest(didSuffix string, recoveryKey SigningKey, nextRecoveryKey, nextUpdateKey JWK, doc Document, p Parameters) (Value, error) {
	if err := checkSigningKey(recoveryKey, "recovery"); err != nil {
		return Value{}, err
	}
	if err := checkOperationKey(nextRecoveryKey, "next recovery"); err != nil {
		return Value{}, err
	}
	if err := checkOperationKey(nextUpdateKey, "next update"); err != nil {
		return Value{}, err
	}
	delta := Object(
		Member{"patches", Array(Object(Member{"action", String(PatchReplace)}, Member{"document", doc.Value()}))},
		Member{"updateCommitment", String(CommitmentOf(nextUpdateKey.Public().Value()))},
	)
	deltaHash, err := hashCanonical(delta)
	if err != nil {
		return Value{}, err
	}
	pub := recoveryKey.PublicJWK().Value()
	payload := Object(
		Member{"recoveryCommitment", String(CommitmentOf(nextRecoveryKey.Public().Value()))},
		Member{"recoveryKey", pub},
		Member{"deltaHash", String(deltaHash)},
	)
	jws, err := SignES256K(payload, recoveryKey)
	if err != nil {
		return Value{}, err
	}
	body := Object(
		Member{"type", String(string(OpRecover))},
		Member{"didSuffix", String(didSuffix)},
		Member{"revealValue", String(RevealValueOf(pub))},
		Member{"delta", delta},
		Member{"signedData", String(jws.Compact())},
	)
	return body, checkRequest(body, p)
}

// NewDeactivateRequest builds a deactivate request signed with the current recovery key.
func NewDeactivateRequest(didSuffix string, recoveryKey SigningKey, p Parameters) (Value, error) {
	if err := checkSigningKey(recoveryKey, "recovery"); err != nil {
		return Value{}, err
	}
	pub := recoveryKey.PublicJWK().Value()
	jws, err := SignES256K(Object(Member{"didSuffix", String(didSuffix)}, Member{"recoveryKey", pub}), recoveryKey)
	if err != nil {
		return Value{}, err
	}
	body := Object(
		Member{"type", String(string(OpDeactivate))},
		Member{"didSuffix", String(didSuffix)},
		Member{"revealValue", String(RevealValueOf(pub))},
		Member{"signedData", String(jws.Compact())},
	)
	return body, checkRequest(body, p)
}

// ValidateRequest checks an operation request as ION's POST /operations does before queuing it: the
// delta size limit (create, update, recover), then the full parse. It returns the parsed operation.
func ValidateRequest(raw []byte, p Parameters) (*Operation, error) {
	// RequestHandler parses the body with yieldable-json first and checks the delta of what that parser
	// made; only then does Operation.parse parse it again with JSON.parse (the same value where the
	// yieldable reading was JSON.parse's already).
	y, sameAsJSON, err := parseYieldable(raw, YieldableLimits{MaxDepth: RequestYieldableDepth}, false, nil)
	if err != nil {
		return nil, err
	}
	t, err := propertyOf(y, "type")
	if err != nil {
		return nil, err
	}
	if s, ok := t.Str(); ok {
		switch OperationType(s) {
		case OpCreate, OpUpdate, OpRecover:
			if err := ValidateDeltaSize(field(y, "delta"), p); err != nil {
				return nil, err
			}
		}
	}
	v := y
	if !sameAsJSON {
		if v, err = ParseJSON(raw); err != nil {
			return nil, &Error{Code: CodeInvalidJSON, Message: "request is not JSON", Err: err}
		}
	}
	return parseOperationValue(v, raw)
}

func checkRequest(body Value, p Parameters) error {
	_, err := ValidateRequest(body.Stringify(), p)
	return err
}

func hashCanonical(v Value) (string, error) {
	var buf [canonicalBufSize]byte
	c, err := v.appendCanonical(buf[:0])
	if err != nil {
		return "", &Error{Code: CodeInvalidJSON, Message: "value cannot be canonicalized", Err: err}
	}
	return HashThenEncode(c), nil
}

func checkOperationKey(k JWK, what string) error {
	if err := ValidateES256KValue(k.Public().Value()); err != nil {
		return fmt.Errorf("%s key: %w", what, err)
	}
	return nil
}

func checkSigningKey(k SigningKey, what string) error {
	if jwk, ok := k.(JWK); ok && jwk.D == "" {
		return fmt.Errorf("%s key: a private key is needed to sign", what)
	}
	return checkOperationKey(k.PublicJWK(), what)
}

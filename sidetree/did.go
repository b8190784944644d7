package sidetree

import (
	"strings"
)

// DID is a parsed did:ion (or other Sidetree method) identifier, short or long form.
type DID struct {
	Method    string // e.g. "ion" or "ion:test"
	Suffix    string // the unique suffix
	ShortForm string // did:<method>:<suffix>
	LongForm  string // the whole long-form DID; "" for a short-form DID
	// Create is the create operation embedded in a long-form DID.
	Create *Operation
}

// IsShortForm reports whether the DID carries no initial state.
func (d *DID) IsShortForm() bool { return d.LongForm == "" }

// String returns the DID as given.
func (d *DID) String() string {
	if d.LongForm != "" {
		return d.LongForm
	}
	return d.ShortForm
}

// ParseDID parses a DID of the given method as the reference's Did.create does, including the checks of a
// long-form DID's initial state: it must be the base64url of canonical JSON {suffixData, delta}, its delta
// must be valid and within the size limit, and the suffix must be the hash of its suffix data.
func ParseDID(did, method string, p Parameters) (*DID, error) {
	prefix := "did:" + method + ":"
	if !strings.HasPrefix(did, prefix) {
		return nil, jsError(CodeDidIncorrectPrefix, "Expected DID prefix "+prefix+" not given in DID.")
	}
	d := &DID{Method: method}
	// The reference counts the colon-separated parts between the first and second occurrence of the prefix.
	rest := did[len(prefix):]
	if i := strings.Index(rest, prefix); i >= 0 {
		rest = rest[:i]
	}
	if !strings.Contains(rest, ":") {
		d.Suffix = did[len(prefix):]
	} else {
		d.Suffix = did[len(prefix):strings.LastIndex(did, ":")]
		d.LongForm = did
	}
	if d.Suffix == "" {
		return nil, codeError(CodeDidNoUniqueSuffix)
	}
	d.ShortForm = did[:len(prefix)+len(d.Suffix)]
	if d.LongForm == "" {
		return d, nil
	}
	create, err := parseInitialState(did[strings.LastIndex(did, ":")+1:], d.Suffix, p)
	if err != nil {
		return nil, err
	}
	// The create's suffix is the hash of the canonical suffix data (SHA-256 multihash), so the
	// reference's check, the suffix is that hash, is string equality: no second JCS and hash.
	if create.DIDSuffix != d.Suffix {
		return nil, codeError(CodeDidUniqueSuffixFromInitialStateMismatch)
	}
	d.Create = create
	return d, nil
}

// LongFormDID builds a long-form DID from a create request's suffix data and delta, as ion-sdk does.
func LongFormDID(method string, suffixData, delta Value) (string, error) {
	suffix, err := ComputeDIDSuffix(suffixData)
	if err != nil {
		return "", err
	}
	initial, err := Object(Member{"suffixData", suffixData}, Member{"delta", delta}).Canonicalize()
	if err != nil {
		return "", &Error{Code: CodeInvalidJSON, Message: "initial state cannot be canonicalized", Err: err}
	}
	return "did:" + method + ":" + suffix + ":" + EncodeBase64URL(initial), nil
}

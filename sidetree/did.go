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
	// plain: String() is known to need no escaping in JSON (jsonPlain), so a resolution result that
	// writes it several times need not scan it.
	plain bool
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
	if !hasDIDPrefix(did, method) {
		return nil, jsError(CodeDidIncorrectPrefix, "Expected DID prefix did:"+method+": not given in DID.")
	}
	prefixLen := len("did:") + len(method) + len(":")
	d := &DID{Method: method}
	long, lastColon := splitDID(did[prefixLen:], method)
	if !long {
		d.Suffix = did[prefixLen:]
	} else {
		d.Suffix = did[prefixLen : prefixLen+lastColon]
		d.LongForm = did
	}
	if d.Suffix == "" {
		return nil, codeError(CodeDidNoUniqueSuffix)
	}
	d.ShortForm = did[:prefixLen+len(d.Suffix)]
	if d.LongForm == "" {
		return d, nil
	}
	create, err := parseInitialState(did[prefixLen+lastColon+1:], d.Suffix, p)
	if err != nil {
		return nil, err
	}
	// The create's suffix is the hash of the canonical suffix data (SHA-256 multihash), so the
	// reference's check, the suffix is that hash, is string equality: no second JCS and hash.
	if create.DIDSuffix != d.Suffix {
		return nil, codeError(CodeDidUniqueSuffixFromInitialStateMismatch)
	}
	d.Create = create
	// The suffix is the hash and the initial state decoded: both base64url, so the prefix decides.
	d.plain = jsonPlain(did[:prefixLen])
	return d, nil
}

// hasDIDPrefix reports whether s starts with "did:<method>:".
func hasDIDPrefix(s, method string) bool {
	return len(s) > len("did:")+len(method) && strings.HasPrefix(s, "did:") &&
		s[len("did:"):len("did:")+len(method)] == method && s[len("did:")+len(method)] == ':'
}

// splitDID reads what follows a DID's prefix as the reference's Did.create does: the DID is long-form
// when a colon comes before the prefix occurs again (it counts the parts between the first and second
// occurrence of the prefix); the suffix ends at the last colon of all (lastColon, -1 if none). Each
// occurrence of the prefix has a colon three bytes in, so looking at the colons alone finds it: a
// long-form DID has one, and its ~1 KB of base64url is crossed at memchr speed, once.
func splitDID(rest, method string) (long bool, lastColon int) {
	lastColon, prefixAt := -1, -1
	for off := 0; off < len(rest); {
		i := strings.IndexByte(rest[off:], ':')
		if i < 0 {
			break
		}
		at := off + i
		if prefixAt < 0 && at >= len("did") && hasDIDPrefix(rest[at-len("did"):], method) {
			prefixAt = at - len("did")
		}
		// A colon before the prefix's occurrence: the prefix's own start is "did", with no colon.
		long = long || prefixAt < 0
		lastColon, off = at, at+1
	}
	return long, lastColon
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

package cas

import (
	"fmt"

	"github.com/ipfs/boxo/verifcid"
	"github.com/ipfs/go-cid"
)

// maxCIDStringLength bounds the work spent decoding outside input. The longest
// CID we accept (an identity hash of 128 bytes in base32) is well below it.
const maxCIDStringLength = 512

// ParseCID decodes a CID string as a store reads it: CIDv0 ("Qm…", base58btc)
// or CIDv1 in any multibase, with the dag-pb or raw codec (the only ones that
// can hold a UnixFS file) and a hash function and digest length that IPFS
// accepts (boxo's verifcid default allowlist, as Kubo applies). Any other input
// yields an error wrapping ErrInvalidCID.
//
// The ION reference only checks that the string parses as a CID (js cids) and
// leaves everything else to Kubo, which answers a CID of another codec with an
// error that ION counts as "not found" and retries forever. Rejecting it here
// has the same effect on DID state (the file is never read) without the retries.
func ParseCID(s string) (cid.Cid, error) {
	if s == "" {
		return cid.Undef, fmt.Errorf("%w: empty", ErrInvalidCID)
	}
	if len(s) > maxCIDStringLength {
		return cid.Undef, fmt.Errorf("%w: %d characters", ErrInvalidCID, len(s))
	}
	c, err := cid.Decode(s)
	if err != nil {
		return cid.Undef, fmt.Errorf("%w: %q: %w", ErrInvalidCID, s, err)
	}
	switch c.Type() {
	case cid.DagProtobuf, cid.Raw:
	default:
		return cid.Undef, fmt.Errorf("%w: %q: codec 0x%x cannot hold a UnixFS file", ErrInvalidCID, s, c.Type())
	}
	if err := verifcid.ValidateCid(verifcid.DefaultAllowlist, c); err != nil {
		return cid.Undef, fmt.Errorf("%w: %q: %w", ErrInvalidCID, s, err)
	}
	return c, nil
}

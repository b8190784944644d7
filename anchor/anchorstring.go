package anchor

import (
	"github.com/ionode/ionode/sidetree"
	"github.com/ionode/ionode/sidetree/batch"
)

// MaxOperationsPerBatch is the protocol's limit on an anchor string's operation count (every ION
// protocol version so far).
const MaxOperationsPerBatch = 10_000

// Anchor is a parsed anchor string: "<operation count>.<core index file URI>".
type Anchor struct {
	Operations   int
	CoreIndexURI string
}

// String formats the anchor string as ION writes it (AnchoredDataSerializer.serialize).
func (a Anchor) String() string { return batch.AnchorString(a.Operations, a.CoreIndexURI) }

// ParseAnchorString parses an anchor string exactly as ION's AnchoredDataSerializer.deserialize (see
// [batch.ParseAnchorString]) with the MaxOperationsPerBatch limit. Errors are *sidetree.Error with ION's
// codes.
func ParseAnchorString(s string) (Anchor, error) {
	p := sidetree.Mainnet().Latest()
	p.MaxOperationsPerBatch = MaxOperationsPerBatch
	n, uri, err := batch.ParseAnchorString(s, p)
	if err != nil {
		return Anchor{}, err
	}
	return Anchor{Operations: n, CoreIndexURI: uri}, nil
}

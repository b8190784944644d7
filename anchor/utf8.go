package anchor

import "github.com/ionode/ionode/sidetree"

// decodeUTF8LikeNode decodes bytes as Node's Buffer.toString() (the WHATWG UTF-8 decoder): each maximal
// subpart of an ill-formed sequence becomes one U+FFFD. Go's own conversion replaces byte by byte, which
// would give a different anchor string for the same transaction.
func decodeUTF8LikeNode(b []byte) string { return sidetree.NodeUTF8String(b) }

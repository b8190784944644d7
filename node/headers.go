package node

// JSONContentType is the media type of the node's JSON answers.
const JSONContentType = "application/json"

// Header values shared by every response that sends them, assigned to the header map instead of set
// with Header.Set, which allocates a one-element slice per call. Sharing is safe: net/http only reads
// a handler's header values (WriteHeader clones the map, writing the header iterates it), and Add on a
// shared value appends to a full slice (length = capacity), so it copies rather than writes into it.
var (
	jsonContentType = []string{JSONContentType}
	noStore         = []string{"no-store"}
	maxAge          = []string{resolutionMaxAge}
)

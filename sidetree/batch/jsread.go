package batch

import "github.com/ionode/ionode/sidetree"

// parseJS reads bytes as the reference's JsonAsync.parse does (yieldable-json, not JSON.parse), with the
// nesting limit at which the reference's own stack gives out while it reads a batch file. Batch files are
// read property by property (for-in), so inherited properties must not be lost: they are refused. data is
// a file just decompressed, which nothing changes: the value's strings share it.
func parseJS(data []byte) (sidetree.Value, error) {
	return sidetree.ParseOwnedYieldableJSONWith(data, sidetree.YieldableLimits{MaxDepth: sidetree.BatchYieldableDepth, RefusePrototypes: true})
}

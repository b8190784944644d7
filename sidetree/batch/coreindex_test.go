package batch

import (
	"fmt"
	"strings"
	"testing"

	"github.com/ionode/ionode/sidetree"
)

// TestCoreIndexCreateAllocations: each create of a core index file costs a bounded number of
// allocations. Its suffix is hashed from a canonical form written on the stack (a heap buffer per create
// was a third of the allocations of reading a batch of creates), and the lists are sized once.
func TestCoreIndexCreateAllocations(t *testing.T) {
	p := sidetree.Mainnet().Latest()
	file := func(n int) []byte {
		refs := make([]string, n)
		for i := range refs {
			// Distinct suffix data, each already in JCS order as built batches write it.
			refs[i] = fmt.Sprintf(`{"suffixData":{"deltaHash":"%s","recoveryCommitment":"EiBRx4tyq4pXcxESSRaAbFV1lbKEOXh6nRRq%010d"}}`, mh, i)
		}
		return gz(`{"provisionalIndexFileUri":"` + cid + `","operations":{"create":[` + strings.Join(refs, ",") + `]}}`)
	}
	allocs := func(n int) float64 {
		data := file(n)
		f, err := ParseCoreIndexFile(data, p)
		if err != nil || len(f.CreateSuffixes) != n {
			t.Fatalf("%d creates: %v", n, err)
		}
		return testing.AllocsPerRun(3, func() { _, _ = ParseCoreIndexFile(data, p) })
	}
	const n = 500
	perCreate := (allocs(2*n) - allocs(n)) / n
	// The suffix string (the parsed file is held in a few large blocks); a canonicalization buffer on
	// the heap would add one more.
	if perCreate > 1.5 {
		t.Errorf("%.2f allocations per create, want at most 1.5", perCreate)
	}
	t.Logf("%.2f allocations per create", perCreate)
}

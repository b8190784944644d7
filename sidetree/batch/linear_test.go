package batch

import (
	"fmt"
	"strings"
	"testing"

	"github.com/ionode/ionode/internal/worktest"
	"github.com/ionode/ionode/sidetree"
)

// TestFilesLinear: hostile batch files (escapes, nesting, repeated keys, runs of ParseErrors, padded
// signed data payloads) cost work linear in their size to parse and validate.
func TestFilesLinear(t *testing.T) {
	p := sidetree.Mainnet().Latest()
	jws := validJWS(t)
	paddedJWS := func(n int) string {
		parts := strings.Split(jws, ".")
		payload, err := sidetree.DecodeBase64URL(parts[1])
		if err != nil {
			t.Fatal(err)
		}
		padded := `{"didSuffix":"` + strings.Repeat(`\n`, n) + `",` + string(payload[1:])
		return parts[0] + "." + sidetree.EncodeBase64URL([]byte(padded)) + "." + parts[2]
	}
	tests := []struct {
		name  string
		n     int
		parse func([]byte) error
		gen   func(n int) string
	}{
		{"chunk: ParseErrors in a delta", 4000, chunkParser(p), func(n int) string {
			return `{"deltas":[{"patches":[` + strings.Repeat("t,", n) + `1]}]}`
		}},
		{"chunk: escapes", 4000, chunkParser(p), func(n int) string {
			return `{"deltas":[{"patches":"` + strings.Repeat(`\u0041`, n) + `"}]}`
		}},
		{"chunk: many deltas", 2000, chunkParser(p), func(n int) string {
			return `{"deltas":[` + strings.Repeat(`{"patches":[],"updateCommitment":"`+mh+`"},`, n) + `null]}`
		}},
		{"chunk: many deltas, read one at a time", 2000, chunkParser(p), func(n int) string {
			return `{"deltas":[` + strings.Repeat(`{"patches":[],"updateCommitment":"`+mh+`"},`, n) + `{"patches":[],"updateCommitment":"` + mh + `"}]}`
		}},
		{"core: repeated keys", 4000, coreParser(p), func(n int) string {
			return `{` + strings.Repeat(`"writerLockId":"\n\n\n",`, n) + `"provisionalIndexFileUri":"` + cid + `"}`
		}},
		{"core: many creates, read one at a time", 1000, coreParser(p), func(n int) string {
			refs := make([]string, n)
			for i := range refs {
				refs[i] = fmt.Sprintf(`{"suffixData":{"deltaHash":"%s","recoveryCommitment":"EiBRx4tyq4pXcxESSRaAbFV1lbKEOXh6nRRq%010d"}}`, mh, i)
			}
			return `{"provisionalIndexFileUri":"` + cid + `","operations":{"create":[` + strings.Join(refs, ",") + `]}}`
		}},
		{"core: many members", 2000, coreParser(p), func(n int) string {
			return `{"operations":{` + strings.Repeat(`"create":[],`, n) + `"recover":[]}}`
		}},
		{"provisional: many updates, read one at a time", 1000, provParser(p), func(n int) string {
			refs := make([]string, n)
			for i := range refs {
				refs[i] = fmt.Sprintf(`{"didSuffix":"EiBRx4tyq4pXcxESSRaAbFV1lbKEOXh6nRRq%010d","revealValue":"%s"}`, i, mh)
			}
			return `{"chunks":[{"chunkFileUri":"` + cid + `"}],"provisionalProofFileUri":"` + cid + `","operations":{"update":[` + strings.Join(refs, ",") + `]}}`
		}},
		{"core: nesting", 1000, coreParser(p), func(n int) string {
			return `{"x":` + strings.Repeat("[", n) + strings.Repeat("]", n) + `}`
		}},
		{"core proof: padded payloads", 2000, coreProofParser(p, []string{mh}), func(n int) string {
			return `{"operations":{"deactivate":[{"signedData":"` + paddedJWS(n) + `"}]}}`
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			worktest.Linear(t, tc.n, func(n int) []byte { return gz(tc.gen(n)) }, func(in []byte) { _ = tc.parse(in) })
		})
	}
}

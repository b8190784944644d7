package interop

import (
	"bufio"
	"encoding/base64"
	"math/rand/v2"
	"os/exec"
	"strings"
	"testing"

	"github.com/ionode/ionode/sidetree"
)

// yieldableScript answers, for each base64 line of input, "ERR" or JSON.stringify of what the reference's
// JSON parser (yieldable-json, through util/JsonAsync) makes of the decoded bytes.
const yieldableScript = `
const JsonAsync = require('@decentralized-identity/sidetree/dist/lib/core/versions/latest/util/JsonAsync').default;
const rl = require('readline').createInterface({ input: process.stdin });
let chain = Promise.resolve();
rl.on('line', (line) => {
  chain = chain.then(async () => {
    let out;
    try { out = 'OK ' + JSON.stringify(await JsonAsync.parse(Buffer.from(line, 'base64'))); } catch (e) { out = 'ERR'; }
    process.stdout.write(out + '\n');
  });
});
`

// yieldableInputs are JSON texts and near-JSON texts: valid requests, their mutations, and random strings
// of the tokens the parser treats specially.
func yieldableInputs(t *testing.T, rng *rand.Rand) [][]byte {
	t.Helper()
	var out [][]byte
	for _, s := range []string{
		`{"a":1}`, `{"a":1}}`, `{"a":1}]`, `[]x`, `{}x`, ` []`, `[1 2]`, `[1e-7]`, `[1e+21]`, `[1e21]`, `[1E5]`,
		`[-]`, `[1A]`, `[1.2.3]`, `[01]`, `{"a":tru}`, `{"a":t r u e}`, `{a:1}`, `{1:2}`, `{"__proto__":{"x":1},"y":2}`,
		`{"__proto__":1}`, `["a\qb\n"]`, `["\u005cn"]`, `["\u41"]`, "[\"\xe0\xbf0\"]", "[\"\xed\xa0\x80\"]", `["\'"]`, "[\"a\tb\"]", `["\ud800"]`, `"abc`,
		`{"a":"b\\"}`, `{"a":"\\\""}`, `[1,]`, `[,1]`, `{"a":1,}`, `nul`, `null`, `true`, `-0`, `1 `, "\ufeff{}",
		"[1\u00a02]", `{"a":[{"b":[]}],"c":{}}`, `{"a":1,"a":2}`, `{"2":1,"1":0,"b":1}`, "[\"\xff\xfe\"]", "[\"\xe2\x82A\"]",
	} {
		out = append(out, []byte(s))
	}
	_, _, ops := ourHistory(t, 3)
	for _, o := range ops {
		out = append(out, o.Raw)
		v, err := sidetree.ParseJSON(o.Raw)
		if err != nil {
			t.Fatal(err)
		}
		for range 20 {
			out = append(out, mutateRequest(v, rng).Stringify())
		}
	}
	tokens := []string{"{", "}", "[", "]", `"`, `\`, ",", ":", "1", "0", "e", "E", "-", "+", ".", "A", "F", "t", "r", "u",
		"true", "null", "false", "n", "a", " ", "\t", "\n", "\u00a0", "é", "😀", `\u`, `\n`, "00", `"__proto__"`, "\x00", `"a"`, `""`}
	for range 6000 {
		var b strings.Builder
		for range 1 + rng.IntN(14) {
			b.WriteString(tokens[rng.IntN(len(tokens))])
		}
		out = append(out, []byte(b.String()))
	}
	return out
}

// TestYieldableJSON compares ParseYieldableJSON with the reference's parser on the same bytes.
func TestYieldableJSON(t *testing.T) {
	startReference(t) // skips when the packages are missing
	node, err := exec.LookPath("node")
	if err != nil {
		t.Skip("node not found")
	}
	inputs := yieldableInputs(t, rand.New(rand.NewPCG(11, 12)))
	cmd := exec.Command(node, "-e", yieldableScript)
	cmd.Dir = Dir()
	var stdin strings.Builder
	for _, in := range inputs {
		stdin.WriteString(base64.StdEncoding.EncodeToString(in) + "\n")
	}
	cmd.Stdin = strings.NewReader(stdin.String())
	out, err := cmd.Output()
	if err != nil {
		t.Fatal(err)
	}
	answers := bufio.NewScanner(strings.NewReader(string(out)))
	answers.Buffer(nil, 1<<22)
	var failures, accepted, invalid int
	for _, in := range inputs {
		if !answers.Scan() {
			t.Fatal("the reference answered fewer lines than asked")
		}
		want := answers.Text()
		v, err := sidetree.ParseYieldableJSON(in)
		got := "ERR"
		if err == nil {
			got = "OK " + string(v.Stringify())
			accepted++
			if _, jerr := sidetree.ParseJSON(in); jerr != nil {
				invalid++
			}
		}
		if got != want {
			failures++
			if failures <= 20 {
				t.Errorf("input %q:\nreference: %s\nionode:    %s", in, want, got)
			}
		}
	}
	if failures > 0 {
		t.Errorf("%d of %d inputs parsed differently", failures, len(inputs))
	}
	t.Logf("%d inputs, %d accepted (%d of them not JSON)", len(inputs), accepted, invalid)
}

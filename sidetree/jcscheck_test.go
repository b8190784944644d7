package sidetree

import (
	"bytes"
	"testing"
)

// isJCSByWriting is the check jcsCheck replaces: read the value, write its JCS form, compare.
func isJCSByWriting(data []byte) bool {
	v, err := ParseJSON(data)
	if err != nil {
		return false
	}
	c, err := v.Canonicalize()
	return err == nil && bytes.Equal(c, data)
}

// readJCS reads data with the check and returns whether it found the JCS form, and the spans of the
// top-level members' values, for the first two keys of data's JCS form.
func readJCS(t *testing.T, data []byte) (bool, map[string][2]int, error) {
	t.Helper()
	var jcs jcsCheck
	if v, err := ParseJSON(data); err == nil {
		for i, m := range sortedMembers(v.Members()) {
			if i < len(jcs.spanKeys) {
				jcs.spanKeys[i] = m.Key
			}
		}
	}
	_, err := parseJSON(bytes.Clone(data), true, &jcs)
	spans := map[string][2]int{}
	for i, k := range jcs.spanKeys {
		if jcs.spans[i][1] > 0 {
			spans[k] = jcs.spans[i]
		}
	}
	return err == nil && jcs.isJCS(), spans, err
}

func checkJCSAgrees(t *testing.T, data []byte) {
	t.Helper()
	got, spans, err := readJCS(t, data)
	if want := isJCSByWriting(data); got != want {
		t.Fatalf("%q: read as JCS %v, written out and compared %v (%v)", data, got, want, err)
	}
	if !got {
		return
	}
	v, _ := ParseJSON(data)
	for i, m := range sortedMembers(v.Members()) {
		span, ok := spans[m.Key]
		if i >= 2 || !ok && m.Key == "" {
			continue // "" is also an unused slot's key
		}
		c, _ := m.Value.Canonicalize()
		if !bytes.Equal(data[span[0]:span[1]], c) {
			t.Fatalf("%q: member %q spans %q, its JCS form is %q", data, m.Key, data[span[0]:span[1]], c)
		}
	}
}

func TestJCSCheck(t *testing.T) {
	for _, tc := range []struct {
		data string
		jcs  bool
	}{
		{`{"delta":{"a":1},"suffixData":{"b":[1,2]}}`, true},
		{`{"delta":{"a":1}, "suffixData":{}}`, false}, // white space
		{` {}`, false},
		{"{}\n", false},
		{`{"b":1,"a":2}`, false},   // order
		{`{"a":1,"a":1}`, false},   // a repeated key
		{`{"10":1,"2":1}`, true},   // UTF-16 order, not JavaScript's index-first order
		{`{"2":1,"10":1}`, false},  // JavaScript's order
		{`{"😀":1,"｡":2}`, true},    // U+D83D before U+FF61 in UTF-16, after in UTF-8
		{`{"｡":1,"😀":2}`, false},   //
		{`["\u0041"]`, false},      // an escape JCS does not write
		{`["\u001f\n\"\\"]`, true}, // the escapes it does write
		{`["\u001F"]`, false},      // upper-case hex
		{`["\ud800"]`, true},       // a lone surrogate, escaped
		{`["\/"]`, false},          //
		{`[1,1.5,-2,1e+21,1e-7,0.000001]`, true},
		{`[1.0]`, false},
		{`[1e3]`, false},
		{`[-0]`, false},
		{`[1e999]`, false}, // Infinity: JCS refuses it
		{`[1E+21]`, false},
		{`[true,false,null,"",{},[]]`, true},
		{`{"a":{"c":1,"b":2}}`, false}, // order at depth
		{"[\"\xff\"]", false},          // invalid UTF-8, read as U+FFFD
		{`"x"`, true},
		{`7`, true},
	} {
		got, _, err := readJCS(t, []byte(tc.data))
		if got != tc.jcs {
			t.Errorf("%s: read as JCS %v, want %v (%v)", tc.data, got, tc.jcs, err)
		}
		checkJCSAgrees(t, []byte(tc.data))
	}
}

func FuzzJCSCheck(f *testing.F) {
	addSeedFiles(f, "json")
	f.Add([]byte(`{"delta":{"patches":[],"updateCommitment":"x"},"suffixData":{"deltaHash":"y"}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		checkJCSAgrees(t, data)
		// The JCS form of whatever was read must be read as JCS, with its members' spans.
		if v, err := ParseJSON(data); err == nil {
			if c, err := v.Canonicalize(); err == nil {
				checkJCSAgrees(t, c)
				if ok, _, _ := readJCS(t, c); !ok {
					t.Fatalf("%q: the JCS form %q is not read as JCS", data, c)
				}
			}
		}
	})
}

func TestJCSCheckIndexKey(t *testing.T) {
	for data, want := range map[string]bool{
		`{"a":{"b":[{"c":1}]}}`: false, `{"a":{"b":[{"10":1}]}}`: true, `{"0":1}`: true, `{"01":1,"-1":2}`: false, `[{"4294967294":1}]`: true,
	} {
		var jcs jcsCheck
		if _, err := parseJSON([]byte(data), true, &jcs); err != nil || jcs.indexKey != want {
			t.Errorf("%s: indexKey %v, want %v (%v)", data, jcs.indexKey, want, err)
		}
	}
}

package ionrules

import "testing"

// Expected values: node testdata/refgen/lockroute.js (Node's WHATWG URL and legacy url.parse as
// node-fetch 2.6.7 uses them, then koa-router 7.4.0's route pattern and decoding).
func TestLockRouteIdentifier(t *testing.T) {
	for _, tc := range []struct {
		in, want string
		routed   bool
	}{
		{"YWJj", "YWJj", true},             // path "/locks/YWJj"
		{"YWJj/", "YWJj", true},            // path "/locks/YWJj/"
		{"YWJj//", "", false},              // path "/locks/YWJj//"
		{"a/b", "", false},                 // path "/locks/a/b"
		{"a\\b", "", false},                // path "/locks/a/b"
		{"../locks/YWJj", "YWJj", true},    // path "/locks/YWJj"
		{"../LOCKS/YWJj", "YWJj", true},    // path "/LOCKS/YWJj"
		{"..", "", false},                  // path "/"
		{".", "", false},                   // path "/locks/"
		{"%2e%2E/locks/x", "x", true},      // path "/locks/x"
		{"x/..", "", false},                // path "/locks/"
		{"x/../y", "y", true},              // path "/locks/y"
		{"a?b", "a", true},                 // path "/locks/a"
		{"a#b", "a", true},                 // path "/locks/a"
		{"a b", "a b", true},               // path "/locks/a%20b"
		{"a\tb\nc\r", "abc", true},         // path "/locks/abc"
		{"a  ", "a", true},                 // path "/locks/a"
		{" a", " a", true},                 // path "/locks/%20a"
		{"%41%42", "AB", true},             // path "/locks/%41%42"
		{"%zz%41", "%zz%41", true},         // path "/locks/%zz%41"
		{"%C3%A9", "é", true},              // path "/locks/%C3%A9"
		{"%C3", "%C3", true},               // path "/locks/%C3"
		{"é", "é", true},                   // path "/locks/%C3%A9"
		{"it's", "it's", true},             // path "/locks/it%27s"
		{"a^b|c", "a^b|c", true},           // path "/locks/a%5Eb%7Cc"
		{"a%2Fb", "a/b", true},             // path "/locks/a%2Fb"
		{"<>`{}\"", "<>`{}\"", true},       // path "/locks/%3C%3E%60%7B%7D%22"
		{"../time", "", false},             // path "/time"
		{"", "", false},                    // path "/locks/"
		{"/", "", false},                   // path "/locks//"
		{"a/.", "a", true},                 // path "/locks/a/"
		{"a/./", "a", true},                // path "/locks/a/"
		{"YW\u0000Jj", "YW\u0000Jj", true}, // path "/locks/YW%00Jj"
		{"x%", "x%", true},                 // path "/locks/x%"
		{"%2", "%2", true},                 // path "/locks/%2"
		{"ünïcödé%", "%C3%BCn%C3%AFc%C3%B6d%C3%A9%", true}, // path "/locks/%C3%BCn%C3%AFc%C3%B6d%C3%A9%"
		{"\x7f", "\x7f", true},                             // path "/locks/%7F"
	} {
		got, routed := LockRouteIdentifier(tc.in)
		if got != tc.want || routed != tc.routed {
			t.Errorf("LockRouteIdentifier(%q) = %q, %v; want %q, %v", tc.in, got, routed, tc.want, tc.routed)
		}
	}
}

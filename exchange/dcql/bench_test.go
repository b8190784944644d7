package dcql

import "testing"

// BenchmarkParse: parsing and checking the example query (four credential queries, two credential sets,
// claim sets and values), as a wallet does for each request.
func BenchmarkParse(b *testing.B) {
	in := []byte(exampleQuery)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Parse(in); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkEvaluate: what the verifier adds per response: the PID's claim sets (the second met) and the
// credential sets' check.
func BenchmarkEvaluate(b *testing.B) {
	q, err := Parse([]byte(exampleQuery))
	if err != nil {
		b.Fatal(err)
	}
	claims := map[string]any{"given_name": "E", "address": map[string]any{"postal_code": "5"}}
	answered := map[string]bool{"pid": true}
	b.ReportAllocs()
	for b.Loop() {
		if m, err := q.Credentials[0].MatchClaims(claims); err != nil || m.ClaimSet != 1 {
			b.Fatal(m, err)
		}
		if err := q.Check(func(id string) bool { return answered[id] }); err != nil {
			b.Fatal(err)
		}
	}
}

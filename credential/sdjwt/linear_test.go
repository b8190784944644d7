package sdjwt

import (
	"encoding/json"
	"fmt"
	"testing"
)

// payloadWith makes a payload with n disclosable members, half of them nested one level down and a
// quarter as array elements, with their Disclosures.
func payloadWith(t *testing.T, n int) (map[string]any, []string) {
	t.Helper()
	claims := map[string]any{"nested": map[string]any{}, "list": []any{}}
	var paths []string
	for i := 0; i < n; i++ {
		switch i % 4 {
		case 0, 1:
			claims[fmt.Sprintf("c%d", i)] = i
			paths = append(paths, fmt.Sprintf("c%d", i))
		case 2:
			claims["nested"].(map[string]any)[fmt.Sprintf("c%d", i)] = "v"
			paths = append(paths, fmt.Sprintf("nested.c%d", i))
		case 3:
			claims["list"] = append(claims["list"].([]any), i)
		}
	}
	paths = append(paths, "list.*")
	b := &builder{decoys: true}
	sel, err := parseSelection(paths)
	if err != nil {
		t.Fatal(err)
	}
	obj, err := b.object(claims, sel, "")
	if err != nil {
		t.Fatal(err)
	}
	raw, err := json.Marshal(obj) // the payload as a verifier decodes it
	if err != nil {
		t.Fatal(err)
	}
	var payload map[string]any
	if err := decodeJSON(raw, &payload); err != nil {
		t.Fatal(err)
	}
	return payload, b.disclosures
}

// TestProcessLinear: the work (steps and allocations) of processing grows linearly with the number of
// Disclosures: doubling them at most doubles it, plus a constant.
func TestProcessLinear(t *testing.T) {
	measure := func(n int) (steps int, allocs float64) {
		payload, ds := payloadWith(t, n)
		if len(ds) != n {
			t.Fatalf("%d disclosures for %d", len(ds), n)
		}
		p, err := process(payload, ds)
		if err != nil {
			t.Fatal(err)
		}
		allocs = testing.AllocsPerRun(5, func() { _, _ = process(payload, ds) })
		return p.steps, allocs
	}
	for _, n := range []int{100, 400} {
		s1, a1 := measure(n)
		s2, a2 := measure(2 * n)
		t.Logf("n=%d: steps %d → %d, allocs %.0f → %.0f", n, s1, s2, a1, a2)
		if s2 > 2*s1+16 || s2 < s1 {
			t.Errorf("steps %d for n=%d, %d for 2n", s1, n, s2)
		}
		if a2 > 2.2*a1+64 {
			t.Errorf("allocations %.0f for n=%d, %.0f for 2n", a1, n, a2)
		}
	}
}

package presex

import "testing"

// BenchmarkRequirements: reading the loan definition (three requirements, one nested) from JSON,
// choosing what a holder of every credential presents, and evaluating a submission against it.
func BenchmarkRequirements(b *testing.B) {
	raw := []byte(loan)
	for b.Loop() {
		d, err := ParseDefinition(raw)
		if err != nil {
			b.Fatal(err)
		}
		chosen, err := d.Choose(everyOther(len(d.InputDescriptors), -1))
		if err != nil {
			b.Fatal(err)
		}
		if err := d.Satisfies(chosen); err != nil {
			b.Fatal(err)
		}
	}
}

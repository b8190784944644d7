package presex

import (
	"errors"
	"fmt"
)

// Rule is a submission requirement's rule.
type Rule string

// The rules of DIF PE v2 §Submission Requirement Rules.
const (
	// RuleAll: every input descriptor of the group, or every from_nested requirement, is answered.
	RuleAll Rule = "all"
	// RulePick: the number answered meets count (exactly), min and max (inclusive), those set.
	RulePick Rule = "pick"
)

// SubmissionRequirement says which combinations of input descriptors answer a definition: those of
// group From, or the requirements of FromNested, under Rule.
type SubmissionRequirement struct {
	Name       string                  `json:"name,omitempty"`
	Purpose    string                  `json:"purpose,omitempty"`
	Rule       Rule                    `json:"rule"`
	Count      *int                    `json:"count,omitempty"`
	Min        *int                    `json:"min,omitempty"`
	Max        *int                    `json:"max,omitempty"`
	From       string                  `json:"from,omitempty"`
	FromNested []SubmissionRequirement `json:"from_nested,omitempty"`
}

// ErrRequirement: the input descriptors answered (or answerable) do not meet the definition's
// submission requirements.
var ErrRequirement = errors.New("submission requirements not met")

// groups counts, per group name, its input descriptors and how many of them are marked (answered, or
// answerable by the holder).
type groups struct {
	byName map[string]*group
}

type group struct {
	members []int // input descriptor indexes, in definition order
	marked  int
}

func (g *group) total() int { return len(g.members) }

// newGroups indexes d's groups in one pass; marked (by descriptor index) may be nil.
func newGroups(d *Definition, marked []bool) *groups {
	g := &groups{byName: map[string]*group{}}
	for i := range d.InputDescriptors {
		for _, name := range d.InputDescriptors[i].Group {
			gr := g.byName[name]
			if gr == nil {
				gr = &group{}
				g.byName[name] = gr
			}
			// A descriptor that names a group twice is in it once.
			if n := len(gr.members); n > 0 && gr.members[n-1] == i {
				continue
			}
			gr.members = append(gr.members, i)
			if marked != nil && marked[i] {
				gr.marked++
			}
		}
	}
	return g
}

// Satisfies returns nil when answering the input descriptors marked in answered (by index) answers d:
// every submission requirement is met or, without any, every input descriptor is answered. It returns
// an error wrapping ErrRequirement or ErrUnanswered otherwise. Its work is linear in d.
func (d *Definition) Satisfies(answered []bool) error {
	if len(answered) != len(d.InputDescriptors) {
		return fmt.Errorf("%w: %d answers for %d input descriptors", ErrRequirement, len(answered), len(d.InputDescriptors))
	}
	if len(d.SubmissionRequirements) == 0 {
		for i, ok := range answered {
			if !ok {
				return fmt.Errorf("%w: %s", ErrUnanswered, d.InputDescriptors[i].ID)
			}
		}
		return nil
	}
	g := newGroups(d, answered)
	for i := range d.SubmissionRequirements {
		r := &d.SubmissionRequirements[i]
		if !r.met(g) {
			return fmt.Errorf("%w: %s", ErrRequirement, r.describe(i))
		}
	}
	return nil
}

// describe names a top-level requirement for an error.
func (r *SubmissionRequirement) describe(i int) string {
	s := fmt.Sprintf("submission_requirements[%d] (%s", i, r.Rule)
	if r.From != "" {
		s += " from " + r.From
	} else {
		s += fmt.Sprintf(" from %d nested", len(r.FromNested))
	}
	if r.Name != "" {
		s += ", " + r.Name
	}
	return s + ")"
}

// met reports whether r holds for the marked descriptors of g.
func (r *SubmissionRequirement) met(g *groups) bool {
	n, total, ok := r.tally(g, (*SubmissionRequirement).met)
	return ok && (r.Rule == RuleAll && n == total || r.Rule == RulePick && r.accepts(n))
}

// tally counts what r's source offers (total) and how many of them hold (n): the marked descriptors of
// its group, or its nested requirements for which holds is true. ok is false for an unknown group.
func (r *SubmissionRequirement) tally(g *groups, holds func(*SubmissionRequirement, *groups) bool) (n, total int, ok bool) {
	if r.From != "" {
		gr := g.byName[r.From]
		if gr == nil {
			return 0, 0, false
		}
		return gr.marked, gr.total(), true
	}
	for i := range r.FromNested {
		if holds(&r.FromNested[i], g) {
			n++
		}
	}
	return n, len(r.FromNested), true
}

// accepts reports whether picking n meets the pick's count, min and max.
func (r *SubmissionRequirement) accepts(n int) bool {
	return (r.Count == nil || n == *r.Count) && (r.Min == nil || n >= *r.Min) && (r.Max == nil || n <= *r.Max)
}

// lower is the fewest a pick accepts.
func (r *SubmissionRequirement) lower() int {
	switch {
	case r.Count != nil:
		return *r.Count
	case r.Min != nil:
		return *r.Min
	}
	return 0
}

// want is how many a holder picks of the avail it can answer: the count, else the min, else one (a
// pick asks for something); never more than max. The fewest that meet the pick disclose the least.
func (r *SubmissionRequirement) want(avail int) int {
	if r.Count != nil {
		return *r.Count
	}
	k := 1
	if r.Min != nil {
		k = *r.Min
	}
	k = min(k, avail)
	if r.Max != nil {
		k = min(k, *r.Max)
	}
	return k
}

// Choose picks the input descriptors a holder answers, given those it can answer (available, by
// index): every one without submission requirements, otherwise the fewest each requirement needs, in
// definition order. The choice is greedy, requirement by requirement, then checked with Satisfies: a
// definition whose overlapping groups need a choice greedy misses is refused rather than searched,
// keeping the work linear. It returns an error wrapping ErrRequirement or ErrUnanswered when the
// available descriptors cannot answer d.
func (d *Definition) Choose(available []bool) ([]bool, error) {
	if len(available) != len(d.InputDescriptors) {
		return nil, fmt.Errorf("%w: %d answers for %d input descriptors", ErrRequirement, len(available), len(d.InputDescriptors))
	}
	chosen := make([]bool, len(available))
	if len(d.SubmissionRequirements) == 0 {
		copy(chosen, available)
		return chosen, d.Satisfies(chosen)
	}
	g := newGroups(d, available)
	for i := range d.SubmissionRequirements {
		r := &d.SubmissionRequirements[i]
		if !r.feasible(g) {
			return nil, fmt.Errorf("%w: %s cannot be met with the credentials held", ErrRequirement, r.describe(i))
		}
		r.mark(g, available, chosen)
	}
	if err := d.Satisfies(chosen); err != nil {
		return nil, fmt.Errorf("%w (the groups overlap; no choice was searched for)", err)
	}
	return chosen, nil
}

// feasible reports whether r can be met by the available descriptors (marked in g).
func (r *SubmissionRequirement) feasible(g *groups) bool {
	n, total, ok := r.tally(g, (*SubmissionRequirement).feasible)
	return ok && (r.Rule == RuleAll && n == total || r.Rule == RulePick && n >= r.lower())
}

// mark chooses, for a feasible r, the available descriptors it needs.
func (r *SubmissionRequirement) mark(g *groups, available, chosen []bool) {
	if r.From != "" {
		gr := g.byName[r.From]
		k := gr.total()
		if r.Rule == RulePick {
			k = r.want(gr.marked)
		}
		for _, i := range gr.members {
			if k == 0 {
				return
			}
			if available[i] {
				chosen[i] = true
				k--
			}
		}
		return
	}
	k := len(r.FromNested)
	if r.Rule == RulePick {
		n, _, _ := r.tally(g, (*SubmissionRequirement).feasible)
		k = r.want(n)
	}
	for i := range r.FromNested {
		if k == 0 {
			return
		}
		if nr := &r.FromNested[i]; nr.feasible(g) {
			nr.mark(g, available, chosen)
			k--
		}
	}
}

package dcql

import (
	"errors"
	"fmt"
	"strings"
)

// ErrCredentialSets: the answered credential queries meet no option of a required credential set (or,
// without credential sets, some credential query is not answered).
var ErrCredentialSets = errors.New("credential sets not satisfied")

// Check reports whether the credential queries answered (by id) satisfy q: every required credential
// set has an option all of whose ids are answered; optional sets may be absent. Without credential
// sets every credential query must be answered (OpenID4VP 1.0 §6.4.2). The work is linear in the
// query: each option's ids are looked up once.
func (q *Query) Check(answered func(id string) bool) error {
	_, err := q.check(answered)
	return err
}

func (q *Query) check(answered func(id string) bool) (steps int, err error) {
	if q.CredentialSets == nil {
		for _, c := range q.Credentials {
			steps++
			if !answered(c.ID) {
				return steps, fmt.Errorf("%w: credential query %q is not answered", ErrCredentialSets, c.ID)
			}
		}
		return steps, nil
	}
	for i, s := range q.CredentialSets {
		if !s.IsRequired() {
			continue
		}
		opt, n := firstOption(s.Options, nil, answered)
		steps += n
		if opt < 0 {
			return steps, fmt.Errorf("%w: credential set %d needs one of %s", ErrCredentialSets, i, optionsString(s.Options))
		}
	}
	return steps, nil
}

// Pick chooses what a wallet answers, given which credential queries it can answer: without credential
// sets, all of them (an error names the first it cannot); with them, for each set the first option (the
// verifier's preference) all of whose queries it can answer, optional sets included when possible. The
// ids come back in the query's order, each once. A required set with no such option is an error
// wrapping ErrCredentialSets.
func (q *Query) Pick(can func(id string) bool) ([]string, error) {
	return q.PickPreferring(can, nil)
}

// PickPreferring is Pick where, in each set, an answerable option that holds a query the holder
// prefers (prefer(id), e.g. one a credential the holder named answers) comes before the verifier's
// order; prefer may be nil.
func (q *Query) PickPreferring(can, prefer func(id string) bool) ([]string, error) {
	if q.CredentialSets == nil {
		ids := make([]string, 0, len(q.Credentials))
		for _, c := range q.Credentials {
			if !can(c.ID) {
				return nil, fmt.Errorf("%w: credential query %q cannot be answered", ErrCredentialSets, c.ID)
			}
			ids = append(ids, c.ID)
		}
		return ids, nil
	}
	picked := make(map[string]bool, len(q.Credentials))
	for i, s := range q.CredentialSets {
		opt := -1
		if prefer != nil {
			opt, _ = firstOption(s.Options, func(id string) bool { return can(id) && prefer(id) }, can)
		}
		if opt < 0 {
			opt, _ = firstOption(s.Options, nil, can)
		}
		switch {
		case opt >= 0:
			for _, id := range s.Options[opt] {
				picked[id] = true
			}
		case s.IsRequired():
			return nil, fmt.Errorf("%w: credential set %d needs one of %s", ErrCredentialSets, i, optionsString(s.Options))
		}
	}
	ids := make([]string, 0, len(picked))
	for _, c := range q.Credentials {
		if picked[c.ID] {
			ids = append(ids, c.ID)
		}
	}
	return ids, nil
}

// firstOption returns the index of the first option all of whose ids are ok and, when some is not
// nil, one of whose ids is some; or -1.
func firstOption(options [][]string, some, ok func(id string) bool) (opt, steps int) {
	for i, o := range options {
		all, hit := true, some == nil
		for _, id := range o {
			steps++
			if !ok(id) {
				all = false
				break
			}
			hit = hit || some(id)
		}
		if all && hit {
			return i, steps
		}
	}
	return -1, steps
}

// optionsString writes options as [a b] or [c], for an error message.
func optionsString(options [][]string) string {
	parts := make([]string, len(options))
	for i, o := range options {
		parts[i] = "[" + strings.Join(o, " ") + "]"
	}
	return strings.Join(parts, " or ")
}

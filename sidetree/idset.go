package sidetree

// idSet answers whether a document's key or service id was seen before. A document has a few of each, and
// a map cost a validation more than the rest of its key's checks (made, hashed, probed, its stack
// storage cleared): the first ids are compared in a list, and a map takes over past that, so a hostile
// list of thousands stays linear.
type idSet struct {
	few  [8]string
	n    int
	many map[string]bool
}

// add adds id and reports whether it was there already.
func (s *idSet) add(id string) (seen bool) {
	if s.many != nil {
		seen = s.many[id]
		s.many[id] = true
		return seen
	}
	for _, f := range s.few[:s.n] {
		if f == id {
			return true
		}
	}
	if s.n < len(s.few) {
		s.few[s.n] = id
		s.n++
		return false
	}
	s.many = make(map[string]bool, 2*len(s.few)+1)
	for _, f := range s.few {
		s.many[f] = true
	}
	s.many[id] = true
	return false
}

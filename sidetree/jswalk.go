package sidetree

// anyKey reports whether some object in v, at any depth, has a key for which match is true.
func anyKey(v Value, match func(key string) bool) bool {
	switch v.kind {
	case KindArray:
		for _, e := range v.arr() {
			if anyKey(e, match) {
				return true
			}
		}
	case KindObject:
		for _, m := range v.members() {
			if match(m.Key) || anyKey(m.Value, match) {
				return true
			}
		}
	}
	return false
}

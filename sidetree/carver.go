package sidetree

// carver hands out objects and arrays whose storage is carved from two slices allocated once, for a
// composed value whose size is known up front. Each carved slice has its length as its capacity, so
// growing one later (a Set, an append) copies it instead of overwriting the next one. Carving more than
// was reserved falls back to allocating: a miscount costs speed, never correctness.
type carver struct {
	members []Member
	values  []Value
}

// object returns an empty object with room for n members.
func (c *carver) object(n int) Value {
	return objectValue(carve(&c.members, n))
}

// array returns an empty array with room for n elements.
func (c *carver) array(n int) Value {
	return arrayValue(carve(&c.values, n))
}

// carve returns an empty slice with room for n items from *pool, or a new one when *pool is used up.
func carve[T any](pool *[]T, n int) []T {
	p := *pool
	if len(p)+n > cap(p) {
		return make([]T, 0, n)
	}
	start := len(p)
	*pool = p[:start+n]
	return p[start : start : start+n]
}

// objectOf returns an object of the given members, whose keys must be distinct and not array indices.
func (c *carver) objectOf(members ...Member) Value {
	o := c.object(len(members))
	o.appendMembers(members...)
	return o
}

// arrayOf returns an array of the given elements.
func (c *carver) arrayOf(elems ...Value) Value {
	a := c.array(len(elems))
	a.appendElems(elems...)
	return a
}

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
	if len(c.members)+n > cap(c.members) {
		return Value{kind: KindObject, members: make([]Member, 0, n)}
	}
	start := len(c.members)
	c.members = c.members[:start+n]
	return Value{kind: KindObject, members: c.members[start : start : start+n]}
}

// array returns an empty array with room for n elements.
func (c *carver) array(n int) Value {
	if len(c.values)+n > cap(c.values) {
		return Value{kind: KindArray, arr: make([]Value, 0, n)}
	}
	start := len(c.values)
	c.values = c.values[:start+n]
	return Value{kind: KindArray, arr: c.values[start : start : start+n]}
}

// objectOf returns an object of the given members, whose keys must be distinct and not array indices.
func (c *carver) objectOf(members ...Member) Value {
	o := c.object(len(members))
	o.members = append(o.members, members...)
	return o
}

// arrayOf returns an array of the given elements.
func (c *carver) arrayOf(elems ...Value) Value {
	a := c.array(len(elems))
	a.arr = append(a.arr, elems...)
	return a
}

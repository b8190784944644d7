package sidetree

// jcsCheck finds out, while the JSON reader reads some data, whether the data is the JCS (RFC 8785) form
// of the value read: what Canonicalize would write for it, byte for byte. A long-form DID's initial
// state must be, and checking as it is read spares writing the whole state out again to compare. It
// also finds out whether the data is the value's JSON.stringify form (a batch's deltas), which writes
// strings and numbers as JCS does but keeps the keys in the order read.
//
// The data is the JCS form exactly when it has no white space, every string and number is written as JCS
// writes it, and each object's keys come in strictly ascending UTF-16 order (which also rules out a
// repeated key, whose value JSON.parse would keep only once). It is the JSON.stringify form when the
// same holds but for the order, no key repeats, and no key is an array index (JavaScript lists those
// first). The reader reports white space, string escapes, numbers, keys and repeated keys; a string read
// without escapes is already in its JCS form (strPlain).
type jcsCheck struct {
	differs bool // some string or number is not in its JCS form, or there is white space
	// unsorted: some object's keys are not in strictly ascending order.
	unsorted bool
	// repeatedKey: some object has a key twice.
	repeatedKey bool
	// indexKey: some object has an array-index key, which JSON.stringify lists first; without one, a
	// value in JCS form is also what JSON.stringify writes for it.
	indexKey bool
	// spanKeys are keys of a top-level object whose values' spans in the data are noted in spans (the
	// last one read; zero if none): in JCS form, each value's own JCS form.
	spanKeys [2]string
	spans    [2][2]int
	buf      []byte
}

// member is told of an object's i-th key (prev is the one before) and the span of its value.
func (c *jcsCheck) member(depth, i int, prev, key string, start, end int) {
	if i > 0 && compareUTF16(prev, key) >= 0 {
		c.unsorted = true
	}
	if depth == 0 {
		for k := range c.spanKeys {
			if c.spanKeys[k] == key {
				c.spans[k] = [2]int{start, end}
			}
		}
	}
}

// number is told of a number's text and value.
func (c *jcsCheck) number(text []byte, n float64) {
	if !c.differs {
		c.buf = appendNumber(c.buf[:0], n) // "null" for ±Infinity, which JCS refuses
		c.differs = string(c.buf) != string(text)
	}
}

// escapedString is told of a string written with escapes (its text, quotes included) and its value.
func (c *jcsCheck) escapedString(text []byte, s string) {
	if !c.differs {
		c.buf = appendString(c.buf[:0], s)
		c.differs = string(c.buf) != string(text)
	}
}

// isJCS reports whether the data read is its value's JCS form.
func (c *jcsCheck) isJCS() bool { return !c.differs && !c.unsorted }

// isStringify reports whether the data read is its value's JSON.stringify form.
func (c *jcsCheck) isStringify() bool { return !c.differs && !c.repeatedKey && !c.indexKey }

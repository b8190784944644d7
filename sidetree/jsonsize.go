package sidetree

// jsonSize is len(v.Stringify()), which is also the length of v's canonical form (JCS only orders the
// keys differently), counted without writing it and stopping past budget: ok is false when the size is
// over budget, and n is then only a lower bound. Size limits use it because a hostile value may be far
// larger written out than parsed: every nested ParseError of yieldable-json carries the rest of the input
// as its text, shared in memory but not when written.
func (v Value) jsonSize(budget int) (n int, ok bool) {
	c := sizeCounter{budget: budget}
	c.value(v)
	return c.n, c.n <= budget
}

type sizeCounter struct {
	n, budget int
}

func (c *sizeCounter) over() bool { return c.n > c.budget }

func (c *sizeCounter) value(v Value) {
	if c.over() {
		return
	}
	switch v.kind {
	case KindNull:
		c.n += 4
	case KindBool:
		if v.b {
			c.n += 4
		} else {
			c.n += 5
		}
	case KindNumber:
		var buf [32]byte
		c.n += len(appendNumber(buf[:0], v.num()))
	case KindString:
		c.str(v.str())
	case KindArray:
		c.n += 2 + max(len(v.arr())-1, 0)
		for _, e := range v.arr() {
			c.value(e)
		}
	default:
		c.n += 2 + max(len(v.members())-1, 0) + len(v.members()) // braces, commas, colons
		for _, m := range v.members() {
			c.str(m.Key)
			c.value(m.Value)
		}
	}
}

// str counts appendString's output for s.
func (c *sizeCounter) str(s string) {
	c.n += 2
	for i := 0; i < len(s) && !c.over(); {
		switch b := s[i]; {
		case b == '"' || b == '\\' || b == '\b' || b == '\f' || b == '\n' || b == '\r' || b == '\t':
			c.n += 2
			i++
		case b < 0x20:
			c.n += 6
			i++
		case b == 0xED:
			if r, size := decodeWTF8(s[i:]); size == 3 && r >= 0xD800 && r <= 0xDFFF {
				c.n += 6
				i += 3
				continue
			}
			c.n++
			i++
		default:
			c.n++
			i++
		}
	}
}

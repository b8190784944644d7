package sidetree

import (
	"slices"
	"unicode/utf16"
	"unicode/utf8"
)

// Kind is the JSON type of a Value.
type Kind uint8

// The JSON types.
const (
	KindNull Kind = iota
	KindBool
	KindNumber
	KindString
	KindArray
	KindObject
)

// Value is a JSON value with JavaScript's semantics. The ION reference node holds documents as JavaScript
// objects, and what it returns is JSON.stringify of them: object keys that are array indices come first in
// ascending order, then the others in insertion order; a duplicate key keeps its first position and its
// last value; numbers are IEEE doubles printed the ECMAScript way. encoding/json keeps none of these, and
// resolution results must match the reference byte for byte, so the protocol core carries its own model.
//
// Strings hold UTF-8; a lone UTF-16 surrogate from a \u escape is kept as its three-byte (WTF-8) form so
// that it serializes back to the same escape, as JavaScript does.
type Value struct {
	kind Kind
	b    bool
	// plain marks a string known, where it was made, to need no escaping (jsonPlain), so that writing
	// it is one copy: most of a resolution result is such text (a long-form DID several times over).
	plain   bool
	n       float64
	s       string
	arr     []Value
	members []Member
}

// Member is one property of an object: Key and Value. (It is the type the JSON reader builds objects
// with, so that a parsed object takes the reader's slice as it is.)
type Member = jsProperty[Value]

// Null returns the JSON null.
func Null() Value { return Value{kind: KindNull} }

// Bool returns a JSON boolean.
func Bool(b bool) Value { return Value{kind: KindBool, b: b} }

// Number returns a JSON number.
func Number(n float64) Value { return Value{kind: KindNumber, n: n} }

// String returns a JSON string.
func String(s string) Value { return Value{kind: KindString, s: s} }

// Array returns a JSON array of the given elements.
func Array(elems ...Value) Value {
	if elems == nil {
		elems = []Value{}
	}
	return Value{kind: KindArray, arr: elems}
}

// Object returns a JSON object with the given properties, set in order as JavaScript would.
func Object(members ...Member) Value {
	v := Value{kind: KindObject, members: make([]Member, 0, len(members))}
	for _, m := range members {
		v.Set(m.Key, m.Value)
	}
	return v
}

// Kind returns the JSON type of v.
func (v Value) Kind() Kind { return v.kind }

// IsObject reports whether v is a JSON object (not an array, not null).
func (v Value) IsObject() bool { return v.kind == KindObject }

// Str returns the string and whether v is a string.
func (v Value) Str() (string, bool) { return v.s, v.kind == KindString }

// Num returns the number and whether v is a number.
func (v Value) Num() (float64, bool) { return v.n, v.kind == KindNumber }

// Boolean returns the boolean and whether v is a boolean.
func (v Value) Boolean() (bool, bool) { return v.b, v.kind == KindBool }

// Elems returns the elements of an array (nil for other kinds).
func (v Value) Elems() []Value { return v.arr }

// Members returns the properties of an object in JavaScript's enumeration order (nil for other kinds).
func (v Value) Members() []Member { return v.members }

// Len returns the number of elements or properties.
func (v Value) Len() int {
	if v.kind == KindArray {
		return len(v.arr)
	}
	return len(v.members)
}

// Get returns the property named key of an object.
func (v Value) Get(key string) (Value, bool) {
	for i := range v.members {
		if v.members[i].Key == key {
			return v.members[i].Value, true
		}
	}
	return Value{}, false
}

// Has reports whether an object has the property key.
func (v Value) Has(key string) bool {
	_, ok := v.Get(key)
	return ok
}

// Set sets a property of an object the way JavaScript assignment does: an existing key keeps its
// position, an array-index key goes among the other index keys in ascending order, any other key goes last.
func (v *Value) Set(key string, val Value) {
	for i := range v.members {
		if v.members[i].Key == key {
			v.members[i].Value = val
			return
		}
	}
	if idx, ok := arrayIndex(key); ok {
		at := 0
		for at < len(v.members) {
			other, isIndex := arrayIndex(v.members[at].Key)
			if !isIndex || other > idx {
				break
			}
			at++
		}
		v.members = append(v.grown(), Member{})
		copy(v.members[at+1:], v.members[at:])
		v.members[at] = Member{Key: key, Value: val}
		return
	}
	v.members = append(v.grown(), Member{Key: key, Value: val})
}

// grown returns the members with room for one more, starting at four: most objects of a DID document
// have two to six properties, and growing from one would copy them three times.
func (v *Value) grown() []Member {
	if cap(v.members) == 0 {
		return make([]Member, 0, 4)
	}
	return v.members
}

// Delete removes a property of an object.
func (v *Value) Delete(key string) {
	for i := range v.members {
		if v.members[i].Key == key {
			v.members = append(v.members[:i], v.members[i+1:]...)
			return
		}
	}
}

// arrayIndex reports whether key is a canonical array index (0 … 2^32-2), which JavaScript enumerates
// before every other key of an ordinary object.
func arrayIndex(key string) (uint32, bool) {
	if key == "" || len(key) > 10 || (len(key) > 1 && key[0] == '0') {
		return 0, false
	}
	// Digits only, checked by hand: strconv's error for the common non-numeric key allocates, and every
	// property set while parsing or building a document asks.
	var n uint64
	for i := 0; i < len(key); i++ {
		c := key[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + uint64(c-'0')
	}
	if n > 4294967294 {
		return 0, false
	}
	return uint32(n), true
}

// DeepCopy copies v the way the reference's JsObject.deepCopyObject does, quirks included: null becomes
// an empty object (typeof null is "object" there), and a "__proto__" key is lost (assigning it sets the
// copy's prototype instead of a property).
func (v Value) DeepCopy() Value {
	switch v.kind {
	case KindNull:
		return Value{kind: KindObject, members: []Member{}}
	case KindArray:
		out := make([]Value, len(v.arr))
		for i, e := range v.arr {
			out[i] = e.DeepCopy()
		}
		return Value{kind: KindArray, arr: out}
	case KindObject:
		out := Value{kind: KindObject, members: make([]Member, 0, len(v.members))}
		for _, m := range v.members {
			if m.Key == "__proto__" {
				continue
			}
			out.members = append(out.members, Member{Key: m.Key, Value: m.Value.DeepCopy()})
		}
		return out
	default:
		return v
	}
}

// Equal reports whether a and b are the same JSON value with the same property order.
func (v Value) Equal(o Value) bool {
	if v.kind != o.kind {
		return false
	}
	switch v.kind {
	case KindNull:
		return true
	case KindBool:
		return v.b == o.b
	case KindNumber:
		return v.n == o.n
	case KindString:
		return v.s == o.s
	case KindArray:
		if len(v.arr) != len(o.arr) {
			return false
		}
		for i := range v.arr {
			if !v.arr[i].Equal(o.arr[i]) {
				return false
			}
		}
		return true
	default:
		if len(v.members) != len(o.members) {
			return false
		}
		for i := range v.members {
			if v.members[i].Key != o.members[i].Key || !v.members[i].Value.Equal(o.members[i].Value) {
				return false
			}
		}
		return true
	}
}

// utf16Len is a string's length as JavaScript's String.prototype.length counts it.
func utf16Len(s string) int {
	n := 0
	for i := 0; i < len(s); {
		r, size := decodeWTF8(s[i:]) // a lone surrogate, kept in WTF-8 form, is one code unit
		if r >= 0x10000 {
			n += 2
		} else {
			n++
		}
		i += size
	}
	return n
}

// compareUTF16 orders strings by UTF-16 code units, as JavaScript's default sort and RFC 8785 do.
func compareUTF16(a, b string) int {
	if isASCII(a) && isASCII(b) {
		switch {
		case a < b:
			return -1
		case a > b:
			return 1
		}
		return 0
	}
	ua, ub := toUTF16(a), toUTF16(b)
	for i := 0; i < len(ua) && i < len(ub); i++ {
		if ua[i] != ub[i] {
			if ua[i] < ub[i] {
				return -1
			}
			return 1
		}
	}
	return len(ua) - len(ub)
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

func toUTF16(s string) []uint16 {
	out := make([]uint16, 0, len(s))
	for i := 0; i < len(s); {
		r, size := decodeWTF8(s[i:])
		if r >= 0xD800 && r <= 0xDFFF {
			out = append(out, uint16(r))
		} else {
			out = utf16.AppendRune(out, r)
		}
		i += size
	}
	return out
}

// decodeWTF8 decodes one code point, accepting the three-byte encoding of a lone surrogate.
func decodeWTF8(s string) (rune, int) {
	if len(s) >= 3 && s[0] == 0xED && s[1] >= 0xA0 && s[1] <= 0xBF && s[2] >= 0x80 && s[2] <= 0xBF {
		return rune(0xD000 | rune(s[1]&0x3F)<<6 | rune(s[2]&0x3F)), 3
	}
	return utf8.DecodeRuneInString(s)
}

// sortedMembers returns the members in RFC 8785 order. Canonical input (a long-form DID's initial state,
// anything JCS made) is already in that order, so it is returned as it is, without a copy.
func sortedMembers(ms []Member) []Member {
	sorted := true
	for i := 1; i < len(ms); i++ {
		if compareUTF16(ms[i-1].Key, ms[i].Key) > 0 {
			sorted = false
			break
		}
	}
	if sorted {
		return ms
	}
	out := slices.Clone(ms)
	slices.SortFunc(out, func(a, b Member) int { return compareUTF16(a.Key, b.Key) })
	return out
}

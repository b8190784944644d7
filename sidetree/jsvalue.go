package sidetree

import (
	"math"
	"slices"
	"unicode/utf16"
	"unicode/utf8"
	"unsafe"
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
	plain bool
	// A Value is 24 bytes with one pointer: a document is a tree of them, and what a tree costs to
	// allocate, copy and mark for the collector is in proportion (as a struct of a float, a string and
	// two slices it was 80 bytes, with three pointers). What the words hold depends on the kind:
	//   string: ptr its bytes, word its length;
	//   number: word its IEEE bits;
	//   array:  ptr its first element (*Value), nkids and word the length and capacity;
	//   object: ptr its first member (*Member), nkids and word the length and capacity.
	// A nil ptr is a nil slice; an empty one that is not nil points at Go's zero-size base.
	nkids uint32
	word  uint64
	ptr   unsafe.Pointer
}

// str returns a string's text ("" for other kinds).
func (v Value) str() string {
	if v.kind != KindString {
		return ""
	}
	return unsafe.String((*byte)(v.ptr), int(v.word))
}

// num returns a number's value (0 for other kinds).
func (v Value) num() float64 {
	if v.kind != KindNumber {
		return 0
	}
	return math.Float64frombits(v.word)
}

// arr returns an array's elements (nil for other kinds), capped at their length: what reads them
// needs no more, and it costs one check less. arrRoom is the slice with its capacity, to append to.
func (v Value) arr() []Value {
	if v.kind != KindArray {
		return nil
	}
	return unsafe.Slice((*Value)(v.ptr), v.nkids) // nil for a nil ptr, whose length is 0
}

func (v Value) arrRoom() []Value {
	if v.kind != KindArray {
		return nil
	}
	return unsafe.Slice((*Value)(v.ptr), v.word)[:v.nkids]
}

// members returns an object's members (nil for other kinds), capped at their length; membersRoom is
// the slice with its capacity.
func (v Value) members() []Member {
	if v.kind != KindObject {
		return nil
	}
	return unsafe.Slice((*Member)(v.ptr), v.nkids)
}

func (v Value) membersRoom() []Member {
	if v.kind != KindObject {
		return nil
	}
	return unsafe.Slice((*Member)(v.ptr), v.word)[:v.nkids]
}

// appendElems appends to an array, in the room it has if any; appendMembers appends to an object the
// same way, without Set's checks (the keys must be new, and not array indices).
func (v *Value) appendElems(es ...Value) { v.setArr(append(v.arrRoom(), es...)) }

func (v *Value) appendMembers(ms ...Member) { v.setMembers(append(v.membersRoom(), ms...)) }

// setStr makes v's text s (v is a string).
func (v *Value) setStr(s string) {
	v.ptr, v.word = unsafe.Pointer(unsafe.StringData(s)), uint64(len(s))
}

// setArr makes v's elements es (v is an array).
func (v *Value) setArr(es []Value) {
	v.ptr, v.nkids, v.word = unsafe.Pointer(unsafe.SliceData(es)), uint32(len(es)), uint64(cap(es))
}

// setMembers makes v's members ms (v is an object).
func (v *Value) setMembers(ms []Member) {
	v.ptr, v.nkids, v.word = unsafe.Pointer(unsafe.SliceData(ms)), uint32(len(ms)), uint64(cap(ms))
}

// stringValue is the string s, plain if the caller knows it needs no escaping (jsonPlain).
func stringValue(s string, plain bool) Value {
	v := Value{kind: KindString, plain: plain}
	v.setStr(s)
	return v
}

// arrayValue is the array of es, objectValue the object of ms, both taken as they are.
func arrayValue(es []Value) Value {
	v := Value{kind: KindArray}
	v.setArr(es)
	return v
}

func objectValue(ms []Member) Value {
	v := Value{kind: KindObject}
	v.setMembers(ms)
	return v
}

// Member is one property of an object: Key and Value. (It is the type the JSON reader builds objects
// with, so that a parsed object takes the reader's slice as it is.)
type Member = jsProperty[Value]

// Null returns the JSON null.
func Null() Value { return Value{kind: KindNull} }

// Bool returns a JSON boolean.
func Bool(b bool) Value { return Value{kind: KindBool, b: b} }

// Number returns a JSON number.
func Number(n float64) Value { return Value{kind: KindNumber, word: math.Float64bits(n)} }

// String returns a JSON string.
func String(s string) Value { return stringValue(s, false) }

// Array returns a JSON array of the given elements.
func Array(elems ...Value) Value {
	if elems == nil {
		elems = []Value{}
	}
	return arrayValue(elems)
}

// Object returns a JSON object with the given properties, set in order as JavaScript would.
func Object(members ...Member) Value {
	v := objectValue(make([]Member, 0, len(members)))
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
func (v Value) Str() (string, bool) { return v.str(), v.kind == KindString }

// Num returns the number and whether v is a number.
func (v Value) Num() (float64, bool) { return v.num(), v.kind == KindNumber }

// Boolean returns the boolean and whether v is a boolean.
func (v Value) Boolean() (bool, bool) { return v.b, v.kind == KindBool }

// Elems returns the elements of an array (nil for other kinds).
func (v Value) Elems() []Value { return v.arr() }

// Members returns the properties of an object in JavaScript's enumeration order (nil for other kinds).
func (v Value) Members() []Member { return v.members() }

// Len returns the number of elements or properties.
func (v Value) Len() int {
	if v.kind == KindArray {
		return len(v.arr())
	}
	return len(v.members())
}

// Get returns the property named key of an object.
func (v Value) Get(key string) (Value, bool) {
	ms := v.members()
	for i := range ms {
		if ms[i].Key == key {
			return ms[i].Value, true
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
	ms := v.members()
	for i := range ms {
		if ms[i].Key == key {
			ms[i].Value = val
			return
		}
	}
	if idx, ok := arrayIndex(key); ok {
		at := 0
		for at < len(ms) {
			other, isIndex := arrayIndex(ms[at].Key)
			if !isIndex || other > idx {
				break
			}
			at++
		}
		ms = append(v.grown(), Member{})
		copy(ms[at+1:], ms[at:])
		ms[at] = Member{Key: key, Value: val}
		v.setMembers(ms)
		return
	}
	v.setMembers(append(v.grown(), Member{Key: key, Value: val}))
}

// grown returns the members with room for one more, starting at four: most objects of a DID document
// have two to six properties, and growing from one would copy them three times.
func (v *Value) grown() []Member {
	if v.word == 0 {
		return make([]Member, 0, 4)
	}
	return v.membersRoom()
}

// Delete removes a property of an object.
func (v *Value) Delete(key string) {
	ms := v.members()
	for i := range ms {
		if ms[i].Key == key {
			v.setMembers(append(ms[:i], ms[i+1:]...))
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
		return objectValue([]Member{})
	case KindArray:
		out := make([]Value, len(v.arr()))
		for i, e := range v.arr() {
			out[i] = e.DeepCopy()
		}
		return arrayValue(out)
	case KindObject:
		out := objectValue(make([]Member, 0, len(v.members())))
		for _, m := range v.members() {
			if m.Key == "__proto__" {
				continue
			}
			out.appendMembers(Member{Key: m.Key, Value: m.Value.DeepCopy()})
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
		return v.num() == o.num()
	case KindString:
		return v.str() == o.str()
	case KindArray:
		if len(v.arr()) != len(o.arr()) {
			return false
		}
		for i := range v.arr() {
			if !v.arr()[i].Equal(o.arr()[i]) {
				return false
			}
		}
		return true
	default:
		if len(v.members()) != len(o.members()) {
			return false
		}
		for i := range v.members() {
			if v.members()[i].Key != o.members()[i].Key || !v.members()[i].Value.Equal(o.members()[i].Value) {
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

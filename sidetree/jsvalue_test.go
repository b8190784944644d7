package sidetree

import (
	"math"
	"testing"
	"unsafe"
)

// TestValueLayout: a Value stays 24 bytes with one pointer (see its comment), and each kind reads back
// what it was made of, nil and empty slices apart.
func TestValueLayout(t *testing.T) {
	if size := unsafe.Sizeof(Value{}); size != 24 {
		t.Errorf("a Value is %d bytes, want 24", size)
	}
	if size := unsafe.Sizeof(Member{}); size != 40 {
		t.Errorf("a Member is %d bytes, want 40", size)
	}
	tests := []struct {
		name string
		v    Value
		want string
	}{
		{"string", String("a\"b"), `"a\"b"`},
		{"empty string", String(""), `""`},
		{"number", Number(-0.5), "-0.5"},
		{"huge number", Number(math.MaxFloat64), "1.7976931348623157e+308"},
		{"bool", Bool(true), "true"},
		{"empty array", Array(), "[]"},
		{"empty object", Object(), "{}"},
		{"nested", Object(Member{"2", Array(Null(), Number(1))}, Member{"a", String("x")}, Member{"1", Object()}), `{"1":{},"2":[null,1],"a":"x"}`},
	}
	for _, tc := range tests {
		if got := tc.v.String(); got != tc.want {
			t.Errorf("%s: %s, want %s", tc.name, got, tc.want)
		}
	}
	if Array().Elems() == nil || Object().Members() == nil {
		t.Error("an empty array or object reads back as nil")
	}
	if (Value{kind: KindArray}).Elems() != nil || (Value{kind: KindObject}).Members() != nil {
		t.Error("a nil array or object reads back as not nil")
	}
	// What Elems and Members hand out is capped at its length, so a caller's append copies instead of
	// writing into room the value still owns (an object grows by four, a composed result is carved).
	o := Object(Member{"a", Null()})
	if ms := o.Members(); cap(ms) != len(ms) {
		t.Errorf("Members: length %d, capacity %d", len(ms), cap(ms))
	}
	var c carver
	c.values = make([]Value, 0, 8)
	a := c.array(4)
	a.appendElems(Null())
	if es := a.Elems(); cap(es) != len(es) {
		t.Errorf("Elems: length %d, capacity %d", len(es), cap(es))
	}
	// Each accessor answers for its own kind only: a string's bytes are not an array's elements.
	s := String("not elements")
	if s.Elems() != nil || s.Members() != nil || s.Len() != 0 {
		t.Error("a string reads as an array or object")
	}
	if n, ok := String("1").Num(); ok || n != 0 {
		t.Error("a string reads as a number")
	}
	if str, ok := Number(1).Str(); ok || str != "" {
		t.Error("a number reads as a string")
	}
}

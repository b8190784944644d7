package sidetree

import (
	"cmp"
	"slices"
)

// jsProperty is one property of an object under construction; Member is the one of a Value.
type jsProperty[T any] struct {
	Key   string
	Value T
}

// jsObjectBuilder collects an object's properties as JavaScript assignment does: a repeated key keeps its
// first position and takes the last value. Both JSON readers build objects with it, so the cost of an
// object stays linear in its keys whatever their order or repetition (hostile input has many of both).
type jsObjectBuilder[T any] struct {
	props []jsProperty[T]
	index map[string]int // made once an object has more keys than a scan is cheaper for
	// anyIndexKey: some key is an array index, so listing needs the sort that puts those first.
	anyIndexKey bool
}

// jsObjectScanKeys is how many keys are found by scanning before the builder makes its index.
const jsObjectScanKeys = 8

func (b *jsObjectBuilder[T]) set(key string, v T) {
	if b.index == nil {
		for i := range b.props {
			if b.props[i].Key == key {
				b.props[i].Value = v
				return
			}
		}
		if len(b.props) >= jsObjectScanKeys {
			b.index = make(map[string]int, 2*len(b.props))
			for i, p := range b.props {
				b.index[p.Key] = i
			}
		}
	} else if i, ok := b.index[key]; ok {
		b.props[i].Value = v
		return
	}
	if b.index != nil {
		b.index[key] = len(b.props)
	}
	if !b.anyIndexKey {
		_, b.anyIndexKey = arrayIndex(key)
	}
	if cap(b.props) == 0 {
		// Most objects have two to six keys: start at four rather than grow from one.
		b.props = make([]jsProperty[T], 0, 4)
	}
	b.props = append(b.props, jsProperty[T]{Key: key, Value: v})
}

func (b *jsObjectBuilder[T]) len() int { return len(b.props) }

// ordered returns the properties in the order JavaScript lists them: array-index keys first, ascending,
// then the others in insertion order. It reorders the builder's own slice (no copy): a Value object
// takes that slice as its members.
func (b *jsObjectBuilder[T]) ordered() []jsProperty[T] {
	if b.anyIndexKey {
		rank := func(key string) uint64 { // an index key's value; 1<<32 for the others, which stay in order
			if n, ok := arrayIndex(key); ok {
				return uint64(n)
			}
			return 1 << 32
		}
		slices.SortStableFunc(b.props, func(x, y jsProperty[T]) int { return cmp.Compare(rank(x.Key), rank(y.Key)) })
	}
	return b.props
}

package sidetree

import (
	"iter"
	"sort"
)

// jsObjectBuilder collects an object's properties as JavaScript assignment does: a repeated key keeps its
// first position and takes the last value. Both JSON readers build objects with it, so the cost of an
// object stays linear in its keys whatever their order or repetition (hostile input has many of both).
type jsObjectBuilder[T any] struct {
	keys  []string
	vals  []T
	index map[string]int // made once an object has more keys than a scan is cheaper for
	// anyIndexKey: some key is an array index, so listing needs the sort that puts those first.
	anyIndexKey bool
}

// jsObjectScanKeys is how many keys are found by scanning before the builder makes its index.
const jsObjectScanKeys = 8

func (b *jsObjectBuilder[T]) set(key string, v T) {
	if b.index == nil {
		for i, k := range b.keys {
			if k == key {
				b.vals[i] = v
				return
			}
		}
		if len(b.keys) >= jsObjectScanKeys {
			b.index = make(map[string]int, 2*len(b.keys))
			for i, k := range b.keys {
				b.index[k] = i
			}
		}
	} else if i, ok := b.index[key]; ok {
		b.vals[i] = v
		return
	}
	if b.index != nil {
		b.index[key] = len(b.keys)
	}
	if !b.anyIndexKey {
		_, b.anyIndexKey = arrayIndex(key)
	}
	if cap(b.keys) == 0 {
		// Most objects have two to six keys: start at four rather than grow from one.
		b.keys, b.vals = make([]string, 0, 4), make([]T, 0, 4)
	}
	b.keys = append(b.keys, key)
	b.vals = append(b.vals, v)
}

func (b *jsObjectBuilder[T]) len() int { return len(b.keys) }

// order yields the positions of the keys in the order JavaScript lists them: array-index keys first,
// ascending, then the others in insertion order. Without index keys that is insertion order, and nothing
// is allocated to say so.
func (b *jsObjectBuilder[T]) order() iter.Seq[int] {
	return func(yield func(int) bool) {
		if !b.anyIndexKey {
			for i := range b.keys {
				if !yield(i) {
					return
				}
			}
			return
		}
		for _, i := range b.sortedOrder() {
			if !yield(i) {
				return
			}
		}
	}
}

func (b *jsObjectBuilder[T]) sortedOrder() []int {
	order := make([]int, len(b.keys))
	for i := range order {
		order[i] = i
	}
	idx := make([]uint64, len(b.keys)) // an index key's value; 1<<32 for the others, which stay in order
	for i, k := range b.keys {
		if n, ok := arrayIndex(k); ok {
			idx[i] = uint64(n)
		} else {
			idx[i] = 1 << 32
		}
	}
	sort.SliceStable(order, func(a, c int) bool { return idx[order[a]] < idx[order[c]] })
	return order
}

package ion

import (
	"fmt"
)

// FlushKept writes sixteen times the serialized answers' capacity of other entries, so every answer kept
// before is gone (the library evicts in order of writing, a chunk at a time in each of its buckets).
func FlushKept(a *Answers) {
	v := make([]byte, 60<<10)
	for i := range 16 * a.kept.Stats().Capacity / int64(len(v)) {
		a.kept.Set(fmt.Sprint("flush-", i), v)
	}
}

// ForgetKept drops did's kept answer: its next resolution misses.
func ForgetKept(a *Answers, did string) { a.kept.Del(did) }

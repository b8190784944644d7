package pebble

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"strings"
	"time"
)

// Key prefixes; doc.go describes the layout.
const (
	prefixOperation   byte = 'o' // o suffix 0x00 txnum(8) index(4) → 0x80 verdict, type, time, raw (opvalue.go)
	prefixOpByTx      byte = 'x' // x txnum(8) index(4) suffix → empty
	prefixGeneration  byte = 'g' // g suffix → generation(8)
	prefixCache       byte = 'c' // c suffix → generation(8) state
	prefixTransaction byte = 'n' // n txnum(8) → transaction
	prefixUnresolved  byte = 'u' // u txnum(8) → unresolvable record
	prefixRetry       byte = 'r' // r nextRetry(8) txnum(8) → empty
	prefixQueued      byte = 'q' // q seq(8) → queued operation
	prefixInFlight    byte = 'f' // f batch(8) seq(8) → queued operation
	prefixPendingDID  byte = 'd' // d suffix → seq(8)
	prefixUTXO        byte = 'w' // w txid 0x00 vout(4) → UTXO
	prefixPendingTx   byte = 'p' // p txid → pending transaction
	prefixMeta        byte = 'm' // m name → counters and the watcher cursor
	prefixSession     byte = 's' // s id → expires, version, data
)

var (
	keyGenerationCounter = []byte("mgeneration")
	keyQueueSeq          = []byte("mqueue-seq")
	keyBatchSeq          = []byte("mbatch-seq")
	keyCursor            = []byte("mcursor")
)

// checkName rejects names that would break the key layout: suffixes and txids are terminated by 0x00.
func checkName(kind, s string) error {
	if s == "" || strings.IndexByte(s, 0) >= 0 {
		return fmt.Errorf("invalid %s %q: empty or contains NUL", kind, s)
	}
	return nil
}

func be64(b []byte, v uint64) []byte { return binary.BigEndian.AppendUint64(b, v) }

func be32(b []byte, v uint32) []byte { return binary.BigEndian.AppendUint32(b, v) }

// prefixEnd returns the first key after every key starting with p.
func prefixEnd(p []byte) []byte {
	end := bytes.Clone(p)
	for i := len(end) - 1; i >= 0; i-- {
		if end[i] < 0xff {
			end[i]++
			return end[:i+1]
		}
	}
	return nil // p is all 0xff: no upper bound
}

func operationPrefix(suffix string) []byte {
	k := make([]byte, 0, len(suffix)+2)
	k = append(k, prefixOperation)
	k = append(k, suffix...)
	return append(k, 0)
}

func operationKey(suffix string, txnum uint64, index uint32) []byte {
	return appendOperationKey(make([]byte, 0, len(suffix)+14), suffix, txnum, index)
}

func appendOperationKey(k []byte, suffix string, txnum uint64, index uint32) []byte {
	k = append(k, prefixOperation)
	k = append(k, suffix...)
	k = append(k, 0)
	return be32(be64(k, txnum), index)
}

// parseOperationKey splits an operation key; ok is false for a malformed key.
func parseOperationKey(k []byte) (suffix string, txnum uint64, index uint32, ok bool) {
	if len(k) < 1 || k[0] != prefixOperation {
		return "", 0, 0, false
	}
	nul := bytes.IndexByte(k[1:], 0)
	if nul < 0 || len(k[1+nul+1:]) != 12 {
		return "", 0, 0, false
	}
	rest := k[1+nul+1:]
	return string(k[1 : 1+nul]), binary.BigEndian.Uint64(rest), binary.BigEndian.Uint32(rest[8:]), true
}

func appendOpByTxKey(k []byte, txnum uint64, index uint32, suffix string) []byte {
	k = append(k, prefixOpByTx)
	k = be32(be64(k, txnum), index)
	return append(k, suffix...)
}

func nameKey(prefix byte, name string) []byte {
	k := make([]byte, 0, len(name)+1)
	k = append(k, prefix)
	return append(k, name...)
}

func numberKey(prefix byte, n uint64) []byte { return be64([]byte{prefix}, n) }

// timeOrder maps a time to an unsigned number in the same order (sign bit flipped).
func timeOrder(t time.Time) uint64 {
	var n int64
	if !t.IsZero() {
		n = t.UnixNano()
	} else {
		n = -1 << 63
	}
	return uint64(n) ^ 1<<63
}

func retryKey(next time.Time, txnum uint64) []byte {
	return be64(be64([]byte{prefixRetry}, timeOrder(next)), txnum)
}

func inFlightPrefix(batch uint64) []byte { return numberKey(prefixInFlight, batch) }

func utxoKey(txid string, vout uint32) []byte {
	k := make([]byte, 0, len(txid)+6)
	k = append(k, prefixUTXO)
	k = append(k, txid...)
	k = append(k, 0)
	return be32(k, vout)
}

func parseUTXOKey(k []byte) (txid string, vout uint32, ok bool) {
	if len(k) < 1 || k[0] != prefixUTXO {
		return "", 0, false
	}
	nul := bytes.IndexByte(k[1:], 0)
	if nul < 0 || len(k[1+nul+1:]) != 4 {
		return "", 0, false
	}
	return string(k[1 : 1+nul]), binary.BigEndian.Uint32(k[1+nul+1:]), true
}

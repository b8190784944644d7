package pebble

import (
	"fmt"

	"github.com/ionode/ionode/sidetree"
)

// An operation's value is [verdictMarker][verdict] type time raw. The verdict sits in the same value as
// the bytes it was computed from, so it can never be read beside other bytes. Values written before
// verdicts were stored start directly with the type's length (at most 10: "deactivate"), which
// verdictMarker cannot be; they read as sidetree.VerdictUnknown and MigrateVerdicts fills them in.
const verdictMarker byte = 0x80

// appendOperationHeader encodes what precedes the raw operation in its value.
func appendOperationHeader(e *encoder, op sidetree.AnchoredOperation) {
	e.b = append(e.b, verdictMarker, byte(op.Verdict))
	e.string(string(op.Type))
	e.uint(op.TransactionTime)
}

// operationValue is a decoded operation value; raw aliases the value it was decoded from.
type operationValue struct {
	typ     sidetree.OperationType
	time    uint64
	verdict sidetree.Verdict
	raw     []byte
	legacy  bool // written before verdicts were stored
}

func decodeOperationValue(v []byte) (operationValue, error) {
	var out operationValue
	if len(v) > 0 && v[0] == verdictMarker {
		if len(v) < 2 || v[1] > byte(sidetree.VerdictInvalid) {
			return out, fmt.Errorf("%w: bad signature verdict", errCorrupt)
		}
		out.verdict = sidetree.Verdict(v[1])
		v = v[2:]
	} else {
		out.legacy = true
	}
	d := decoder{b: v}
	out.typ = sidetree.OperationType(d.string())
	out.time = d.uint()
	if d.err != nil {
		return out, d.err
	}
	out.raw = d.b
	return out, nil
}

// encodeOperationValue is an operation's whole value, as putProcessed writes it into its batch.
func encodeOperationValue(op sidetree.AnchoredOperation) []byte {
	var e encoder
	appendOperationHeader(&e, op)
	return append(e.b, op.Raw...)
}

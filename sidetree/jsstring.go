package sidetree

import (
	"math"
	"strings"
)

// The reference builds its error messages with template literals, typeof and JSON.stringify. These
// helpers convert values exactly as JavaScript does, so a `{code, message}` body is byte for byte ION's.

// jsString is JavaScript's String(v), what `${v}` interpolates: arrays join their elements with commas
// (null and undefined elements become empty), objects are "[object Object]".
func jsString(v Value) string {
	switch v.kind {
	case kindUndefined:
		return "undefined"
	case KindNull:
		return "null"
	case KindBool:
		if v.b {
			return "true"
		}
		return "false"
	case KindNumber:
		switch {
		case math.IsNaN(v.num()):
			return "NaN"
		case math.IsInf(v.num(), 1):
			return "Infinity"
		case math.IsInf(v.num(), -1):
			return "-Infinity"
		}
		return string(appendNumber(nil, v.num()))
	case KindString:
		return v.str()
	case KindArray:
		var b strings.Builder
		for i, e := range v.arr() {
			if i > 0 {
				b.WriteByte(',')
			}
			if e.kind != KindNull && e.kind != kindUndefined {
				b.WriteString(jsString(e))
			}
		}
		return b.String()
	}
	return "[object Object]"
}

// jsTypeof is JavaScript's typeof: "object" for objects, arrays and null.
func jsTypeof(v Value) string {
	switch v.kind {
	case kindUndefined:
		return "undefined"
	case KindBool:
		return "boolean"
	case KindNumber:
		return "number"
	case KindString:
		return "string"
	}
	return "object"
}

// jsonText is `${JSON.stringify(v)}`: JSON.stringify(undefined) is undefined, which interpolates as
// "undefined".
func jsonText(v Value) string {
	if v.kind == kindUndefined {
		return "undefined"
	}
	return string(v.Stringify())
}

// codeError is the reference's `new SidetreeError(code)`: without a message, the message is the code.
func codeError(code Code) *Error {
	return &Error{Code: code, Message: string(code)}
}

// jsError is a SidetreeError with the reference's message, which may quote outside input verbatim (as the
// reference does: the message must be ION's byte for byte).
func jsError(code Code, message string) *Error {
	return &Error{Code: code, Message: message}
}

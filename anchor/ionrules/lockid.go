package ionrules

import (
	"bytes"
	"encoding/base64"
	"unicode/utf8"

	"github.com/btcsuite/btcd/chainhash/v2"
	"github.com/ionode/ionode/sidetree"
)

// LockIdentifier names a value time lock: the lock transaction and the redeem script it pays to (the
// reference's LockIdentifierModel). It is the writerLockId of core index files.
type LockIdentifier struct {
	TransactionID   string
	RedeemScriptHex string
}

// NewLockIdentifier returns the identifier of a lock transaction paying to redeemScript.
func NewLockIdentifier(txid chainhash.Hash, redeemScript []byte) LockIdentifier {
	return LockIdentifier{TransactionID: txid.String(), RedeemScriptHex: LockScriptHex(redeemScript)}
}

// String serializes the identifier as LockIdentifierSerializer.serialize: base64url without padding of
// "<transaction id>.<redeem script hex>".
func (id LockIdentifier) String() string {
	return base64.RawURLEncoding.EncodeToString([]byte(id.TransactionID + "." + id.RedeemScriptHex))
}

// ParseLockIdentifier decodes a serialized identifier exactly as LockIdentifierSerializer.deserialize,
// with the npm base64url package and Node's lenient decoders under it: the text is padded with '=' by
// base64url's padString (which, for text that is not ASCII, overwrites bytes of its UTF-8 form), decoded
// by Node's base64 decoder (both alphabets; other characters skipped; the first '=' ends it; only the
// low byte of each UTF-16 unit is looked at), read as UTF-8 and split at '.': there must be exactly two
// parts, or CodeLockIdentifierIncorrectFormat. Nothing else is checked here; [ResolveLock] finds out
// whether the parts name a lock.
func ParseLockIdentifier(s string) (LockIdentifier, error) {
	decoded := nodeBase64Decode(utf16Units(padBase64URL(s)))
	parts := bytes.Split(decoded, []byte{'.'})
	if len(parts) != 2 {
		return LockIdentifier{}, sidetree.Errorf(CodeLockIdentifierIncorrectFormat, "input: %s", s)
	}
	return LockIdentifier{
		TransactionID:   nodeUTF8Decode(parts[0]),
		RedeemScriptHex: nodeUTF8Decode(parts[1]),
	}, nil
}

// padBase64URL is the base64url package's padString: when the length in UTF-16 units is not a multiple
// of 4, the text's UTF-8 bytes (whole characters only) are written into a buffer of the padded length,
// '=' is written from the byte offset equal to the text's length to the end, and the buffer is read back
// as UTF-8.
func padBase64URL(s string) string {
	units := utf16Units(s)
	diff := len(units) % 4
	if diff == 0 {
		return s
	}
	n := len(units) + 4 - diff
	buf := make([]byte, 0, n)
	for _, r := range s { // invalid UTF-8 ranges as U+FFFD, as the JavaScript string held it
		var enc [utf8.UTFMax]byte
		k := utf8.EncodeRune(enc[:], r)
		if len(buf)+k > n {
			break // Buffer.write writes no partial characters
		}
		buf = append(buf, enc[:k]...)
	}
	buf = buf[:n] // the rest of the allocation is zeros
	for i := len(units); i < n; i++ {
		buf[i] = '='
	}
	return nodeUTF8Decode(buf)
}

// RedeemScript is the redeem script as ION reads it from the hex: Buffer.from(hex, 'hex'), which stops
// at the first pair that is not hex.
func (id LockIdentifier) RedeemScript() []byte {
	return nodeHexDecode(utf16Units(id.RedeemScriptHex))
}

// TransactionHash is the lock transaction's id as Bitcoin Core's getrawtransaction accepts it: exactly
// 64 hex digits of either case. Anything else names no transaction.
func (id LockIdentifier) TransactionHash() (chainhash.Hash, bool) {
	if len(id.TransactionID) != 64 {
		return chainhash.Hash{}, false
	}
	for i := 0; i < len(id.TransactionID); i++ {
		if _, ok := unhex(id.TransactionID[i]); !ok {
			return chainhash.Hash{}, false
		}
	}
	h, err := chainhash.NewHashFromStr(id.TransactionID)
	if err != nil {
		return chainhash.Hash{}, false
	}
	return *h, true
}

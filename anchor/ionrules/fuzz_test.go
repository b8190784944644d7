package ionrules

import (
	"encoding/base64"
	"encoding/hex"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/ionode/ionode/sidetree"
)

// Seeds live in testdata/fuzz/<target>/ (the reference cases of the table tests); f.Add adds a few more.

// FuzzParseLockIdentifier: any text (a core index file's writerLockId is outside input) parses or fails
// with the format code, never panics; what parses serializes back to itself; a canonical identifier
// decodes as plain base64url would.
func FuzzParseLockIdentifier(f *testing.F) {
	f.Add("YTk4ZmQyOWQ0NTgzZDFmNjkxMDY3YjBmOTJhZTgzZDM4MDhkMThjYmE1NWJkNjMwZGJmNTY5ZmJhZWE5MzU1Yy4wMjk0MTFiMjc1NzZhOTE0NzUxZTc2ZTgxOTkxOTZkNDU0OTQxYzQ1ZDFiM2EzMjNmMTQzM2JkNjg4YWM")
	f.Add("Lg")
	f.Add("éLg\xff")
	f.Fuzz(func(t *testing.T, s string) {
		id, err := ParseLockIdentifier(s)
		if err != nil {
			if CodeLockIdentifierIncorrectFormat != codeOf(err) {
				t.Fatalf("ParseLockIdentifier(%q): unexpected error %v", s, err)
			}
			return
		}
		if !utf8.ValidString(id.TransactionID) || !utf8.ValidString(id.RedeemScriptHex) ||
			strings.Contains(id.TransactionID, ".") || strings.Contains(id.RedeemScriptHex, ".") {
			t.Fatalf("ParseLockIdentifier(%q) = %+v", s, id)
		}
		again, err := ParseLockIdentifier(id.String())
		if err != nil || again != id {
			t.Fatalf("round trip of %+v: %+v, %v", id, again, err)
		}
		if raw, err := base64.RawURLEncoding.Strict().DecodeString(s); err == nil && utf8.Valid(raw) {
			if want := id.TransactionID + "." + id.RedeemScriptHex; string(raw) != want {
				t.Fatalf("canonical %q decodes to %q, want %q", s, want, raw)
			}
		}
		_ = id.RedeemScript()
		if h, ok := id.TransactionHash(); ok && !strings.EqualFold(h.String(), id.TransactionID) {
			t.Fatalf("TransactionHash(%q) = %s", id.TransactionID, h)
		}
	})
}

// FuzzParseLockScript: any redeem script (outside input, from a lock identifier) is accepted or rejected
// with one of the resolver's codes, never panics; an accepted script with a 20-byte owner and a duration
// ION's freeze script can carry rebuilds to a script that parses the same.
func FuzzParseLockScript(f *testing.F) {
	f.Add([]byte{})
	f.Add(mustHex("029411b27576a914751e76e8199196d454941c45d1b3a323f1433bd688ac"))
	f.Add(mustHex("0294114c00b27576a914751e76e8199196d454941c45d1b3a323f1433bd64c0088ac"))
	f.Fuzz(func(t *testing.T, script []byte) {
		info, err := ParseLockScript(script)
		if err != nil {
			switch codeOf(err) {
			case CodeLockResolverRedeemScriptIsInvalid, CodeLockResolverRedeemScriptIsNotLock, CodeLockResolverDurationUnreadable:
				return
			}
			t.Fatalf("ParseLockScript(%x): unexpected error %v", script, err)
		}
		if info.Duration < -(1<<47) || info.Duration >= 1<<47 {
			t.Fatalf("ParseLockScript(%x): duration %d beyond 6 bytes", script, info.Duration)
		}
		pkh, herr := hex.DecodeString(info.Owner)
		if herr != nil || len(pkh) != 20 || info.Duration <= 0 {
			return
		}
		rebuilt, err := LockScript(info.Duration, pkh)
		if err != nil {
			t.Fatalf("LockScript(%d, %x): %v", info.Duration, pkh, err)
		}
		if again, err := ParseLockScript(rebuilt); err != nil || again != info {
			t.Fatalf("rebuilt %x parses to %+v, %v; want %+v", rebuilt, again, err, info)
		}
		if !PaysToLockScript(LockOutputScript(script), script) {
			t.Fatalf("the P2SH of %x does not pay to it", script)
		}
	})
}

// FuzzScriptASM: any script renders or is unparseable, never panics; a script of plain pushes renders one
// token per push.
func FuzzScriptASM(f *testing.F) {
	f.Add([]byte{0x4d, 0x01})
	f.Add([]byte{0x4e, 0xff, 0xff, 0xff, 0xff, 0x01})
	f.Add(mustHex("a914249da91bb894e21dfe80039df254d54723fce96087"))
	f.Fuzz(func(t *testing.T, script []byte) {
		asm, err := ScriptASM(script)
		if err != nil {
			return
		}
		pushes, plain := 0, true
		for i := 0; i < len(script); {
			op := int(script[i])
			if op == 0 || op >= opPushData1 || i+1+op > len(script) {
				plain = false
				break
			}
			pushes++
			i += 1 + op
		}
		if plain && len(strings.Fields(asm)) != pushes {
			t.Fatalf("ScriptASM(%x) = %q, want %d items", script, asm, pushes)
		}
	})
}

func mustHex(s string) []byte {
	b, err := hex.DecodeString(s)
	if err != nil {
		panic(err)
	}
	return b
}

func codeOf(err error) sidetree.Code { return sidetree.CodeOf(err) }

// FuzzLockRouteIdentifier: any writerLockId maps to a route or none without panicking, and an identifier
// of base64url characters reaches the lock route unchanged.
func FuzzLockRouteIdentifier(f *testing.F) {
	for _, s := range []string{"YWJj", "a/b", "../locks/x", "%C3%A9", "%zz", "a?b#c", "é\t", "%2e%2E"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		id, routed := LockRouteIdentifier(s)
		if !routed && id != "" {
			t.Fatalf("LockRouteIdentifier(%q) = %q without a route", s, id)
		}
		plain := s != ""
		for i := 0; i < len(s); i++ {
			if _, ok := unbase64(s[i]); !ok || s[i] == '+' || s[i] == '/' {
				plain = false
			}
		}
		if plain && (!routed || id != s) {
			t.Fatalf("base64url %q routes to %q, %v", s, id, routed)
		}
	})
}

package pkcs11

import (
	"errors"
	"fmt"
	"net/url"
	"strings"
)

// ErrURI is returned for a key URI that is not an RFC 7512 PKCS#11 URI ionode can use.
var ErrURI = errors.New("pkcs11: invalid key URI")

// maxURI bounds the URIs parsed: RFC 7512 attributes are short, and the URI comes from configuration.
const maxURI = 4096

// URI is the part of an RFC 7512 PKCS#11 URI that selects a token and a key.
type URI struct {
	Token  string // token label (path attribute "token"); required
	Object string // key label (path attribute "object"); required
	ID     []byte // CKA_ID (path attribute "id"), optional
	// Module is the module-path query attribute; a Config's ModulePath overrides it.
	Module string
	// PINSource is the pin-source query attribute: a file path or file: URI holding the PIN.
	PINSource string
}

// ParseURI parses pkcs11:token=…;object=…[;id=…][?module-path=…&pin-source=…]. Percent-encoding is
// decoded; unknown path attributes that RFC 7512 defines (manufacturer, serial, model, type, slot-id,
// library-*) are accepted and ignored, other attributes are errors, and pin-value is refused.
func ParseURI(s string) (URI, error) {
	var u URI
	if len(s) > maxURI {
		return u, fmt.Errorf("%w: longer than %d bytes", ErrURI, maxURI)
	}
	rest, ok := strings.CutPrefix(s, "pkcs11:")
	if !ok {
		return u, fmt.Errorf("%w: must start with pkcs11:", ErrURI)
	}
	path, query, _ := strings.Cut(rest, "?")
	seen := map[string]bool{}
	for attr := range strings.SplitSeq(path, ";") {
		if attr == "" {
			continue
		}
		k, v, ok := strings.Cut(attr, "=")
		if !ok {
			return u, fmt.Errorf("%w: path attribute %q has no value", ErrURI, attr)
		}
		if seen[k] {
			return u, fmt.Errorf("%w: attribute %q given twice", ErrURI, k)
		}
		seen[k] = true
		val, err := url.PathUnescape(v)
		if err != nil {
			return u, fmt.Errorf("%w: attribute %q: %w", ErrURI, k, err)
		}
		switch k {
		case "token":
			u.Token = val
		case "object":
			u.Object = val
		case "id":
			u.ID = []byte(val)
		case "type":
			if val != "private" {
				return u, fmt.Errorf("%w: type=%s (a signing key is type=private)", ErrURI, val)
			}
		case "manufacturer", "serial", "model", "slot-id", "slot-description", "slot-manufacturer",
			"library-manufacturer", "library-description", "library-version":
		default:
			return u, fmt.Errorf("%w: unknown path attribute %q", ErrURI, k)
		}
	}
	for attr := range strings.SplitSeq(query, "&") {
		if attr == "" {
			continue
		}
		k, v, _ := strings.Cut(attr, "=")
		if seen["?"+k] {
			return u, fmt.Errorf("%w: attribute %q given twice", ErrURI, k)
		}
		seen["?"+k] = true
		val, err := url.PathUnescape(v)
		if err != nil {
			return u, fmt.Errorf("%w: attribute %q: %w", ErrURI, k, err)
		}
		switch k {
		case "module-path":
			u.Module = val
		case "pin-source":
			u.PINSource = val
		case "pin-value":
			return u, fmt.Errorf("%w: pin-value is refused: give the PIN in a file (pin-source) or an environment variable", ErrURI)
		case "module-name":
		default:
			return u, fmt.Errorf("%w: unknown query attribute %q", ErrURI, k)
		}
	}
	if u.Token == "" || u.Object == "" {
		return u, fmt.Errorf("%w: token= and object= are required", ErrURI)
	}
	return u, nil
}

// String writes the URI back (without the PIN source's contents, which it never holds).
func (u URI) String() string {
	var b strings.Builder
	b.WriteString("pkcs11:token=" + escape(u.Token) + ";object=" + escape(u.Object))
	if len(u.ID) > 0 {
		b.WriteString(";id=" + escape(string(u.ID)))
	}
	sep := "?"
	if u.Module != "" {
		b.WriteString(sep + "module-path=" + escape(u.Module))
		sep = "&"
	}
	if u.PINSource != "" {
		b.WriteString(sep + "pin-source=" + escape(u.PINSource))
	}
	return b.String()
}

// escape percent-encodes everything outside RFC 7512's unreserved set and "/" (module paths keep theirs).
func escape(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.IndexByte("-._~/", c) >= 0 {
			b.WriteByte(c)
		} else {
			fmt.Fprintf(&b, "%%%02X", c)
		}
	}
	return b.String()
}

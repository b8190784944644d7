package azurekv

import (
	"errors"
	"fmt"
	"strings"
)

// Scheme prefixes an Azure Key Vault key URI.
const Scheme = "azurekv://"

// ErrURI is returned for a key URI that does not name a Key Vault key.
var ErrURI = errors.New("azurekv: invalid key URI")

const maxURI = 1024

// Ref names a key: the vault's base URL, the key's name and (optionally) version.
type Ref struct {
	VaultURL, Name, Version string
}

// ParseURI parses azurekv://<vault>/keys/<name>[/<version>].
func ParseURI(uri string) (Ref, error) {
	if len(uri) > maxURI {
		return Ref{}, fmt.Errorf("%w: longer than %d bytes", ErrURI, maxURI)
	}
	rest, ok := strings.CutPrefix(uri, Scheme)
	if !ok {
		return Ref{}, fmt.Errorf("%w: %q must start with %s", ErrURI, uri, Scheme)
	}
	parts := strings.Split(rest, "/")
	if len(parts) < 3 || len(parts) > 4 || parts[0] == "" || parts[1] != "keys" || !validName(parts[2]) ||
		(len(parts) == 4 && !validName(parts[3])) || !validHost(parts[0]) {
		return Ref{}, fmt.Errorf("%w: %q: want azurekv://<vault>/keys/<name>[/<version>]", ErrURI, uri)
	}
	host := parts[0]
	if !strings.ContainsAny(host, ".:") {
		host += ".vault.azure.net"
	}
	r := Ref{VaultURL: "https://" + host, Name: parts[2]}
	if len(parts) == 4 {
		r.Version = parts[3]
	}
	return r, nil
}

// validName: Key Vault names and versions are letters, digits and dashes.
func validName(s string) bool {
	if s == "" || len(s) > 127 {
		return false
	}
	for _, c := range s {
		if !(c == '-' || '0' <= c && c <= '9' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z') {
			return false
		}
	}
	return true
}

func validHost(s string) bool {
	for _, c := range s {
		if !(c == '-' || c == '.' || c == ':' || '0' <= c && c <= '9' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z') {
			return false
		}
	}
	return true
}

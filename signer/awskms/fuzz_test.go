package awskms_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/ionode/ionode/signer/awskms"
)

// FuzzParseURI: a key URI from configuration is a key reference or ErrURI, never a panic.
func FuzzParseURI(f *testing.F) {
	f.Add("awskms:///arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab")
	f.Fuzz(func(t *testing.T, uri string) {
		got, err := awskms.ParseURI(uri)
		if err != nil && !errors.Is(err, awskms.ErrURI) {
			t.Fatalf("ParseURI(%q): %v is not ErrURI", uri, err)
		}
		if err == nil && (got == "" || strings.ContainsAny(got, "?# ")) {
			t.Fatalf("ParseURI(%q) = %q", uri, got)
		}
	})
}

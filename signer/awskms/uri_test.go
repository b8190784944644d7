package awskms_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/ionode/ionode/signer/awskms"
)

func TestParseURI(t *testing.T) {
	good := map[string]string{
		"awskms:///arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab": "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
		"awskms:///alias/ionode-issuer":        "alias/ionode-issuer",
		"awskms:///1234abcd-12ab-34cd-56ef-12": "1234abcd-12ab-34cd-56ef-12",
	}
	for uri, want := range good {
		if got, err := awskms.ParseURI(uri); err != nil || got != want {
			t.Errorf("ParseURI(%q) = %q, %v", uri, got, err)
		}
	}
	for _, bad := range []string{"", "awskms://", "awskms:///", "awskms://alias/x", "pkcs11:token=a;object=b",
		"awskms:///arn:aws:s3:::bucket", "awskms:///alias/x?endpoint=http://evil", "awskms:///" + strings.Repeat("a", 3000)} {
		if _, err := awskms.ParseURI(bad); !errors.Is(err, awskms.ErrURI) {
			t.Errorf("ParseURI(%q) err = %v", bad, err)
		}
	}
}

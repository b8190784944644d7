package holder

import (
	"testing"

	"github.com/ionode/ionode/exchange/oid4vp"
)

func TestDisclosurePath(t *testing.T) {
	tests := []struct {
		path oid4vp.ClaimsPath
		want string // "" = refused
	}{
		{oid4vp.ClaimsPath{"given_name"}, "given_name"},
		{oid4vp.ClaimsPath{"address", "locality"}, "address.locality"},
		{oid4vp.ClaimsPath{"nationalities", nil}, "nationalities.*"},
		{oid4vp.ClaimsPath{"nationalities", 1}, "nationalities.1"},
		{oid4vp.ClaimsPath{"a.b"}, ""},
		{oid4vp.ClaimsPath{"address", "7"}, ""},
		{oid4vp.ClaimsPath{"*"}, ""},
	}
	for _, tt := range tests {
		got, err := disclosurePath(tt.path)
		if tt.want == "" && err == nil || tt.want != "" && (err != nil || got != tt.want) {
			t.Errorf("%v: %q, %v; want %q", tt.path, got, err, tt.want)
		}
	}
}

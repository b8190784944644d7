package holder

import (
	"testing"

	"github.com/ionode/ionode/exchange/dcql"
)

func TestDisclosurePath(t *testing.T) {
	tests := []struct {
		path dcql.ClaimsPath
		want string // "" = refused
	}{
		{dcql.ClaimsPath{"given_name"}, "given_name"},
		{dcql.ClaimsPath{"address", "locality"}, "address.locality"},
		{dcql.ClaimsPath{"nationalities", nil}, "nationalities.*"},
		{dcql.ClaimsPath{"nationalities", 1}, "nationalities.1"},
		{dcql.ClaimsPath{"a.b"}, ""},
		{dcql.ClaimsPath{"address", "7"}, ""},
		{dcql.ClaimsPath{"*"}, ""},
	}
	for _, tt := range tests {
		got, err := disclosurePath(tt.path)
		if tt.want == "" && err == nil || tt.want != "" && (err != nil || got != tt.want) {
			t.Errorf("%v: %q, %v; want %q", tt.path, got, err, tt.want)
		}
	}
}

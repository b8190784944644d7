package methods_test

import (
	"errors"
	"fmt"
	"testing"

	"github.com/ionode/ionode/resolver"
	"github.com/ionode/ionode/resolver/ion"
	"github.com/ionode/ionode/resolver/methods"
	"github.com/ionode/ionode/resolver/web"
)

func TestNew(t *testing.T) {
	d := methods.New(ion.LongFormOnly{}, nil, nil)
	tests := []struct {
		did  string
		want error // nil: resolves
	}{
		{"did:key:z6MkvDqGT54cXesYGvABpF1UapVNwjCqRcafi4Px6Thv5T3Z", nil},
		{"did:jwk:eyJjcnYiOiJFZDI1NTE5Iiwia3R5IjoiT0tQIiwieCI6IjExcVlBWUt4Q3JmVlNfN1R5V1FIT2c3aGN2UGFwaU1scndJYWFQY0hVUm8ifQ", nil},
		{"did:ion:EiA9RmVRL_A2kqmH2BbocdSdafSkVmfOT1mVNtPZINoG2g", resolver.ErrNotFound},
		{"did:web:localhost%3A8443", web.ErrForbiddenAddress}, // the default client's guard
		{"did:example:1", resolver.ErrMethodNotSupported},
	}
	for _, tt := range tests {
		t.Run(tt.did, func(t *testing.T) {
			_, err := d.Resolve(t.Context(), tt.did)
			if tt.want == nil && err != nil || tt.want != nil && !errors.Is(err, tt.want) {
				t.Errorf("got %v, want %v", err, tt.want)
			}
		})
	}
}

func TestION(t *testing.T) {
	tests := []struct {
		url     string
		want    string // the resolver's type
		wantErr bool
	}{
		{"", "ion.LongFormOnly", false},
		{"http://127.0.0.1:3000", "*client.Client", false},
		{"ftp://node", "", true},
	}
	for _, tt := range tests {
		t.Run(tt.url, func(t *testing.T) {
			r, err := methods.ION(tt.url)
			if (err != nil) != tt.wantErr || err == nil && fmt.Sprintf("%T", r) != tt.want {
				t.Errorf("got %T %v, want %s (error %v)", r, err, tt.want, tt.wantErr)
			}
		})
	}
}

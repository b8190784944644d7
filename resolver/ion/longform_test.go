package ion_test

import (
	"crypto/rand"
	"net/http"
	"strings"
	"testing"

	"github.com/ionode/ionode/resolver/ion"
	"github.com/ionode/ionode/sidetree"
)

func TestLongFormOnly(t *testing.T) {
	create := func(method string) *sidetree.CreateRequest {
		t.Helper()
		recovery, err := sidetree.GenerateES256K(rand.Reader)
		if err != nil {
			t.Fatal(err)
		}
		req, err := sidetree.NewCreateRequest(method, recovery, recovery.Public(), sidetree.Document{}, sidetree.Mainnet().Latest())
		if err != nil {
			t.Fatal(err)
		}
		return req
	}
	main, test := create("ion"), create("ion:test")
	tests := []struct {
		name, did string
		status    int
	}{
		{"mainnet long-form", main.LongForm, http.StatusOK},
		{"testnet long-form", test.LongForm, http.StatusOK},
		{"short-form", "did:ion:" + main.DIDSuffix, http.StatusNotFound},
		{"testnet long-form read as mainnet", strings.Replace(test.LongForm, "did:ion:test:", "did:ion:", 1), http.StatusOK},
		{"mainnet long-form read as testnet", strings.Replace(main.LongForm, "did:ion:", "did:ion:test:", 1), http.StatusOK},
		{"not did:ion", "did:key:z6Mk", http.StatusBadRequest},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := ion.LongFormOnly{}.Resolve(t.Context(), tt.did)
			if err != nil || res.Status != tt.status {
				t.Fatalf("status %d, err %v; want %d", res.Status, err, tt.status)
			}
			if res.Status == http.StatusOK {
				published, _ := res.Body.Field("didDocumentMetadata").Field("method").Field("published").Boolean()
				id, _ := res.Body.Field("didDocument").Field("id").Str()
				if published || id != tt.did {
					t.Errorf("published %v, id %s", published, id)
				}
			}
		})
	}
}

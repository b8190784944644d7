package pkcs11_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/ionode/ionode/signer/pkcs11"
)

func TestParseURI(t *testing.T) {
	tests := []struct {
		in   string
		want pkcs11.URI
		err  bool
	}{
		{in: "pkcs11:token=ionode;object=writer", want: pkcs11.URI{Token: "ionode", Object: "writer"}},
		{in: "pkcs11:token=My%20HSM;object=did%3Aupdate;id=%01%02?module-path=/usr/lib/softhsm/libsofthsm2.so&pin-source=file:/run/pin",
			want: pkcs11.URI{Token: "My HSM", Object: "did:update", ID: []byte{1, 2}, Module: "/usr/lib/softhsm/libsofthsm2.so", PINSource: "file:/run/pin"}},
		{in: "pkcs11:manufacturer=SoftHSM;token=t;object=o;type=private", want: pkcs11.URI{Token: "t", Object: "o"}},
		{in: "pkcs11:token=t;object=o?pin-value=1234", err: true},
		{in: "pkcs11:token=t;object=o;type=public", err: true},
		{in: "pkcs11:token=t", err: true},
		{in: "pkcs11:object=o", err: true},
		{in: "pkcs11:token=t;token=u;object=o", err: true},
		{in: "pkcs11:token=t;object=o;colour=red", err: true},
		{in: "pkcs11:token=t;object=%zz", err: true},
		{in: "file:/key.jwk", err: true},
		{in: "pkcs11:token=t;object=" + strings.Repeat("a", 5000), err: true},
	}
	for _, tc := range tests {
		got, err := pkcs11.ParseURI(tc.in)
		if tc.err {
			if !errors.Is(err, pkcs11.ErrURI) {
				t.Errorf("ParseURI(%.60q) err = %v, want ErrURI", tc.in, err)
			}
			continue
		}
		if err != nil {
			t.Errorf("ParseURI(%q): %v", tc.in, err)
			continue
		}
		if got.Token != tc.want.Token || got.Object != tc.want.Object || string(got.ID) != string(tc.want.ID) ||
			got.Module != tc.want.Module || got.PINSource != tc.want.PINSource {
			t.Errorf("ParseURI(%q) = %+v, want %+v", tc.in, got, tc.want)
		}
		again, err := pkcs11.ParseURI(got.String())
		if err != nil || again.String() != got.String() {
			t.Errorf("round trip of %q: %q, %v", tc.in, got.String(), err)
		}
	}
}

func FuzzParseURI(f *testing.F) {
	f.Add("pkcs11:token=ionode;object=writer")
	f.Add("pkcs11:token=My%20HSM;object=k;id=%01?module-path=/m.so&pin-source=file:/p")
	f.Fuzz(func(t *testing.T, s string) {
		u, err := pkcs11.ParseURI(s)
		if err != nil {
			return
		}
		again, err := pkcs11.ParseURI(u.String())
		if err != nil {
			t.Fatalf("%q parsed, its String %q does not: %v", s, u.String(), err)
		}
		if again.String() != u.String() {
			t.Fatalf("round trip changed %q to %q", u.String(), again.String())
		}
	})
}

// TestParseURILinear counts allocations for a URI of n and 2n attributes: parsing must stay linear.
func TestParseURILinear(t *testing.T) {
	build := func(n int) string {
		var b strings.Builder
		b.WriteString("pkcs11:token=t;object=")
		b.WriteString(strings.Repeat("%41", n))
		return b.String()
	}
	a := testing.AllocsPerRun(20, func() { _, _ = pkcs11.ParseURI(build(200)) })
	b := testing.AllocsPerRun(20, func() { _, _ = pkcs11.ParseURI(build(400)) })
	if b > 2*a+8 {
		t.Fatalf("allocations %v for n, %v for 2n", a, b)
	}
}

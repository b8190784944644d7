//go:build !cgo

package pkcs11_test

import (
	"context"
	"errors"
	"os"
	"testing"

	"github.com/ionode/ionode/signer/pkcs11"
)

// TestNoCGO: without cgo the backend says so; CI must build with cgo, or the SoftHSM2 tests would not run.
func TestNoCGO(t *testing.T) {
	if os.Getenv("CI") == "true" {
		t.Fatal("CI builds without cgo (CGO_ENABLED=0 or no C compiler): the PKCS#11 tests against SoftHSM2 do not run")
	}
	if _, err := pkcs11.Open(context.Background(), pkcs11.Config{}); !errors.Is(err, pkcs11.ErrNoCGO) {
		t.Fatalf("err = %v, want ErrNoCGO", err)
	}
}

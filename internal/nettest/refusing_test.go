//go:build unix

package nettest

import (
	"errors"
	"net"
	"syscall"
	"testing"
)

// TestRefusingAddr: a connection is refused, not left hanging, and the port cannot be taken while the
// test holds it.
func TestRefusingAddr(t *testing.T) {
	addr := RefusingAddr(t)
	if conn, err := net.Dial("tcp", addr); !errors.Is(err, syscall.ECONNREFUSED) {
		if conn != nil {
			conn.Close()
		}
		t.Fatalf("dial %s: %v, want connection refused", addr, err)
	}
	if l, err := net.Listen("tcp", addr); !errors.Is(err, syscall.EADDRINUSE) {
		if l != nil {
			l.Close()
		}
		t.Fatalf("listen %s: %v, want address in use", addr, err)
	}
}

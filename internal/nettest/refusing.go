//go:build unix

// Package nettest gives tests loopback addresses with the guarantees that a port picked by opening and
// closing a listener lacks: between the close and the use, any other process on the machine (another
// test binary, another run of the suite) may take that port.
package nettest

import (
	"net"
	"strconv"
	"syscall"
	"testing"
)

// RefusingAddr returns a loopback address ("127.0.0.1:port") that refuses every connection until the
// test ends. A socket holds the port bound without listening: the kernel answers a connection with a
// reset, and no other process can bind the port meanwhile.
func RefusingAddr(t testing.TB) string {
	t.Helper()
	fd, err := syscall.Socket(syscall.AF_INET, syscall.SOCK_STREAM, 0)
	if err != nil {
		t.Fatalf("refusing address: socket: %v", err)
	}
	syscall.CloseOnExec(fd) // a child process (btcd, a node) must not keep the port after the test
	t.Cleanup(func() { syscall.Close(fd) })
	if err := syscall.Bind(fd, &syscall.SockaddrInet4{Addr: [4]byte{127, 0, 0, 1}}); err != nil {
		t.Fatalf("refusing address: bind: %v", err)
	}
	sa, err := syscall.Getsockname(fd)
	if err != nil {
		t.Fatalf("refusing address: %v", err)
	}
	in4, ok := sa.(*syscall.SockaddrInet4)
	if !ok {
		t.Fatalf("refusing address: bound to %T", sa)
	}
	return net.JoinHostPort("127.0.0.1", strconv.Itoa(in4.Port))
}

package web

import (
	"errors"
	"net"
	"net/netip"
	"testing"
)

func TestGuard(t *testing.T) {
	tests := []struct {
		name  string
		guard Guard
		ip    string
		ok    bool
	}{
		{"public v4", Guard{}, "93.184.216.34", true},
		{"public v6", Guard{}, "2606:2800:220:1:248:1893:25c8:1946", true},
		{"loopback", Guard{}, "127.0.0.1", false},
		{"loopback range", Guard{}, "127.1.2.3", false},
		{"loopback v6", Guard{}, "::1", false},
		{"loopback allowed", Guard{AllowLoopback: true}, "127.0.0.1", true},
		{"10/8", Guard{}, "10.1.2.3", false},
		{"172.16/12", Guard{}, "172.31.255.255", false},
		{"192.168/16", Guard{}, "192.168.1.1", false},
		{"ULA", Guard{}, "fd12:3456::1", false},
		{"private allowed", Guard{AllowPrivate: true}, "10.1.2.3", true},
		{"CGNAT", Guard{}, "100.64.0.1", false},
		{"link-local", Guard{}, "169.254.1.1", false},
		{"link-local v6", Guard{}, "fe80::1", false},
		{"metadata", Guard{}, "169.254.169.254", false},
		{"metadata despite AllowPrivate", Guard{AllowPrivate: true, AllowLoopback: true}, "169.254.169.254", false},
		{"AWS v6 metadata despite AllowPrivate", Guard{AllowPrivate: true}, "fd00:ec2::254", false},
		{"Alibaba metadata despite AllowPrivate", Guard{AllowPrivate: true}, "100.100.100.200", false},
		{"metadata explicitly allowed", Guard{Allow: []netip.Prefix{netip.MustParsePrefix("169.254.169.254/32")}}, "169.254.169.254", true},
		{"unspecified", Guard{}, "0.0.0.0", false},
		{"unspecified v6", Guard{}, "::", false},
		{"multicast", Guard{}, "224.0.0.1", false},
		{"multicast v6", Guard{}, "ff02::1", false},
		{"broadcast", Guard{}, "255.255.255.255", false},
		{"v4-mapped private", Guard{}, "::ffff:10.0.0.1", false},
		{"v4-mapped loopback", Guard{}, "::ffff:127.0.0.1", false},
		{"NAT64 private", Guard{}, "64:ff9b::a00:1", false},
		{"6to4 metadata", Guard{}, "2002:a9fe:a9fe::1", false},
		{"documentation", Guard{}, "192.0.2.1", false},
		{"allowed prefix", Guard{Allow: []netip.Prefix{netip.MustParsePrefix("10.9.0.0/16")}}, "10.9.1.1", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.guard.Check(netip.MustParseAddr(tt.ip))
			if (err == nil) != tt.ok {
				t.Fatalf("Check(%s) = %v, want ok=%v", tt.ip, err, tt.ok)
			}
			if err != nil && !errors.Is(err, ErrForbiddenAddress) {
				t.Fatalf("error %v does not match ErrForbiddenAddress", err)
			}
		})
	}
}

// TestGuardControlRefusesBeforeConnect dials private addresses through a dialer with the Guard's
// Control hook: the hook runs before connect(2), so no packet leaves the machine.
func TestGuardControlRefusesBeforeConnect(t *testing.T) {
	g := Guard{}
	d := net.Dialer{Control: g.Control}
	for _, addr := range []string{"10.255.255.1:443", "169.254.169.254:80", "127.0.0.1:1", "[::1]:1"} {
		conn, err := d.Dial("tcp", addr)
		if err == nil {
			conn.Close()
			t.Fatalf("dial %s succeeded", addr)
		}
		if !errors.Is(err, ErrForbiddenAddress) {
			t.Fatalf("dial %s: %v, want ErrForbiddenAddress", addr, err)
		}
	}
}

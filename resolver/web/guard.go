package web

import (
	"errors"
	"fmt"
	"net"
	"net/netip"
	"syscall"
)

// ErrForbiddenAddress is returned when a connection would go to an address the Guard refuses.
var ErrForbiddenAddress = errors.New("address not allowed")

// Guard decides which IP addresses outgoing connections may reach. Its zero value allows only public
// unicast addresses: loopback, private (RFC 1918, ULA), link-local, CGNAT, multicast, unspecified,
// reserved and documentation ranges, and the cloud metadata addresses are refused.
//
// The check runs on the address being connected to, in the dialer's Control hook, after name
// resolution: a name that resolves (or re-resolves, DNS rebinding) to a refused address cannot pass.
type Guard struct {
	// AllowLoopback admits 127.0.0.0/8 and ::1. For tests and local development only.
	AllowLoopback bool
	// AllowPrivate admits RFC 1918, ULA (fc00::/7) and CGNAT addresses, for deployments whose issuers
	// live on an internal network. Metadata addresses stay refused.
	AllowPrivate bool
	// Allow admits these prefixes whatever else is refused (checked first).
	Allow []netip.Prefix
}

var (
	loopback = []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8"), netip.MustParsePrefix("::1/128")}
	private  = []netip.Prefix{
		netip.MustParsePrefix("10.0.0.0/8"), netip.MustParsePrefix("172.16.0.0/12"),
		netip.MustParsePrefix("192.168.0.0/16"), netip.MustParsePrefix("100.64.0.0/10"), // CGNAT
		netip.MustParsePrefix("fc00::/7"),
	}
	// metadata addresses of cloud providers: AWS/GCP/Azure/OpenStack, AWS IPv6, Alibaba, Oracle.
	metadata = []netip.Prefix{
		netip.MustParsePrefix("169.254.169.254/32"), netip.MustParsePrefix("fd00:ec2::254/128"),
		netip.MustParsePrefix("100.100.100.200/32"), netip.MustParsePrefix("192.0.0.192/32"),
	}
	// never reachable as a public server: special-purpose registries (RFC 6890 and successors).
	special = []netip.Prefix{
		netip.MustParsePrefix("0.0.0.0/8"), netip.MustParsePrefix("169.254.0.0/16"),
		netip.MustParsePrefix("192.0.0.0/24"), netip.MustParsePrefix("192.0.2.0/24"),
		netip.MustParsePrefix("198.18.0.0/15"), netip.MustParsePrefix("198.51.100.0/24"),
		netip.MustParsePrefix("203.0.113.0/24"), netip.MustParsePrefix("224.0.0.0/4"),
		netip.MustParsePrefix("240.0.0.0/4"), // includes 255.255.255.255
		netip.MustParsePrefix("::/128"), netip.MustParsePrefix("fe80::/10"), netip.MustParsePrefix("ff00::/8"),
		netip.MustParsePrefix("100::/64"), netip.MustParsePrefix("2001:db8::/32"),
	}
	// IPv6 prefixes that embed an IPv4 address in their low 32 bits (NAT64) or bits 16..48 (6to4).
	nat64     = netip.MustParsePrefix("64:ff9b::/96")
	nat64l    = netip.MustParsePrefix("64:ff9b:1::/48")
	sixToFour = netip.MustParsePrefix("2002::/16")
)

func inAny(ip netip.Addr, prefixes []netip.Prefix) bool {
	for _, p := range prefixes {
		if p.Contains(ip) {
			return true
		}
	}
	return false
}

// Check returns nil if ip may be connected to, else an error wrapping ErrForbiddenAddress.
func (g *Guard) Check(ip netip.Addr) error {
	ip = ip.Unmap().WithZone("")
	if inAny(ip, g.Allow) {
		return nil
	}
	if !ip.IsValid() {
		return fmt.Errorf("%w: invalid address", ErrForbiddenAddress)
	}
	// An IPv6 address that carries an IPv4 one is judged by the IPv4 address as well.
	if ip.Is6() {
		b := ip.As16()
		var embedded netip.Addr
		switch {
		case nat64.Contains(ip), nat64l.Contains(ip):
			embedded = netip.AddrFrom4([4]byte(b[12:16]))
		case sixToFour.Contains(ip):
			embedded = netip.AddrFrom4([4]byte(b[2:6]))
		}
		if embedded.IsValid() {
			if err := g.Check(embedded); err != nil {
				return fmt.Errorf("%s embeds %s: %w", ip, embedded, err)
			}
		}
	}
	switch {
	case inAny(ip, metadata):
		return fmt.Errorf("%w: %s is a cloud metadata address", ErrForbiddenAddress, ip)
	case inAny(ip, loopback):
		if g.AllowLoopback {
			return nil
		}
		return fmt.Errorf("%w: %s is a loopback address", ErrForbiddenAddress, ip)
	case inAny(ip, private):
		if g.AllowPrivate {
			return nil
		}
		return fmt.Errorf("%w: %s is a private address", ErrForbiddenAddress, ip)
	case inAny(ip, special):
		return fmt.Errorf("%w: %s is a special-purpose address", ErrForbiddenAddress, ip)
	}
	return nil
}

// Control is a net.Dialer Control hook: it refuses the connection before connect(2) when the address is
// not allowed.
func (g *Guard) Control(_, address string, _ syscall.RawConn) error {
	host, _, err := net.SplitHostPort(address)
	if err != nil {
		return fmt.Errorf("%w: %v", ErrForbiddenAddress, err)
	}
	ip, err := netip.ParseAddr(host)
	if err != nil {
		return fmt.Errorf("%w: %q is not an IP address", ErrForbiddenAddress, host)
	}
	return g.Check(ip)
}

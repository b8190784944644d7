package daemon

import (
	"testing"

	"github.com/ionode/ionode/cas"
)

// The embedded IPFS node joins the public DHT on the public networks unless told otherwise, and a
// private one on regtest only when asked.
func TestIPFSDHT(t *testing.T) {
	for _, tc := range []struct {
		network, flag string
		want          cas.DHTMode
		public        bool
	}{
		{"mainnet", "", cas.DHTAuto, true},
		{"testnet", "", cas.DHTAuto, true},
		{"mainnet", "client", cas.DHTClient, true},
		{"testnet", "off", cas.DHTOff, true},
		{"regtest", "", cas.DHTOff, false},
		{"regtest", "server", cas.DHTServer, false},
	} {
		c := DefaultConfig()
		c.Network, c.IPFSDHT = tc.network, tc.flag
		if mode, public := c.ipfsDHT(); mode != tc.want || public != tc.public {
			t.Errorf("%s --ipfs-dht %q: %q public %v, want %q public %v", tc.network, tc.flag, mode, public, tc.want, tc.public)
		}
	}
}

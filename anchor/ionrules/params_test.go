package ionrules

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
)

// TestNetworksMatchIONConfig checks the networks against ION's config files (decentralized-identity/ion
// config/<network>-bitcoin-versioning.json and the genesisBlockNumber of <network>-bitcoin-config.json,
// copied into testdata/ionconfig).
func TestNetworksMatchIONConfig(t *testing.T) {
	type version struct {
		StartingBlockchainTime int64 `json:"startingBlockchainTime"`
		ProtocolParameters     struct {
			FeeLookBackWindowInBlocks           int64   `json:"feeLookBackWindowInBlocks"`
			FeeMaxFluctuationMultiplierPerBlock float64 `json:"feeMaxFluctuationMultiplierPerBlock"`
			InitialNormalizedFeeInSatoshis      float64 `json:"initialNormalizedFeeInSatoshis"`
			ValueTimeLockDurationInBlocks       int64   `json:"valueTimeLockDurationInBlocks"`
		} `json:"protocolParameters"`
	}
	tests := []struct {
		name string
		net  BitcoinNetwork
		// ourGenesis: regtest reads a fresh private chain from block 0; ION's regtest config starts at 100.
		ourGenesis int64
	}{
		{"mainnet", BitcoinMainnet(), -1},
		{"testnet", BitcoinTestnet(), -1},
		{"regtest", BitcoinRegtest(), 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var versions []version
			readJSON(t, filepath.Join("testdata", "ionconfig", tc.name+"-bitcoin-versioning.json"), &versions)
			var cfg struct {
				GenesisBlockNumber int64 `json:"genesisBlockNumber"`
			}
			readJSON(t, filepath.Join("testdata", "ionconfig", tc.name+"-bitcoin-genesis.json"), &cfg)
			net := tc.net
			if tc.ourGenesis >= 0 {
				if net.Genesis != tc.ourGenesis {
					t.Errorf("genesis %d, want %d", net.Genesis, tc.ourGenesis)
				}
				net = net.WithGenesis(cfg.GenesisBlockNumber)
				net.Versions[0].StartingBlockchainTime = cfg.GenesisBlockNumber
			}
			if net.Genesis != cfg.GenesisBlockNumber {
				t.Errorf("genesis %d, ION %d", net.Genesis, cfg.GenesisBlockNumber)
			}
			if len(net.Versions) != len(versions) {
				t.Fatalf("%d versions, ION %d", len(net.Versions), len(versions))
			}
			for i, v := range versions {
				want := BitcoinVersion{v.StartingBlockchainTime, BitcoinParameters(v.ProtocolParameters)}
				if net.Versions[i] != want {
					t.Errorf("version %d: %+v, ION %+v", i, net.Versions[i], want)
				}
			}
		})
	}
}

func TestWithGenesis(t *testing.T) {
	n := BitcoinTestnet().WithGenesis(5)
	if n.Genesis != 5 || n.Versions[0].StartingBlockchainTime != 5 || BitcoinTestnet().Versions[0].StartingBlockchainTime != 1_900_000 {
		t.Errorf("WithGenesis(5): %+v (original changed: %v)", n, BitcoinTestnet().Versions[0])
	}
	if later := BitcoinMainnet().WithGenesis(700_000); later.Versions[0].StartingBlockchainTime != 667_000 {
		t.Errorf("a later genesis moved the version start: %+v", later)
	}
	if d := BitcoinMainnet().MaxLockDuration(); d != 4500 {
		t.Errorf("mainnet lock duration %d", d)
	}
}

func readJSON(t *testing.T, path string, v any) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, v); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
}

package ionrules

import (
	"fmt"

	"github.com/ionode/ionode/sidetree"
)

// BitcoinParameters are the bitcoin-service protocol parameters of one version (the "protocolParameters"
// of the ion repository's config/*-bitcoin-versioning.json).
type BitcoinParameters struct {
	// FeeLookBackWindowInBlocks is how many preceding blocks the normalized fee averages over, and how
	// many blocks after genesis use the initial fee.
	FeeLookBackWindowInBlocks int64
	// FeeMaxFluctuationMultiplierPerBlock bounds the change of the normalized fee from one block to the next.
	FeeMaxFluctuationMultiplierPerBlock float64
	// InitialNormalizedFeeInSatoshis is the normalized fee of the first FeeLookBackWindowInBlocks blocks.
	InitialNormalizedFeeInSatoshis float64
	// ValueTimeLockDurationInBlocks is the only relative lock duration a value time lock may have.
	ValueTimeLockDurationInBlocks int64
}

// BitcoinVersion is where a set of bitcoin parameters takes effect.
type BitcoinVersion struct {
	StartingBlockchainTime int64 // block height
	Parameters             BitcoinParameters
}

// BitcoinNetwork is the bitcoin side of an ION network: the genesis block (the bitcoin config's
// genesisBlockNumber) and the versions in order of starting height.
type BitcoinNetwork struct {
	Name     string
	Genesis  int64
	Versions []BitcoinVersion
}

// BitcoinMainnet returns ION mainnet's values (config/mainnet-bitcoin-config.json and
// mainnet-bitcoin-versioning.json).
func BitcoinMainnet() BitcoinNetwork {
	return BitcoinNetwork{Name: "mainnet", Genesis: 667_000, Versions: []BitcoinVersion{{667_000, BitcoinParameters{
		FeeLookBackWindowInBlocks:           100,
		FeeMaxFluctuationMultiplierPerBlock: 0.00001,
		InitialNormalizedFeeInSatoshis:      1000,
		ValueTimeLockDurationInBlocks:       4500,
	}}}}
}

// BitcoinTestnet returns ION testnet's values (config/testnet-bitcoin-*.json).
func BitcoinTestnet() BitcoinNetwork {
	return BitcoinNetwork{Name: "testnet", Genesis: 1_900_000, Versions: []BitcoinVersion{{1_900_000, testnetParameters}}}
}

// BitcoinRegtest returns the parameters of ION's regtest config with the genesis of our regtest network
// (sidetree.Regtest: a fresh private chain is read from block 0; ION's regtest config starts at 100).
func BitcoinRegtest() BitcoinNetwork {
	g := int64(sidetree.Regtest().Genesis)
	return BitcoinNetwork{Name: "regtest", Genesis: g, Versions: []BitcoinVersion{{g, testnetParameters}}}
}

// testnetParameters are shared by ION's testnet and regtest configs.
var testnetParameters = BitcoinParameters{
	FeeLookBackWindowInBlocks:           1000,
	FeeMaxFluctuationMultiplierPerBlock: 0.00001,
	InitialNormalizedFeeInSatoshis:      400,
	ValueTimeLockDurationInBlocks:       150,
}

// BitcoinNetworkByName returns "mainnet", "testnet" or "regtest".
func BitcoinNetworkByName(name string) (BitcoinNetwork, error) {
	switch name {
	case "mainnet":
		return BitcoinMainnet(), nil
	case "testnet":
		return BitcoinTestnet(), nil
	case "regtest":
		return BitcoinRegtest(), nil
	}
	return BitcoinNetwork{}, fmt.Errorf("ionrules: unknown network %q (want mainnet, testnet or regtest)", name)
}

// ParametersAt returns the parameters in force at a height (VersionManager.getVersionString): the last
// version starting at or below it. Before the first version there are none, and the reference throws.
func (n BitcoinNetwork) ParametersAt(height int64) (BitcoinParameters, error) {
	for i := len(n.Versions) - 1; i >= 0; i-- {
		if height >= n.Versions[i].StartingBlockchainTime {
			return n.Versions[i].Parameters, nil
		}
	}
	return BitcoinParameters{}, sidetree.Errorf(CodeVersionManagerVersionStringNotFound,
		"unable to find version string for block %d", height)
}

// WithGenesis returns the network read from another genesis height (a private regtest chain, a node
// started later for testing): the genesis moves, and so does the first version's start when it was
// later, since the reference's version lookup fails below the first version.
func (n BitcoinNetwork) WithGenesis(height int64) BitcoinNetwork {
	n.Versions = append([]BitcoinVersion(nil), n.Versions...)
	n.Genesis = height
	if len(n.Versions) > 0 && n.Versions[0].StartingBlockchainTime > height {
		n.Versions[0].StartingBlockchainTime = height
	}
	return n
}

// MaxLockDuration is the longest valueTimeLockDurationInBlocks of any version: how far back a lock that
// still counts may have started.
func (n BitcoinNetwork) MaxLockDuration() int64 {
	var d int64
	for _, v := range n.Versions {
		d = max(d, v.Parameters.ValueTimeLockDurationInBlocks)
	}
	return d
}

package sidetree

import "fmt"

// Parameters are the protocol parameters of one protocol version (the reference's protocol-parameters.json).
type Parameters struct {
	Version                                   string
	HashAlgorithmInMultihashCode              uint64
	MaxCasURILength                           int
	MaxCoreIndexFileSizeInBytes               int
	MaxProvisionalIndexFileSizeInBytes        int
	MaxProofFileSizeInBytes                   int
	MaxChunkFileSizeInBytes                   int
	MaxNumberOfOperationsPerTransactionTime   int
	MaxNumberOfTransactionsPerTransactionTime int
	MaxOperationsPerBatch                     int
	MaxDeltaSizeInBytes                       int
	MaxNumberOfOperationsForNoValueTimeLock   int
	MaxWriterLockIDInBytes                    int
	NormalizedFeeToPerOperationFeeMultiplier  float64
	ValueTimeLockAmountMultiplier             int
}

// Version1 is ION protocol version 1.0, the only version mainnet, testnet and regtest have run.
var version1 = Parameters{
	Version:                                   "1.0",
	HashAlgorithmInMultihashCode:              SHA256Code,
	MaxCasURILength:                           100,
	MaxCoreIndexFileSizeInBytes:               1_000_000,
	MaxProvisionalIndexFileSizeInBytes:        1_000_000,
	MaxProofFileSizeInBytes:                   2_500_000,
	MaxChunkFileSizeInBytes:                   10_000_000,
	MaxNumberOfOperationsPerTransactionTime:   600_000,
	MaxNumberOfTransactionsPerTransactionTime: 300,
	MaxOperationsPerBatch:                     10_000,
	MaxDeltaSizeInBytes:                       1_000,
	MaxNumberOfOperationsForNoValueTimeLock:   100,
	MaxWriterLockIDInBytes:                    200,
	NormalizedFeeToPerOperationFeeMultiplier:  0.001,
	ValueTimeLockAmountMultiplier:             60_000,
}

// VersionStart is where a protocol version takes effect.
type VersionStart struct {
	StartingBlockchainTime uint64 // block height
	Parameters             Parameters
}

// Network is the set of protocol versions a network runs, in order of starting height
// (the ion repository's config/*-core-versioning.json).
type Network struct {
	Name     string // "mainnet", "testnet", "regtest"
	Method   string // the DID method name: "ion" or "ion:test"
	Genesis  uint64 // first block height the node reads
	Versions []VersionStart
}

// Mainnet, Testnet and Regtest return ION's network settings.
func Mainnet() Network {
	return Network{Name: "mainnet", Method: "ion", Genesis: 667_000, Versions: []VersionStart{{667_000, version1}}}
}

// Testnet returns ION's Bitcoin testnet settings.
func Testnet() Network {
	return Network{Name: "testnet", Method: "ion:test", Genesis: 1_900_000, Versions: []VersionStart{{1_900_000, version1}}}
}

// Regtest returns the settings for a private regtest chain. ION's regtest config names DIDs did:ion (as
// mainnet) and starts at block 100; a fresh private chain has anchors from the start, so we read from 0.
func Regtest() Network {
	return Network{Name: "regtest", Method: "ion", Genesis: 0, Versions: []VersionStart{{0, version1}}}
}

// NetworkByName returns the settings of a named network.
func NetworkByName(name string) (Network, error) {
	switch name {
	case "mainnet":
		return Mainnet(), nil
	case "testnet":
		return Testnet(), nil
	case "regtest":
		return Regtest(), nil
	}
	return Network{}, fmt.Errorf("unknown network %q (want mainnet, testnet or regtest)", name)
}

// ParametersAt returns the protocol parameters in force at a block height. Heights before the first
// version use the first version, as the reference's version manager does for resolution of long-form DIDs.
func (n Network) ParametersAt(height uint64) Parameters {
	p := n.Versions[0].Parameters
	for _, v := range n.Versions {
		if height >= v.StartingBlockchainTime {
			p = v.Parameters
		}
	}
	return p
}

// Latest returns the newest protocol parameters.
func (n Network) Latest() Parameters { return n.Versions[len(n.Versions)-1].Parameters }

// Package testnet runs a private Bitcoin regression-test network: a real btcd process in regtest mode,
// started as a child process with its own data directory, RPC credentials and loopback ports, plus a
// harness key that receives the coinbase of the blocks it mines and funds other addresses from them
// (btcd has no wallet, so the harness signs its own transactions with txscript).
//
// It is the model of btcd's integration/rpctest harness, made for two users: the integration tests of
// the anchor package (and of the node), and `ionode testnet`, which gives a user a local chain to anchor
// on. The btcd binary is the one pinned by the `tool` directive in go.mod (`go tool btcd`), built once
// and cached by the Go build cache; see [BtcdPath] for how it is found outside the module.
//
// A Node is started with [Start] and must be stopped with [Node.Stop], which shuts btcd down cleanly
// (stop RPC, then a signal, then a kill after a timeout) and removes a temporary data directory. On
// Linux the child is also killed if the parent process dies, so a crashed test leaves no btcd behind.
package testnet

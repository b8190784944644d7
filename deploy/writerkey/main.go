// Command writerkey prints the Bitcoin address of an ION writer key, creating the key first when the file
// does not exist. The compose deployment's btcd image runs it so that regtest blocks are mined to the
// writer's address (btcd has no wallet to send coins with): ionode then finds its funds in the chain.
//
//	writerkey -network regtest -key /keys/writer.key
package main

import (
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"

	"github.com/btcsuite/btcd/chaincfg/v2"

	"github.com/ionode/ionode/anchor"
)

func main() {
	network := flag.String("network", "regtest", "regtest, testnet or mainnet")
	path := flag.String("key", "writer.key", "writer key file (WIF or hex); created with mode 0600 when missing")
	flag.Parse()
	addr, err := writerAddress(*network, *path)
	if err != nil {
		fmt.Fprintln(os.Stderr, "writerkey:", err)
		os.Exit(1)
	}
	fmt.Println(addr)
}

func writerAddress(network, path string) (string, error) {
	params, err := chainParams(network)
	if err != nil {
		return "", err
	}
	key, err := anchor.LoadKey(path, params)
	if errors.Is(err, fs.ErrNotExist) {
		if key, err = anchor.GenerateKey(params); err != nil {
			return "", err
		}
		wif, err := key.WIF()
		if err != nil {
			return "", err
		}
		// O_EXCL: never overwrite a key another process wrote meanwhile.
		f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
		if err != nil {
			return "", err
		}
		if _, err := fmt.Fprintln(f, wif); err != nil {
			f.Close()
			return "", err
		}
		if err := f.Close(); err != nil {
			return "", err
		}
	} else if err != nil {
		return "", err
	}
	return key.Address(), nil
}

func chainParams(network string) (*chaincfg.Params, error) {
	switch network {
	case "regtest":
		return &chaincfg.RegressionNetParams, nil
	case "testnet":
		return &chaincfg.TestNet3Params, nil
	case "mainnet":
		return &chaincfg.MainNetParams, nil
	}
	return nil, fmt.Errorf("unknown network %q (regtest, testnet or mainnet)", network)
}

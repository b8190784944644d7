package testnet

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/ionode/ionode/internal/atomicfile"
)

// rpcConfigName is btcd's config file in a testnet data directory; it holds the RPC credentials.
const rpcConfigName = "btcd.conf"

// writeRPCConfig writes btcd's config file (mode 0600) with the RPC user and password, and returns its
// path.
func writeRPCConfig(dataDir, user, pass string) (string, error) {
	if strings.ContainsAny(user+pass, "\r\n") {
		return "", fmt.Errorf("testnet: RPC credentials must be one line each")
	}
	if err := os.MkdirAll(dataDir, 0o700); err != nil {
		return "", fmt.Errorf("testnet: data directory: %w", err)
	}
	path := filepath.Join(dataDir, rpcConfigName)
	conf := "[Application Options]\nrpcuser=" + user + "\nrpcpass=" + pass + "\n"
	if err := atomicfile.Write(path, []byte(conf), 0o600); err != nil {
		return "", fmt.Errorf("testnet: btcd config: %w", err)
	}
	return path, nil
}

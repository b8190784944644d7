package testnet

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/debug"
	"strings"
	"sync"
)

// btcdModule is the Go module (and main package) of btcd.
const btcdModule = "github.com/btcsuite/btcd"

// EnvBtcd names an environment variable that, when set, is the path of the btcd binary to run.
const EnvBtcd = "IONODE_BTCD"

var btcdPathCache struct {
	sync.Mutex
	path string
}

// BtcdPath returns the path of a btcd binary, building it once if needed. In order:
//  1. $IONODE_BTCD;
//  2. `go tool -n btcd` in the current module (the version pinned by go.mod's tool directive; the Go
//     build cache keeps the binary, so only the first call on a clean machine compiles it);
//  3. `go install github.com/btcsuite/btcd@<version this binary was built with>` into the user cache
//     directory (for an installed ionode run outside the module);
//  4. btcd on PATH.
//
// The result is remembered for the life of the process.
func BtcdPath(ctx context.Context) (string, error) {
	btcdPathCache.Lock()
	defer btcdPathCache.Unlock()
	if btcdPathCache.path != "" {
		return btcdPathCache.path, nil
	}
	p, err := findBtcd(ctx)
	if err != nil {
		return "", err
	}
	btcdPathCache.path = p
	return p, nil
}

func findBtcd(ctx context.Context) (string, error) {
	if p := os.Getenv(EnvBtcd); p != "" {
		return p, nil
	}
	var errs []error
	if p, err := goToolPath(ctx); err == nil {
		return p, nil
	} else {
		errs = append(errs, err)
	}
	if p, err := installBtcd(ctx); err == nil {
		return p, nil
	} else {
		errs = append(errs, err)
	}
	if p, err := exec.LookPath("btcd"); err == nil {
		return p, nil
	} else {
		errs = append(errs, err)
	}
	return "", fmt.Errorf("testnet: no btcd binary (set %s): %w", EnvBtcd, errors.Join(errs...))
}

func goToolPath(ctx context.Context) (string, error) {
	cmd := exec.CommandContext(ctx, "go", "tool", "-n", "btcd")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("go tool -n btcd: %w: %s", err, strings.TrimSpace(stderr.String()))
	}
	p := strings.TrimSpace(string(out))
	if _, err := os.Stat(p); err != nil {
		return "", fmt.Errorf("go tool -n btcd: %w", err)
	}
	return p, nil
}

// btcdVersion is the btcd module version linked into this binary: the one go.mod pins.
func btcdVersion() (string, bool) {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "", false
	}
	for _, d := range info.Deps {
		if d.Path == btcdModule && d.Version != "" && d.Version != "(devel)" {
			return d.Version, true
		}
	}
	return "", false
}

func installBtcd(ctx context.Context) (string, error) {
	version, ok := btcdVersion()
	if !ok {
		return "", errors.New("btcd version unknown in build info")
	}
	cache, err := os.UserCacheDir()
	if err != nil {
		return "", err
	}
	dir := filepath.Join(cache, "ionode", "btcd-"+version)
	bin := filepath.Join(dir, "btcd")
	if _, err := os.Stat(bin); err == nil {
		return bin, nil
	}
	cmd := exec.CommandContext(ctx, "go", "install", btcdModule+"@"+version)
	cmd.Env = append(os.Environ(), "GOBIN="+dir)
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("go install btcd@%s: %w: %s", version, err, strings.TrimSpace(string(out)))
	}
	return bin, nil
}

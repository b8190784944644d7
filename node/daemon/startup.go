package daemon

import (
	"fmt"
	"log/slog"
	"os"

	"golang.org/x/time/rate"
)

// warnUnsafe says loudly, at startup, when a node that pays real bitcoin leaves its write path open or
// its spending uncapped: both are allowed (a private node behind a firewall), but never silently. The
// same goes for an unlimited /ipfs/ gateway on a public network, which anyone can keep busy.
func (c Config) warnUnsafe(log *slog.Logger) {
	if c.Network != "regtest" && c.IPFS == "embedded" && c.GatewayRatePerIP <= 0 {
		log.Warn("UNSAFE: the /ipfs/ gateway answers any client without a rate limit; set --ipfs-gateway-rate", "network", c.Network)
	}
	if c.Network == "regtest" || c.ReadOnly || !c.hasWriterKey() {
		return
	}
	if len(c.WriteTokenHashes) == 0 {
		log.Warn("UNSAFE: anyone who reaches this node can post operations, and each batch is paid in real bitcoin; set --write-token-hash",
			"network", c.Network, "listen", c.Listen)
	}
	if c.FeeBudgetPerDay == 0 {
		log.Warn("UNSAFE: the writer's fees are not capped per day; set --fee-budget", "network", c.Network)
	}
}

// ownerOnlyDir creates dir with mode 0700, or tightens an existing one that group or others may
// access (saying so in the log); it fails when it cannot, rather than keep the node's data readable.
func ownerOnlyDir(dir string, log *slog.Logger) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("data directory: %w", err)
	}
	info, err := os.Stat(dir)
	if err != nil {
		return fmt.Errorf("data directory: %w", err)
	}
	perm := info.Mode().Perm()
	if perm&0o077 == 0 {
		return nil
	}
	if err := os.Chmod(dir, perm&^0o077); err != nil {
		return fmt.Errorf("data directory %s is accessible to group or others (mode %v) and could not be restricted to its owner: %w; run chmod 700 %s", dir, perm, err, dir)
	}
	log.Warn("data directory was accessible to group or others: restricted to its owner", "dir", dir, "was", perm, "now", perm&^0o077)
	return nil
}

// gatewayRate is node.Routes' per-client limit of /ipfs/ for --ipfs-gateway-rate: 0 there means
// unlimited, which Routes spells as a negative rate (its 0 is "the default").
func (c Config) gatewayRate() (rate.Limit, int) {
	if c.GatewayRatePerIP <= 0 {
		return -1, 0
	}
	return rate.Limit(c.GatewayRatePerIP), max(1, int(2*c.GatewayRatePerIP))
}

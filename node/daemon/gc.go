package daemon

import "github.com/ionode/ionode/internal/gcfloor"

// The node's collector settings (--gc-percent, --gc-heap-floor-mb) and why: internal/gcfloor, which
// holds them so that bench/compare's workers can run as the node does without linking the daemon.
const (
	DefaultGCPercent     = gcfloor.DefaultPercent
	DefaultGCHeapFloorMB = gcfloor.DefaultFloorMB
)

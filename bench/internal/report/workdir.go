package report

import (
	"log/slog"
	"os"
)

// WorkDir returns dir, or a new temporary directory named after the command when dir is empty; cleanup
// removes only a directory WorkDir created.
func WorkDir(dir, command string) (work string, cleanup func(), err error) {
	if dir != "" {
		return dir, func() {}, nil
	}
	tmp, err := os.MkdirTemp("", "ionode-bench-"+command+"-")
	if err != nil {
		return "", nil, err
	}
	return tmp, func() { os.RemoveAll(tmp) }, nil
}

// Logger logs to stderr: warnings only, or from info on when verbose (the node's own logs, for a run
// being looked into).
func Logger(verbose bool) *slog.Logger {
	level := slog.LevelWarn
	if verbose {
		level = slog.LevelInfo
	}
	return slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level}))
}

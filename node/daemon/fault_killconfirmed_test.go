package daemon

import (
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/ionode/ionode/testnet"
)

// TestFaultKillConfirmedUnobserved kills the node at the moments of the batch cycle where its batch
// files exist nowhere but in its blockstore, and restarts it; the chain is polled only when the node
// starts, so each kill lands where it is aimed every time. The node must still find its own files,
// observe the batch and publish the DID.
//
//   - anchored, mined while the node is down: on restart the watcher reads the block at once, while the
//     writer rebuilds the batch still in flight (and puts its files again).
//   - confirmed, not yet observed: the writer has completed the batch (it left the queue), so nothing
//     would write the files again.
//
// Before batch files were synced to disk when put, the embedded IPFS node's datastore held these few
// hundred bytes in memory (Pebble writes its log out 32 KiB at a time): the second kill lost them, the
// transaction became unresolvable for every node, and the DID was never published. That is how
// TestFaultKill's random kills timed out, rarely.
func TestFaultKillConfirmedUnobserved(t *testing.T) {
	if testing.Short() {
		t.Skip("starts btcd and a node process")
	}
	for _, tc := range []struct {
		name string
		// confirmed: kill once the writer has seen the batch confirmed, else once it has anchored it
		confirmed bool
	}{
		{"anchored, mined while the node is down", false},
		{"confirmed, not yet observed", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
			defer cancel()
			btc := startBitcoin(t, ctx, testnet.Config{})
			node, cfg := writerChild(t, ctx, btc)
			cfg.PollInterval = time.Hour // the watcher polls once, as the node starts
			node.configure(cfg)
			node.start()
			defer node.stop()

			create, _, _ := newCreate(t)
			did := "did:ion:" + create.DIDSuffix
			if status, body := (client{t, node.base}).post(create.Body.Stringify()); status != 200 {
				t.Fatalf("create: %d %s", status, body)
			}
			waitLogged(t, ctx, node, `msg="batch anchored"`)
			if tc.confirmed {
				if _, err := btc.Generate(ctx, 1); err != nil {
					t.Fatal(err)
				}
				waitLogged(t, ctx, node, `msg="batch confirmed"`)
			}
			if published(client{t, node.base}, did) {
				t.Fatal("the node observed a block it does not poll for")
			}
			node.kill()
			if !tc.confirmed {
				if _, err := btc.Generate(ctx, 1); err != nil {
					t.Fatal(err)
				}
			}

			cfg.PollInterval = 200 * time.Millisecond
			node.configure(cfg)
			node.start()
			// The files are in the node's blockstore or nowhere: a lost file would be given up on after
			// the fetch timeout (10 s) and retried a minute later, in vain.
			waitPublished(t, ctx, btc, node, cfg.DataDir, []string{did}, 90*time.Second)
			checkFilesServed(t, ctx, btc, node)
			node.kill()
		})
	}
}

// waitLogged waits until the node's log has a line containing want. The deadline only stops a hang.
func waitLogged(t *testing.T, ctx context.Context, node *child, want string) {
	t.Helper()
	deadline := time.Now().Add(time.Minute)
	for {
		if raw, err := os.ReadFile(node.logPath()); err == nil && strings.Contains(string(raw), want) {
			return
		}
		if node.ended() {
			t.Fatalf("the node exited waiting for %s in its log: %v", want, node.waitErr)
		}
		if time.Now().After(deadline) || ctx.Err() != nil {
			t.Fatalf("the node's log has no %s; its end:\n%s", want, logTail(node.logPath(), childLogLines))
		}
		time.Sleep(50 * time.Millisecond)
	}
}

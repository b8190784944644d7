package daemon

import (
	"context"
	"time"

	"github.com/ionode/ionode/anchor"
	"github.com/ionode/ionode/node/store"
	"github.com/ionode/ionode/node/writer"
)

// walletSpends reads the fees the wallet paid from its pending-transaction records, which survive a
// restart: a replaced transaction (fee-bumped) counts through its replacement, a failed one paid nothing.
type walletSpends struct{ s store.Store }

func (w walletSpends) Spends(ctx context.Context, since time.Time) ([]writer.Spend, error) {
	pending, err := w.s.PendingTxs(ctx)
	if err != nil {
		return nil, err
	}
	var out []writer.Spend
	for _, p := range pending {
		if p.Status == anchor.StatusReplaced || p.Status == anchor.StatusFailed || p.Fee <= 0 || p.Created.Before(since) {
			continue
		}
		out = append(out, writer.Spend{TxID: p.TxID, At: p.Created, Fee: uint64(p.Fee)})
	}
	return out, nil
}

// feeBudget is the writer's daily fee cap; nil without one.
func (d *Daemon) feeBudget() *writer.FeeBudget {
	if d.cfg.FeeBudgetPerDay == 0 {
		return nil
	}
	return &writer.FeeBudget{PerDay: d.cfg.FeeBudgetPerDay, Log: walletSpends{d.Store}}
}

// The command loop of the interop wallets (internal/nodetest/commands.mjs): runs each command through
// ops[cmd.op] in order. A command that throws answers {"ok":false, "stage":…, "error":…}. Every wallet
// also knows
//   {"op":"advance", "by":"1s"}  moves the node's clock (a test-only route of the Go test's server).
import { serve } from '../../../internal/nodetest/commands.mjs'

async function advance(cmd) {
  const res = await fetch(process.env.IONODE_TEST_URL + '/advance?by=' + encodeURIComponent(cmd.by), { method: 'POST' })
  if (!res.ok) throw new Error('advance: ' + res.status)
  return { ok: true }
}

export async function drive(ops) {
  const all = { advance, ...ops }
  await serve((cmd) => {
    if (!all[cmd.op]) throw new Error('unknown op ' + cmd.op)
    return all[cmd.op](cmd)
  })
}

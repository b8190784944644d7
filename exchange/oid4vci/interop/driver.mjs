// The command loop of the interop wallets: reads a JSON array of commands on stdin, runs each through
// ops[cmd.op] in order, and writes a JSON array of results. A command that throws answers
// {"ok":false, "stage":…, "error":…}. Every wallet also knows
//   {"op":"advance", "by":"1s"}  moves the node's clock (a test-only route of the Go test's server).
async function advance(cmd) {
  const res = await fetch(process.env.IONODE_TEST_URL + '/advance?by=' + encodeURIComponent(cmd.by), { method: 'POST' })
  if (!res.ok) throw new Error('advance: ' + res.status)
  return { ok: true }
}

export async function drive(ops) {
  const all = { advance, ...ops }
  let input = ''
  for await (const chunk of process.stdin) input += chunk
  const out = []
  for (const cmd of JSON.parse(input)) {
    try {
      if (!all[cmd.op]) throw new Error('unknown op ' + cmd.op)
      out.push(await all[cmd.op](cmd))
    } catch (e) {
      out.push({ ok: false, stage: e.stage || 'run', error: String(e && e.message ? e.message : e) })
    }
  }
  process.stdout.write(JSON.stringify(out))
}

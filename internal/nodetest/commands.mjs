// The command loop of the Node.js cross-checks that nodetest.RunJSON drives: reads a JSON array of
// commands on stdin, answers each with `await run(cmd)` in order, and writes the JSON array of answers
// on stdout. A command that throws answers {"ok": false, "stage": e.stage or "run", "error": message},
// and the next command still runs.
//
// It imports nothing, so a harness in any npm directory imports it by relative path and that
// directory's `npm ci` stays enough to run it.
export async function serve(run) {
  let input = ''
  for await (const chunk of process.stdin) input += chunk
  const out = []
  for (const cmd of JSON.parse(input)) {
    try {
      out.push(await run(cmd))
    } catch (e) {
      out.push({ ok: false, stage: (e && e.stage) || 'run', error: String(e && e.message ? e.message : e) })
    }
  }
  process.stdout.write(JSON.stringify(out))
}

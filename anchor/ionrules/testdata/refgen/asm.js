// Expected values for TestScriptASMMatchesBitcore: reads hex scripts (one a line) on stdin and prints JSON
// [[hex, asm], ...] with bitcore-lib 8.22.2's new Script(buffer).toASM(), or "!ERR" when bitcore cannot
// parse the script. The input was made by a seeded random generator (pushes of every kind, truncated
// ones, random opcodes) plus every opcode alone:
//   node testdata/refgen/asm.js < scripts.txt > testdata/asm_bitcore.json
const { Script } = require('bitcore-lib');
const lines = require('fs').readFileSync(0, 'utf8').split('\n').filter((l) => l.length > 0);
const out = [];
for (const l of lines) {
  let asm;
  try { asm = new Script(Buffer.from(l, 'hex')).toASM(); } catch (e) { asm = '!ERR'; }
  out.push([l, asm]);
}
console.log(JSON.stringify(out));

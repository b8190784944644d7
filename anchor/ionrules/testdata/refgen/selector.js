// Expected values for TestSelectMatchesReference: runs ION's TransactionSelector (core latest; 1.0 is the
// same code) with an in-memory transaction store holding the "processed" transactions, and prints JSON
// [{name, candidates, processed, wantCode, want (selected transaction numbers, in the selector's order)}].
//   node testdata/refgen/selector.js > testdata/selector_reference.json
require('@decentralized-identity/sidetree/dist/lib/common/Logger').default.initialize({ info () {}, warn () {}, error () {}, debug () {} });
const Selector = require('@decentralized-identity/sidetree/dist/lib/core/versions/latest/TransactionSelector').default;

let s = 12345;
const rnd = () => { s = (Math.imul(s, 1664525) + 1013904223) >>> 0; return s / 4294967296; };
const tx = (block, index, anchorString, fee, writer) => ({ transactionNumber: block * 1000000 + index, transactionTime: block, transactionTimeHash: 'h', anchorString, transactionFeePaid: fee, writer });
const scenarios = [];
const add = (name, candidates, processed = []) => scenarios.push({ name, candidates, processed });

const B = 700000;
add('empty', []);
add('mixed blocks', [tx(B, 1, '1.Qm', 10, 'a'), tx(B + 1, 1, '1.Qm', 10, 'b')]);
add('one writer, first wins even when malformed', [tx(B, 1, 'bad', 1000, 'a'), tx(B, 2, '5.Qm', 9999, 'a'), tx(B, 3, '5.Qm', 1, 'b')]);
add('ties by lower number', [tx(B, 9, '1.Qm', 50, 'a'), tx(B, 3, '1.Qm', 50, 'b'), tx(B, 5, '1.Qm', 70, 'c'), tx(B, 4, '1.Qm', 50, 'd')]);
add('total fee, not per operation', [tx(B, 1, '10000.Qm', 20000, 'a'), tx(B, 2, '1.Qm', 19999, 'b')]);
{ // exactly 600,000 operations, then one over: the overflowing one stops the walk
  const c = [];
  for (let i = 0; i < 60; i++) c.push(tx(B, i + 1, '10000.Qm', 100000 - i, 'w' + i));
  add('operations exactly at the cap', c.slice());
  c.push(tx(B, 61, '1.Qm', 1, 'w60'));
  add('one operation over the cap', c.slice());
  c.splice(30, 0, tx(B, 100, '9999.Qm', 99999, 'big'));
  add('overflow stops the walk even if smaller ones fit', c);
}
{ // 301 transactions: the lowest fee is dropped; ties at the cut go by number
  const c = [];
  for (let i = 0; i < 301; i++) c.push(tx(B, i, '1.Qm', i % 7 === 0 ? 5 : 100 + (i % 13), 'w' + i));
  add('301 transactions', c);
  add('300 transactions', c.slice(0, 300));
}
{
  const c = [];
  for (let i = 0; i < 40; i++) c.push(tx(B, i, i % 5 === 0 ? ['bad', '0.Qm', '01.Qm', '10001.Qm', '1.2.3'][i / 5 % 5] : '5000.Qm', 1000 + i, 'w' + i));
  add('malformed anchors are skipped', c);
}
{
  const processed = [];
  for (let i = 0; i < 250; i++) processed.push(tx(B, i, i === 7 ? 'bad' : '2000.Qm', 1, 'p' + i));
  const c = [];
  for (let i = 0; i < 60; i++) c.push(tx(B, 300 + i, (1 + (i % 3) * 1000) + '.Qm', 500 + (i * 37) % 101, 'w' + i));
  add('already processed count against both caps', c, processed);
  add('already processed at the transaction cap', c, processed.concat(c.slice(0, 50).map((t) => ({ ...t, transactionNumber: t.transactionNumber + 500 }))));
}
for (let k = 0; k < 12; k++) { // random blocks
  const c = [];
  const n = 1 + Math.floor(rnd() * 400);
  for (let i = 0; i < n; i++) {
    const r = rnd();
    const anchor = r < 0.05 ? 'x.Qm' : Math.floor(1 + rnd() * (rnd() < 0.2 ? 10000 : 3000)) + '.Qm';
    c.push(tx(B + k, i, anchor, Math.floor(rnd() * 50) * 100, 'w' + Math.floor(rnd() * n * 0.9)));
  }
  const processed = [];
  if (k % 4 === 0) for (let i = 0; i < Math.floor(rnd() * 100); i++) processed.push(tx(B + k, 5000 + i, Math.floor(1 + rnd() * 10000) + '.Qm', 1, 'p'));
  add('random ' + k, c, processed);
}

(async () => {
  const out = [];
  for (const sc of scenarios) {
    const store = { getTransactionsStartingFrom: async (a, b) => (a === b ? sc.processed.filter((t) => t.transactionTime === a) : []) };
    let wantCode = ''; let want = [];
    try { want = (await new Selector(store).selectQualifiedTransactions(sc.candidates)).map((t) => t.transactionNumber); } catch (e) { wantCode = e.code; }
    const strip = (t) => ({ number: t.transactionNumber, time: t.transactionTime, anchor: t.anchorString, fee: t.transactionFeePaid, writer: t.writer });
    out.push({ name: sc.name, candidates: sc.candidates.map(strip), processed: sc.processed.map(strip), wantCode, want });
  }
  console.log(JSON.stringify(out));
})();

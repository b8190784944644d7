// Expected values for fee_test.go: FeeManager.computeMinimumTransactionFee and
// verifyTransactionFeeAndThrowOnError of ION core version latest (1.0 is the same code).
const FeeManager = require('@decentralized-identity/sidetree/dist/lib/core/versions/latest/FeeManager').default;
const code = (f) => { try { f(); return ''; } catch (e) { return e.code; } };

console.log('// minimum fee: {normalizedFee, ops, want (JS shortest round-trip text), wantCode}');
for (const [fee, ops] of [[1000, 1], [1000, 999], [1000, 1000], [1000, 1001], [1000, 10000], [400, 3], [400, 2501],
  [1234.5, 7777], [0.1, 3], [3, 3333], [1, 1], [7, 0], [7, -1], [1e15, 10000], [999.999, 1001], [0, 5]]) {
  let v; const c = code(() => { v = FeeManager.computeMinimumTransactionFee(fee, ops); });
  console.log(`{${fee}, ${ops}, ${c ? 0 : v}, "${c}"},`);
}

console.log('// verify fee: {paid, ops, normalizedFee, wantCode}');
const cases = [[1000, 1, 1000], [999, 1, 1000], [1000, 1000, 1000], [1001, 1001, 1000], [1000, 1001, 1000],
  [10000, 10000, 1000], [9999, 10000, 1000], [0, 1, 0], [5, 0, 1], [5, -3, 1], [1, 1, 2], [1200, 1200, 1000],
  [1199, 1200, 1000], [3, 1000, 3], [2, 1000, 3], [2999, 999999, 3], [3000, 999999, 3], [2999, 1000000, 3],
  [3000, 1000000, 3], [2999, 1000001, 3], [333, 333, 333], [110, 1001, 110], [111, 1001, 110], [4004, 3641, 1099], [4003, 3641, 1099], [4002, 3641, 1099],
  // exactly the minimum in rational arithmetic, yet below it in JavaScript's (9 * 0.001 > 18 / 2000)
  [18, 2000, 9], [19, 2000, 9], [27, 3000, 9], [26, 2000, 13], [27, 2000, 13], [36, 2000, 18]];
for (const [paid, ops, nf] of cases) {
  console.log(`{${paid}, ${ops}, ${nf}, "${code(() => FeeManager.verifyTransactionFeeAndThrowOnError(paid, ops, nf))}"},`);
}

console.log('// least whole fee that verifies: {normalizedFee, ops, want}');
for (const [nf, ops] of [[1000, 1], [1000, 1000], [1000, 1001], [1000, 10000], [9, 2000], [13, 2000], [18, 2000], [400, 2501], [1099, 3641], [1, 10000], [0, 3]]) {
  let paid = Math.ceil(FeeManager.computeMinimumTransactionFee(nf, ops));
  while (code(() => FeeManager.verifyTransactionFeeAndThrowOnError(paid, ops, nf)) !== '') paid++;
  console.log(`{${nf}, ${ops}, ${paid}},`);
}

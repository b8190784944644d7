// Expected values for normalizedfee_test.go: runs ION's NormalizedFeeCalculator (bitcoin version latest;
// 1.0 is the same code) block by block over an in-memory block metadata store, and prints JSON:
// {network: {genesis, window, fluctuation, initial}, blocks: [{height, totalFee, transactionCount,
// normalizedFee (raw, as a JS number), transactionNormalizedFee (getNormalizedFee)}]}.
// Usage: node normalizedfee.js <genesis> <window> <fluctuation> <initial> <count> <seed> <phase length>
const Calc = require('@decentralized-identity/sidetree/dist/lib/bitcoin/versions/latest/NormalizedFeeCalculator').default;
require('@decentralized-identity/sidetree/dist/lib/common/Logger').default.initialize({ info () {}, warn () {}, error () {}, debug () {} });
const [genesis, window, fluctuation, initial, count, seed, phaseLength] = process.argv.slice(2).map(Number);

const stored = [];
const store = {
  get: async (from, to) => stored.filter((b) => b.height >= from && b.height < to),
};
// Deterministic pseudo-random fees: a 32-bit LCG, with phases of high and low fees so the average
// crosses the clamp both ways, and a few blocks where the miner claims less than the subsidy.
let s = seed >>> 0;
const rnd = () => { s = (Math.imul(s, 1664525) + 1013904223) >>> 0; return s / 4294967296; };

(async () => {
  const calc = new Calc(store, genesis, initial, window, fluctuation);
  const out = [];
  for (let i = 0; i < count; i++) {
    const height = genesis + i;
    const phase = Math.floor(i / phaseLength) % 3; // 0: low, 1: high, 2: mixed
    const transactionCount = 1 + Math.floor(rnd() * 3000);
    let perTx = phase === 0 ? rnd() * 300 : phase === 1 ? 2000 + rnd() * 50000 : rnd() * 5000;
    let totalFee = Math.floor(perTx * transactionCount);
    if (rnd() < 0.03) totalFee = -Math.floor(rnd() * 1e8); // miner under-claims the subsidy
    const block = await calc.addNormalizedFeeToBlockMetadata({ height, hash: 'h' + height, previousHash: 'h' + (height - 1), totalFee, transactionCount });
    stored.push(block);
    out.push({ height, totalFee, transactionCount, normalizedFee: block.normalizedFee, transactionNormalizedFee: await calc.getNormalizedFee(height) });
  }
  console.log(JSON.stringify({ network: { genesis, window, fluctuation, initial }, blocks: out }));
})();

// Expected values for TestBlockSubsidy and TestCoinbaseFee: BitcoinProcessor.getBitcoinBlockReward and
// getBitcoinBlockTotalFee (private statics, reachable from JS).
const BP = require('@decentralized-identity/sidetree/dist/lib/bitcoin/BitcoinProcessor').default;
for (const h of [0, 1, 209999, 210000, 420000, 629999, 630000, 840000, 6929999, 6930000, 13439999, 13440000, 1e9]) {
  console.log(`{${h}, ${BP.getBitcoinBlockReward(h)}},`);
}
const block = { height: 840000, transactions: [{ outputs: [{ satoshis: 312500000 }, { satoshis: 7654321 }, { satoshis: 0 }] }, { outputs: [] }] };
console.log('coinbase fee', BP.getBitcoinBlockTotalFee(block));
const block2 = { height: 700000, transactions: [{ outputs: [{ satoshis: 600000000 }] }] };
console.log('coinbase fee', BP.getBitcoinBlockTotalFee(block2));

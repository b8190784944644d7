// Expected values for TestResolveLockMatchesReference: runs ION's LockResolver against an in-memory chain
// (the transactions below, served through the reference's own BitcoinClient model conversion) and a
// version manager with mainnet's lock duration (4500 from block 667,000) and normalized fees
// 1000 + height % 7 for blocks 667,000 to 710,000 (none elsewhere). Prints JSON
// [{name, identifier, txs: [{hex, confirmations, height}], wantCode, want}].
//   node testdata/refgen/resolver.js > testdata/resolver_reference.json
require('@decentralized-identity/sidetree/dist/lib/common/Logger').default.initialize({ info () {}, warn () {}, error () {}, debug () {} });
const lib = '@decentralized-identity/sidetree/dist/lib/';
const LockResolver = require(lib + 'bitcoin/lock/LockResolver').default;
const BitcoinClient = require(lib + 'bitcoin/BitcoinClient').default;
const Serializer = require(lib + 'bitcoin/lock/LockIdentifierSerializer').default;
const SidetreeError = require(lib + 'common/SidetreeError').default;
const { Address, Networks, Script, Transaction } = require('bitcore-lib');

const pkh = '751e76e8199196d454941c45d1b3a323f1433bd6';
const address = Address.fromPublicKeyHash(Buffer.from(pkh, 'hex'), Networks.livenet);
const freeze = (d) => BitcoinClient.createFreezeScript(d, address);
const makeTx = (outputs, nonce) => {
  const tx = new Transaction().from({ txId: nonce.toString(16).padStart(64, '0'), outputIndex: 0, script: Script.buildPublicKeyHashOut(address), satoshis: 5e9 });
  for (const [script, satoshis] of outputs) tx.addOutput(new Transaction.Output({ script, satoshis }));
  return tx;
};
const versionManager = {
  getLockDurationInBlocks: (h) => { if (h < 667000) throw new SidetreeError('version_manager_version_string_not_found'); return 4500; },
  getFeeCalculator: (h) => ({ getNormalizedFee: async (b) => { if (b < 667000 || b > 710000) throw new SidetreeError('normalized_fee_calculator_block_not_found'); return 1000 + (b % 7); } })
};

const scenarios = [];
const add = (name, identifier, txs) => scenarios.push({ name, identifier, txs });
const id = (tx, script) => Serializer.serialize({ transactionId: tx.id, redeemScriptAsHex: script.toBuffer().toString('hex') });
{
  const s = freeze(4500); const t = makeTx([[Script.buildScriptHashOut(s), 6060000]], 1);
  add('valid mainnet lock', id(t, s), [{ tx: t, confirmations: 10, height: 700000 }]);
  add('lock in the last block with a fee', id(t, s), [{ tx: t, confirmations: 10, height: 710000 }]);
  add('fee unknown at the lock block', id(t, s), [{ tx: t, confirmations: 10, height: 710001 }]);
  add('before the first version', id(t, s), [{ tx: t, confirmations: 10, height: 666999 }]);
  add('unconfirmed', id(t, s), [{ tx: t, confirmations: 0, height: 0 }]);
  add('transaction unknown', id(t, s), []);
  add('uppercase transaction id', Serializer.serialize({ transactionId: t.id.toUpperCase(), redeemScriptAsHex: s.toBuffer().toString('hex') }), [{ tx: t, confirmations: 3, height: 700001 }]);
  add('63-digit transaction id', Serializer.serialize({ transactionId: t.id.slice(1), redeemScriptAsHex: s.toBuffer().toString('hex') }), [{ tx: t, confirmations: 3, height: 700001 }]);
  add('bad identifier', 'bm8tZG90', [{ tx: t, confirmations: 10, height: 700000 }]);
}
{
  const s = freeze(150); const t = makeTx([[Script.buildScriptHashOut(s), 6060000]], 2);
  add('testnet duration on mainnet', id(t, s), [{ tx: t, confirmations: 10, height: 700000 }]);
}
{
  const s = freeze(4500); const t = makeTx([[Script.buildPublicKeyHashOut(address), 1000], [Script.buildScriptHashOut(s), 6060000]], 3);
  add('lock in output 1', id(t, s), [{ tx: t, confirmations: 10, height: 700000 }]);
}
{
  const s = freeze(4500);
  const hash = Script.buildScriptHashOut(s).chunks[1].buf.toString('hex');
  const t = makeTx([[Script.fromBuffer(Buffer.from('a94c14' + hash + '87', 'hex')), 123456789]], 4);
  add('hash pushed with OP_PUSHDATA1', id(t, s), [{ tx: t, confirmations: 10, height: 690000 }]);
}
{
  const s = Script.buildPublicKeyHashOut(address); const t = makeTx([[Script.buildScriptHashOut(s), 6060000]], 5);
  add('not a lock script', id(t, s), [{ tx: t, confirmations: 10, height: 700000 }]);
}
{
  const s = Script.fromBuffer(Buffer.from('03941100b27576a914' + pkh + '88ac', 'hex')); const t = makeTx([[Script.buildScriptHashOut(s), 7000000]], 6);
  add('non-minimal duration push', id(t, s), [{ tx: t, confirmations: 10, height: 700000 }]);
}
{
  const s = freeze(4500); const other = freeze(4501); const t = makeTx([[Script.buildScriptHashOut(other), 6060000]], 7);
  add('pays another script', id(t, s), [{ tx: t, confirmations: 10, height: 700000 }]);
}

(async () => {
  const out = [];
  for (const sc of scenarios) {
    const byId = new Map(sc.txs.map((x) => [x.tx.id, x]));
    const client = {
      getRawTransaction: async (txid) => {
        const x = byId.get(txid.toLowerCase());
        if (!x || txid.length !== 64) throw new Error('No such mempool or blockchain transaction');
        const wrapper = BitcoinClient.createBitcoreTransactionWrapper(x.tx.toBuffer(), x.confirmations, 'block' + x.height);
        return BitcoinClient.createBitcoinTransactionModel(wrapper);
      },
      getBlockInfo: async (hash) => ({ hash, height: Number(hash.slice(5)), previousHash: '' })
    };
    let wantCode = ''; let want = null;
    try { want = await new LockResolver(versionManager, client).resolveSerializedLockIdentifierAndThrowOnError(sc.identifier); } catch (e) { wantCode = e.code || 'error: ' + e.message; }
    out.push({ name: sc.name, identifier: sc.identifier, txs: sc.txs.map((x) => ({ hex: x.tx.toBuffer().toString('hex'), confirmations: x.confirmations, height: x.height })), wantCode, want });
  }
  console.log(JSON.stringify(out, null, 1));
})();

// Expected values for lock_test.go and lockscript_test.go from ION's own code:
// ValueTimeLockVerifier (core latest), BitcoinClient.createFreezeScript, LockResolver's script checks and
// LockIdentifierSerializer (bitcoin), all with bitcore-lib 8.22.2.
require('@decentralized-identity/sidetree/dist/lib/common/Logger').default.initialize({ info () {}, warn () {}, error () {}, debug () {} });
const sidetree = '@decentralized-identity/sidetree/dist/lib/';
const Verifier = require(sidetree + 'core/versions/latest/ValueTimeLockVerifier').default;
const BitcoinClient = require(sidetree + 'bitcoin/BitcoinClient').default;
const LockResolver = require(sidetree + 'bitcoin/lock/LockResolver').default;
const Serializer = require(sidetree + 'bitcoin/lock/LockIdentifierSerializer').default;
const { Address, Networks, Script } = require('bitcore-lib');
const fetcher = { getVersionMetadata: () => ({ normalizedFeeToPerOperationFeeMultiplier: 0.001, valueTimeLockAmountMultiplier: 60000 }) };
const code = (f) => { try { f(); return ''; } catch (e) { return e.code || e.constructor.name; } };
const section = process.argv[2];

const lock = (amount, fee, start, unlock, owner) => ({ identifier: 'x', amountLocked: amount, normalizedFee: fee, lockTransactionTime: start, unlockTransactionTime: unlock, owner });

if (section === 'max') {
  console.log('// {amount, normalizedFee, want}  (calculateMaxNumberOfOperationsAllowed)');
  for (const [amount, fee] of [[0, 1000], [6000000, 1000], [6059999, 1000], [6060000, 1000], [5999999, 1000], [600000000, 1000],
    [12345678901, 1000], [100000000, 1003], [100000000, 999], [6000000, 1], [60000, 1], [59999, 1], [6000000, 0], [0, 0],
    [17999999, 3], [18000000, 3], [1800000000, 3], [6000000, -5], [2100000000000000, 1]]) {
    console.log(`{${amount}, ${fee}, ${Verifier.calculateMaxNumberOfOperationsAllowed(lock(amount, fee, 700000, 704500, 'w'), fetcher)}},`);
  }
}

if (section === 'verify') {
  console.log('// {hasLock, amount, normalizedFee, start, unlock, owner, ops, txTime, writer, wantCode}');
  const cases = [
    [false, 0, 0, 0, 0, '', 100, 700000, 'w'], [false, 0, 0, 0, 0, '', 101, 700000, 'w'], [false, 0, 0, 0, 0, '', 1, 700000, 'w'],
    [true, 6060000, 1000, 700000, 704500, 'other', 100, 700000, 'w'], [true, 6060000, 1000, 700000, 704500, 'other', 101, 700000, 'w'],
    [true, 6060000, 1000, 700000, 704500, 'w', 101, 700000, 'w'], [true, 6060000, 1000, 700000, 704500, 'w', 102, 700000, 'w'],
    [true, 6060000, 1000, 700000, 704500, 'w', 101, 699999, 'w'], [true, 6060000, 1000, 700000, 704500, 'w', 101, 704499, 'w'],
    [true, 6060000, 1000, 700000, 704500, 'w', 101, 704500, 'w'], [true, 6060000, 1000, 700000, 704500, 'w', 101, 710000, 'w'],
    [true, 600000000, 1000, 700000, 704500, 'w', 10000, 702000, 'w'], [true, 599999999, 1000, 700000, 704500, 'w', 10000, 702000, 'w'],
    [true, 100, 1000, 700000, 704500, 'w', 100, 600000, 'other'], [true, 6000000, 0, 700000, 704500, 'w', 10000, 700001, 'w'],
    [true, 0, 1000, 700000, 704500, 'w', 101, 700001, 'w'], [true, 6060000, 1000, 700000, 704500, 'W', 101, 700000, 'w']];
  for (const [has, amount, fee, start, unlock, owner, ops, txTime, writer] of cases) {
    const c = code(() => Verifier.verifyLockAmountAndThrowOnError(has ? lock(amount, fee, start, unlock, owner) : undefined, ops, txTime, writer, fetcher));
    console.log(`{${has}, ${amount}, ${fee}, ${start}, ${unlock}, "${owner}", ${ops}, ${txTime}, "${writer}", "${c}"},`);
  }
}

if (section === 'amount') {
  console.log('// {normalizedFee, ops, want}: the least amount for which calculateMaxNumberOfOperationsAllowed >= ops');
  for (const [fee, ops] of [[1000, 101], [1000, 10000], [1003, 101], [1003, 777], [999, 5000], [1, 101], [3, 101], [7, 333], [400, 150], [1234, 9999], [13, 2000]]) {
    const allows = (a) => Verifier.calculateMaxNumberOfOperationsAllowed(lock(a, fee, 700000, 704500, 'w'), fetcher) >= ops;
    let a = Math.ceil(fee * 0.001 * ops * 60000) + 5;
    while (a > 0 && allows(a - 1)) a--;
    while (!allows(a)) a++;
    console.log(`{${fee}, ${ops}, ${a}},`);
  }
}

if (section === 'freeze') {
  console.log('// {duration, want redeem script hex} for pkh 751e76e8199196d454941c45d1b3a323f1433bd6 (createFreezeScript)');
  const address = Address.fromPublicKeyHash(Buffer.from('751e76e8199196d454941c45d1b3a323f1433bd6', 'hex'), Networks.livenet);
  for (const d of [1, 16, 17, 127, 128, 150, 255, 256, 4500, 32767, 32768, 65535, 8388607, 8388608, 140737488355327]) {
    const s = BitcoinClient.createFreezeScript(d, address);
    console.log(`{${d}, "${s.toBuffer().toString('hex')}", "${Script.buildScriptHashOut(s).toBuffer().toString('hex')}"},`);
  }
}

if (section === 'parse') {
  const pkh = '751e76e8199196d454941c45d1b3a323f1433bd6';
  const tail = 'b27576a914' + pkh + '88ac';
  const scripts = {
    mainnet: '029411' + tail, testnet: '029600' + tail, threeByteDuration: '03941100' + tail, pushdata1Duration: '4c029411' + tail,
    pushdata2Duration: '4d02009411' + tail, op0Duration: '00' + tail, op16Duration: '60' + tail, sevenByteDuration: '0701020304050607' + tail,
    sixByteDuration: '06010203040580' + tail, oneByteNegative: '0196' + tail, unnamedOpcodeDuration: 'ba' + tail, cltv: '029411b17576a914' + pkh + '88ac',
    extraOp: '029411' + tail + '75', shortHash: '029411b27576a905' + '0102030405' + '88ac', opcodeHash: '029411b27576a95588ac',
    invisibleEmptyPush: '0294114c00b27576a914' + pkh + '4c0088ac', truncatedHash: '029411b27576a914' + pkh.slice(0, 20),
    truncatedLength: '029411b24d01', empty: '', p2pkhOnly: '76a914' + pkh + '88ac', pushdata1Hash: '029411b27576a94c14' + pkh + '88ac',
  };
  console.log('// {name, script hex, wantCode, wantDuration, wantOwner}  (LockResolver.createScript + isRedeemScriptALockScript)');
  for (const [name, hex] of Object.entries(scripts)) {
    let c = ''; let r;
    try {
      const s = LockResolver.createScript(hex);
      r = LockResolver.isRedeemScriptALockScript(s);
      if (!r.isScriptValid) c = 'lock_resolver_redeem_script_is_not_lock';
    } catch (e) { c = e.code || e.constructor.name; }
    if (c === 'ERR_OUT_OF_RANGE') c = 'RangeError';
    console.log(`{"${name}", "${hex}", "${c}", ${c ? 0 : r.lockDurationInBlocks}, "${c ? '' : r.publicKeyHash}"},`);
  }
}

if (section === 'id') {
  const txid = 'a98fd29d4583d1f691067b0f92ae83d3808d18cba55bd630dbf569fbaea9355c';
  const redeem = '029411b27576a914751e76e8199196d454941c45d1b3a323f1433bd688ac';
  const good = Serializer.serialize({ transactionId: txid, redeemScriptAsHex: redeem });
  const inputs = [good, good + '==', good.slice(0, 10) + '*!~ ' + good.slice(10), good.slice(0, 20) + '=' + good.slice(20),
    Serializer.serialize({ transactionId: txid, redeemScriptAsHex: redeem + '.00' }), Serializer.serialize({ transactionId: txid + redeem, redeemScriptAsHex: '' }),
    '', 'Lg', 'Lg=', 'LgX', good.replace(/-/g, '+').replace(/_/g, '/'), 'é' + good, good + 'é', good.slice(0, 7) + '\u{1F600}' + good.slice(7),
    good.slice(0, 5) + '\u0171' + good.slice(5), Serializer.serialize({ transactionId: txid.toUpperCase(), redeemScriptAsHex: redeem.toUpperCase() }),
    Serializer.serialize({ transactionId: txid.slice(1), redeemScriptAsHex: redeem.slice(0, 9) + 'g' + redeem.slice(10) }),
    Buffer.from(txid + '.' + redeem).toString('base64'), Buffer.from('\xff\xfe.' + redeem, 'latin1').toString('base64')];
  console.log('// {input, wantCode, wantTxid, wantScriptHex (Buffer.from(hex part, "hex")), wantReserialized}  (LockIdentifierSerializer)');
  for (const input of inputs) {
    let c = ''; let m;
    try { m = Serializer.deserialize(input); } catch (e) { c = e.code; }
    const j = (s) => JSON.stringify(s);
    console.log(`{${j(input)}, "${c}", ${j(c ? '' : m.transactionId)}, "${c ? '' : Buffer.from(m.redeemScriptAsHex, 'hex').toString('hex')}", ${j(c ? '' : Serializer.serialize(m))}},`);
  }
}

// A line-oriented JSON server around the ION reference packages (@decentralized-identity/sidetree 1.0.6,
// @decentralized-identity/ion-sdk 1.0.4), used only by ionode's interop tests. One request per stdin
// line: {"id":n,"cmd":"...","args":{...}}; one response per stdout line: {"id":n,"result":...} or
// {"id":n,"error":"..."}. Bodies are returned as the exact strings ION would send (JSON.stringify), so
// the Go side can compare bytes, not just meaning.
import { createRequire } from 'node:module';
import readline from 'node:readline';
import * as sdk from '@decentralized-identity/ion-sdk';

const require = createRequire(import.meta.url);
const st = (p) => require(`@decentralized-identity/sidetree/dist/lib/${p}`).default;

const Logger = st('common/Logger');
Logger.initialize({ info() {}, warn() {}, error() {} });

const Resolver = st('core/Resolver');
const RequestHandler = st('core/versions/latest/RequestHandler');
const OperationProcessor = st('core/versions/latest/OperationProcessor');
const Response = st('common/Response');
const Operation = st('core/versions/latest/Operation');
const CoreIndexFile = st('core/versions/latest/CoreIndexFile');
const ProvisionalIndexFile = st('core/versions/latest/ProvisionalIndexFile');
const CoreProofFile = st('core/versions/latest/CoreProofFile');
const ProvisionalProofFile = st('core/versions/latest/ProvisionalProofFile');
const ChunkFile = st('core/versions/latest/ChunkFile');
const AnchoredDataSerializer = st('core/versions/latest/AnchoredDataSerializer');
const TransactionProcessor = st('core/versions/latest/TransactionProcessor');
const crypto = require('node:crypto');
const FeeManager = st('core/versions/latest/FeeManager');
const TransactionSelector = st('core/versions/latest/TransactionSelector');
const ValueTimeLockVerifier = st('core/versions/latest/ValueTimeLockVerifier');
const NormalizedFeeCalculator = st('bitcoin/versions/latest/NormalizedFeeCalculator');

// A content store in memory: a file's URI is a hash of its bytes (the reference only checks that URIs are
// strings of at most 100 characters; fetching is by URI).
function fakeUri(buf) {
  return 'Qm' + crypto.createHash('sha256').update(buf).digest('hex').slice(0, 44);
}

// Resolution through the reference's own Resolver and RequestHandler over an in-memory operation list.
async function handle(method, ops, call) {
  const anchored = ops.map((o) => ({
    type: o.type,
    didUniqueSuffix: o.didSuffix,
    operationBuffer: Buffer.from(o.raw, 'base64'),
    transactionNumber: o.transactionNumber,
    transactionTime: o.transactionTime,
    operationIndex: o.operationIndex,
  }));
  const store = {
    async get(suffix) { return anchored.filter((o) => o.didUniqueSuffix === suffix); },
    async insertOrReplace() { throw new Error('read-only'); },
    async delete() { throw new Error('read-only'); },
    async deleteUpdatesEarlierThan() { throw new Error('read-only'); },
  };
  const processor = new OperationProcessor();
  const versions = { getOperationProcessor: () => processor };
  const queued = new Set();
  const queue = {
    async contains(suffix) { return queued.has(suffix); },
    async enqueue(suffix) { queued.add(suffix); },
  };
  const handler = new RequestHandler(new Resolver(versions, store), queue, method);
  return call(handler, queued);
}

function httpResponse(response) {
  return {
    status: Response.toHttpStatus(response.status),
    body: response.body === undefined ? null : JSON.stringify(response.body),
  };
}

const versionMetadata = { getVersionMetadata() { return { normalizedFeeToPerOperationFeeMultiplier: 0.001, valueTimeLockAmountMultiplier: 60000 }; } };
const codeOf = (f) => { try { f(); return ''; } catch (e) { return e.code || String(e); } };

const commands = {
  // ION's fee, lock and selection rules on given inputs.
  async rules({ fees, locks, blocks, feeParams, selections }) {
    const out = { minimumFees: [], feeChecks: [], lockChecks: [], normalizedFees: [], selections: [] };
    for (const f of fees) {
      out.minimumFees.push(Math.ceil(FeeManager.computeMinimumTransactionFee(f.normalizedFee, f.operations)));
      out.feeChecks.push(codeOf(() => FeeManager.verifyTransactionFeeAndThrowOnError(f.feePaid, f.operations, f.normalizedFee)));
    }
    for (const l of locks) {
      const lock = l.lock ? { amountLocked: l.lock.amountLocked, owner: l.lock.owner, lockTransactionTime: l.lock.lockTime, unlockTransactionTime: l.lock.unlockTime, normalizedFee: l.lock.normalizedFee, identifier: 'x' } : undefined;
      out.lockChecks.push(codeOf(() => ValueTimeLockVerifier.verifyLockAmountAndThrowOnError(lock, l.operations, l.time, l.writer, versionMetadata)));
    }
    const stored = [];
    const store = { async get(from, to) { return stored.filter((b) => b.height >= from && b.height < to); } };
    const calc = new NormalizedFeeCalculator(store, feeParams.genesis, feeParams.initial, feeParams.window, feeParams.fluctuation);
    for (const b of blocks) {
      const withFee = await calc.addNormalizedFeeToBlockMetadata({ height: b.height, hash: 'h' + b.height, previousHash: '', transactionCount: b.transactionCount, totalFee: b.totalFee });
      stored.push(withFee);
      out.normalizedFees.push(withFee.normalizedFee);
    }
    for (const txs of selections) {
      const selector = new TransactionSelector({ async getTransactionsStartingFrom() { return []; } });
      const models = txs.map((t) => ({ transactionNumber: t.number, transactionTime: 7, transactionTimeHash: 'h', anchorString: t.anchorString, transactionFeePaid: t.feePaid, normalizedTransactionFee: 1, writer: t.writer }));
      const chosen = await selector.selectQualifiedTransactions(models);
      out.selections.push(chosen.map((c) => c.transactionNumber).sort((a, b) => a - b));
    }
    return out;
  },

  // Build a batch's files from request bodies the way the reference's BatchWriter does.
  async buildBatch({ requests, writerLockId }) {
    const ops = await Promise.all(requests.map((r) => Operation.parse(Buffer.from(r, 'base64'))));
    const of = (t) => ops.filter((o) => o.type === t);
    const files = {};
    const write = (buf) => { const uri = fakeUri(buf); files[uri] = buf.toString('base64'); return uri; };
    const creates = of('create'); const recovers = of('recover'); const updates = of('update'); const deactivates = of('deactivate');
    const coreProof = await CoreProofFile.createBuffer(recovers, deactivates);
    const coreProofUri = coreProof ? write(coreProof) : undefined;
    const provProof = await ProvisionalProofFile.createBuffer(updates);
    const provProofUri = provProof ? write(provProof) : undefined;
    const chunk = await ChunkFile.createBuffer(creates, recovers, updates);
    const chunkUri = chunk ? write(chunk) : undefined;
    const provIndexUri = chunkUri ? write(await ProvisionalIndexFile.createBuffer(chunkUri, provProofUri, updates)) : undefined;
    const core = await CoreIndexFile.createBuffer(writerLockId, provIndexUri, coreProofUri, creates, recovers, deactivates);
    const coreUri = write(core);
    const anchorString = AnchoredDataSerializer.serialize({ coreIndexFileUri: coreUri, numberOfOperations: ops.length });
    return { anchorString, files };
  },

  // Process an anchored transaction over the given files with the reference's TransactionProcessor and
  // return the operations it stores, and whether it considers the transaction done.
  async processTransaction({ anchorString, files, transactionNumber, transactionTime }) {
    const stored = [];
    const downloadManager = {
      async download(uri, max) {
        const b64 = files[uri];
        if (b64 === undefined) return { code: 'content_not_found' };
        const content = Buffer.from(b64, 'base64');
        if (content.length > max) return { code: 'content_exceeds_maximum_allowed_size' };
        return { code: 'success', content };
      },
    };
    const operationStore = { async insertOrReplace(ops) { stored.push(...ops); } };
    const blockchain = { async getValueTimeLock() { return undefined; } };
    const versionMetadataFetcher = { getVersionMetadata() { return { normalizedFeeToPerOperationFeeMultiplier: 0.001, valueTimeLockAmountMultiplier: 60000 }; } };
    const processor = new TransactionProcessor(downloadManager, operationStore, blockchain, versionMetadataFetcher);
    const done = await processor.processTransaction({
      anchorString, transactionNumber, transactionTime, transactionTimeHash: 'h', transactionFeePaid: 1e9, normalizedTransactionFee: 1, writer: 'w',
    });
    return {
      done,
      operations: stored.map((o) => ({
        type: o.type, didSuffix: o.didUniqueSuffix, raw: o.operationBuffer.toString('base64'),
        transactionNumber: o.transactionNumber, transactionTime: o.transactionTime, operationIndex: o.operationIndex,
      })),
    };
  },

  // Resolve a DID over the given anchored operations.
  async resolve({ method, did, ops }) {
    return handle(method, ops || [], async (h) => httpResponse(await h.handleResolveRequest(did)));
  },

  // Submit request bodies to POST /operations in order (a queue shared by the sequence).
  async submit({ method, requests }) {
    return handle(method, [], async (h) => {
      const out = [];
      for (const r of requests) {
        out.push(httpResponse(await h.handleOperationRequest(Buffer.from(r, 'base64'))));
      }
      return out;
    });
  },

  // Random DIDs made by ion-sdk exactly as a wallet would make them.
  async sdkCreate({ count, network }) {
    if (network) sdk.IonSdkConfig.network = network;
    const out = [];
    for (let i = 0; i < count; i++) {
      const [recoveryKey] = await sdk.IonKey.generateEs256kOperationKeyPair();
      const [updateKey] = await sdk.IonKey.generateEs256kOperationKeyPair();
      const document = await randomDocument(i);
      const did = await sdk.IonDid.createLongFormDid({ recoveryKey, updateKey, document });
      const request = await sdk.IonRequest.createCreateRequest({ recoveryKey, updateKey, document });
      out.push({ did, request: JSON.stringify(request) });
    }
    return out;
  },

  // A random history for one DID made with ion-sdk: valid and invalid updates, recoveries, a final
  // deactivate sometimes, duplicate creates, operations sharing transactions, anchored out of order.
  async sdkHistory({ steps, seed }) {
    const rand = mulberry32(seed >>> 0);
    const pick = (n) => Math.floor(rand() * n);
    const [recoveryKey, recoveryPriv] = await sdk.IonKey.generateEs256kOperationKeyPair();
    const [updateKey, updatePriv] = await sdk.IonKey.generateEs256kOperationKeyPair();
    const document = await randomDocument(seed);
    const create = await sdk.IonRequest.createCreateRequest({ recoveryKey, updateKey, document });
    const longForm = await sdk.IonDid.createLongFormDid({ recoveryKey, updateKey, document });
    const didSuffix = longForm.split(':')[2];
    const requests = [{ type: 'create', body: create }];
    if (pick(4) === 0) requests.push({ type: 'create', body: create });

    let rec = { pub: recoveryKey, priv: recoveryPriv };
    let upd = { pub: updateKey, priv: updatePriv };
    const staleUpdates = [];
    for (let s = 0; s < steps; s++) {
      const choice = pick(10);
      if (choice < 6) {
        // An update signed with the current key, or (sometimes) a stale or unrelated key.
        const [nextPub, nextPriv] = await sdk.IonKey.generateEs256kOperationKeyPair();
        let signWith = upd;
        const bad = pick(5);
        if (bad === 0 && staleUpdates.length) signWith = staleUpdates[pick(staleUpdates.length)];
        if (bad === 1) {
          const [p, q] = await sdk.IonKey.generateEs256kOperationKeyPair();
          signWith = { pub: p, priv: q };
        }
        const id = `svc${s}`;
        const body = await sdk.IonRequest.createUpdateRequest({
          didSuffix,
          updatePublicKey: signWith.pub,
          nextUpdatePublicKey: nextPub,
          signer: sdk.LocalSigner.create(signWith.priv),
          servicesToAdd: pick(2) ? [{ id, type: 'LinkedDomains', serviceEndpoint: `https://s${s}.example.com` }] : [],
          idsOfServicesToRemove: pick(3) === 0 ? ['svc0'] : [],
          publicKeysToAdd: pick(3) === 0 ? [(await sdk.IonKey.generateEs256kDidDocumentKeyPair({ id: `k${s}`, purposes: ['authentication'] }))[0]] : [],
          idsOfPublicKeysToRemove: pick(4) === 0 ? ['key-0'] : [],
        });
        requests.push({ type: 'update', body });
        if (signWith === upd) {
          staleUpdates.push(upd);
          upd = { pub: nextPub, priv: nextPriv };
        }
      } else if (choice < 9) {
        const [nextRec, nextRecPriv] = await sdk.IonKey.generateEs256kOperationKeyPair();
        const [nextUpd, nextUpdPriv] = await sdk.IonKey.generateEs256kOperationKeyPair();
        const body = await sdk.IonRequest.createRecoverRequest({
          didSuffix,
          recoveryPublicKey: rec.pub,
          nextRecoveryPublicKey: nextRec,
          nextUpdatePublicKey: nextUpd,
          document: await randomDocument(seed + s + 1),
          signer: sdk.LocalSigner.create(rec.priv),
        });
        requests.push({ type: 'recover', body });
        rec = { pub: nextRec, priv: nextRecPriv };
        staleUpdates.push(upd);
        upd = { pub: nextUpd, priv: nextUpdPriv };
      } else {
        const body = await sdk.IonRequest.createDeactivateRequest({
          didSuffix, recoveryPublicKey: rec.pub, signer: sdk.LocalSigner.create(rec.priv),
        });
        requests.push({ type: 'deactivate', body });
      }
    }

    // Anchor: mostly in order, a few operations swapped, several per transaction.
    const order = requests.map((_, i) => i);
    for (let k = 0; k < Math.floor(steps / 4); k++) {
      const a = 1 + pick(order.length - 1);
      const b = 1 + pick(order.length - 1);
      [order[a], order[b]] = [order[b], order[a]];
    }
    let txn = 1000000 * (700000 + pick(1000));
    let index = 0;
    const ops = [];
    for (const i of order) {
      if (pick(3) !== 0) { txn += 1 + pick(5); index = 0; }
      ops.push({
        type: requests[i].type,
        didSuffix,
        raw: Buffer.from(JSON.stringify(requests[i].body)).toString('base64'),
        transactionNumber: txn,
        transactionTime: Math.floor(txn / 1000000),
        operationIndex: index++,
      });
    }
    return { didSuffix, longForm, ops };
  },
};

async function randomDocument(seed) {
  const rand = mulberry32((seed * 7919 + 17) >>> 0);
  const pick = (n) => Math.floor(rand() * n);
  const purposes = ['authentication', 'assertionMethod', 'capabilityInvocation', 'capabilityDelegation', 'keyAgreement'];
  const publicKeys = [];
  for (let i = 0, n = pick(3); i < n; i++) {
    const chosen = purposes.filter(() => pick(2) === 0);
    const input = { id: `key-${i}`, purposes: chosen.length || pick(2) ? chosen : undefined };
    const [pub] = pick(3) === 0
      ? await sdk.IonKey.generateEd25519DidDocumentKeyPair(input)
      : await sdk.IonKey.generateEs256kDidDocumentKeyPair(input);
    publicKeys.push(pub);
  }
  const services = [];
  for (let i = 0, n = pick(3); i < n; i++) {
    const endpoint = pick(3) === 0 ? { origins: [`https://o${i}.example.org/`] } : `https://example.com/p${pick(1000)}?q=${i}`;
    services.push({ id: `svc${i}`, type: pick(2) ? 'LinkedDomains' : 'DIDCommMessaging', serviceEndpoint: endpoint });
  }
  const document = {};
  if (publicKeys.length || pick(2)) document.publicKeys = publicKeys;
  if (services.length || pick(2)) document.services = services;
  return document;
}

// A small seeded generator so a failing history can be regenerated from its seed.
function mulberry32(a) {
  return function () {
    a |= 0; a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const rl = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
let pending = Promise.resolve();
rl.on('line', (line) => {
  // Requests are answered in order, one at a time: the reference's state is per request anyway.
  pending = pending.then(async () => {
    let req;
    try {
      req = JSON.parse(line);
      const fn = commands[req.cmd];
      if (!fn) throw new Error(`unknown command ${req.cmd}`);
      const result = await fn(req.args || {});
      process.stdout.write(JSON.stringify({ id: req.id, result }) + '\n');
    } catch (e) {
      process.stdout.write(JSON.stringify({ id: req ? req.id : null, error: String(e && e.stack || e) }) + '\n');
    }
  });
});

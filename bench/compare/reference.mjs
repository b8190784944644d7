// The reference side of bench/compare: one task of the ION reference node (@decentralized-identity/sidetree
// 1.0.6, the packages interop/ installs) over the inputs bench/compare wrote, in a fresh Node.js process.
//
//   node reference.mjs <interop dir> <task> <input dir> <passes>
//
// It prints one JSON line: the operations of each pass and the CPU and wall time of each, measured here
// so that starting Node.js and reading the inputs are not counted (the first pass is the cold one).
import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';

const [interopDir, task, dir, passesArg] = process.argv.slice(2);
const require = createRequire(path.join(path.resolve(interopDir), 'package.json'));
const st = (p) => require(`@decentralized-identity/sidetree/dist/lib/${p}`).default;
st('common/Logger').initialize({ info() {}, warn() {}, error() {} });
const Resolver = st('core/Resolver');
const RequestHandler = st('core/versions/latest/RequestHandler');
const OperationProcessor = st('core/versions/latest/OperationProcessor');
const TransactionProcessor = st('core/versions/latest/TransactionProcessor');
const ResponseStatus = st('common/Response');

const readJSON = (name) => JSON.parse(fs.readFileSync(path.join(dir, name), 'utf8'));

// The reference's resolution path (RequestHandler.handleResolveRequest) over an operation store in memory.
function handlerFor(opsBySuffix) {
  const store = { async get(suffix) { return opsBySuffix.get(suffix) || []; } };
  const processor = new OperationProcessor();
  const versions = { getOperationProcessor: () => processor };
  const queue = { async contains() { return false; }, async enqueue() {} };
  return new RequestHandler(new Resolver(versions, store), queue, 'ion');
}

async function resolveAll(handler, dids) {
  let bytes = 0;
  for (const did of dids) {
    const res = await handler.handleResolveRequest(did);
    if (ResponseStatus.toHttpStatus(res.status) !== 200) throw new Error(`${did}: status ${res.status}`);
    bytes += JSON.stringify(res.body).length; // the document is sent, so it is serialized
  }
  return bytes;
}

// Each task returns a pass function: it does the work once and returns how many operations it did.
async function setup() {
  switch (task) {
    case 'longform': {
      const dids = readJSON('longform.json');
      const handler = handlerFor(new Map());
      return async () => { await resolveAll(handler, dids); return dids.length; };
    }
    case 'history':
    case 'many': {
      const groups = readJSON(`${task}.json`);
      const bySuffix = new Map();
      for (const g of groups) {
        bySuffix.set(g.suffix, g.ops.map((o) => ({
          type: o.type, didUniqueSuffix: g.suffix, operationBuffer: Buffer.from(o.raw, 'base64'),
          transactionNumber: o.transactionNumber, transactionTime: o.transactionTime, operationIndex: o.operationIndex,
        })));
      }
      const dids = groups.map((g) => `did:ion:${g.suffix}`);
      const handler = handlerFor(bySuffix);
      return async () => { await resolveAll(handler, dids); return dids.length; };
    }
    case 'batch': {
      const meta = readJSON('batch.json');
      return async () => {
        // The files are read from disk in each pass, as ours does: reading is part of the task.
        const stored = [];
        const downloadManager = {
          async download(uri, max) {
            const content = fs.readFileSync(path.join(dir, 'files', uri));
            if (content.length > max) return { code: 'content_exceeds_maximum_allowed_size' };
            return { code: 'success', content };
          },
        };
        const operationStore = { async insertOrReplace(ops) { stored.push(...ops); } };
        // A lock large enough for the batch, owned by the writer (more than 100 operations need one).
        const blockchain = {
          async getValueTimeLock() {
            return { identifier: meta.writerLockId, amountLocked: 1e12, lockTransactionTime: 0, unlockTransactionTime: 1e9, normalizedFee: 1, owner: 'w' };
          },
        };
        const versionMetadataFetcher = { getVersionMetadata() { return { normalizedFeeToPerOperationFeeMultiplier: 0.001, valueTimeLockAmountMultiplier: 60000 }; } };
        const processor = new TransactionProcessor(downloadManager, operationStore, blockchain, versionMetadataFetcher);
        const done = await processor.processTransaction({
          anchorString: meta.anchorString, transactionNumber: meta.transactionNumber, transactionTime: meta.transactionTime,
          transactionTimeHash: 'h', transactionFeePaid: 1e9, normalizedTransactionFee: 1, writer: 'w',
        });
        if (!done || stored.length !== meta.operations) {
          throw new Error(`batch: done=${done}, ${stored.length} operations stored, want ${meta.operations}`);
        }
        return stored.length;
      };
    }
    default:
      throw new Error(`unknown task ${task}`);
  }
}

const pass = await setup();
const passes = [];
for (let i = 0; i < Number(passesArg); i++) {
  const cpu0 = process.cpuUsage();
  const faults0 = process.resourceUsage().minorPageFault;
  const t0 = process.hrtime.bigint();
  const ops = await pass();
  const wall = Number(process.hrtime.bigint() - t0);
  const cpu = process.cpuUsage(cpu0);
  const faults = process.resourceUsage().minorPageFault - faults0;
  passes.push({ ops, cpuNs: (cpu.user + cpu.system) * 1000, wallNs: wall, sysNs: cpu.system * 1000, faults });
}
// VmHWM, not process.resourceUsage().maxRSS: Linux carries the parent's high-water mark into a child's
// ru_maxrss at exec (see workerResult in ours.go).
const hwm = /^VmHWM:\s+(\d+) kB$/m.exec(fs.readFileSync('/proc/self/status', 'utf8'));
process.stdout.write(JSON.stringify({ passes, peakRss: hwm ? Number(hwm[1]) * 1024 : 0 }) + '\n');

// Worker side of a cold scan split by store: reads one store's files with an engine of its
// own (same pricing, attribution and clock as the main thread) and sends back the aggregate
// and the files' reading state. Stores share no session or call, so the main thread's merge
// of the two equals one thread reading everything.
// Before the work: the main thread learns this worker's heap is set up (young-generation.ts).
import './worker-started.js';
import {parentPort, workerData} from 'node:worker_threads';
import {Engine} from './engine.js';
import {withoutWasm} from './ingest/marker-scan.js';
import {ALL_STORES} from './ingest/stores.js';
import {postParts, takeParts} from './ingest/parts-port.js';
import {PartsJoiner} from './ingest/state-parts.js';
import type {SessionFile} from './ingest/types.js';
import type {StoreJob, StoreResult} from './store-job.js';

const job = workerData as StoreJob;
if (job.options.tuning?.wasm === false) withoutWasm();
const store = ALL_STORES[job.store]!;
const engine = new Engine({...job.options, stores: [store], parallel: false, clock: () => job.now});
// Posted before this worker started: all here.
const files = new PartsJoiner();
if (!takeParts(job.port, files)) throw new Error('store worker: its file list did not arrive whole');
for (const f of files.value as SessionFile[]) engine.reader.track(store, f);
// Tests: a worker that fails before it answers (the main thread must read the files itself).
if (job.options.tuning?.workerDies) process.exit(1);
engine.scanAll();
const failed = [...engine.reader.files.values()].filter(t => t.error || t.deleted).map(t => ({path: t.file.path, error: t.error, deleted: t.deleted}));
const result: StoreResult = {aggregate: engine.aggregate.exportState(), files: engine.reader.exportFiles(), failed};
postParts(job.port, result);
parentPort!.postMessage('done');

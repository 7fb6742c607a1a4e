// Worker side of a cold scan split by store: reads one store's files with an engine of its
// own (same pricing, attribution and clock as the main thread) and sends back the aggregate
// and the files' reading state. Stores share no session or call, so the main thread's merge
// of the two equals one thread reading everything.
import {parentPort, workerData} from 'node:worker_threads';
import {Engine} from './engine.js';
import {withoutWasm} from './ingest/marker-scan.js';
import {ALL_STORES} from './ingest/stores.js';
import type {StoreJob, StoreResult} from './store-job.js';

const job = workerData as StoreJob;
if (job.options.tuning?.wasm === false) withoutWasm();
const store = ALL_STORES[job.store]!;
const engine = new Engine({...job.options, stores: [store], parallel: false, clock: () => job.now});
for (const f of job.files) engine.reader.track(store, f);
// Tests: a worker that fails before it answers (the main thread must read the files itself).
if (job.options.tuning?.workerDies) process.exit(1);
engine.scanAll();
const failed = [...engine.reader.files.values()].filter(t => t.error || t.deleted).map(t => ({path: t.file.path, error: t.error, deleted: t.deleted}));
const result: StoreResult = {aggregate: engine.aggregate.exportState(), files: engine.reader.exportFiles(), failed};
parentPort!.postMessage(result);

// Worker side of a cold scan split by store: reads one store's files with an engine of its
// own (same pricing, attribution and clock as the main thread) and sends back the aggregate
// and the files' reading state. Stores share no session or call, so the main thread's merge
// of the two equals one thread reading everything.
import {parentPort, workerData} from 'node:worker_threads';
import type {AggregateState} from './core/aggregate.js';
import {Engine, type EngineOptions} from './engine.js';
import type {FileState} from './ingest/reader.js';
import {ALL_STORES} from './ingest/stores.js';
import type {SessionFile} from './ingest/types.js';

export type StoreJob = {
	options: Pick<EngineOptions, 'env' | 'pricing' | 'attribution' | 'sealOld'>;
	now: number;
	store: number;
	files: SessionFile[];
};

export type StoreResult = {
	aggregate: AggregateState;
	files: FileState[];
	/** Files that could not be read or were gone (they have no reading state). */
	failed: Array<{path: string; error?: string; deleted?: boolean}>;
};

const job = workerData as StoreJob;
const store = ALL_STORES[job.store]!;
const engine = new Engine({...job.options, stores: [store], parallel: false, clock: () => job.now});
for (const f of job.files) engine.reader.track(store, f);
// Tests: a worker that fails before it answers (the main thread must read the files itself).
if (process.env['BURNTOP_TEST_WORKER_DIES']) process.exit(1);
engine.scanAll();
const failed = [...engine.reader.files.values()].filter(t => t.error || t.deleted).map(t => ({path: t.file.path, error: t.error, deleted: t.deleted}));
const result: StoreResult = {aggregate: engine.aggregate.exportState(), files: engine.reader.exportFiles(), failed};
parentPort!.postMessage(result);

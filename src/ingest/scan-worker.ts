// Worker side of the parallel cold scan: reads whole JSONL files with the same reader and
// parsers as the main thread and sends back each file's events (already checked for
// plausibility) and its reading state. The main thread applies them in file order.
import {parentPort, workerData} from 'node:worker_threads';
import type {IngestEvent} from '../core/types.js';
import {StoreReader, type FileState} from './reader.js';
import {ALL_STORES} from './stores.js';
import type {SessionFile, StoreEnv} from './types.js';

export type ScanJob = {i: number; store: number; file: SessionFile};
export type ScanResult = {i: number; events: IngestEvent[]; state?: FileState; error?: string; deleted?: boolean};

const {env, now} = workerData as {env: StoreEnv; now: number};
let events: IngestEvent[] = [];
// One reader (and its read buffer) for every file this worker gets.
const reader = new StoreReader(ev => events.push(ev), env, () => now);
parentPort!.on('message', (job: ScanJob) => {
	events = [];
	const t = reader.track(ALL_STORES[job.store]!, job.file);
	reader.read(t, true);
	const result: ScanResult = {i: job.i, events, state: reader.exportFiles()[0], error: t.error, deleted: t.deleted};
	reader.files.delete(job.file.path);
	parentPort!.postMessage(result);
});

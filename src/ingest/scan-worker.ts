// Worker side of the parallel cold scan: claims files from the shared counter, reads each
// with the same reader and parsers as the main thread, and sends back its events (already
// checked for plausibility) and reading state. The main thread applies them in file order.
// Before the work: the main thread learns this worker's heap is set up (young-generation.ts).
import '../worker-started.js';
import {workerData} from 'node:worker_threads';
import type {IngestEvent} from '../core/types.js';
import {packEvents} from './event-codec.js';
import {withoutWasm} from './marker-scan.js';
import {StoreReader} from './reader.js';
import {CLAIMS, NEXT, POSTED, type ScanResult, type WorkerInput} from './scan-protocol.js';
import {ALL_STORES} from './stores.js';

const {env, now, resultsSince, jobs, control, id, port, tuning} = workerData as WorkerInput;
if (tuning.wasm === false) withoutWasm();
const ctl = new Int32Array(control);
let events: IngestEvent[] = [];
// One reader (and its read buffer) for every file this worker reads.
const reader = new StoreReader(ev => events.push(ev), env, () => now);
reader.resultsSince = resultsSince;
for (let i = Atomics.add(ctl, NEXT, 1); i < jobs.length; i = Atomics.add(ctl, NEXT, 1)) {
	ctl[CLAIMS + i] = id;
	// Tests: a worker that dies holding a file (the main thread must read it).
	if (tuning.workerDies) process.exit(1);
	const job = jobs[i]!;
	events = [];
	let result: ScanResult;
	try {
		const t = reader.track(ALL_STORES[job.store]!, job.file);
		reader.read(t, true);
		result = {i, events: packEvents(events), state: reader.exportFiles()[0], error: t.error, deleted: t.deleted};
	} catch (error) {
		// The main thread reads this file itself, so an unexpected failure behaves as it would there.
		result = {i, events: packEvents([]), crashed: String(error)};
	}

	reader.files.delete(job.file.path);
	// Copied, not transferred: a transfer detaches the buffer, and the first detached ArrayBuffer
	// slows every typed-array access of this thread after it (V8 protector; see pages.ts).
	port.postMessage(result);
	Atomics.add(ctl, POSTED, 1);
	Atomics.notify(ctl, POSTED);
}
// Done: with nothing left to do, this thread ends (the main thread may also terminate it).

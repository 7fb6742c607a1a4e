// Imported by each worker script before its work: tells the main thread that this worker's heap is set up
// (young-generation.ts whileWorkersStart), through the flag startWorker gave it.
import {workerData} from 'node:worker_threads';

const started = (workerData as {started?: unknown} | null)?.started;
if (started instanceof Int32Array) Atomics.store(started, 0, 1);

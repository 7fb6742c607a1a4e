// What the main thread and a scan worker exchange (parallel.ts ↔ scan-worker.ts): the shared
// counters' layout and the messages, below both so neither imports the other.
import type {MessagePort} from 'node:worker_threads';
import type {Tuning} from '../tuning.js';
import type {PackedEvents} from './event-codec.js';
import type {FileState} from './reader.js';
import type {SessionFile, StoreEnv} from './types.js';

/** control[NEXT]: next unclaimed file; control[POSTED]: results posted (wakes this thread); control[CLAIMS + i]: who read file i. */
export const NEXT = 0;
export const POSTED = 1;
export const CLAIMS = 2;

export type ScanJob = {store: number; file: SessionFile};
export type ScanResult = {i: number; events: PackedEvents; state?: FileState; error?: string; deleted?: boolean; crashed?: string};
export type WorkerInput = {env: StoreEnv; now: number; resultsSince: number; jobs: ScanJob[]; control: SharedArrayBuffer; id: number; port: MessagePort; tuning: Pick<Tuning, 'wasm' | 'workerDies'>};

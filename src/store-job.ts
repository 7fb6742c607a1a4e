// What the main thread and a store worker exchange (engine.ts ↔ store-worker.ts), below both.
import type {AggregateState} from './core/aggregate.js';
import type {EngineOptions} from './engine-options.js';
import type {FileState} from './ingest/reader.js';
import type {MessagePort} from 'node:worker_threads';

export type StoreJob = {
	options: Pick<EngineOptions, 'env' | 'pricing' | 'attribution' | 'sealOld' | 'tuning' | 'resultsSince'>;
	now: number;
	store: number;
	/** Carries `files` in (SessionFile[]) and the StoreResult out, each in parts (parts-port.ts). */
	port: MessagePort;
};

/** What the worker sends in parts; then 'done' on its parent port (or an exit: it failed). */
export type StoreResult = {
	aggregate: AggregateState;
	files: FileState[];
	/** Files that could not be read or were gone (they have no reading state). */
	failed: Array<{path: string; error?: string; deleted?: boolean}>;
};

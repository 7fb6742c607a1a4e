// What the main thread and a store worker exchange (engine.ts ↔ store-worker.ts), below both.
import type {AggregateState} from './core/aggregate.js';
import type {EngineOptions} from './engine-options.js';
import type {FileState} from './ingest/reader.js';
import type {SessionFile} from './ingest/types.js';

export type StoreJob = {
	options: Pick<EngineOptions, 'env' | 'pricing' | 'attribution' | 'sealOld' | 'tuning'>;
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

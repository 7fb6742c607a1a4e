// How an engine is made: what the CLI, the tests and a store worker pass in.
import type {Budget} from './core/budgets.js';
import type {LoopThresholds} from './core/loops.js';
import type {GitFs} from './ingest/git-root.js';
import type {IndexCache} from './ingest/index-cache.js';
import type {Store, StoreEnv} from './ingest/types.js';
import type {PricingOptions} from './pricing/index.js';
import type {Tuning} from './tuning.js';

export type EngineOptions = {
	env: StoreEnv;
	pricing?: PricingOptions;
	stores?: readonly Store[];
	clock?: () => number;
	/** Force polling instead of file events. */
	usePolling?: boolean;
	loops?: Partial<LoopThresholds>;
	/** 'git' (default): projects are repository roots; 'cwd': the raw working folder. */
	attribution?: 'git' | 'cwd';
	gitFs?: GitFs;
	budgets?: readonly Budget[];
	/** false: never use worker threads for cold scans; 'files': never split the scan by store (tests of the per-file split). */
	parallel?: boolean | 'files';
	/** Bytes of Claude Code/Codex JSONL to read before workers are used (tests set 0). */
	parallelMinBytes?: number;
	/**
	 * Fold calls more than two days old into 15-minute rollups while reading, so memory follows
	 * recent activity, not history (every key and number stays in the sealed-call ledger: no
	 * number changes). Off when a window edge is off the 15-minute grid (it would cut a rollup).
	 */
	sealOld?: boolean;
	/** Worker threads and the WebAssembly pass as the benchmark switches set them (tuning.ts). */
	tuning?: Pick<Tuning, 'workers' | 'wasm' | 'workerDies'>;
	/** The persistent index (omit for none: tests, --no-cache). */
	index?: {cache: IndexCache; home: string; key: string};
};

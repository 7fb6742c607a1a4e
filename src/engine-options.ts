// How an engine is made (what the CLI, the tests and a store worker pass in) and what it answers.
import type {Budget} from './core/budgets.js';
import type {LoopThresholds} from './core/loops.js';
import type {GitFs} from './ingest/git-root.js';
import type {IndexCache} from './ingest/index-cache.js';
import type {Store, StoreEnv} from './ingest/types.js';
import type {PricingOptions} from './pricing/index.js';
import type {Tuning} from './tuning.js';
import type {Burn} from './core/burn-rate.js';
import type {BudgetStatus} from './core/budgets.js';
import type {Suggestion} from './core/loops.js';
import type {Snapshot} from './core/snapshot.js';
import type {TailerStatus} from './ingest/tailer.js';

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
	/**
	 * Failed tool results from before this time are kept without their text (ParserContext):
	 * the CLI sets it where no loop window can reach (loopHorizon); omitted, all are read.
	 */
	resultsSince?: number;
	/** Worker threads and the WebAssembly pass as the benchmark switches set them (tuning.ts). */
	tuning?: Pick<Tuning, 'workers' | 'wasm' | 'workerDies'>;
	/** The persistent index (omit for none: tests, --no-cache). */
	index?: {cache: IndexCache; home: string; key: string};
};

export type IndexStatus = {
	/** 'loaded': restored; 'none': no usable index (first run, other version or config); 'off'; or an error. */
	state: 'loaded' | 'none' | 'off' | 'error';
	file?: string;
	files?: number;
	unchanged?: number;
	savedAt?: string;
	message?: string;
};

/** How a cold scan ran: one thread, stores split over threads, or files split over threads. */
export type ScanMode = 'sequential' | 'split' | 'parallel';

export type Progress = {filesRead: number; filesTotal: number; bytesRead: number; bytesTotal: number; done: boolean};

/** `budgets` only when some are configured, at the window's `now`. */
export type SnapshotWithSuggestions = Snapshot & {suggestions: Suggestion[]; budgets?: BudgetStatus[]};

export type LiveSnapshot = SnapshotWithSuggestions & {burn: Burn; progress: Progress; watching: TailerStatus | undefined};

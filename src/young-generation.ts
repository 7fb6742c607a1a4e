// V8 settings for a process that reads a lot and keeps little. Keep the young generation at its first size (1 MB semi-spaces) instead of letting it double
// up to 16 MB: a scan makes mostly short-lived objects, and the big new space only held more of
// them at once. Measured on 1 GB (BENCHMARKS.md): one-thread cold scan RSS 162 → 134 MB, RSS after
// the monitor's back-fill 232 → 196 MB, the same or less CPU. V8 reads the factor whenever it
// would grow the new space, so setting it at start takes effect; newer V8s clamp it to 2 (then
// this changes nothing). BURNTOP_GC_DEFAULTS=1 leaves V8's defaults (for comparisons).
//
// Starting a worker thread puts V8's default back for the whole process (measured: the main
// thread's new space grew to 32 MB during a split scan, +25 MB peak), so the readers apply it
// again after each block until the worker says it runs (worker-started.ts), and once more then.
import v8 from 'node:v8';
import {tuningFrom} from './tuning.js';

let applied = false;

/** Apply the setting (the CLI, at start). */
export function keepYoungGenerationSmall(): void {
	if (tuningFrom(process.env).gcDefaults) return;
	apply();
	applied = true;
}

/** Apply it again if this process applied it before (after a worker's start reset it). */
export function reapplyYoungGeneration(): void {
	if (applied) apply();
}

/**
 * Workers started whose code has not run yet: one of them may reset the setting at any moment.
 * Each sets its flag (worker-started.ts) as its first code runs, its heap (and the reset) made
 * by then. Their 'online' event would come too late: the main thread reads synchronously and
 * handles no event until its files are read (it re-applied the setting after all ~1,100 blocks
 * of 1 GB, ~18 ms, instead of the few dozen read while a worker starts).
 */
const starting = new Set<Int32Array>();

/** A flag for startWorker to hand a worker in its data (`started`), set by the worker when it runs. */
export function startedFlag(): Int32Array {
	return new Int32Array(new SharedArrayBuffer(4));
}

/** A worker is starting: until it runs, readers re-apply the setting after each block (whileWorkersStart). */
export function workerStarting(worker: {once(event: 'online' | 'exit', f: () => void): unknown}, started: Int32Array): void {
	starting.add(started);
	const done = () => {
		if (starting.delete(started)) reapplyYoungGeneration();
	};
	worker.once('online', done);
	worker.once('exit', done);
}

/**
 * A reader's hook after each block it reads: re-apply the setting while a worker is starting, so
 * that a thread reading meanwhile need not wait for the workers to run (~40 ms) nor let its
 * young generation grow; once more after the last one runs. A no-op otherwise.
 */
export function whileWorkersStart(): void {
	if (starting.size === 0) return;
	for (const f of starting) if (Atomics.load(f, 0) === 1) starting.delete(f);
	reapplyYoungGeneration();
}

// The old generation's limit grows to 1.5× its size after each full collection, not by V8's
// dynamic factor (up to 4×): what a scan keeps is small and grows slowly, and the slack was
// most of the peak. Measured one thread, --once --no-cache: 3 GB 179 → 155 MB, 1 GB 112 → 101 MB
// at 2×; 1.5× then took 3 GB split 153–157 → 146–149 MB for 8 more full collections (~12 ms)
// (BENCHMARKS.md). Scavenges, not these, are most of the GC time.
// Scavenges of the 1 MB semi-spaces on this thread alone: helper tasks cost more than they
// save on so little, and take the core a split scan's other thread is using. Measured on 1 GB,
// alternating (BENCHMARKS.md, session 15): split 1.58 → 1.49 s, one thread 1.70 → 1.67 s.
const FLAGS = '--semi-space-growth-factor=1 --heap-growing-percent=50 --no-parallel-scavenge';

function apply(): void {
	v8.setFlagsFromString(FLAGS);
}

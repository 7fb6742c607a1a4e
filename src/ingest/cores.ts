// How many cores, and how much unread JSONL makes worker threads worth starting: apart from
// parallel.ts so a start with nothing to read never loads worker_threads (~3 ms).
import os from 'node:os';

/** Below this many bytes of JSONL to read, one thread is faster (a worker takes ~50–100 ms to start). */
export const PARALLEL_MIN_BYTES = 64 * 1024 * 1024;

export function cores(): number {
	return os.availableParallelism?.() ?? os.cpus().length;
}

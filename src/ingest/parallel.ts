// Parallel cold scan: JSONL files are parsed by worker threads (see workerCount) and
// their events applied on this thread in the same file order as a sequential scan, so the
// totals are identical. Used for large one-shot scans; small ones are not worth the start-up.
import fs from 'node:fs';
import os from 'node:os';
import {Worker} from 'node:worker_threads';
import type {StoreReader, TrackedFile} from './reader.js';
import type {ScanJob, ScanResult} from './scan-worker.js';
import {ALL_STORES} from './stores.js';
import type {StoreEnv} from './types.js';

/** Below this many bytes of JSONL to read, one thread is faster (workers take ~100 ms to start). */
export const PARALLEL_MIN_BYTES = 64 * 1024 * 1024;

/** The worker script: the bundle's sibling, or the TypeScript source under tsx. */
function workerUrl(): URL | undefined {
	// Bundled: this code sits in dist/ or dist/chunks/, the worker in dist/.
	for (const name of ['./scan-worker.mjs', '../scan-worker.mjs', './scan-worker.ts']) {
		const u = new URL(name, import.meta.url);
		if (fs.existsSync(u)) return u;
	}

	return undefined;
}

export function cores(): number {
	return os.availableParallelism?.() ?? os.cpus().length;
}

/**
 * One worker per core but one (this thread applies the events), at least 2, at most 8. On 2 cores
 * the parallel scan is barely faster than one thread (measured 2.7–2.9 s against 2.9–3.3 s on
 * 1 GB) and holds ~40 MB more, so by default it starts at 3 cores (see Engine.scan).
 */
export function workerCount(): number {
	const forced = Number(process.env['BURNTOP_WORKERS']);
	if (forced > 0) return Math.min(8, forced);
	return Math.min(8, Math.max(2, cores() - 1));
}

/**
 * Read `files` (all JSONL, none read yet) in worker threads and hand each file's events and
 * reading state to `reader`, in file order. Returns false (having done nothing) when workers
 * are unavailable.
 */
export async function scanParallel(reader: StoreReader, files: readonly TrackedFile[], env: StoreEnv, now: number, onFile?: () => void): Promise<boolean> {
	const url = workerUrl();
	const n = Math.min(workerCount(), files.length);
	if (!url || n < 1) return false;
	const storeIndex = (t: TrackedFile) => ALL_STORES.indexOf(t.store);
	if (files.some(t => storeIndex(t) === -1)) return false;

	const results = new Map<number, ScanResult>();
	let nextJob = 0;
	let nextApply = 0;
	const workers: Worker[] = [];
	await new Promise<void>((resolve, reject) => {
		const drain = () => {
			for (let r = results.get(nextApply); r; r = results.get(nextApply)) {
				results.delete(nextApply);
				const t = files[nextApply]!;
				for (const ev of r.events) reader.emitChecked(ev);
				if (r.state) reader.importFiles([r.state]);
				if (r.error) t.error = r.error;
				if (r.deleted) t.deleted = true;
				nextApply++;
				onFile?.();
			}

			if (nextApply === files.length) resolve();
		};

		const feed = (w: Worker) => {
			if (nextJob >= files.length) return;
			const i = nextJob++;
			const job: ScanJob = {i, store: storeIndex(files[i]!), file: files[i]!.file};
			w.postMessage(job);
		};

		for (let k = 0; k < n; k++) {
			// From source the worker is TypeScript: it registers tsx's loader, then loads it.
			const w = url.pathname.endsWith('.ts')
				? new Worker(`import('tsx/esm/api').then(api => { api.register(); return import(${JSON.stringify(url.href)}); })`, {eval: true, workerData: {env, now}})
				: new Worker(url, {workerData: {env, now}});
			workers.push(w);
			w.on('message', (r: ScanResult) => {
				results.set(r.i, r);
				feed(w);
				drain();
			});
			w.on('error', reject);
			// Two jobs in flight: a worker never waits for this thread to hand it the next file.
			feed(w);
			feed(w);
		}
	}).finally(async () => {
		await Promise.all(workers.map(w => w.terminate()));
	});
	return true;
}

// A cold scan with its stores over threads (scanSplit): each big store but the largest goes to
// a worker thread with an engine of its own; their aggregates are merged here.
import type {Aggregate} from './core/aggregate.js';
import type {EngineOptions} from './engine-options.js';
import {cores, PARALLEL_MIN_BYTES} from './ingest/cores.js';
import type {StoreReader, TrackedFile} from './ingest/reader.js';
import {ALL_STORES} from './ingest/stores.js';
import type {Store} from './ingest/types.js';
import type {ToolId} from './core/types.js';
import {PartsJoiner} from './ingest/state-parts.js';
import {loadPriceData} from './pricing/index.js';
import type {StoreJob, StoreResult} from './store-job.js';

/** What the split needs of the engine that runs it. */
export type SplitHost = {
	readonly aggregate: Aggregate;
	readonly reader: StoreReader;
	readonly options: EngineOptions;
	readAll(files: readonly TrackedFile[], afterFile: () => void): void;
};

/**
 * A cold scan with stores over threads: this thread reads the store with the most unread
 * JSONL bytes (and every small store), a worker each of the next ones with an aggregate of
 * its own, merged here at the end. Stores share no session or call, so the merge equals one
 * thread reading everything, with no per-event cost between threads (measured on 1 GB of
 * Claude Code and Codex on 2 cores: see BENCHMARKS.md). False (nothing done) when it does
 * not apply: one core, one big store, injected stores or file system, no worker script, or
 * calls already counted (an index was loaded: new files may continue its sessions).
 */
export async function scanSplit(e: SplitHost, all: readonly TrackedFile[], afterFile: () => void): Promise<ToolId[] | false> {
	if (e.options.parallel === false || e.options.parallel === 'files' || e.options.stores !== undefined || e.options.gitFs) return false;
	if (e.aggregate.calls.size > 0 || e.aggregate.rollupCount > 0 || e.aggregate.sessions.size > 0) return false;
	const min = e.options.parallelMinBytes ?? PARALLEL_MIN_BYTES;
	const byStore = new Map<Store, {files: TrackedFile[]; bytes: number}>();
	for (const t of all) {
		if (t.handler.kind !== 'jsonl' || t.settled || t.cursor.offset !== 0) continue;
		const s = byStore.get(t.store) ?? {files: [], bytes: 0};
		s.files.push(t);
		s.bytes += t.size;
		byStore.set(t.store, s);
	}

	const big = [...byStore].filter(([, s]) => s.bytes >= min && s.files.length > 0).sort((a, b) => b[1].bytes - a[1].bytes);
	if (big.length < 2 || cores() < 2) return false;
	const {startWorker, workerUrl} = await import('./ingest/parallel.js');
	const {postParts, takeParts} = await import('./ingest/parts-port.js');
	const {MessageChannel} = await import('node:worker_threads');
	const url = workerUrl('store-worker');
	if (!url) return false;
	const now = (e.options.clock ?? Date.now)();
	const options = {env: e.options.env, pricing: e.options.pricing, attribution: e.options.attribution, sealOld: e.options.sealOld, tuning: e.options.tuning, resultsSince: e.options.resultsSince};
	const others = big.slice(1, cores());
	// The price data (~30 ms, all of it kept) loads before the workers start, not at this thread's
	// first call: kept objects are what grows the young generation, and a worker's start puts
	// V8's default back until the next block is read (young-generation.ts). Loaded in the first
	// block, the main thread's new space grew to 4–8 MB in 7 of 30 runs under load; now 0 of 40.
	loadPriceData();
	const away = others.map(([store, s]) => {
		// Files in and the result out in small parts (parts-port.ts), not one message each: the
		// result's one 16 MB message raised malloc's mmap threshold (BENCHMARKS.md, session 11).
		const {port1, port2} = new MessageChannel();
		postParts(port1, s.files.map(t => t.file));
		const job: StoreJob = {options, now, store: ALL_STORES.indexOf(store), port: port2};
		// A small young generation: 221 → 191 MB peak on 1 GB for the same speed (BENCHMARKS.md).
		const worker = startWorker(url, job, [port2], {maxYoungGenerationSizeMb: 4});
		const done = new Promise<boolean>(resolve => {
			worker.once('message', m => resolve(m === 'done'));
			worker.once('error', () => resolve(false));
			worker.once('exit', () => resolve(false));
		});
		return {files: s.files, worker, done, port: port1, parts: new PartsJoiner(), ended: false, broken: false};
	});
	// The workers' parts as they come, between this thread's files. A part that does not fit
	// (never expected) fails that worker: its files are read here.
	const take = (a: (typeof away)[number]) => {
		try {
			if (!a.ended) a.ended = takeParts(a.port, a.parts);
		} catch {
			a.ended = a.broken = true;
		}

		return a.ended && !a.broken;
	};

	const tools = others.map(([store]) => store.tool);
	// No wait for the workers to run: the reader re-applies the young-generation setting after
	// each block meanwhile (young-generation.ts whileWorkersStart), ~40 ms sooner.
	const elsewhere = new Set(away.flatMap(a => a.files));
	e.readAll(all.filter(t => !elsewhere.has(t)), () => {
		for (const a of away) take(a);
		afterFile();
	});
	for (const a of away) {
		// 'done' comes after the worker posted its last part: all of them are on the port by then.
		const ok = (await a.done) && take(a);
		await a.worker.terminate();
		a.port.close();
		const r = ok ? (a.parts.value as StoreResult) : undefined;
		// The joined state can go once merged (another worker's merge may follow).
		a.parts = new PartsJoiner();
		if (r && merge(e, r)) {
			for (let i = 0; i < a.files.length; i++) afterFile();
		} else {
			// The worker failed: read its files here, as one thread would have.
			e.readAll(a.files, afterFile);
		}
	}

	e.aggregate.series.compact();
	return tools;
}

/** A store worker's result into this engine; false (nothing changed) if the aggregates overlap. */
function merge(e: SplitHost, r: StoreResult): boolean {
	try {
		e.aggregate.mergeState(r.aggregate);
	} catch {
		return false;
	}

	e.reader.importFiles(r.files);
	for (const f of r.failed) {
		const t = e.reader.files.get(f.path);
		if (!t) continue;
		if (f.error) t.error = f.error;
		if (f.deleted) t.deleted = true;
	}

	return true;
}

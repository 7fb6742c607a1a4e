// Parallel cold scan: worker threads and this thread take JSONL files from one shared
// counter; this thread applies every file's events in file order (its own straight away
// when it is next, the others' as they arrive), so the totals equal a sequential scan's.
// Used for large one-shot scans; small ones are not worth the workers' start-up.
import fs from 'node:fs';
import {cores} from './cores.js';
import {startedFlag, workerStarting} from '../young-generation.js';
import {MessageChannel, type MessagePort, receiveMessageOnPort, Worker} from 'node:worker_threads';
import type {IngestEvent} from '../core/types.js';
import {unpackEvents} from './event-codec.js';
import type {StoreReader, TrackedFile} from './reader.js';
import {CLAIMS, NEXT, POSTED, type ScanJob, type ScanResult, type WorkerInput} from './scan-protocol.js';
import type {Tuning} from '../tuning.js';
import {ALL_STORES} from './stores.js';
import type {StoreEnv} from './types.js';

/** A worker script (`scan-worker`, `store-worker`): the bundle's sibling, or the TypeScript source under tsx. */
export function workerUrl(name: string): URL | undefined {
	// Bundled: this code sits in dist/ or dist/chunks/, the workers in dist/. From source: src/ingest/ or src/.
	for (const file of [`./${name}.mjs`, `../${name}.mjs`, `./${name}.ts`, `../${name}.ts`]) {
		const u = new URL(file, import.meta.url);
		if (fs.existsSync(u)) return u;
	}

	return undefined;
}

/** A worker for `url` with `workerData`; from source (TypeScript) it registers tsx's loader first. */
export function startWorker(url: URL, data: object, transferList: readonly MessagePort[] = [], resourceLimits?: import('node:worker_threads').ResourceLimits): Worker {
	// Set by the worker as its code starts (worker-started.ts).
	const started = startedFlag();
	const workerData = {...data, started};
	const worker = url.pathname.endsWith('.ts')
		? new Worker(`import('tsx/esm/api').then(api => { api.register(); return import(${JSON.stringify(url.href)}); })`, {eval: true, workerData, transferList: [...transferList], resourceLimits})
		: new Worker(url, {workerData, transferList: [...transferList], resourceLimits});
	// Its start puts V8's default young generation back for the process (young-generation.ts).
	workerStarting(worker, started);
	return worker;
}

/** One worker per core but one (this thread reads files too), at most 8; `forced`: Tuning.workers. */
export function workerCount(forced?: number): number {
	if (forced !== undefined && forced > 0) return Math.min(8, forced);
	return Math.min(8, cores() - 1);
}
const MAIN = 1;

// Node ≥ 16 has it; TypeScript's lib has it only from es2024.
const waitAsync = (Atomics as unknown as {waitAsync(a: Int32Array, i: number, v: number, ms: number): {async: boolean; value: Promise<string> | string}}).waitAsync;

type Held = {events: IngestEvent[]; own: true};

/**
 * Read `files` (all JSONL, none read yet) on this thread and in worker threads, applying each
 * file's events and reading state to `reader` in file order. Returns false (having done
 * nothing) when workers are unavailable.
 */
export async function scanParallel(reader: StoreReader, files: readonly TrackedFile[], env: StoreEnv, now: number, afterFile: () => void, tuning: Pick<Tuning, 'workers' | 'wasm' | 'workerDies'> = {}): Promise<boolean> {
	const url = workerUrl('scan-worker');
	const n = Math.min(workerCount(tuning.workers), files.length - 1);
	if (!url || n < 1) return false;
	const storeIndex = (t: TrackedFile) => ALL_STORES.indexOf(t.store);
	if (files.some(t => storeIndex(t) === -1)) return false;

	const control = new SharedArrayBuffer(4 * (CLAIMS + files.length));
	const ctl = new Int32Array(control);
	const jobs: ScanJob[] = files.map(t => ({store: storeIndex(t), file: t.file}));
	const results = new Map<number, ScanResult | Held>();
	const ports: MessagePort[] = [];
	const workers: Worker[] = [];
	const dead = new Set<number>();
	const take = (r: ScanResult) => results.set(r.i, r);
	for (let k = 0; k < n; k++) {
		const {port1, port2} = new MessageChannel();
		const workerData: WorkerInput = {env, now, resultsSince: reader.resultsSince, jobs, control, id: MAIN + 1 + k, port: port2, tuning: {wasm: tuning.wasm, workerDies: tuning.workerDies}};
		const w = startWorker(url, workerData, [port2]);
		// A worker that dies leaves its unfinished file to this thread (see below).
		w.on('error', () => dead.add(MAIN + 1 + k));
		w.on('exit', () => dead.add(MAIN + 1 + k));
		port1.on('message', take);
		ports.push(port1);
		workers.push(w);
	}

	const drain = () => {
		for (const p of ports) for (let m = receiveMessageOnPort(p); m; m = receiveMessageOnPort(p)) take(m.message as ScanResult);
	};

	const apply = (i: number, r: ScanResult | Held) => {
		for (const ev of 'own' in r ? r.events : unpackEvents(r.events)) reader.emitChecked(ev);
		if (!('own' in r)) {
			const t = files[i]!;
			if (r.state) reader.importFiles([r.state]);
			if (r.error) t.error = r.error;
			if (r.deleted) t.deleted = true;
		}

		afterFile();
	};

	/** Read file i on this thread, its events straight to the aggregate (it is next in order). */
	const readHere = (i: number) => {
		reader.read(files[i]!, true);
		afterFile();
	};

	try {
		// Tests: let a worker claim (and die holding) the first file before this thread starts.
		if (tuning.workerDies) while (Atomics.load(ctl, NEXT) === 0 && dead.size < workers.length) await new Promise(resolve => setTimeout(resolve, 5));
		let next = 0;
		while (next < files.length) {
			drain();
			const r = results.get(next);
			if (r && !('crashed' in r && r.crashed)) {
				results.delete(next);
				apply(next, r);
				next++;
				continue;
			}

			// A file whose worker failed or died: read it here.
			if (r || dead.has(ctl[CLAIMS + next]!) || dead.size === workers.length) {
				results.delete(next);
				readHere(next++);
				continue;
			}

			const i = Atomics.add(ctl, NEXT, 1);
			if (i < files.length) {
				ctl[CLAIMS + i] = MAIN;
				if (i === next) {
					readHere(next++);
				} else {
					results.set(i, {events: reader.readHeld(files[i]!), own: true});
				}

				continue;
			}

			// Everything is claimed and the next file is still with a worker: wait for a result
			// (or for the worker's exit event, which needs the event loop).
			const posted = Atomics.load(ctl, POSTED);
			drain();
			if (results.has(next)) continue;
			// waitAsync wakes on a result but does not keep the event loop alive; the timer does.
			const w = waitAsync(ctl, POSTED, posted, 50);
			let timer: NodeJS.Timeout | undefined;
			await Promise.race([w.async ? w.value : undefined, new Promise(resolve => (timer = setTimeout(resolve, w.async ? 50 : 0)))]);
			clearTimeout(timer);
		}
	} finally {
		for (const p of ports) p.close();
		await Promise.all(workers.map(w => w.terminate()));
	}

	return true;
}

// Wires stores → reader → aggregate. Used by the CLI, the live monitor and tests.
import {Aggregate, type CallRecord} from './core/aggregate.js';
import {sessionDetail, type SessionDetail} from './core/session-detail.js';
import {computeBurn} from './core/burn-rate.js';
import {cacheView, type CacheView} from './core/cache-rate.js';
import {budgetStatuses, type BudgetStatus} from './core/budgets.js';
import type {MetricsInput} from './core/metrics.js';
import {detectLoops, LOOP_DEFAULTS, type Suggestion} from './core/loops.js';
import {buildSnapshot, type Snapshot, type Window} from './core/snapshot.js';
import type {ToolId, UsageEvent} from './core/types.js';
import type {IngestHealth} from './core/snapshot.js';
import {attribute, GitRoots} from './ingest/git-root.js';
import {discoverStore, type Discovery} from './ingest/discover.js';
import {StoreReader, type TrackedFile} from './ingest/reader.js';
import type {Tailer} from './ingest/tailer.js';
import {cores, PARALLEL_MIN_BYTES} from './ingest/cores.js';
import {ALL_STORES} from './ingest/stores.js';
import type {Store} from './ingest/types.js';
import type {EngineOptions} from './engine-options.js';
import {Pricer} from './pricing/index.js';
import {findAgentProcess, listAgents} from './procs.js';
import {whileWorkersStart} from './young-generation.js';
import {scanSplit} from './split-scan.js';
import {IndexKeeper} from './engine-index.js';

export type {EngineOptions} from './engine-options.js';

export type {IndexStatus, LiveSnapshot, Progress, ScanMode, SnapshotWithSuggestions} from './engine-options.js';
import type {IndexStatus, LiveSnapshot, Progress, ScanMode, SnapshotWithSuggestions} from './engine-options.js';

/** Work done between yields to the event loop while back-filling. */
const SLICE_MS = 12;
const SLICE_BYTES = 8 * 1024 * 1024;

export class Engine {
	private readonly keeper: IndexKeeper;
	readonly aggregate: Aggregate;
	readonly reader: StoreReader;
	readonly pricer: Pricer;
	discoveries: Discovery[] = [];
	tailer?: Tailer;
	private closed = false;
	readonly progress: Progress = {filesRead: 0, filesTotal: 0, bytesRead: 0, bytesTotal: 0, done: false};

	constructor(private readonly options: EngineOptions) {
		this.keeper = new IndexKeeper(options.index, options.clock);
		this.pricer = new Pricer(options.pricing);
		this.aggregate = new Aggregate((e: UsageEvent) => this.pricer.price(e));
		// Each file's old calls sealed once it is read (see fileCounter), from a scan's first file.
		if (options.sealOld) this.aggregate.trackFresh(true);
		const roots = options.attribution === 'cwd' ? undefined : new GitRoots(options.gitFs);
		this.reader = new StoreReader(ev => this.aggregate.apply(roots ? attribute(ev, roots) : ev), options.env, options.clock);
		if (options.resultsSince !== undefined) this.reader.resultsSince = options.resultsSince;
		this.reader.afterBlock = whileWorkersStart;
	}

	get stores(): readonly Store[] {
		return this.options.stores ?? ALL_STORES;
	}

	/** Find every store's files (newest first) and start tracking them. */
	/** Moves whenever a counted number changes: views rebuild only then. */
	get version(): number {
		return this.aggregate.version;
	}

	/** Every folder searched, per tool, and whether it exists (the empty state names them). */
	searched(): Array<{tool: ToolId; path: string; origin: string; exists: boolean}> {
		return this.discoveries.flatMap(d => d.roots.map(r => ({tool: d.store.tool, path: r.path, origin: r.origin, exists: r.exists})));
	}

	/** The search ran and found no session file of any tool. */
	get empty(): boolean {
		return this.discoveries.length > 0 && this.reader.files.size === 0;
	}

	/** The Cache tab's view at `now`. */
	cacheView(now: number): CacheView {
		return cacheView(this.aggregate, now, (c, split) => this.aggregate.reprice(c, split));
	}

	/** Tuning.workers, for doctor's account of the scan. */
	get workersForced(): number | undefined {
		return this.options.tuning?.workers;
	}

	discover(): Discovery[] {
		this.discoveries = this.stores.map(s => discoverStore(s, this.options.env));
		for (const d of this.discoveries) for (const f of d.files) this.reader.track(d.store, f);
		if (this.options.index && this.keeper.status.state === 'off') this.loadIndex();
		return this.discoveries;
	}

	/** How the last one-shot scan read the transcripts (doctor shows it). */
	scanMode?: ScanMode;
	/** In a split scan: the stores read by worker threads. */
	splitStores?: ToolId[];

	/**
	 * Restore the aggregate and the files' reading state from the index, before any read.
	 * A broken or foreign index is ignored (the cold scan gives the same numbers).
	 */
	loadIndex(): IndexStatus {
		return this.keeper.load(this.aggregate, this.reader);
	}

	/** Write what this run knows into the index (a union with what others saved). */
	saveIndex(): void {
		if (!this.closed) this.keeper.save(this.aggregate, this.reader);
	}

	get indexStatus(): IndexStatus {
		return this.keeper.status;
	}

	/** End of a one-shot run (after its output): save the index, close it, pass the exit code on. */
	finish(code: number): number {
		this.saveIndex();
		this.options.index?.cache.close();
		this.reader.close();
		return code;
	}

	/** Read every tracked file to its end, most recently modified first. */
	scanAll(onFile?: () => void): void {
		this.readAll([...this.reader.files.values()], this.fileCounter(onFile));
	}

	private readAll(files: readonly TrackedFile[], afterFile: () => void): void {
		for (const t of files) {
			this.reader.read(t, true);
			afterFile();
		}

		this.aggregate.series.compact();
	}

	/** After each file of a scan or back-fill: (sealOld) its old calls into rollups; every 64 files, old minutes into hours and the rest sealed. */
	private fileCounter(onFile?: () => void): () => void {
		let n = 0;
		return () => {
			if (this.options.sealOld) this.aggregate.sealFresh((this.options.clock ?? Date.now)());
			if (++n % 64 === 0) this.compactOld();
			onFile?.();
		};
	}

	private compactOld(): void {
		this.aggregate.series.compact();
		if (this.options.sealOld) this.aggregate.seal((this.options.clock ?? Date.now)());
	}

	/**
	 * scanAll, on more than one thread when there are enough bytes to read (a cold start on a big
	 * history): stores split over threads (scanSplit), else Claude Code and Codex files parsed by
	 * worker threads and applied here in file order. Same totals either way.
	 */
	async scan(onFile?: () => void): Promise<ScanMode> {
		const all = [...this.reader.files.values()];
		const afterFile = this.fileCounter(onFile);
		const split = await scanSplit({aggregate: this.aggregate, reader: this.reader, options: this.options, readAll: (f, after) => this.readAll(f, after)}, all, afterFile);
		if (split) {
			this.splitStores = split;
			this.scanMode = 'split';
			return this.scanMode;
		}

		const heavy = all.filter(t => t.handler.kind === 'jsonl' && (t.store.tool === 'claude-code' || t.store.tool === 'codex') && !t.settled && t.cursor.offset === 0);
		const bytes = heavy.reduce((n, t) => n + t.size, 0);
		// On 2 cores one worker saved little wall time on 1 GB (1.8–2.2 s against 1.9–2.7 s) for
		// ~1.4 s more CPU and ~45 MB: workers start at 3 cores. A threshold set explicitly (tests) forces them.
		const min = this.options.parallelMinBytes ?? (cores() >= 3 ? PARALLEL_MIN_BYTES : Number.POSITIVE_INFINITY);
		const parallel = this.options.parallel !== false && this.options.stores === undefined && bytes >= min && bytes > 0;
		if (!parallel || !(await (await import('./ingest/parallel.js')).scanParallel(this.reader, heavy, this.options.env, (this.options.clock ?? Date.now)(), afterFile, this.options.tuning))) {
			this.readAll(all, afterFile);
			this.scanMode = 'sequential';
			return this.scanMode;
		}

		// Claude Code and Codex never share keys with the other stores: their relative order is kept.
		const done = new Set(heavy);
		this.readAll(all.filter(t => !done.has(t)), afterFile);
		this.scanMode = 'parallel';
		return this.scanMode;
	}

	private readonly reloaded = new Map<string, {lastAt: number; calls: CallRecord[]}>();

	/**
	 * Drill-down data for a session. A quiet session's calls live in rollups only: its timeline
	 * is read again from its own files (a few ms; the last few are kept).
	 */
	sessionDetail(key: string, now: number): SessionDetail | undefined {
		const s = this.aggregate.sessions.get(key);
		if (!s) return undefined;
		if (s.recent.length > 0 || s.calls === 0 || s.files.size === 0) return sessionDetail(this.aggregate, key, now);
		let hit = this.reloaded.get(key);
		if (!hit || hit.lastAt !== s.lastAt) {
			const temp = new Aggregate(e => this.pricer.price(e));
			const reader = new StoreReader(ev => temp.apply(ev), this.options.env, this.options.clock);
			for (const path of s.files) {
				const t = this.reader.files.get(path);
				if (t) reader.read(reader.track(t.store, t.file), true);
			}

			reader.close();
			hit = {lastAt: s.lastAt, calls: temp.sessions.get(key)?.recent ?? []};
			this.reloaded.set(key, hit);
			if (this.reloaded.size > 4) this.reloaded.delete(this.reloaded.keys().next().value!);
		}

		return sessionDetail(this.aggregate, key, now, hit.calls);
	}

	/** The reader's health plus what discovery could not use (unreadable folders, special files). */
	health(): IngestHealth {
		const h = this.reader.health();
		const found = this.discoveries.flatMap(d => d.problems.filter(p => !this.reader.files.has(p.path)).map(p => ({file: p.path, reason: `cannot read: ${p.reason}`, count: 1})));
		return found.length ? {...h, errors: [...h.errors, ...found]} : h;
	}

	/** Totals for a window, without loop suggestions (period views need no detection). */
	totals(w: Window, generatedAt = Date.now()): Snapshot {
		return buildSnapshot(this.aggregate, w, this.health(), generatedAt);
	}

	snapshot(w: Window, generatedAt = Date.now()): SnapshotWithSuggestions {
		const budgets = this.budgets(w.now);
		return {...this.totals(w, generatedAt), suggestions: this.suggestions(w.now), ...(budgets.length ? {budgets} : {})};
	}

	/** What the metrics exports read: loop count without the /proc scan. */
	metricsInput(now: number, labels: Readonly<Record<string, string>>): MetricsInput {
		return {
			agg: this.aggregate,
			now,
			burn: computeBurn(this.aggregate, now),
			loopsFlagged: detectLoops(this.aggregate, now, {...LOOP_DEFAULTS, ...this.options.loops}).length,
			budgets: this.budgets(now),
			labels,
		};
	}

	budgets(now: number): BudgetStatus[] {
		return budgetStatuses(this.aggregate, this.options.budgets ?? [], now);
	}

	/** Sessions that look like runaway loops at `now`, with their agent process when one is found. */
	/** Flagged sessions' agent processes as last looked up (null: none found). */
	private readonly agentOf = new Map<string, {pid: number; command: string} | null>();

	suggestions(now: number): Suggestion[] {
		const found = detectLoops(this.aggregate, now, {...LOOP_DEFAULTS, ...this.options.loops});
		// The process table is read when a session is newly flagged, not at every snapshot; a
		// flagged session's process is kept while it stays flagged (x and the guard check it again
		// by owner and start time before any signal).
		for (const k of this.agentOf.keys()) if (!found.some(s => s.key === k)) this.agentOf.delete(k);
		const fresh = found.filter(s => !this.agentOf.has(s.key));
		if (fresh.length > 0) {
			const procs = listAgents();
			for (const s of fresh) {
				const session = this.aggregate.sessions.get(s.key);
				const p = session ? findAgentProcess({tool: s.tool, project: s.project, cwds: [...session.cwds], firstAt: session.firstAt, files: [...session.files]}, procs).process : undefined;
				this.agentOf.set(s.key, p ? {pid: p.pid, command: p.command} : null);
			}
		}

		return found.map(s => {
			const p = this.agentOf.get(s.key);
			return p ? {...s, pid: p.pid, command: p.command} : s;
		});
	}

	/** The snapshot plus burn rates, back-fill progress and watcher status. */
	liveSnapshot(now: number, w: Partial<Window> = {}): LiveSnapshot {
		return {
			...this.snapshot({now, ...w}, now),
			burn: computeBurn(this.aggregate, now),
			progress: {...this.progress},
			watching: this.tailer ? {...this.tailer.status} : undefined,
		};
	}

	/**
	 * The write side's upkeep after new lines were read: old minutes fold into hours and, once
	 * history is in, calls two days behind the newest into rollups (unless a window off the
	 * 15-minute grid needs every record: sealOld false). Snapshots only read.
	 */
	private afterRead(): void {
		const now = (this.options.clock ?? Date.now)();
		this.aggregate.series.compact(now);
		if (this.progress.done && this.options.sealOld !== false) this.aggregate.seal(now);
	}

	/**
	 * Read all history, then follow the stores (the monitor and --watch). The watchers start after
	 * the back-fill, not beside it: chokidar's walk of every folder and file at the same time as
	 * the back-fill put both peaks together (3 GB history: 246 → 200 MB peak, BENCHMARKS.md).
	 * What was written meanwhile is caught up when the watchers are ready (Tailer.start).
	 */
	async follow(onRead: () => void, timing?: Parameters<Engine['startLive']>[1]): Promise<void> {
		await this.backfill(onRead);
		await this.startLive(onRead, timing);
	}

	/** Start following the stores. Call after discover(). */
	async startLive(onRead: () => void, timing: {settleMs?: number; sweepMs?: number; fullSweepMs?: number} = {}): Promise<void> {
		// A signal can end the monitor before its watchers start: never start them after close().
		if (this.closed) return;
		// Loaded when live starts: one-shot runs never need the file watcher.
		const {Tailer} = await import('./ingest/tailer.js');
		if (this.closed) return;
		this.tailer = new Tailer({
			reader: this.reader,
			stores: this.stores,
			env: this.options.env,
			onRead: () => {
				this.afterRead();
				onRead();
			},
			usePolling: this.options.usePolling,
			clock: this.options.clock,
			...timing,
		});
		await this.tailer.start();
	}

	/**
	 * Read all history, most recently modified files first, yielding to the event loop every
	 * few milliseconds so the screen stays live. `onSlice` runs after each slice.
	 */
	async backfill(onSlice?: () => void): Promise<void> {
		const files = [...this.reader.files.values()].sort((a, b) => b.mtimeMs - a.mtimeMs);
		this.progress.filesTotal = files.length;
		this.progress.bytesTotal = files.reduce((n, t) => n + t.size, 0);
		this.progress.filesRead = 0;
		this.progress.bytesRead = 0;
		let sliceStart = performance.now();
		const afterFile = this.fileCounter();
		for (const t of files) {
			if (this.closed) return;
			await this.readGradually(t, () => {
				if (performance.now() - sliceStart < SLICE_MS) return false;
				return true;
			}, async () => {
				onSlice?.();
				await yieldToLoop();
				sliceStart = performance.now();
			});
			this.progress.filesRead++;
			this.progress.bytesRead += t.cursor.offset;
			afterFile();
		}

		this.progress.done = true;
		this.afterRead();
		onSlice?.();
		// Publish "done" first; the index is written on the next turn.
		await yieldToLoop();
		this.saveIndex();
	}

	private async readGradually(t: TrackedFile, due: () => boolean, pause: () => Promise<void>): Promise<void> {
		while (this.reader.read(t, false, SLICE_BYTES)) {
			if (this.reader.remaining(t) === 0) break;
			if (due()) await pause();
		}

		if (due()) await pause();
	}

	async close(): Promise<void> {
		if (this.progress.done) this.saveIndex();
		this.closed = true;
		await this.tailer?.close();
		this.reader.close();
		this.options.index?.cache.close();
	}
}

function yieldToLoop(): Promise<void> {
	return new Promise(resolve => setImmediate(resolve));
}

// Follows every store as it is written. chokidar gives the hints; each hint reads the file
// from its offset to the end. chokidar keeps only the first change event per path per 50 ms,
// so every event also schedules one re-read ~75 ms later, and a periodic stat sweep backs up
// missed events (macOS, network filesystems, exhausted inotify watches).
import fs from 'node:fs';
import path from 'node:path';
import {watch, type FSWatcher} from 'chokidar';
import {discoverStore} from './discover.js';
import type {StoreReader, TrackedFile} from './reader.js';
import type {Root, Store, StoreEnv} from './types.js';

export type TailerOptions = {
	reader: StoreReader;
	stores: readonly Store[];
	env: StoreEnv;
	/** Called after reads that may have changed the aggregate. */
	onRead: () => void;
	/** Re-read delay after an event (chokidar drops trailing events within 50 ms). */
	settleMs?: number;
	/** Stat sweep of recently active files. */
	sweepMs?: number;
	/** Full sweep of every tracked file and of roots that did not exist yet. */
	fullSweepMs?: number;
	/** Force polling (network filesystems); also chosen automatically when watches run out. */
	usePolling?: boolean;
	clock?: () => number;
};

export type TailerStatus = {
	mode: 'watching' | 'polling';
	roots: string[];
	problems: string[];
};

const HOT_MS = 24 * 3_600_000;

export class Tailer {
	private readonly watchers: FSWatcher[] = [];
	private readonly watched = new Set<string>();
	private readonly timers = new Map<string, NodeJS.Timeout>();
	private sweepTimer?: NodeJS.Timeout;
	private fullTimer?: NodeJS.Timeout;
	private closed = false;
	private readonly onClose: Array<() => void> = [];
	readonly status: TailerStatus = {mode: 'watching', roots: [], problems: []};

	constructor(private readonly o: TailerOptions) {
		if (o.usePolling) this.status.mode = 'polling';
	}

	async start(): Promise<void> {
		const ready: Array<Promise<void>> = [];
		for (const store of this.o.stores) {
			for (const root of store.roots(this.o.env)) ready.push(this.watchRoot(store, root));
		}

		await Promise.all(ready);
		if (this.closed) return;
		// Anything written before the watchers were ready (during the back-fill, or while chokidar
		// read a folder with ignoreInitial) had no event: every tracked file is checked and every
		// root walked once for new files.
		this.sweep(true, true);
		const sweepMs = this.o.sweepMs ?? 2000;
		this.sweepTimer = setInterval(() => this.sweep(false), sweepMs);
		this.fullTimer = setInterval(() => this.sweep(true), this.o.fullSweepMs ?? 30_000);
		this.sweepTimer.unref?.();
		this.fullTimer.unref?.();
	}

	private async watchRoot(store: Store, root: Root): Promise<void> {
		if (this.closed || this.watched.has(root.path) || !isDir(root.path)) return;
		this.watched.add(root.path);
		this.status.roots.push(root.path);
		// A database is written through its WAL: a change there is a change of the database.
		const main = (p: string) => (store.kind === 'sqlite' ? p.replace(/-(wal|shm|journal)$/, '') : p);
		const w = watch(root.path, {
			ignoreInitial: true,
			persistent: true,
			depth: 12,
			atomic: false,
			awaitWriteFinish: false,
			usePolling: this.status.mode === 'polling',
			interval: 500,
			ignored: (p: string, stats?: fs.Stats) => Boolean(stats?.isFile() && !store.accepts(main(p))),
		});
		const file = (p: string) => ({path: p, root: root.path, priority: root.priority ?? 0});
		w.on('add', raw => {
			const p = main(raw);
			if (!store.accepts(p)) return;
			const known = this.o.reader.files.get(p);
			// An add for a path we track means a new file there (the unlink may have been missed).
			if (known) known.deleted = true;
			this.readNow(this.o.reader.track(store, file(p)));
		});
		w.on('change', raw => {
			const p = main(raw);
			if (!store.accepts(p)) return;
			this.readNow(this.o.reader.track(store, file(p)));
		});
		w.on('unlink', p => {
			const t = this.o.reader.files.get(p);
			// Usage already counted stays counted; a new file at this path starts from 0.
			if (t) t.deleted = true;
		});
		w.on('error', error => this.problem(error as NodeJS.ErrnoException));
		this.watchers.push(w);
		// A watcher closed before it is ready never says so: close() must not leave start() waiting.
		await new Promise<void>(resolve => {
			w.once('ready', () => resolve());
			this.onClose.push(resolve);
		});
	}

	private problem(error: NodeJS.ErrnoException): void {
		const code = error.code ?? error.message;
		if ((code === 'ENOSPC' || code === 'EMFILE') && this.status.mode === 'watching') {
			this.status.mode = 'polling';
			this.status.problems.push(`file watching unavailable (${code}: inotify or file limits reached); polling every ${(this.o.sweepMs ?? 2000) / 1000}s instead`);
			return;
		}

		if (!this.status.problems.includes(code)) this.status.problems.push(`watcher: ${code}`);
	}

	/** Read now and once more shortly after, for the events chokidar will swallow. */
	private readNow(t: TrackedFile): void {
		if (this.closed) return;
		if (this.o.reader.read(t, false)) this.o.onRead();
		const key = t.file.path;
		clearTimeout(this.timers.get(key));
		const timer = setTimeout(() => {
			this.timers.delete(key);
			if (!this.closed && this.o.reader.read(t, false)) this.o.onRead();
		}, this.o.settleMs ?? 75);
		timer.unref?.();
		this.timers.set(key, timer);
	}

	/** Stat recently active files (or all, on a full sweep) and read any that moved; `walk`: look for new files in watched roots too. */
	sweep(full: boolean, walk = false): void {
		if (this.closed) return;
		const now = (this.o.clock ?? Date.now)();
		let changed = false;
		for (const t of this.o.reader.files.values()) {
			if (!full && now - t.mtimeMs > HOT_MS && t.size === t.cursor.offset) continue;
			let st: fs.Stats;
			try {
				st = fs.statSync(t.file.path);
			} catch {
				t.deleted = true;
				continue;
			}

			if (t.handler.kind === 'sqlite' || st.size !== t.cursor.offset || st.ino !== t.cursor.ino) changed = this.o.reader.read(t, false) || changed;
		}

		if (full || this.status.mode === 'polling') changed = this.discoverNew(walk || this.status.mode === 'polling') || changed;
		if (changed) this.o.onRead();
	}

	/**
	 * Roots that appeared since start (watched from now on, their files read), and, when
	 * polling, files no event can tell us about. Watched roots are not walked again: idle
	 * cost stays near zero however large the history.
	 */
	private discoverNew(walkWatched: boolean): boolean {
		let changed = false;
		for (const store of this.o.stores) {
			const fresh = store.roots(this.o.env).filter(r => !this.watched.has(r.path) && isDir(r.path));
			if (fresh.length === 0 && !walkWatched) continue;
			const d = discoverStore(store, this.o.env);
			for (const root of fresh) void this.watchRoot(store, root);
			for (const f of d.files) {
				if (this.o.reader.files.has(f.path)) continue;
				changed = this.o.reader.read(this.o.reader.track(store, f), false) || changed;
			}
		}

		return changed;
	}

	async close(): Promise<void> {
		this.closed = true;
		for (const f of this.onClose) f();
		clearInterval(this.sweepTimer);
		clearInterval(this.fullTimer);
		for (const t of this.timers.values()) clearTimeout(t);
		this.timers.clear();
		await Promise.all(this.watchers.map(w => w.close()));
	}
}

function isDir(p: string): boolean {
	try {
		return fs.statSync(path.resolve(p)).isDirectory();
	} catch {
		return false;
	}
}

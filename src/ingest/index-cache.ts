// The persistent index: burntop's own SQLite file under the user's cache folder holding, per
// home, the aggregate (every counted call, sessions, dedupe fingerprints) and each file's
// reading state (inode, size, mtime, offset, parser state). A second start loads it and reads
// only what changed. It is a cache: delete it and the numbers are the same; any change of
// burntop, the price data or the pricing config invalidates it.
import fs from 'node:fs';
import path from 'node:path';
import type Database from 'better-sqlite3';
import {sqlite} from './sqlite-module.js';
import type {AggregateState} from '../core/aggregate.js';
import type {FileState} from './reader.js';

export type IndexState = {aggregate: AggregateState; files: FileState[]; savedAt: number};

export {cacheDir, priceDataVersion} from './cache-dir.js';
import {priceDataVersion} from './cache-dir.js';
import {decodePart, encodePart, joinParts, stateParts} from './state-parts.js';


/** What the cached numbers depend on; any difference and the index is not used. The text itself (no hash: loading crypto took ~3 ms of every start). */
export function indexKey(parts: Record<string, unknown>): string {
	return JSON.stringify({format: 4, prices: priceDataVersion(), ...parts});
}

/** A file's reading state as the parts hold it: `parser` says its state is in the parser table. */
type StoredFile = Omit<FileState, 'parser'> & {parser?: true};

/** Layout of the tables; another one is dropped and made anew (it is a cache). */
const SCHEMA = 8;
/**
 * Earlier layouts whose state this one reads (upgraded in `upgrade`): dropping one would lose the
 * totals of transcripts deleted since they were read. 6: no activity features in the ledger.
 */
const READABLE = new Set([6, 7]);

/** Stored parts decoded one at a time, as they are read (a part's bytes are gone once decoded: a 3 GB history's index is ~35 MB); `read.n` counts them. */
function* decoded(rows: Iterable<[string, Buffer]>, read: {n: number}): Generator<[string, unknown]> {
	for (const [at, data] of rows) {
		read.n++;
		yield [at, decodePart(at, data)];
	}
}

/**
 * A state saved by an earlier layout (READABLE), brought to this one. Layout 6 kept no activity
 * features: its sealed calls start with none, and a later copy's tools classify them again.
 */
function upgrade(st: AggregateState): void {
	const ledger = st.ledger as Partial<AggregateState['ledger']> | undefined;
	if (ledger && ledger.features === undefined && Number.isInteger(ledger.rows) && ledger.rows! >= 0) ledger.features = new Uint16Array(ledger.rows!);
}

export class IndexCache {
	private db?: Database.Database;

	constructor(readonly file: string) {}

	private open(): Database.Database {
		if (this.db) return this.db;
		const dir = path.dirname(this.file);
		fs.mkdirSync(dir, {recursive: true, mode: 0o700});
		// The folder is burntop's own: the owner's eyes only, also when it existed with wider modes.
		try {
			if ((fs.statSync(dir).mode & 0o077) !== 0) fs.chmodSync(dir, 0o700);
		} catch {}

		// Made (or opened) here first: never through a symbolic link (its target would get burntop's
		// tables and modes), and never with wider modes than the owner's, even for an instant.
		let made = false;
		try {
			const fd = fs.openSync(this.file, fs.constants.O_RDWR | fs.constants.O_CREAT | (fs.constants.O_NOFOLLOW ?? 0), 0o600);
			made = fs.fstatSync(fd).size === 0;
			fs.closeSync(fd);
		} catch (error) {
			if ((error as NodeJS.ErrnoException).code === 'ELOOP') throw new Error(`${this.file} is a symbolic link: not used (remove it, or set XDG_CACHE_HOME)`);
			throw error;
		}

		let db: Database.Database | undefined;
		try {
			db = new (sqlite())(this.file, {timeout: 1000});
			this.configure(db);
		} catch (error) {
			db?.close();
			// A full disk while making it: nothing half-made is left behind (it was made just now, empty).
			if (made) for (const f of [this.file, `${this.file}-wal`, `${this.file}-shm`]) fs.rmSync(f, {force: true});

			throw error;
		}

		this.db = db;
		return db;
	}

	private configure(db: Database.Database): void {
		// Large pages: the state is a few big blobs (takes effect when the file is created). A small
		// page cache: every part is read or written once, and the default's pages held ~10 MB more
		// while the first save wrote 15 MB.
		db.pragma('page_size = 65536');
		db.pragma('cache_size = -256');
		db.pragma('journal_mode = WAL');
		// A checkpoint after each save resets the log; this caps what a reset leaves on disk.
		db.pragma('journal_size_limit = 1048576');
		// It holds session ids, project paths and recent shell commands: the owner's eyes only.
		for (const f of [this.file, `${this.file}-wal`, `${this.file}-shm`]) {
			try {
				fs.chmodSync(f, 0o600);
			} catch {}
		}

		// The state in parts (see stateParts); `parts` says how many make a complete save, `gen`
		// which save the files' parser states (read only when a file grew) belong to.
		const version = db.pragma('user_version', {simple: true}) as number;
		if (READABLE.has(version)) db.pragma(`user_version = ${SCHEMA}`);
		else if (version !== SCHEMA) {
			db.exec(`DROP TABLE IF EXISTS state; DROP TABLE IF EXISTS saved; DROP TABLE IF EXISTS part; DROP TABLE IF EXISTS parser;
				CREATE TABLE saved (home TEXT PRIMARY KEY, key TEXT NOT NULL, saved_at INTEGER NOT NULL, parts INTEGER NOT NULL, gen INTEGER NOT NULL);
				CREATE TABLE part (home TEXT NOT NULL, n INTEGER NOT NULL, at TEXT NOT NULL, data BLOB NOT NULL, PRIMARY KEY (home, n));
				CREATE TABLE parser (home TEXT NOT NULL, path TEXT NOT NULL, data BLOB NOT NULL, PRIMARY KEY (home, path));
				PRAGMA user_version = ${SCHEMA};`);
		}
	}

	/** The generation of `home`'s saved state now (another burntop may have saved since). */
	private gen(home: string): number | undefined {
		return (this.open().prepare('SELECT gen FROM saved WHERE home = ?').get(home) as {gen: number} | undefined)?.gen;
	}

	/**
	 * The saved state for `home` if it was saved under the same key. Files' parser states stay
	 * in the file: each is a loader, read only if that file grew, and only while no other
	 * burntop has saved since (else nothing, and the file is read again from its start).
	 */
	load(home: string, key: string): IndexState | undefined {
		if (!fs.existsSync(this.file)) return undefined;
		const db = this.open();
		const row = db.prepare('SELECT key, saved_at, parts, gen FROM saved WHERE home = ?').get(home) as {key: string; saved_at: number; parts: number; gen: number} | undefined;
		if (!row || row.key !== key) return undefined;
		const rows = db.prepare('SELECT at, data FROM part WHERE home = ? ORDER BY n').raw().iterate(home) as IterableIterator<[string, Buffer]>;
		const read = {n: 0};
		const state = joinParts(decoded(rows, read)) as {aggregate: AggregateState; files: StoredFile[]};
		upgrade(state.aggregate);
		if (read.n !== row.parts) throw new Error(`index incomplete: ${read.n} of ${row.parts} parts`);
		this.loaded = {home, gen: row.gen};
		const fetch = db.prepare('SELECT data FROM parser WHERE home = ? AND path = ?').pluck();
		const files = state.files.map((f): FileState => {
			const at = f.path;
			const load = () => (this.db && this.gen(home) === row.gen ? (fetch.get(home, at) as Buffer | undefined) : undefined);
			return {...f, parser: f.parser ? Object.assign(load, {fromIndex: true as const}) : undefined};
		});
		return {aggregate: state.aggregate, files, savedAt: row.saved_at};
	}

	private loaded?: {home: string; gen: number};

	/** The aggregate another burntop saved (parts only; parser states stay in the file). */
	private theirs(db: Database.Database, home: string, key: string): AggregateState | undefined {
		const row = db.prepare('SELECT key, parts FROM saved WHERE home = ?').get(home) as {key: string; parts: number} | undefined;
		if (!row || row.key !== key) return undefined;
		const parts = db.prepare('SELECT at, data FROM part WHERE home = ? ORDER BY n').raw().iterate(home) as IterableIterator<[string, Buffer]>;
		const read = {n: 0};
		try {
			const state = joinParts(decoded(parts, read)) as {aggregate: AggregateState};
			upgrade(state.aggregate);
			return read.n === row.parts ? state.aggregate : undefined;
		} catch {
			return undefined;
		}
	}

	/**
	 * Save in one transaction that takes the write lock first. When another burntop saved since
	 * this one loaded (or last saved), `build` is given that state to take in (the index is the
	 * union of what every process read: a save never drops another's calls); `build` returns the
	 * state to write. Parser states are written for files read since the load; a file still
	 * holding its loader keeps its row, unless another burntop saved meanwhile (then that file
	 * has none, and is read again from its start next time: its calls are already counted).
	 */
	save(home: string, key: string, build: (theirs: AggregateState | undefined) => IndexState): void {
		const db = this.open();
		const insert = db.prepare('INSERT INTO part (home, n, at, data) VALUES (?, ?, ?, ?)');
		const putParser = db.prepare('INSERT OR REPLACE INTO parser (home, path, data) VALUES (?, ?, ?)');
		db.transaction(() => {
			const now = this.gen(home);
			const ours = now === undefined || (this.loaded?.home === home && now === this.loaded.gen);
			const state = build(ours ? undefined : this.theirs(db, home, key));
			const keep = new Set<string>();
			const files = state.files.map(f => {
				let bytes: Buffer | undefined;
				if (typeof f.parser === 'function' && f.parser.fromIndex) {
					if (!ours) return {...f, parser: undefined};
					keep.add(f.path);
				} else if (typeof f.parser === 'function') {
					try {
						bytes = f.parser();
					} catch {
						// A parser holding something unclonable: no state kept; if the file grows it is read again.
					}
				} else {
					bytes = f.parser;
				}

				if (bytes) {
					putParser.run(home, f.path, bytes);
					keep.add(f.path);
				}

				return {...f, parser: keep.has(f.path) ? (true as const) : undefined} satisfies StoredFile;
			});
			const paths = db.prepare('SELECT path FROM parser WHERE home = ?').pluck().all(home) as string[];
			const drop = db.prepare('DELETE FROM parser WHERE home = ? AND path = ?');
			for (const p of paths) if (!keep.has(p)) drop.run(home, p);
			db.prepare('DELETE FROM part WHERE home = ?').run(home);
			let n = 0;
			for (const [at, value] of stateParts({aggregate: state.aggregate, files})) insert.run(home, n++, at, encodePart(at, value));
			const gen = Math.floor(Math.random() * Number.MAX_SAFE_INTEGER);
			db.prepare('INSERT OR REPLACE INTO saved (home, key, saved_at, parts, gen) VALUES (?, ?, ?, ?, ?)').run(home, key, state.savedAt, n, gen);
			this.loaded = {home, gen};
		}).immediate();
		// Fold the log into the database now: with a monitor open, SQLite's own checkpoint comes only
		// every 1,000 pages (64 MB here), so each `--check` from cron grew the -wal file.
		try {
			db.pragma('wal_checkpoint(TRUNCATE)');
		} catch {}
	}

	close(): void {
		this.db?.close();
		this.db = undefined;
	}
}

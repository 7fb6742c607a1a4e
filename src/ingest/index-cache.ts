// The persistent index: burntop's own SQLite file under the user's cache folder holding, per
// home, the aggregate (every counted call, sessions, dedupe fingerprints) and each file's
// reading state (inode, size, mtime, offset, parser state). A second start loads it and reads
// only what changed. It is a cache: delete it and the numbers are the same; any change of
// burntop, the price data or the pricing config invalidates it.
import crypto from 'node:crypto';
import fs from 'node:fs';
import {createRequire} from 'node:module';
import path from 'node:path';
import v8 from 'node:v8';
import Database from 'better-sqlite3';
import type {AggregateState} from '../core/aggregate.js';
import type {FileState} from './reader.js';

export type IndexState = {aggregate: AggregateState; files: FileState[]; savedAt: number};

/** `$XDG_CACHE_HOME/burntop`, else `~/Library/Caches/burntop` on macOS, else `~/.cache/burntop`. */
export function cacheDir(home: string, env: Readonly<Record<string, string | undefined>>, platform: NodeJS.Platform): string {
	if (env['XDG_CACHE_HOME']) return path.join(env['XDG_CACHE_HOME'], 'burntop');
	if (platform === 'darwin') return path.join(home, 'Library', 'Caches', 'burntop');
	if (platform === 'win32' && env['LOCALAPPDATA']) return path.join(env['LOCALAPPDATA'], 'burntop', 'cache');
	return path.join(home, '.cache', 'burntop');
}

let pricesVersion: string | undefined;

/** Version of the bundled price data: new prices mean new costs, so a new index. */
export function priceDataVersion(): string {
	if (pricesVersion) return pricesVersion;
	try {
		let dir = path.dirname(createRequire(import.meta.url).resolve('@pydantic/genai-prices'));
		while (!fs.existsSync(path.join(dir, 'package.json')) && path.dirname(dir) !== dir) dir = path.dirname(dir);
		pricesVersion = (JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as {version: string}).version;
	} catch {
		pricesVersion = 'unknown';
	}

	return pricesVersion;
}

/** What the cached numbers depend on; any difference and the index is not used. */
export function indexKey(parts: Record<string, unknown>): string {
	return crypto.createHash('sha256').update(JSON.stringify({format: 3, prices: priceDataVersion(), ...parts})).digest('hex');
}

export class IndexCache {
	private db?: Database.Database;

	constructor(readonly file: string) {}

	private open(): Database.Database {
		if (this.db) return this.db;
		fs.mkdirSync(path.dirname(this.file), {recursive: true, mode: 0o700});
		const db = new Database(this.file, {timeout: 1000});
		// Large pages: the state is a few big blobs (takes effect when the file is created).
		db.pragma('page_size = 65536');
		db.pragma('journal_mode = WAL');
		// It holds session ids, project paths and recent shell commands: the owner's eyes only.
		for (const f of [this.file, `${this.file}-wal`, `${this.file}-shm`]) {
			try {
				fs.chmodSync(f, 0o600);
			} catch {}
		}

		db.exec('CREATE TABLE IF NOT EXISTS state (home TEXT PRIMARY KEY, key TEXT NOT NULL, saved_at INTEGER NOT NULL, aggregate BLOB NOT NULL, files BLOB NOT NULL)');
		this.db = db;
		return db;
	}

	/** The saved state for `home` if it was saved under the same key. */
	load(home: string, key: string): IndexState | undefined {
		if (!fs.existsSync(this.file)) return undefined;
		const row = this.open().prepare('SELECT key, saved_at, aggregate, files FROM state WHERE home = ?').get(home) as {key: string; saved_at: number; aggregate: Buffer; files: Buffer} | undefined;
		if (!row || row.key !== key) return undefined;
		return {aggregate: v8.deserialize(row.aggregate) as AggregateState, files: v8.deserialize(row.files) as FileState[], savedAt: row.saved_at};
	}

	save(home: string, key: string, state: IndexState): void {
		this.open().prepare('INSERT OR REPLACE INTO state (home, key, saved_at, aggregate, files) VALUES (?, ?, ?, ?, ?)').run(home, key, state.savedAt, v8.serialize(state.aggregate), v8.serialize(state.files));
	}

	close(): void {
		this.db?.close();
		this.db = undefined;
	}
}

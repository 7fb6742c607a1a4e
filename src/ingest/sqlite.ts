// The shared SQLite poller: one read-only connection per database, a short busy timeout (the
// driver is synchronous: a long wait would freeze the screen), `PRAGMA data_version` to skip
// unchanged databases, and no transaction or cursor held between polls.
// Never a byte written beside the store: a WAL-mode database whose app is not running (no -shm)
// would get -wal/-shm files from even a read-only open, so it is opened `immutable` (which
// creates nothing) until its app creates the -shm; then a normal read-only connection follows
// the WAL. When a read-only open fails, the database and its WAL are copied together to a
// temporary folder and the copy is read.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type Database from 'better-sqlite3';
import {sqlite} from './sqlite-module.js';
import {NotRegularFile, notRegular, openRegular} from './safe-file.js';

// URI filenames (for immutable=1) must be enabled before the addon loads on first use.
process.env['SQLITE_USE_URI'] ??= '1';

export const BUSY_TIMEOUT_MS = 200;

export type SqliteHandle = {
	db: Database.Database;
	/** The copy being read, when the original could not be opened read-only. */
	copyDir?: string;
	ino: number;
	dataVersion?: number;
	/** Size and mtime of db + wal when copied or opened immutable. */
	copiedStamp?: string;
	/** Opened immutable: the database's app is not running (WAL mode, no -shm). */
	immutable?: boolean;
};

/** WAL mode is recorded in the header (bytes 18–19 are 2); such a file with no -shm would get sidecars. */
function needsImmutable(file: string): boolean {
	if (fs.existsSync(`${file}-shm`)) return false;
	const {fd} = openRegular(file);
	try {
		const head = Buffer.alloc(20);
		return fs.readSync(fd, head, 0, 20, 0) === 20 && head[18] === 2;
	} finally {
		fs.closeSync(fd);
	}
}

function fileUri(file: string): string {
	return `file:${path.resolve(file).split(path.sep).map(encodeURIComponent).join('/')}?immutable=1`;
}

function stamp(file: string): string {
	const parts = [file, `${file}-wal`].map(f => {
		try {
			const st = fs.statSync(f);
			return `${st.size}:${st.mtimeMs}`;
		} catch {
			return '-';
		}
	});
	return parts.join('|');
}

/** Rows still in the WAL: an immutable open would not see them. */
function walHasRows(file: string): boolean {
	try {
		return fs.statSync(`${file}-wal`).size > 0;
	} catch {
		return false;
	}
}

export function openReadOnly(file: string): SqliteHandle {
	const st = fs.statSync(file);
	if (!st.isFile()) throw new NotRegularFile(notRegular(st));
	const ino = st.ino;
	if (needsImmutable(file)) {
		// No -shm but rows in the WAL (the app closed without a checkpoint, or the -shm was
		// removed): read a copy of both, since an immutable open would miss those rows and a
		// normal one would write a -shm beside the store.
		if (walHasRows(file)) return openCopy(file, ino);
		try {
			const db = new (sqlite())(fileUri(file), {readonly: true, fileMustExist: true, timeout: BUSY_TIMEOUT_MS});
			db.pragma('schema_version');
			return {db, ino, immutable: true, copiedStamp: stamp(file)};
		} catch {
			return openCopy(file, ino);
		}
	}

	try {
		const db = new (sqlite())(file, {readonly: true, fileMustExist: true, timeout: BUSY_TIMEOUT_MS});
		db.pragma('schema_version'); // Fails now, not later, if the file cannot really be read.
		return {db, ino};
	} catch {
		return openCopy(file, ino);
	}
}

function openCopy(file: string, ino: number): SqliteHandle {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'burntop-sqlite-'));
	const copy = path.join(dir, path.basename(file));
	const st = stamp(file);
	fs.copyFileSync(file, copy);
	if (fs.existsSync(`${file}-wal`)) fs.copyFileSync(`${file}-wal`, `${copy}-wal`);
	// The copy is ours: opened writable so SQLite can apply the WAL to it.
	const db = new (sqlite())(copy, {fileMustExist: true, timeout: BUSY_TIMEOUT_MS});
	return {db, ino, copyDir: dir, copiedStamp: st};
}

/** Is there something new to read? Reopens a replaced database and refreshes a stale copy. */
export function refresh(h: SqliteHandle | undefined, file: string): {handle: SqliteHandle; changed: boolean; replaced: boolean} {
	const ino = fs.statSync(file).ino;
	if (!h || h.ino !== ino) {
		if (h) close(h);
		return {handle: openReadOnly(file), changed: true, replaced: h !== undefined};
	}

	if (h.immutable) {
		// The app started (it made the -shm) or the file changed: open it again the right way.
		if (!fs.existsSync(`${file}-shm`) && stamp(file) === h.copiedStamp) return {handle: h, changed: false, replaced: false};
		close(h);
		return {handle: openReadOnly(file), changed: true, replaced: false};
	}

	if (h.copyDir) {
		if (stamp(file) === h.copiedStamp) return {handle: h, changed: false, replaced: false};
		close(h);
		return {handle: openCopy(file, ino), changed: true, replaced: false};
	}

	const v = h.db.pragma('data_version', {simple: true}) as number;
	const changed = h.dataVersion !== v;
	h.dataVersion = v;
	return {handle: h, changed, replaced: false};
}

export function close(h: SqliteHandle): void {
	try {
		h.db.close();
	} catch {}

	if (h.copyDir) fs.rmSync(h.copyDir, {recursive: true, force: true});
}

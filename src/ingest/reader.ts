// Reads session files into events, file by file, keeping per-file cursors so the
// live tailer can continue where the cold scan stopped.
import fs from 'node:fs';
import v8 from 'node:v8';
import type {EmitFn, IngestEvent} from '../core/types.js';
import type {IngestHealth} from '../core/snapshot.js';
import {FileCursor} from './line-reader.js';
import {compileMarkers, readBlock, type CompiledMarker} from './marker-scan.js';
import {implausible} from './plausible.js';
import {close as closeDb, refresh} from './sqlite.js';
import {RateLimitThinner} from './rate-limit-thinner.js';
import {NotRegularFile, openRegular, readOpen} from './safe-file.js';
import type {LineParser, Marker, ParserContext, SessionFile, Store, StoreEnv} from './types.js';
import {handlerFor, type FileState, type SavedParser, type TrackedFile} from './tracked-file.js';

export {handlerFor, type FileState, type Handler, type SavedParser, type TrackedFile} from './tracked-file.js';

/** A file unchanged this long is quiet: the monitor parks its parser too. */
const QUIET_MS = 10 * 60_000;
const NO_PARSER: LineParser = {line: () => {}};
const REPORTED_REASONS_PER_FILE = 5;

export class StoreReader implements ParserContext {
	readonly files = new Map<string, TrackedFile>();
	/** Shared by every read on this thread (reads never interleave): scanned for markers where it lies. */
	private readonly buffer = readBlock();
	private readonly markerCache = new Map<readonly Marker[], CompiledMarker[]>();

	/** ParserContext: failed tool results before this time are kept without their text (the engine sets it from its clock and loop window). */
	resultsSince = Number.NEGATIVE_INFINITY;

	/** Called after each block read from a file (young-generation.ts whileWorkersStart). */
	afterBlock?: () => void;

	/** Rate-limit reports thinned per read (rate-limit-thinner.ts); false hands on every one (tests compare both). */
	thinLimits = true;
	private readonly limits = new RateLimitThinner(event => this.sink(event));

	constructor(private sink: EmitFn, private readonly env?: StoreEnv, private readonly clock: () => number = Date.now) {}

	/** Every event of a file passes here: implausible records are counted against the file, not used. */
	private emitFor(c: FileCursor): EmitFn {
		return event => {
			const problem = implausible(event, this.clock());
			if (problem) c.skip(problem);
			else if (this.thinLimits) this.limits.emit(event);
			else this.sink(event);
		};
	}

	/** Read a whole file, keeping its (checked) events instead of handing them on: a parallel scan applies them in file order later. */
	readHeld(t: TrackedFile): IngestEvent[] {
		const held: IngestEvent[] = [];
		const sink = this.sink;
		this.sink = event => held.push(event);
		try {
			this.read(t, true);
		} finally {
			this.sink = sink;
		}

		return held;
	}

	/** An event already checked (by a scan worker's reader, or held by readHeld): straight to the aggregate. */
	emitChecked(event: IngestEvent): void {
		this.sink(event);
	}

	track(store: Store, file: SessionFile): TrackedFile {
		let t = this.files.get(file.path);
		if (!t) {
			const known = file as Partial<{size: number; mtimeMs: number}>;
			const handler = handlerFor(store, file.path);
			const cursor = handler.kind === 'jsonl' ? new FileCursor(file.path, () => handler.createParser(file, this), this.markers(handler.markers)) : new FileCursor(file.path, NO_PARSER, []);
			t = {file, store, handler, cursor, size: known.size ?? 0, mtimeMs: known.mtimeMs ?? 0};
			this.files.set(file.path, t);
		}

		return t;
	}

	private markers(list: readonly Marker[]): CompiledMarker[] {
		let m = this.markerCache.get(list);
		if (!m) {
			m = compileMarkers(list);
			this.markerCache.set(list, m);
		}

		return m;
	}

	/**
	 * Read a file from its offset to its current end. Truncation or a new inode restarts it
	 * from 0 (dedupe keys absorb the re-read). Returns true when bytes were read.
	 */
	read(t: TrackedFile, final: boolean, budget?: number): boolean {
		try {
			return this.readFrom(t, final, budget);
		} finally {
			// The read's held rate-limit report, however it ended.
			this.limits.end();
		}
	}

	private readFrom(t: TrackedFile, final: boolean, budget?: number): boolean {
		if (t.handler.kind === 'sqlite') return this.poll(t);
		if (t.settled && !t.discoveryChecked) {
			// First read after the index load: discovery has just stat'ed it; unchanged means not even opened.
			t.discoveryChecked = true;
			const known = t.file as Partial<{size: number; mtimeMs: number; ino: number}>;
			if (known.ino === t.cursor.ino && known.size === t.size && known.mtimeMs === t.mtimeMs) return false;
		}

		let fd: number;
		let st: fs.Stats;
		try {
			// Non-blocking, regular files only: a FIFO or a link to a device in a session folder must not hang or fill memory.
			({fd, st} = openRegular(t.file.path));
		} catch (error) {
			const e = error as NodeJS.ErrnoException;
			if (e.code === 'ENOENT') t.deleted = true;
			else t.error = e instanceof NotRegularFile ? e.message : (e.code ?? String(e));
			return false;
		}

		try {
			// Restored from the index and untouched since: its lines are already counted.
			if (t.settled && st.ino === t.cursor.ino && st.size === t.size && st.mtimeMs === t.mtimeMs) return false;
			t.settled = false;
			if (t.savedParser && t.handler.kind === 'jsonl') {
				// It grew (or was replaced): continue with the parser as it was saved, or, with its
				// state gone from the index, read it again (its calls are already counted: deduplicated).
				const saved = typeof t.savedParser === 'function' ? t.savedParser() : t.savedParser;
				t.savedParser = undefined;
				if (saved) t.cursor.parser = Object.assign(t.handler.createParser(t.file, this), v8.deserialize(saved) as object);
				else t.cursor.restart(t.handler.createParser(t.file, this));
			}
			// A path that was deleted holds a new file now, even if the inode number was reused.
			const recreated = t.deleted === true;
			t.deleted = false;
			t.error = undefined;
			const c = t.cursor;
			if (t.handler.kind === 'json') return this.readWhole(t, fd, st, final);
			if (recreated || (c.ino !== 0 && st.ino !== c.ino) || st.size < c.offset || (st.size > c.offset && !c.sameBefore(fd))) {
				c.reset(t.handler.createParser(t.file, this));
			}

			c.ino = st.ino;
			t.size = st.size;
			t.mtimeMs = st.mtimeMs;
			if (st.size === c.offset) return false;
			const before = c.offset;
			c.readTo(fd, st.size, this.emitFor(c), final, this.buffer, budget, this.afterBlock);
			if (c.offset === st.size) {
				c.parser.settle?.();
				// Read to its end and quiet: its parser waits as bytes (~0.5 KB instead of a few KB of
				// objects per file: thousands of finished files), restored if the file grows.
				if ((final || this.clock() - st.mtimeMs > QUIET_MS) && !c.beforeTail) this.park(t);
			}
			return c.offset !== before || final;
		} catch (error) {
			t.error = (error as NodeJS.ErrnoException).code ?? String(error);
			return false;
		} finally {
			fs.closeSync(fd);
		}
	}

	/** SQLite: poll new and changed rows when the database changed. Busy or locked: retry later. */
	private poll(t: TrackedFile): boolean {
		if (t.handler.kind !== 'sqlite') return false;
		const c = t.cursor;
		try {
			const st = fs.statSync(t.file.path);
			const {handle, changed, replaced} = refresh(t.sqlite, t.file.path);
			if (replaced || !t.poller) t.poller = t.handler.createPoller(t.file, this.env ?? {home: '', env: {}, platform: process.platform});
			t.sqlite = handle;
			t.deleted = false;
			t.error = undefined;
			t.size = st.size;
			t.mtimeMs = st.mtimeMs;
			c.stats.bytes = st.size;
			if (!changed) return false;
			t.poller.poll(handle.db, this.emitFor(c), reason => c.skip(reason));
			return true;
		} catch (error) {
			const e = error as NodeJS.ErrnoException;
			if (e.code === 'ENOENT') {
				// Deleted: counted usage stays; a new database at this path starts over.
				t.deleted = true;
				if (t.sqlite) closeDb(t.sqlite);
				t.sqlite = undefined;
				t.poller = undefined;
			} else {
				t.error = /SQLITE_(BUSY|LOCKED)/.test(String(e.code)) ? 'database busy (will retry)' : `${e.code ?? ''} ${e.message}`.trim();
			}

			return false;
		}
	}

	private park(t: TrackedFile): void {
		try {
			t.savedParser = v8.serialize(t.cursor.parser);
			t.cursor.dropParser();
		} catch {
			// A parser holding something unclonable stays as it is.
		}
	}

	close(): void {
		for (const t of this.files.values()) if (t.sqlite) closeDb(t.sqlite);
	}

	/**
	 * Reading state of every file read so far, for the index (`lazy`: parser states serialized
	 * only when written, not all held at once). Databases are re-polled instead.
	 */
	exportFiles(lazy = false): FileState[] {
		const out: FileState[] = [];
		for (const t of this.files.values()) {
			const c = t.cursor;
			if (t.handler.kind === 'sqlite' || t.deleted || c.ino === 0) continue;
			let parser: SavedParser | undefined;
			if (t.handler.kind === 'jsonl') {
				if (lazy) {
					parser = t.savedParser ?? c.beforeTail;
					if (!parser) {
						const live = c.parser;
						parser = () => v8.serialize(live);
					}
				} else {
					try {
						parser = t.savedParser ?? c.beforeTail ?? v8.serialize(c.parser);
					} catch {
						continue; // A parser that holds something unclonable: that file is re-read next time.
					}
				}
			}

			out.push({
				path: t.file.path, kind: t.handler.kind, ino: c.ino, size: t.size, mtimeMs: t.mtimeMs, offset: c.offset,
				skippingLongLine: c.skippingLongLine, parsedMtime: t.parsedMtime, skips: [...c.skips], stats: {...c.stats}, parser, unfinished: c.unfinished,
			});
		}

		return out;
	}

	/**
	 * Restore tracked files from the index. A file then reads on from its offset with its
	 * parser's state; one that was replaced or shrank starts over from 0 (as when tailing).
	 */
	importFiles(states: readonly FileState[]): {files: number; unchanged: number} {
		const restored = {files: 0, unchanged: 0};
		for (const s of states) {
			const t = this.files.get(s.path);
			if (!t || t.handler.kind !== s.kind || t.handler.kind === 'sqlite') continue;
			const c = t.cursor;
			if (t.handler.kind === 'jsonl') {
				if (!s.parser) continue;
				t.savedParser = s.parser;
			}

			c.offset = s.offset;
			c.ino = s.ino;
			c.skippingLongLine = s.skippingLongLine;
			c.unfinished = s.unfinished === true;
			for (const [reason, n] of s.skips) c.setSkips(reason, n);
			Object.assign(c.stats, s.stats);
			t.size = s.size;
			t.mtimeMs = s.mtimeMs;
			t.parsedMtime = s.parsedMtime;
			t.settled = true;
			restored.files++;
			const known = t.file as Partial<{size: number; mtimeMs: number}>;
			if (known.size === s.size && known.mtimeMs === s.mtimeMs) restored.unchanged++;
		}

		return restored;
	}

	/**
	 * Whole-file JSON: re-parse when size, mtime or inode changed. A file caught mid-write does
	 * not parse; it is retried on the next change and counted only on a finished read.
	 */
	private readWhole(t: TrackedFile, fd: number, st: fs.Stats, final: boolean): boolean {
		const c = t.cursor;
		if (st.size === c.offset && st.mtimeMs === t.parsedMtime && st.ino === c.ino) return false;
		const text = readOpen(fd, st);
		let doc: unknown;
		try {
			doc = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
		} catch {
			if (final) c.skip('invalid JSON file (half-written or not JSON)');
			return false;
		}

		if (t.handler.kind !== 'json') return false;
		t.handler.parse(t.file, doc, this.emitFor(c), reason => c.skip(reason));
		c.offset = st.size;
		c.ino = st.ino;
		t.size = st.size;
		t.mtimeMs = st.mtimeMs;
		t.parsedMtime = st.mtimeMs;
		c.stats.bytes = st.size;
		return true;
	}

	/** Bytes of a file not yet consumed, as of its last read. */
	remaining(t: TrackedFile): number {
		return Math.max(0, t.size - t.cursor.offset);
	}

	health(): IngestHealth {
		let bytes = 0;
		let linesSkipped = 0;
		const errors: IngestHealth['errors'] = [];
		for (const t of this.files.values()) {
			bytes += t.cursor.stats.bytes;
			let n = 0;
			for (const [reason, count] of t.cursor.skips) {
				linesSkipped += count;
				if (n++ < REPORTED_REASONS_PER_FILE) errors.push({file: t.file.path, reason, count});
			}

			if (t.error) errors.push({file: t.file.path, reason: `cannot read: ${t.error}`, count: 1});
			if (t.cursor.unfinished) errors.push({file: t.file.path, reason: 'last line unfinished (still being written?): counted once it is complete', count: 1});
		}

		return {files: this.files.size, bytes, linesSkipped, errors};
	}
}



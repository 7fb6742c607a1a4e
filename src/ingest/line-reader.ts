// Byte-level JSONL reading shared by the cold scan and the live tailer.
// Lines are split on newline bytes and decoded only when complete, so a UTF-8
// character split across two reads is never mangled. Lines that contain none of the
// store's markers are not decoded or parsed at all.
import fs from 'node:fs';
import v8 from 'node:v8';
import type {EmitFn} from '../core/types.js';
import type {LineParser} from './types.js';
import {BLOCK_BYTES, type CompiledMarker, findHits, wasmScanner} from './marker-scan.js';

const NEWLINE = 0x0a;
const OPEN_BRACE = 0x7b;
/** Lines longer than this are streamed past and counted, never buffered whole. */
export const MAX_LINE_BYTES = 32 * 1024 * 1024;
/** Marker positions of the block being processed (one block at a time per thread). */
const HITS: number[] = [];

export type SkipCounts = Map<string, number>;
const NO_SKIPS: ReadonlyMap<string, number> = new Map();

export type ReadStats = {
	bytes: number;
	lines: number;
	parsed: number;
};

/** Per-file reading state: the byte offset up to which lines were consumed. */
export class FileCursor {
	offset = 0;
	ino = 0;
	/** Set while streaming past an over-long line; reading resumes after its newline. */
	skippingLongLine = false;
	/** Whether the last processed block held at least one newline. */
	private sawNewline = false;
	/** Lines skipped, by reason (made on the first one: most files have none, and a history has thousands of files). */
	#skips?: SkipCounts;
	readonly stats: ReadStats = {bytes: 0, lines: 0, parsed: 0};
	/** The file ended in a line still being written at the last read: not consumed, counted once it is complete. */
	unfinished = false;
	/**
	 * The parser's state before it read an unterminated whole record that was left unconsumed:
	 * the state that belongs to `offset` (what the index saves, and what the next read starts from,
	 * so the record is read again with the state it was first read with).
	 */
	beforeTail?: Buffer;

	private current?: LineParser;
	/**
	 * A hash of the bytes just before `offset` as they were read (0: none yet). A file rewritten
	 * between two reads no longer has them: copied away and truncated, then grown past the offset
	 * again before a read saw it shorter. Only its size would say nothing (numbers then missed).
	 */
	private before = 0;

	/** `parser` may be a factory: a file restored from the index and never read needs none. */
	constructor(
		readonly path: string,
		private readonly makeParser: LineParser | (() => LineParser),
		private readonly markers: readonly CompiledMarker[],
	) {}

	get parser(): LineParser {
		this.current ??= typeof this.makeParser === 'function' ? this.makeParser() : this.makeParser;
		return this.current;
	}

	set parser(p: LineParser) {
		this.current = p;
		this.beforeTail = undefined;
	}

	/** Let the parser go (its state was kept elsewhere); a new one is made if it is asked for. */
	dropParser(): void {
		this.current = undefined;
	}

	/** Back to the parser state that belongs to `offset`, if a record past it was read. */
	private rewindTail(): void {
		if (!this.beforeTail || typeof this.makeParser !== 'function') return;
		this.parser = Object.assign(this.makeParser(), v8.deserialize(this.beforeTail) as object);
	}

	get skips(): ReadonlyMap<string, number> {
		return this.#skips ?? NO_SKIPS;
	}

	skip(reason: string): void {
		this.setSkips(reason, (this.#skips?.get(reason) ?? 0) + 1);
	}

	/** A reason's count as restored from the index. */
	setSkips(reason: string, count: number): void {
		this.#skips ??= new Map();
		this.#skips.set(reason, count);
	}

	/** Whether the bytes before `offset` are still those read there (see `before`); true when that is not known. */
	sameBefore(fd: number): boolean {
		return this.before === 0 || this.offset < BEFORE_BYTES || hashBefore(fd, this.offset) === this.before;
	}

	/** Start over from byte 0 (truncation or a new inode); dedupe keys absorb the re-read. */
	reset(parser: LineParser): void {
		this.before = 0;
		this.offset = 0;
		this.skippingLongLine = false;
		this.parser = parser;
	}

	/** Read the same file again from its start: its counts start over too (calls it held are deduplicated). */
	restart(parser: LineParser): void {
		this.reset(parser);
		this.#skips = undefined;
		Object.assign(this.stats, {bytes: 0, lines: 0, parsed: 0});
	}

	/**
	 * Read from the current offset to `end` (the file's size). `final` means no more bytes
	 * will come for now (cold scan): an unterminated last line is then used if it is a whole
	 * record, or counted as truncated.
	 */
	readTo(fd: number, end: number, emit: EmitFn, final: boolean, buffer?: Buffer, budget = Number.POSITIVE_INFINITY, afterBlock?: () => void): void {
		let buf = buffer && buffer.length >= BLOCK_BYTES ? buffer : Buffer.allocUnsafe(BLOCK_BYTES);
		this.rewindTail();
		this.unfinished = false;
		const start = this.offset;
		while (this.offset < end && this.offset - start < budget) {
			const want = Math.min(buf.length, end - this.offset);
			const got = fs.readSync(fd, buf, 0, want, this.offset);
			if (got <= 0) break;
			afterBlock?.();
			const atEnd = this.offset + got >= end;
			if (this.skippingLongLine) {
				const nl = buf.indexOf(NEWLINE);
				if (nl === -1 || nl >= got) {
					this.offset += got;
					this.stats.bytes += got;
					continue;
				}

				this.offset += nl + 1;
				this.stats.bytes += nl + 1;
				this.skippingLongLine = false;
				continue;
			}

			// A view of just the bytes read: indexOf must not scan stale bytes of the reused buffer.
			const view = got === buf.length ? buf : buf.subarray(0, got);
			const consumed = this.process(view, got, emit, final && atEnd, atEnd);
			if (!this.sawNewline) {
				// No newline in the whole buffer: a long line. Grow up to the cap, then stream past it.
				if (got < want) break;
				if (buf.length < MAX_LINE_BYTES && !atEnd) {
					buf = Buffer.allocUnsafe(Math.min(buf.length * 2, MAX_LINE_BYTES));
					continue;
				}

				if (atEnd) break; // Partial last line: wait for the rest (or used as a whole record).
				this.skip(`line longer than ${MAX_LINE_BYTES / 1024 / 1024} MB`);
				this.stats.lines++;
				this.skippingLongLine = true;
				this.offset += got;
				this.stats.bytes += got;
				continue;
			}

			this.offset += consumed;
			this.stats.bytes += consumed;
			if (atEnd) break;
		}

		if (this.offset !== start) this.before = this.offset < BEFORE_BYTES ? 0 : hashBefore(fd, this.offset);
	}

	/** Feed one in-memory block (tests, benchmarks). Returns bytes consumed. */
	feed(buf: Buffer, emit: EmitFn, final: boolean): number {
		this.rewindTail();
		this.unfinished = false;
		const consumed = this.process(buf, buf.length, emit, final, true);
		this.offset += consumed;
		this.stats.bytes += consumed;
		return consumed;
	}

	/**
	 * Handle the complete lines in buf[0, len). Returns bytes consumed. An unterminated
	 * last line that is already a whole record is used but not consumed (the same key
	 * comes back once its newline arrives); one that is not a record is consumed and
	 * counted only when `final`.
	 */
	private process(buf: Buffer, len: number, emit: EmitFn, final: boolean, atEnd: boolean): number {
		const hits = HITS;
		hits.length = 0;
		findHits(buf, len, this.markers, hits);
		let h = 0;
		let nextMarker = hits.length > 0 ? hits[0]! : Number.POSITIVE_INFINITY;
		// A UTF-8 byte order mark at the start of the file belongs to no line (it made the first one invalid JSON).
		let pos = this.offset === 0 && len >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf ? 3 : 0;
		this.sawNewline = false;
		while (pos < len) {
			const nl = buf.indexOf(NEWLINE, pos);
			if (nl === -1 || nl >= len) {
				if (atEnd) pos = this.tail(buf, pos, len, emit, nextMarker < len, final);
				break;
			}

			this.sawNewline = true;
			if (nl > pos) {
				this.stats.lines++;
				const first = firstNonSpace(buf, pos, nl);
				if (first !== -1) {
					if (buf[first] !== OPEN_BRACE) this.skip('not a JSON object');
					else if (nextMarker < nl && !this.parseLine(buf, first, nl, emit)) this.skip('invalid JSON');
				}
			}

			pos = nl + 1;
			while (nextMarker < pos) nextMarker = ++h < hits.length ? hits[h]! : Number.POSITIVE_INFINITY;
		}

		return pos;
	}

	/**
	 * The unterminated bytes buf[pos, len) at the end of the file. A whole record is used but
	 * left unconsumed (its key returns once the newline is written). Anything else is a line
	 * still being written: never consumed (the offset stays at its start, so the rest of it is
	 * read whole later), and marked `unfinished` for health.
	 */
	private tail(buf: Buffer, pos: number, len: number, emit: EmitFn, hasMarker: boolean, final: boolean): number {
		const first = firstNonSpace(buf, pos, len);
		if (first === -1) return final ? len : pos;
		if (buf[first] === OPEN_BRACE && hasMarker && isJson(buf, first, len)) {
			this.keepStateBeforeTail();
			this.parseLine(buf, first, len, emit);
			return pos;
		}

		if (buf[first] !== OPEN_BRACE || !isJson(buf, first, len)) this.unfinished = true;
		return pos;
	}

	private keepStateBeforeTail(): void {
		if (typeof this.makeParser !== 'function') return;
		try {
			this.beforeTail = v8.serialize(this.parser);
		} catch {
			this.beforeTail = undefined;
		}
	}

	/** Parse and hand one line to the store's parser. False when it is not valid JSON. */
	private parseLine(buf: Buffer, start: number, end: number, emit: EmitFn): boolean {
		const parser = this.parser;
		if (parser.tape !== undefined) {
			const tape = wasmScanner()?.tape(buf, start, end);
			try {
				if (tape && parser.tape(tape, emit)) {
					this.stats.parsed++;
					return true;
				}
			} catch (error) {
				this.stats.parsed++;
				this.parserFailed(error);
				return true;
			}
		}

		let record: unknown;
		try {
			record = JSON.parse(buf.toString('utf8', start, end));
		} catch {
			return false;
		}

		this.stats.parsed++;
		try {
			this.parser.line(record, emit, reason => this.skip(reason));
		} catch (error) {
			this.parserFailed(error);
		}

		return true;
	}

	/** A parser bug on odd input must not stop the rest of the file: the line is counted as skipped. */
	private parserFailed(error: unknown): void {
		this.skip(`parser error: ${error instanceof Error ? error.message : String(error)}`);
	}
}

/** Bytes before a file's offset that sameBefore() compares. */
const BEFORE_BYTES = 64;
const BEFORE = Buffer.alloc(BEFORE_BYTES);

/** FNV-1a of the BEFORE_BYTES bytes before `offset` (never 0), or -1 when they cannot be read. */
function hashBefore(fd: number, offset: number): number {
	if (fs.readSync(fd, BEFORE, 0, BEFORE_BYTES, offset - BEFORE_BYTES) !== BEFORE_BYTES) return -1;
	let h = 0x811c9dc5;
	for (let i = 0; i < BEFORE_BYTES; i++) h = Math.imul(h ^ BEFORE[i]!, 0x01000193);
	return (h >>> 0) || 1;
}

function firstNonSpace(buf: Buffer, from: number, to: number): number {
	for (let i = from; i < to; i++) {
		const c = buf[i]!;
		if (c !== 0x20 && c !== 0x09 && c !== 0x0d) return i;
	}

	return -1;
}

function isJson(buf: Buffer, start: number, end: number): boolean {
	try {
		JSON.parse(buf.toString('utf8', start, end));
		return true;
	} catch {
		return false;
	}
}

// A JSON line read from its bytes without building objects: wasm/marker-scan.wat's tape()
// checks the line exactly as JSON.parse checks the text Node decodes from it, and lists its
// values in document order (kind, byte span, string length in UTF-16 units, container extent).
// A store's parser takes the few fields it needs from here and leaves any line it does not
// read exactly as its JSON path would to JSON.parse (its readers: json-tape-fields.ts). Entries
// are valid until the next read().

import {isoUtcBytes} from './util.js';

export const OBJECT = 1;
export const ARRAY = 2;
export const STRING = 3;
export const NUMBER = 4;
export const TRUE = 5;
export const FALSE = 6;
export const NULL = 7;

/** String flags (entry word 0, bits 4..7). */
const ESCAPED = 1 << 4;
const NON_ASCII = 2 << 4;
/** Number flag: the decimal text is what String() prints (at most 15 digits, no fraction, exponent or -0). */
const SIMPLE = 1 << 4;
/** No such entry (a field that is absent). */
export const NONE = -1;
/** Keys of an object jsonSize() checks for repeats, pairwise; a larger object is left to JSON.parse. */
export const MAX_KEYS = 64;

/** An ASCII word's bytes, for JsonTape.is(). */
export function bytesOf(word: string): Uint8Array {
	return Uint8Array.from(Buffer.from(word, 'latin1'));
}

/** A string kept while its bytes stay the same from one line to the next (a file's session, folder, model). */
export class Interned {
	bytes = new Uint8Array(64);
	length = -1;
	value = '';
}

type Slicing = {latin1Slice(start: number, end: number): string; utf8Slice(start: number, end: number): string};

export class JsonTape {
	/** Entries read by the last read(), 4 words each. */
	count = 0;
	private buf: Buffer = Buffer.alloc(0);
	/** Memory address of buf[0]: entries hold addresses. */
	private base = 0;

	/** Names given numbers so far (their number is their index + 1). */
	private readonly nameList: string[] = [];
	private nameBytes = 256 + 64 * 8;
	/** Path nodes so far, by parent node and name number ("parent/name"); node 0 is the line's object. */
	private readonly nodes = new Map<string, number>();
	private readonly names: Buffer;
	private readonly namesAt: number;
	private readonly paths: Buffer;
	/** Each node's entry after a read (-1: none), then the flags (see pathsRead()). */
	private readonly pathSlots: Int32Array;

	/** `tables`: the module's name table (at address `namesAt`), which keys are looked up in, and its path table. */
	constructor(
		private readonly words: Uint32Array,
		private readonly tapeFn: (start: number, end: number) => number,
		tables: {names: Buffer; namesAt: number; paths: Buffer; pathSlots: Int32Array},
	) {
		this.names = tables.names;
		this.namesAt = tables.namesAt;
		this.paths = tables.paths;
		this.pathSlots = tables.pathSlots;
		this.paths.writeUInt32LE(1, 2180);
	}

	/**
	 * The node of a path of keys from the line's object (at most 5 keys: names are numbered only
	 * that deep): after read(), entry(node) is the value there, when every object on the way is one.
	 */
	path(keys: readonly string[]): number {
		if (keys.length === 0 || keys.length > 5) throw new Error(`json-tape: cannot follow ${JSON.stringify(keys)}`);
		let node = 0;
		for (const key of keys) {
			const id = this.name(key);
			const at = `${node}/${id}`;
			let child = this.nodes.get(at);
			if (child === undefined) {
				child = this.nodes.size + 1;
				if (child > 31) throw new Error('json-tape: more than 31 path nodes');
				this.nodes.set(at, child);
				this.paths[node * 64 + id] = child;
				this.paths.writeUInt32LE(child + 1, 2180);
			}

			node = child;
		}

		return node;
	}

	/** The entry of the value at path node `node` (NONE: not there). */
	entry(node: number): number {
		return this.pathSlots[node]!;
	}

	/** Whether the last read's path entries are exact: no object on a path repeats a key or escapes one. */
	pathsRead(): boolean {
		return this.pathSlots[32] === 0;
	}

	/** The number keys with this (ASCII) name get in their entry (see nameOf); 1..63. */
	name(word: string): number {
		const known = this.nameList.indexOf(word);
		if (known >= 0) return known + 1;
		const bytes = Buffer.from(word, 'latin1');
		const n = bytes.length;
		if (this.nameList.length >= 63 || n === 0 || n > 64 || this.nameBytes + n > this.names.length || bytes.toString('latin1') !== word || /[^\x20-\x7e]|["\\]/.test(word)) {
			throw new Error(`json-tape: cannot name ${JSON.stringify(word)}`);
		}

		this.nameList.push(word);
		const id = this.nameList.length;
		const names = this.names;
		names.writeUInt32LE(this.namesAt + this.nameBytes, 256 + id * 8);
		names.writeUInt32LE(n, 256 + id * 8 + 4);
		bytes.copy(names, this.nameBytes);
		this.nameBytes += n;
		// The slot wat's $hash gives, or the next free one after it.
		let h = (n + bytes[0]! * 3 + bytes[n - 1]! * 7 + bytes[n >> 1]! * 5) & 255;
		while (names[h] !== 0) h = (h + 1) & 255;
		names[h] = id;
		return id;
	}

	/** The number of key e's name (see name()), 0 when it has none. */
	nameOf(e: number): number {
		return this.words[e << 2]! >>> 8;
	}

	/** Read buf[start, end), which lies in the module's memory at `base`. False: invalid JSON, or a line left to JSON.parse. */
	read(buf: Buffer, base: number, start: number, end: number): boolean {
		this.buf = buf;
		this.base = base;
		this.count = this.tapeFn(base + start, base + end);
		return this.count > 0;
	}

	kind(e: number): number {
		return e === NONE ? 0 : this.words[e << 2]! & 15;
	}

	/** Children of a container: keys of an object, elements of an array. */
	children(e: number): number {
		return this.words[e << 2]! >>> 8;
	}

	/** The entry after e and all it holds. */
	next(e: number): number {
		const k = this.words[e << 2]! & 15;
		return k === OBJECT || k === ARRAY ? this.words[(e << 2) + 3]! : e + 1;
	}

	/** A string's length in UTF-16 units, once unescaped (what `.length` gives). */
	units(e: number): number {
		return this.words[(e << 2) + 3]!;
	}

	private start(e: number): number {
		return this.words[(e << 2) + 1]! - this.base;
	}

	private end(e: number): number {
		return this.words[(e << 2) + 2]! - this.base;
	}

	/** Whether string entry e holds exactly the ASCII bytes `word` (an escaped string never does here). */
	is(e: number, word: Uint8Array): boolean {
		if (e === NONE) return false;
		const w = this.words[e << 2]!;
		if ((w & 15) !== STRING || (w & ESCAPED) !== 0) return false;
		const s = this.start(e);
		if (this.end(e) - s !== word.length) return false;
		const buf = this.buf;
		for (let k = 0; k < word.length; k++) if (buf[s + k] !== word[k]) return false;
		return true;
	}

	/** Whether key e is written with an escape (it could then equal a name that its bytes do not). */
	escaped(e: number): boolean {
		return (this.words[e << 2]! & ESCAPED) !== 0;
	}

	/** The value of string entry e. */
	text(e: number): string {
		const w = this.words[e << 2]!;
		const s = this.start(e);
		const t = this.end(e);
		if ((w & ESCAPED) !== 0) return JSON.parse(this.buf.toString('utf8', s - 1, t + 1)) as string;
		const b = this.buf as unknown as Slicing;
		return (w & NON_ASCII) !== 0 ? b.utf8Slice(s, t) : b.latin1Slice(s, t);
	}

	/**
	 * The first `units` UTF-16 units of ASCII string entry e (its text's slice(0, units)), decoding
	 * no more of it; undefined when e holds other than ASCII bytes (left to text()).
	 */
	textPrefix(e: number, units: number): string | undefined {
		const w = this.words[e << 2]!;
		if ((w & NON_ASCII) !== 0) return undefined;
		const s = this.start(e);
		const t = this.end(e);
		const b = this.buf as unknown as Slicing;
		if ((w & ESCAPED) === 0) return b.latin1Slice(s, Math.min(t, s + units));
		// Every escape is one unit (a \uXXXX pair is two escapes): bytes up to the units wanted.
		const buf = this.buf;
		let k = s;
		for (let n = 0; n < units && k < t; n++) k += buf[k] !== 0x5c ? 1 : buf[k + 1] === 0x75 ? 6 : 2;
		return JSON.parse(`"${b.latin1Slice(s, k)}"`) as string;
	}

	/** String entry e as a time by isoUtc's fast path, read from its bytes; undefined when that path does not take it (escaped, another form). */
	isoTime(e: number): number | undefined {
		if ((this.words[e << 2]! & ESCAPED) !== 0) return undefined;
		const s = this.start(e);
		return isoUtcBytes(this.buf, s, this.end(e) - s);
	}

	/** text(e), as the string `cache` holds when e's bytes are the ones it was made from. */
	interned(e: number, cache: Interned): string {
		const s = this.start(e);
		const n = this.end(e) - s;
		const buf = this.buf;
		if (n === cache.length) {
			const b = cache.bytes;
			let k = 0;
			while (k < n && b[k] === buf[s + k]) k++;
			if (k === n) return cache.value;
		}

		const value = this.text(e);
		if (n > cache.bytes.length) cache.bytes = new Uint8Array(n * 2);
		// Byte by byte: a subarray view per new value was ~8 MB of garbage a GB (ids change per message).
		const b = cache.bytes;
		for (let k = 0; k < n; k++) b[k] = buf[s + k]!;
		cache.length = n;
		cache.value = value;
		return value;
	}

	/** The value of number entry e. */
	number(e: number): number {
		const s = this.start(e);
		const t = this.end(e);
		const buf = this.buf;
		if ((this.words[e << 2]! & SIMPLE) === 0) return Number((buf as unknown as Slicing).latin1Slice(s, t));
		let neg = false;
		let k = s;
		if (buf[k] === 0x2d) {
			neg = true;
			k++;
		}

		let v = 0;
		for (; k < t; k++) v = v * 10 + buf[k]! - 0x30;
		return neg ? -v : v;
	}

	/** String entry e's bytes equal those of string entry f (both unescaped). */
	sameText(e: number, f: number): boolean {
		const s = this.start(e);
		const n = this.end(e) - s;
		const u = this.start(f);
		if (this.end(f) - u !== n) return false;
		const buf = this.buf;
		for (let k = 0; k < n; k++) if (buf[s + k] !== buf[u + k]) return false;
		return true;
	}

	/**
	 * claude-output's jsonSize() of the value at e, as it would be on the parsed value; NaN when
	 * an object repeats a key or has an escaped one (JSON.parse keeps one of them: left to it) or
	 * has more than MAX_KEYS keys.
	 */
	jsonSize(e: number): number {
		if (e === NONE) return 0;
		const words = this.words;
		const stop = this.next(e);
		let n = 0;
		// Every string counts its quotes; an object adds 2 per key (colon, comma) and an array 1 per element (comma).
		for (let k = e; k < stop; k++) {
			const w = words[k << 2]!;
			switch (w & 15) {
				case OBJECT:
					if (!this.distinctKeys(k)) return Number.NaN;
					n += 2 + 2 * (w >>> 8);
					break;
				case ARRAY:
					n += 2 + (w >>> 8);
					break;
				case STRING:
					n += words[(k << 2) + 3]! + 2;
					break;
				case NUMBER:
					n += (w & SIMPLE) !== 0 ? this.end(k) - this.start(k) : String(this.number(k)).length;
					break;
				case FALSE:
					n += 5;
					break;
				default:
					n += 4;
			}
		}

		return n;
	}

	/** No key of object e is escaped or repeated (checked pairwise: an object of more than MAX_KEYS is not). */
	private distinctKeys(e: number): boolean {
		const keys = this.children(e);
		if (keys === 0) return true;
		if (keys > MAX_KEYS) return false;
		const stop = this.next(e);
		for (let k = e + 1; k < stop; k = this.next(k + 1)) {
			if (this.escaped(k)) return false;
			if (keys === 1) continue;
			for (let j = e + 1; j < k; j = this.next(j + 1)) if (this.sameText(j, k)) return false;
		}

		return true;
	}
}

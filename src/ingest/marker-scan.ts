// Where a store's markers occur in a block of JSONL: the byte-level pre-filter that decides
// which lines are parsed at all. Every marker starts with a quote (it is a JSON key or string)
// and counts only where that quote is not escaped, so a marker's text inside a string never
// matches. Two ways, same answer (test/marker-scan.test.ts): a WebAssembly SIMD pass over the
// reader's block (wasm/marker-scan.wat: one pass for all markers, ~8 GB/s) and, for any other
// buffer or where WebAssembly SIMD is missing, one Buffer.indexOf pass per marker.
import {JsonTape} from './json-tape.js';
import type {Marker} from './types.js';
import {MARKER_SCAN_WASM} from './wasm/marker-scan.wasm.js';

export type CompiledMarker = {prefix: Buffer; then?: Buffer[]};

export function compileMarkers(list: readonly Marker[]): CompiledMarker[] {
	return list.map(x => (typeof x === 'string' ? {prefix: Buffer.from(x)} : {prefix: Buffer.from(x.prefix), then: x.then.map(t => Buffer.from(t))}));
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;

// The module's fixed memory layout (see the .wat).
const BUF = 64;
export const BLOCK_BYTES = 4 * 1024 * 1024;
const TABLES = BUF + BLOCK_BYTES + 64;
const TABLE_BYTES = 32 + 2 * 8192;
const SLOTS = 16;
const OUT = TABLES + SLOTS * TABLE_BYTES;
/** Bytes per scan call: its candidates (at most one per byte) fit the output area. */
const SLICE = 1024 * 1024;
const STACK = OUT + SLICE * 4;
const NAMES = STACK + 256;
const PATHS = NAMES + 8192;
const TAPE = PATHS + 4096;
/** Entries a line's tape holds (16 bytes each); a line with more is left to JSON.parse. */
const TAPE_ENTRIES = 65536;

// The few WebAssembly names used here (this project's TypeScript lib has no WebAssembly types).
type WasmInstance = {exports: Record<string, unknown>};
type WasmApi = {Module: new (bytes: Uint8Array) => object; Instance: new (module: object) => WasmInstance};
const wasmApi = (globalThis as unknown as {WebAssembly?: WasmApi}).WebAssembly;

class WasmScanner {
	/** The reader's block, inside the module's memory: read into it, scanned in place. */
	readonly block: Buffer;
	private readonly mem: Buffer;
	private readonly out: Uint32Array;
	private readonly slots = new Map<readonly CompiledMarker[], number>();
	private readonly scanFn: (start: number, end: number, table: number, out: number) => number;
	private readonly jsonTape: JsonTape;

	constructor(instance: WasmInstance) {
		const memory = instance.exports['memory'] as {buffer: ArrayBuffer};
		this.scanFn = instance.exports['scan'] as WasmScanner['scanFn'];
		this.mem = Buffer.from(memory.buffer);
		this.block = this.mem.subarray(BUF, BUF + BLOCK_BYTES);
		this.out = new Uint32Array(memory.buffer, OUT, SLICE);
		const tapeFn = instance.exports['tape'] as (start: number, end: number, tape: number, cap: number, stack: number, names: number, paths: number) => number;
		this.jsonTape = new JsonTape(
			new Uint32Array(memory.buffer, TAPE, TAPE_ENTRIES * 4),
			(start, end) => tapeFn(start, end, TAPE, TAPE_ENTRIES, STACK, NAMES, PATHS),
			{names: this.mem.subarray(NAMES, NAMES + 8192), namesAt: NAMES, paths: this.mem.subarray(PATHS, PATHS + 4096), pathSlots: new Int32Array(memory.buffer, PATHS + 2048, 34)},
		);
	}

	/** The tape of the JSON line buf[start, end) if buf lies in this scanner's block and the line is read whole; else null. */
	tape(buf: Buffer, start: number, end: number): JsonTape | null {
		// A line's block is the one before's (reading .buffer is a call into V8 each time).
		if (buf !== this.inBlock) {
			if (buf.buffer !== this.block.buffer || buf.byteOffset < BUF) return null;
			this.inBlock = buf;
		}

		if (buf.byteOffset + end > BUF + BLOCK_BYTES) return null;
		return this.jsonTape.read(buf, buf.byteOffset, start, end) ? this.jsonTape : null;
	}

	/** The last buffer tape() found to lie in the block. */
	private inBlock?: Buffer;

	/** The table for a marker list, or -1 when the list cannot use this pass. */
	private table(markers: readonly CompiledMarker[]): number {
		let t = this.slots.get(markers);
		if (t !== undefined) return t;
		if (this.slots.size >= SLOTS || !markers.every(m => m.prefix.length >= 4 && m.prefix[0] === QUOTE)) t = -1;
		else {
			t = TABLES + this.slots.size * TABLE_BYTES;
			this.mem.fill(0, t, t + TABLE_BYTES);
			for (const m of markers) {
				const b1 = m.prefix[1]!;
				const pair = (b1 << 8) | m.prefix[2]!;
				const pair2 = (m.prefix[2]! << 8) | m.prefix[3]!;
				this.mem[t + (b1 & 15)]! |= 1;
				this.mem[t + 16 + (b1 >> 4)]! |= 1;
				this.mem[t + 32 + (pair >> 3)]! |= 1 << (pair & 7);
				this.mem[t + 32 + 8192 + (pair2 >> 3)]! |= 1 << (pair2 & 7);
			}
		}

		this.slots.set(markers, t);
		return t;
	}

	/** Hits in buf[0, len) if buf is this scanner's block; false if this pass cannot do it. */
	find(buf: Buffer, len: number, markers: readonly CompiledMarker[], hits: number[]): boolean {
		if (buf.buffer !== this.block.buffer || buf.byteOffset !== BUF) return false;
		const table = this.table(markers);
		if (table < 0) return false;
		for (let from = 0; from < len; from += SLICE) {
			const to = Math.min(len, from + SLICE);
			const n = this.scanFn(BUF + from, BUF + to, table, OUT);
			for (let k = 0; k < n; k++) {
				const p = from + this.out[k]!;
				for (const m of markers) {
					if (matchAt(buf, p, len, m)) {
						hits.push(p);
						break;
					}
				}
			}
		}

		return true;
	}
}

let scanner: WasmScanner | null | undefined;

/** Use the indexOf pass on this thread (the benchmark's comparison; Tuning.wasm). Before the first read. */
export function withoutWasm(): void {
	scanner = null;
}

/** This thread's WebAssembly scanner; null where WebAssembly SIMD is unavailable or it was turned off. */
export function wasmScanner(): WasmScanner | null {
	if (scanner !== undefined) return scanner;
	scanner = null;
	if (!wasmApi) return scanner;
	try {
		scanner = new WasmScanner(new wasmApi.Instance(new wasmApi.Module(Buffer.from(MARKER_SCAN_WASM, 'base64'))));
	} catch {
		// No SIMD (old CPU or engine): the indexOf pass gives the same hits.
	}

	return scanner;
}

/** A buffer for reading blocks into: the scanner's block when there is one. */
export function readBlock(): Buffer {
	return wasmScanner()?.block ?? Buffer.allocUnsafe(BLOCK_BYTES);
}

/**
 * Start positions of marker matches in buf[0, len), ascending, each once, appended to `hits`.
 * A match lies wholly inside [0, len); a quote-initial match never follows a backslash.
 */
export function findHits(buf: Buffer, len: number, markers: readonly CompiledMarker[], hits: number[]): void {
	if (markers.length === 0) return;
	if (wasmScanner()?.find(buf, len, markers, hits)) return;
	findHitsIndexOf(buf, len, markers, hits);
}

/** The indexOf pass (exported for the equivalence test). */
export function findHitsIndexOf(buf: Buffer, len: number, markers: readonly CompiledMarker[], hits: number[]): void {
	const start = hits.length;
	for (const m of markers) {
		for (let i = buf.indexOf(m.prefix, 0); i !== -1 && i < len; i = buf.indexOf(m.prefix, i + 1)) {
			if (matchAt(buf, i, len, m)) hits.push(i);
		}
	}

	if (markers.length > 1) {
		const mine = hits.splice(start).sort((a, b) => a - b);
		for (let k = 0; k < mine.length; k++) if (k === 0 || mine[k] !== mine[k - 1]) hits.push(mine[k]!);
	}
}

/** Whether marker m matches at p, wholly inside [0, len). */
function matchAt(buf: Buffer, p: number, len: number, m: CompiledMarker): boolean {
	const pre = m.prefix;
	const after = p + pre.length;
	if (after > len) return false;
	if (pre[0] === QUOTE && p > 0 && buf[p - 1] === BACKSLASH) return false;
	for (let j = 0; j < pre.length; j++) if (buf[p + j] !== pre[j]) return false;
	if (!m.then) return true;
	for (const t of m.then) {
		if (after + t.length > len) continue;
		let j = 0;
		while (j < t.length && buf[after + j] === t[j]) j++;
		if (j === t.length) return true;
	}

	return false;
}

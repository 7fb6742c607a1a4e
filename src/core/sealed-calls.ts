// Every sealed call, all time, in typed arrays: its key's 64-bit fingerprint and the numbers a
// later copy may amend (tokens, cost, flags, its rollup). ~100 bytes a call, no object, so a
// replay of any age (a resumed session, a file re-read from byte 0, a database polled again)
// is a keyed lookup that applies the store's own merge rule to the very numbers counted.
// Forgetting keys (a horizon) is what let re-reads inflate totals: nothing is forgotten here.
import {grown, type TypedCtor} from './pages.js';
import type {Counts} from './records.js';
import {FP, fingerprintInto} from './fingerprints.js';
import {FingerprintMap, type FingerprintMapState} from './fingerprint-map.js';

export {FingerprintMap, type FingerprintMapState} from './fingerprint-map.js';

/** Numbers kept per call, in this order. */
// A row: nine whole counts in a Uint32Array (tokens of one call are under 10^9, checked when
// read), four numbers in a Float64Array (nano-dollars, premium requests that can be fractional,
// and two times). 75 bytes a row with its rollup, flags and activity features. A row whose counts do not fit (a
// store's per-session sum) keeps them in `wide`.
const T = {input: 0, cacheRead: 1, cacheWrite5m: 2, cacheWrite1h: 3, output: 4, reasoning: 5, webSearches: 6, calls: 7, unrecorded: 8} as const;
const NT = 9;
const B = {nano: 0, premiumRequests: 1, ts: 2, at: 3, unrecordedNano: 4} as const;
const NB = 5;
const COUNTS = ['input', 'cacheRead', 'cacheWrite5m', 'cacheWrite1h', 'output', 'reasoning', 'webSearches', 'calls', 'unrecorded'] as const;
const U32 = 0xff_ff_ff_ff;

/** A count the row's 32-bit column holds exactly. */
function u32(v: number): boolean {
	return v >= 0 && v <= U32 && Number.isInteger(v);
}

export const SIDECHAIN = 1;
export const PRICED = 2;
export const ESTIMATED = 4;
/** Removed by a later twin (a sidechain replay superseded by the main copy): its key stays a duplicate. */
export const REMOVED = 8;
/** The store's merge rule (none of the two: the largest output wins). */
export const LAST = 16;
export const FIRST = 32;


export type SealedCallsState = {
	rows: number;
	counts: Uint32Array;
	nums: Float64Array;
	/** Rows whose counts do not fit 32 bits: row → counts in COUNTS order. */
	wide: Array<[number, number[]]>;
	rollup: Int32Array;
	flags: Uint8Array;
	/** What the call's activity depends on of its tools and commands (activityFeatures): a later copy's are added. */
	features: Uint16Array;
	keys: FingerprintMapState;
	alts: FingerprintMapState;
};

/** What a row is made of when it is written (`placeholders` is not stored: 0 or `calls` by `unrecorded`). */
export type SealedNumbers = Counts & {
	ts: number;
	/** When these numbers were read (see CallRecord.at). */
	at: number;
};

export class SealedCalls {
	rows = 0;
	counts: Uint32Array = new Uint32Array(256 * NT);
	nums: Float64Array = new Float64Array(256 * NB);
	rollup: Int32Array = new Int32Array(256);
	flags: Uint8Array = new Uint8Array(256);
	features: Uint16Array = new Uint16Array(256);
	private wide = new Map<number, number[]>();
	private keys = new FingerprintMap();
	private alts = new FingerprintMap();

	get bytes(): number {
		return this.counts.byteLength + this.nums.byteLength + this.rollup.byteLength + this.flags.byteLength + this.features.byteLength + this.keys.bytes + this.alts.bytes;
	}

	/** Distinct keys known (a row may have two: a replaced twin's and its own). */
	get keyCount(): number {
		return this.keys.size;
	}

	find(key: string): number {
		fingerprintInto(key, FP);
		return this.keys.get(FP[0]!, FP[1]!);
	}

	findAlt(altKey: string): number {
		fingerprintInto(altKey, FP);
		return this.alts.get(FP[0]!, FP[1]!);
	}

	/** The row of a key's fingerprint, or -1. */
	get(a: number, b: number): number {
		return this.keys.get(a, b);
	}

	getAlt(a: number, b: number): number {
		return this.alts.get(a, b);
	}

	/** Every key's fingerprint with its row. */
	keyEntries(): Generator<[number, number, number]> {
		return this.keys.entries();
	}

	/** Row → the fingerprint of its twin key (Claude's message id), for the rows that have one. */
	altsByRow(): Map<number, [number, number]> {
		const m = new Map<number, [number, number]>();
		for (const [a, b, row] of this.alts.entries()) if (!m.has(row)) m.set(row, [a, b]);
		return m;
	}

	/** A new row for a call leaving the open ledger. */
	add(key: string, altKey: string | undefined, n: SealedNumbers, flags: number, rollup: number, features: number): number {
		fingerprintInto(key, FP);
		const a = FP[0]!;
		const b = FP[1]!;
		const row = this.put(a, b, n, flags, rollup, features);
		if (altKey !== undefined) {
			fingerprintInto(altKey, FP);
			this.alts.set(FP[0]!, FP[1]!, row);
		}

		return row;
	}

	addFp(a: number, b: number, alt: readonly [number, number] | undefined, n: SealedNumbers, flags: number, rollup: number, features: number): number {
		const row = this.put(a, b, n, flags, rollup, features);
		if (alt) this.alts.set(alt[0], alt[1], row);
		return row;
	}

	/** A new row under key fingerprint (a, b). */
	private put(a: number, b: number, n: SealedNumbers, flags: number, rollup: number, features: number): number {
		const row = this.rows;
		if (row === this.rollup.length) this.growRows();
		this.rows++;
		this.write(row, n);
		this.flags[row] = flags;
		this.rollup[row] = rollup;
		this.features[row] = features;
		this.keys.set(a, b, row);
		return row;
	}

	write(row: number, n: SealedNumbers): void {
		const o = row * NT;
		const c = this.counts;
		// Each field by name, not a loop over their names: one write per sealed call.
		const fits = u32(n.input) && u32(n.cacheRead) && u32(n.cacheWrite5m) && u32(n.cacheWrite1h) && u32(n.output) && u32(n.reasoning) && u32(n.webSearches) && u32(n.calls) && u32(n.unrecorded);
		if (fits) {
			c[o + T.input] = n.input;
			c[o + T.cacheRead] = n.cacheRead;
			c[o + T.cacheWrite5m] = n.cacheWrite5m;
			c[o + T.cacheWrite1h] = n.cacheWrite1h;
			c[o + T.output] = n.output;
			c[o + T.reasoning] = n.reasoning;
			c[o + T.webSearches] = n.webSearches;
			c[o + T.calls] = n.calls;
			c[o + T.unrecorded] = n.unrecorded;
			if (this.wide.size > 0) this.wide.delete(row);
		} else {
			this.wide.set(row, COUNTS.map(k => n[k]));
		}

		const b = row * NB;
		const x = this.nums;
		x[b + B.nano] = n.nano;
		x[b + B.premiumRequests] = n.premiumRequests;
		x[b + B.ts] = n.ts;
		x[b + B.at] = n.at;
		x[b + B.unrecordedNano] = n.unrecordedNano;
	}

	read(row: number): SealedNumbers {
		const o = row * NT;
		const c = this.counts;
		const b = row * NB;
		const x = this.nums;
		const w = this.wide.size > 0 ? this.wide.get(row) : undefined;
		const calls = w ? w[7]! : c[o + T.calls]!;
		const unrecorded = w ? w[8]! : c[o + T.unrecorded]!;
		return {
			input: w ? w[0]! : c[o + T.input]!, cacheRead: w ? w[1]! : c[o + T.cacheRead]!, cacheWrite5m: w ? w[2]! : c[o + T.cacheWrite5m]!,
			cacheWrite1h: w ? w[3]! : c[o + T.cacheWrite1h]!, output: w ? w[4]! : c[o + T.output]!, reasoning: w ? w[5]! : c[o + T.reasoning]!,
			webSearches: w ? w[6]! : c[o + T.webSearches]!, calls, unrecorded, placeholders: unrecorded > 0 ? calls : 0,
			nano: x[b + B.nano]!, premiumRequests: x[b + B.premiumRequests]!, ts: x[b + B.ts]!, at: x[b + B.at]!, unrecordedNano: x[b + B.unrecordedNano]!,
		};
	}

	private growRows(): void {
		// By half again, not double: this is most of the ledger's memory.
		// At least 256: a ledger loaded with no row has arrays of length 0.
		const n = Math.max(256, Math.ceil(this.rollup.length * 1.5));
		const grow = <A extends Uint32Array | Float64Array | Int32Array | Uint16Array | Uint8Array>(a: A, per: number): A => grown(a.constructor as unknown as TypedCtor<A>, a, n * per);

		this.counts = grow(this.counts, NT);
		this.nums = grow(this.nums, NB);
		this.rollup = grow(this.rollup, 1);
		this.flags = grow(this.flags, 1);
		this.features = grow(this.features, 1);
	}

	exportState(): SealedCallsState {
		return {
			rows: this.rows,
			// Views of the used part, no copy (the index writes them in slices; a clone copies).
			counts: this.counts.subarray(0, this.rows * NT),
			nums: this.nums.subarray(0, this.rows * NB),
			wide: [...this.wide],
			rollup: this.rollup.subarray(0, this.rows),
			flags: this.flags.subarray(0, this.rows),
			features: this.features.subarray(0, this.rows),
			keys: this.keys.state(),
			alts: this.alts.state(),
		};
	}

	/** Takes the state's arrays as they are (no copy: a warm start's ledger is most of the index). */
	importState(st: SealedCallsState): void {
		this.counts = st.counts;
		this.nums = st.nums;
		this.rollup = st.rollup;
		this.flags = st.flags;
		this.features = st.features;
		this.wide = new Map(st.wide);
		this.rows = st.rows;
		this.keys = FingerprintMap.from(st.keys);
		this.alts = FingerprintMap.from(st.alts);
	}

	/** Does any key of `st` exist here? (a merge of two scans that should share nothing) */
	overlaps(st: SealedCallsState): boolean {
		const {hi, lo, val} = st.keys;
		for (let i = 0; i < val.length; i++) if (val[i] !== 0 && this.keys.get(hi[i]!, lo[i]!) !== -1) return true;
		return false;
	}

	/** Append another ledger's rows; its rollup numbers shifted by `rollupOffset`. Column by column, not row by row (a split scan's merge waits on it). */
	merge(st: SealedCallsState, rollupOffset: number): void {
		const base = this.rows;
		const n = st.rows;
		while (this.rollup.length < base + n) this.growRows();
		this.counts.set(st.counts.subarray(0, n * NT), base * NT);
		this.nums.set(st.nums.subarray(0, n * NB), base * NB);
		this.flags.set(st.flags.subarray(0, n), base);
		this.features.set(st.features.subarray(0, n), base);
		const rollup = this.rollup;
		for (let r = 0; r < n; r++) rollup[base + r] = st.rollup[r]! + rollupOffset;
		for (const [r, w] of st.wide) this.wide.set(base + r, w);
		this.rows = base + n;
		this.keys.addAll(st.keys, base);
		this.alts.addAll(st.alts, base);
	}

	/**
	 * A problem with a saved ledger, for the load-time check (undefined: consistent): every value
	 * a whole number ≥ 0, every position in range, and each rollup's calls and cost (`rollupSums`:
	 * calls, nano per rollup) the sum of its live rows. Straight over the arrays: ~5 ms a GB.
	 */
	static check(st: SealedCallsState, rollupSums: Float64Array): string | undefined {
		const rows = st.rows;
		const rollups = rollupSums.length / 2;
		if (!Number.isInteger(rows) || rows < 0 || !(st.counts instanceof Uint32Array) || !(st.nums instanceof Float64Array) || st.counts.length !== rows * NT || st.nums.length !== rows * NB || st.rollup.length !== rows || st.flags.length !== rows || !(st.features instanceof Uint16Array) || st.features.length !== rows) return 'sealed call table';
		const x = st.nums;
		for (let i = 0; i < x.length; i++) {
			const v = x[i]!;
			// Premium requests may be fractional (a model's multiplier); everything else is whole.
			if (!(v >= 0) || v === Number.POSITIVE_INFINITY || (i % NB !== B.premiumRequests && v !== Math.floor(v))) return `sealed call value ${v}`;
		}

		const wide = new Map<number, number[]>();
		for (const [row, w] of st.wide) {
			if (!Number.isInteger(row) || row < 0 || row >= rows || !Array.isArray(w) || w.length !== NT || w.some(v => !Number.isInteger(v) || v < 0)) return 'sealed call wide row';
			wide.set(row, w);
		}

		const sums = new Float64Array(rollups * 2);
		for (let r = 0; r < rows; r++) {
			const k = st.rollup[r]!;
			if (k < 0 || k >= rollups) return `sealed call rollup ${k}`;
			if ((st.flags[r]! & REMOVED) !== 0) continue;
			sums[k * 2] += (wide.size > 0 ? wide.get(r)?.[T.calls] : undefined) ?? st.counts[r * NT + T.calls]!;
			sums[k * 2 + 1] += x[r * NB + B.nano]!;
		}

		for (let k = 0; k < rollups * 2; k++) if (sums[k] !== rollupSums[k]) return `rollup ${k >> 1} differs from its sealed calls`;
		for (const m of [st.keys, st.alts]) {
			const n = m.val.length;
			if (m.hi.length !== n || m.lo.length !== n || (n & (n - 1)) !== 0) return 'sealed key table';
			let size = 0;
			for (let i = 0; i < n; i++) {
				const v = m.val[i]!;
				if (v === 0) continue;
				if (v < 0 || v > rows) return `sealed key row ${v - 1}`;
				size++;
			}

			if (size !== m.size || size * 4 > n * 3) return 'sealed key count';
		}

		return undefined;
	}
}

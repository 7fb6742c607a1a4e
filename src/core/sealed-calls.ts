// Every sealed call, all time, in typed arrays: its key's 64-bit fingerprint and the numbers a
// later copy may amend (tokens, cost, flags, its rollup). ~100 bytes a call, no object, so a
// replay of any age (a resumed session, a file re-read from byte 0, a database polled again)
// is a keyed lookup that applies the store's own merge rule to the very numbers counted.
// Forgetting keys (a horizon) is what let re-reads inflate totals: nothing is forgotten here.
import {fingerprint} from './fingerprints.js';

/** Numbers kept per call, in this order. */
const F = {input: 0, cacheRead: 1, cacheWrite5m: 2, cacheWrite1h: 3, output: 4, reasoning: 5, webSearches: 6, nano: 7, calls: 8, premiumRequests: 9, ts: 10, at: 11} as const;
const NF = 12;

export const SIDECHAIN = 1;
export const PRICED = 2;
export const ESTIMATED = 4;
/** Removed by a later twin (a sidechain replay superseded by the main copy): its key stays a duplicate. */
export const REMOVED = 8;
/** The store's merge rule (none of the two: the largest output wins). */
export const LAST = 16;
export const FIRST = 32;

/** Open-addressing map of 64-bit fingerprints to row numbers. */
export class FingerprintMap {
	hi: Uint32Array;
	lo: Uint32Array;
	/** Row + 1; 0 is an empty slot. */
	val: Int32Array;
	size = 0;

	constructor(capacity = 1024) {
		let n = 1024;
		while (n < capacity * 2) n *= 2;
		this.hi = new Uint32Array(n);
		this.lo = new Uint32Array(n);
		this.val = new Int32Array(n);
	}

	get bytes(): number {
		return this.hi.byteLength * 3;
	}

	/** The row for fingerprint (a, b), or -1. */
	get(a: number, b: number): number {
		const mask = this.hi.length - 1;
		for (let i = (a ^ Math.imul(b, 0x9e_37_79_b1)) & mask; ; i = (i + 1) & mask) {
			const v = this.val[i]!;
			if (v === 0) return -1;
			if (this.hi[i] === a && this.lo[i] === b) return v - 1;
		}
	}

	/** Map (a, b) to `row` unless it is mapped already. */
	set(a: number, b: number, row: number): void {
		if (this.get(a, b) !== -1) return;
		if ((this.size + 1) * 2 > this.hi.length) this.grow();
		this.insert(a, b, row + 1);
		this.size++;
	}

	private insert(a: number, b: number, v: number): void {
		const mask = this.hi.length - 1;
		let i = (a ^ Math.imul(b, 0x9e_37_79_b1)) & mask;
		while (this.val[i] !== 0) i = (i + 1) & mask;
		this.hi[i] = a;
		this.lo[i] = b;
		this.val[i] = v;
	}

	private grow(): void {
		const {hi, lo, val} = this;
		this.hi = new Uint32Array(hi.length * 2);
		this.lo = new Uint32Array(lo.length * 2);
		this.val = new Int32Array(val.length * 2);
		for (let i = 0; i < hi.length; i++) if (val[i] !== 0) this.insert(hi[i]!, lo[i]!, val[i]!);
	}

	*entries(): Generator<[number, number, number]> {
		for (let i = 0; i < this.hi.length; i++) if (this.val[i] !== 0) yield [this.hi[i]!, this.lo[i]!, this.val[i]! - 1];
	}

	state(): FingerprintMapState {
		return {hi: this.hi, lo: this.lo, val: this.val, size: this.size};
	}

	static from(st: FingerprintMapState): FingerprintMap {
		const m = new FingerprintMap();
		m.hi = st.hi;
		m.lo = st.lo;
		m.val = st.val;
		m.size = st.size;
		return m;
	}
}

export type FingerprintMapState = {hi: Uint32Array; lo: Uint32Array; val: Int32Array; size: number};

export type SealedCallsState = {
	rows: number;
	nums: Float64Array;
	rollup: Int32Array;
	flags: Uint8Array;
	keys: FingerprintMapState;
	alts: FingerprintMapState;
};

/** What a row is made of when it is written. */
export type SealedNumbers = {
	input: number;
	cacheRead: number;
	cacheWrite5m: number;
	cacheWrite1h: number;
	output: number;
	reasoning: number;
	webSearches: number;
	nano: number;
	calls: number;
	premiumRequests: number;
	ts: number;
	/** When these numbers were read (see CallRecord.at). */
	at: number;
};

export class SealedCalls {
	rows = 0;
	nums = new Float64Array(256 * NF);
	rollup = new Int32Array(256);
	flags = new Uint8Array(256);
	private keys = new FingerprintMap();
	private alts = new FingerprintMap();

	get bytes(): number {
		return this.nums.byteLength + this.rollup.byteLength + this.flags.byteLength + this.keys.bytes + this.alts.bytes;
	}

	/** Distinct keys known (a row may have two: a replaced twin's and its own). */
	get keyCount(): number {
		return this.keys.size;
	}

	find(key: string): number {
		const [a, b] = fingerprint(key);
		return this.keys.get(a, b);
	}

	findAlt(altKey: string): number {
		const [a, b] = fingerprint(altKey);
		return this.alts.get(a, b);
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
	add(key: string, altKey: string | undefined, n: SealedNumbers, flags: number, rollup: number): number {
		const [a, b] = fingerprint(key);
		return this.addFp(a, b, altKey === undefined ? undefined : fingerprint(altKey), n, flags, rollup);
	}

	addFp(a: number, b: number, alt: readonly [number, number] | undefined, n: SealedNumbers, flags: number, rollup: number): number {
		const row = this.rows;
		if (row === this.rollup.length) this.growRows();
		this.rows++;
		this.write(row, n);
		this.flags[row] = flags;
		this.rollup[row] = rollup;
		this.keys.set(a, b, row);
		if (alt) this.alts.set(alt[0], alt[1], row);
		return row;
	}

	write(row: number, n: SealedNumbers): void {
		const o = row * NF;
		const x = this.nums;
		x[o + F.input] = n.input;
		x[o + F.cacheRead] = n.cacheRead;
		x[o + F.cacheWrite5m] = n.cacheWrite5m;
		x[o + F.cacheWrite1h] = n.cacheWrite1h;
		x[o + F.output] = n.output;
		x[o + F.reasoning] = n.reasoning;
		x[o + F.webSearches] = n.webSearches;
		x[o + F.nano] = n.nano;
		x[o + F.calls] = n.calls;
		x[o + F.premiumRequests] = n.premiumRequests;
		x[o + F.ts] = n.ts;
		x[o + F.at] = n.at;
	}

	read(row: number): SealedNumbers {
		const o = row * NF;
		const x = this.nums;
		return {
			input: x[o + F.input]!, cacheRead: x[o + F.cacheRead]!, cacheWrite5m: x[o + F.cacheWrite5m]!, cacheWrite1h: x[o + F.cacheWrite1h]!,
			output: x[o + F.output]!, reasoning: x[o + F.reasoning]!, webSearches: x[o + F.webSearches]!, nano: x[o + F.nano]!,
			calls: x[o + F.calls]!, premiumRequests: x[o + F.premiumRequests]!, ts: x[o + F.ts]!, at: x[o + F.at]!,
		};
	}

	private growRows(): void {
		const n = this.rollup.length * 2;
		const nums = new Float64Array(n * NF);
		nums.set(this.nums);
		const rollup = new Int32Array(n);
		rollup.set(this.rollup);
		const flags = new Uint8Array(n);
		flags.set(this.flags);
		this.nums = nums;
		this.rollup = rollup;
		this.flags = flags;
	}

	exportState(): SealedCallsState {
		return {
			rows: this.rows,
			// Copies of the used part: a view would serialize its whole (half empty) buffer.
			nums: this.nums.slice(0, this.rows * NF),
			rollup: this.rollup.slice(0, this.rows),
			flags: this.flags.slice(0, this.rows),
			keys: this.keys.state(),
			alts: this.alts.state(),
		};
	}

	importState(st: SealedCallsState): void {
		const cap = Math.max(256, st.rows);
		this.nums = new Float64Array(cap * NF);
		this.nums.set(st.nums);
		this.rollup = new Int32Array(cap);
		this.rollup.set(st.rollup);
		this.flags = new Uint8Array(cap);
		this.flags.set(st.flags);
		this.rows = st.rows;
		this.keys = FingerprintMap.from(st.keys);
		this.alts = FingerprintMap.from(st.alts);
	}

	/** Does any key of `st` exist here? (a merge of two scans that should share nothing) */
	overlaps(st: SealedCallsState): boolean {
		for (const [a, b] of FingerprintMap.from(st.keys).entries()) if (this.keys.get(a, b) !== -1) return true;
		return false;
	}

	/** Append another ledger's rows; its rollup numbers shifted by `rollupOffset`. */
	merge(st: SealedCallsState, rollupOffset: number): void {
		const base = this.rows;
		for (let r = 0; r < st.rows; r++) {
			if (this.rows === this.rollup.length) this.growRows();
			this.nums.set(st.nums.subarray(r * NF, (r + 1) * NF), this.rows * NF);
			this.rollup[this.rows] = st.rollup[r]! + rollupOffset;
			this.flags[this.rows] = st.flags[r]!;
			this.rows++;
		}

		for (const [a, b, row] of FingerprintMap.from(st.keys).entries()) this.keys.set(a, b, row + base);
		for (const [a, b, row] of FingerprintMap.from(st.alts).entries()) this.alts.set(a, b, row + base);
	}

	/**
	 * A problem with a saved ledger, for the load-time check (undefined: consistent): every value
	 * a whole number ≥ 0, every position in range, and each rollup's calls and cost (`rollupSums`:
	 * calls, nano per rollup) the sum of its live rows. Straight over the arrays: ~5 ms a GB.
	 */
	static check(st: SealedCallsState, rollupSums: Float64Array): string | undefined {
		const rows = st.rows;
		const rollups = rollupSums.length / 2;
		if (!Number.isInteger(rows) || rows < 0 || st.nums.length !== rows * NF || st.rollup.length !== rows || st.flags.length !== rows) return 'sealed call table';
		const x = st.nums;
		for (let i = 0; i < x.length; i++) {
			const v = x[i]!;
			if (!(v >= 0) || v !== Math.floor(v) || v === Number.POSITIVE_INFINITY) return `sealed call value ${v}`;
		}

		const sums = new Float64Array(rollups * 2);
		for (let r = 0; r < rows; r++) {
			const k = st.rollup[r]!;
			if (k < 0 || k >= rollups) return `sealed call rollup ${k}`;
			if ((st.flags[r]! & REMOVED) !== 0) continue;
			sums[k * 2] += x[r * NF + F.calls]!;
			sums[k * 2 + 1] += x[r * NF + F.nano]!;
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

			if (size !== m.size || size * 2 > n) return 'sealed key count';
		}

		return undefined;
	}
}

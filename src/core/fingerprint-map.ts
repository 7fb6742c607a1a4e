// 64-bit fingerprints (two 32-bit halves) to row numbers, in typed arrays: the sealed ledger's
// index of every key, with no object per key.
import {pages} from './pages.js';

/** Open-addressing map of 64-bit fingerprints to row numbers. */
export class FingerprintMap {
	hi: Uint32Array;
	lo: Uint32Array;
	/** Row + 1; 0 is an empty slot. */
	val: Int32Array;
	size = 0;

	constructor(capacity = 1024) {
		let n = 1024;
		while (n * 3 < capacity * 4) n *= 2;
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
		// Up to three quarters full: 64-bit keys spread well, probes stay short.
		if ((this.size + 1) * 4 > this.hi.length * 3) this.grow();
		this.insert(a, b, row + 1);
		this.size++;
	}

	/** Every entry of another map, its rows shifted by `offset` (entries already here keep theirs, as set does). */
	addAll(st: FingerprintMapState, offset: number): void {
		// Grown once for all of them, not step by step.
		while ((this.size + st.size) * 4 > this.hi.length * 3) this.grow();
		const {hi, lo, val} = st;
		for (let i = 0; i < val.length; i++) if (val[i] !== 0) this.set(hi[i]!, lo[i]!, val[i]! - 1 + offset);
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
		this.hi = pages(Uint32Array, hi.length * 2);
		this.lo = pages(Uint32Array, lo.length * 2);
		this.val = pages(Int32Array, val.length * 2);
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

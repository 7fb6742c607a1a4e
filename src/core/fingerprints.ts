// Compact memory of dedupe keys that no longer have a full record: 8 bytes per key in typed
// arrays (a Set<string> costs ~100 bytes per key), grouped by the day of the call so the
// oldest days can be forgotten. 64-bit fingerprints: at 10 million keys the chance of any
// collision (a new call mistaken for a seen one) is about 3 in a million.
import {pages} from './pages.js';

const DAY = 86_400_000;

/** Two independent 32-bit FNV-1a hashes of the string's UTF-16 code units. */
export function fingerprint(s: string): [number, number] {
	fingerprintInto(s, FP);
	return [FP[0]!, FP[1]!];
}

/** A two-word answer for callers that read it at once (the sealed ledger): no array per key. */
export const FP = new Uint32Array(2);

/** fingerprint() into out[0] and out[1]: no array per key (the sealed ledger's lookups). */
export function fingerprintInto(s: string, out: Uint32Array): void {
	let a = 0x81_1c_9d_c5;
	let b = 0x05_0c_5d_1f;
	for (let i = 0; i < s.length; i++) {
		const c = s.charCodeAt(i);
		a = Math.imul(a ^ c, 0x01_00_01_93);
		b = Math.imul(b ^ c, 0x01_00_01_93) ^ (b >>> 15);
	}

	a >>>= 0;
	b >>>= 0;
	// (0, 0) marks an empty slot.
	out[0] = a === 0 && b === 0 ? 1 : a;
	out[1] = b;
}

export type SealedKeysState = {newestDay: number; days: Array<{day: number; hi: Uint32Array; lo: Uint32Array; size: number}>};

/** Open-addressing set of 64-bit fingerprints. */
export class FingerprintSet {
	hi: Uint32Array;
	lo: Uint32Array;
	size = 0;

	constructor(capacity = 1024) {
		let n = 1024;
		while (n < capacity * 2) n *= 2;
		this.hi = new Uint32Array(n);
		this.lo = new Uint32Array(n);
	}

	get bytes(): number {
		return this.hi.byteLength + this.lo.byteLength;
	}

	has([a, b]: [number, number]): boolean {
		const mask = this.hi.length - 1;
		for (let i = (a ^ Math.imul(b, 0x9e_37_79_b1)) & mask; ; i = (i + 1) & mask) {
			const h = this.hi[i]!;
			const l = this.lo[i]!;
			if (h === 0 && l === 0) return false;
			if (h === a && l === b) return true;
		}
	}

	add(f: [number, number]): boolean {
		if (this.has(f)) return false;
		if ((this.size + 1) * 2 > this.hi.length) this.grow();
		this.insert(f[0], f[1]);
		this.size++;
		return true;
	}

	private insert(a: number, b: number): void {
		const mask = this.hi.length - 1;
		let i = (a ^ Math.imul(b, 0x9e_37_79_b1)) & mask;
		while (this.hi[i] !== 0 || this.lo[i] !== 0) i = (i + 1) & mask;
		this.hi[i] = a;
		this.lo[i] = b;
	}

	private grow(): void {
		const {hi, lo} = this;
		this.hi = pages(Uint32Array, hi.length * 2);
		this.lo = pages(Uint32Array, lo.length * 2);
		for (let i = 0; i < hi.length; i++) if (hi[i] !== 0 || lo[i] !== 0) this.insert(hi[i]!, lo[i]!);
	}
}

/** Fingerprints per day of call time; days older than the horizon behind the newest are dropped. */
export class SealedKeys {
	private readonly days = new Map<number, FingerprintSet>();
	private newestDay = 0;

	constructor(readonly horizonMs: number) {}

	get size(): number {
		let n = 0;
		for (const s of this.days.values()) n += s.size;
		return n;
	}

	get bytes(): number {
		let n = 0;
		for (const s of this.days.values()) n += s.bytes;
		return n;
	}

	add(key: string, ts: number): void {
		const day = Math.floor(ts / DAY);
		if (day > this.newestDay) {
			this.newestDay = day;
			const oldest = day - Math.ceil(this.horizonMs / DAY);
			for (const d of this.days.keys()) if (d < oldest) this.days.delete(d);
		}

		if (day < this.newestDay - Math.ceil(this.horizonMs / DAY)) return;
		let set = this.days.get(day);
		if (!set) {
			set = new FingerprintSet();
			this.days.set(day, set);
		}

		set.add(fingerprint(key));
	}

	exportState(): SealedKeysState {
		return {newestDay: this.newestDay, days: [...this.days].map(([day, s]) => ({day, hi: s.hi, lo: s.lo, size: s.size}))};
	}

	importState(st: SealedKeysState): void {
		this.newestDay = st.newestDay;
		for (const d of st.days) {
			const set = new FingerprintSet();
			set.hi = d.hi;
			set.lo = d.lo;
			set.size = d.size;
			this.days.set(d.day, set);
		}
	}

	has(key: string): boolean {
		if (this.days.size === 0) return false;
		const f = fingerprint(key);
		for (const s of this.days.values()) if (s.has(f)) return true;
		return false;
	}
}

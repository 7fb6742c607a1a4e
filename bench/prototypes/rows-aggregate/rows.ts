// THROWAWAY PROTOTYPE (issue 16), not part of burntop: the aggregate's counting with calls as
// rows (session 15; bench.ts here compares it with Aggregate on replayed events, and session 21's
// floor ladder, bench/prototypes/floor-ladder, uses it as a cold scan's sink).
import {toNano} from '../../../src/core/aggregate-rules.js';
import {fingerprint} from '../../../src/core/fingerprints.js';
import type {IngestEvent, UsageEvent} from '../../../src/core/types.js';
const SEAL_SLOT = 15 * 60_000;

/** 64-bit key → row + 1 (0: absent), open addressing, one interleaved array (one cache line per probe). */
export class FpTable {
	slots = new Uint32Array(3 * 4096);
	size = 0;
	get(a: number, b: number): number {
		const n = this.slots.length / 3;
		for (let i = (a ^ Math.imul(b, 0x9e_37_79_b1)) & (n - 1); ; i = (i + 1) & (n - 1)) {
			const v = this.slots[i * 3 + 2]!;
			if (v === 0) return 0;
			if (this.slots[i * 3] === a && this.slots[i * 3 + 1] === b) return v;
		}
	}

	set(a: number, b: number, value: number): void {
		if ((this.size + 1) * 2 > this.slots.length / 3) this.grow();
		const n = this.slots.length / 3;
		let i = (a ^ Math.imul(b, 0x9e_37_79_b1)) & (n - 1);
		while (this.slots[i * 3 + 2] !== 0 && !(this.slots[i * 3] === a && this.slots[i * 3 + 1] === b)) i = (i + 1) & (n - 1);
		if (this.slots[i * 3 + 2] === 0) this.size++;
		this.slots[i * 3] = a;
		this.slots[i * 3 + 1] = b;
		this.slots[i * 3 + 2] = value;
	}

	private grow(): void {
		const old = this.slots;
		this.slots = new Uint32Array(old.length * 2);
		this.size = 0;
		for (let i = 0; i < old.length; i += 3) if (old[i + 2] !== 0) this.set(old[i]!, old[i + 1]!, old[i + 2]!);
	}
}

const COLS = 8; // input, cacheRead, cacheWrite5m, cacheWrite1h, output, reasoning, nano, flags (1 sidechain, 2 removed)

export class RowsAggregate {
	rows = new Float64Array(COLS * 1024);
	/** Per row: session id, rollup id. */
	refs = new Int32Array(2 * 1024);
	count = 0;
	readonly keys = new FpTable();
	readonly alts = new FpTable();
	readonly ids = new Map<string, number>();
	/** Per session and per rollup: calls and the six counts and nano (7 + 1 columns). */
	sessions = new Float64Array(8 * 256);
	rollups = new Float64Array(8 * 1024);
	readonly rollupIds = new FpTable();
	rollupCount = 0;
	private readonly g = new Uint32Array(2);

	constructor(private readonly price: (e: UsageEvent) => {cost: number}) {}

	private id(s: string): number {
		return idIn(this.ids, s);
	}

	apply(e: IngestEvent): void {
		if (e.kind !== 'usage') return;
		if (e.group !== undefined) throw new Error('groups are not in this prototype');
		const [ka, kb] = fingerprint(e.dedupeKey);
		const at = this.keys.get(ka, kb);
		if (at !== 0) return this.amend(at - 1, e);
		const sidechain = Boolean(e.sidechain);
		let altA = 0;
		let altB = 0;
		if (e.altKey) {
			[altA, altB] = fingerprint(e.altKey);
			const twin = this.alts.get(altA, altB);
			if (twin !== 0) {
				const flags = this.rows[(twin - 1) * COLS + 7]!;
				if ((flags & 2) === 0 && ((flags & 1) !== 0) !== sidechain) {
					if (sidechain) return;
					this.contribute(twin - 1, -1);
					this.rows[(twin - 1) * COLS + 7] = flags | 2;
				}
			}
		}

		const row = this.count++;
		if (row * COLS >= this.rows.length) {
			const r = new Float64Array(this.rows.length * 2);
			r.set(this.rows);
			this.rows = r;
			const f = new Int32Array(this.refs.length * 2);
			f.set(this.refs);
			this.refs = f;
		}

		this.keys.set(ka, kb, row + 1);
		if (e.altKey && this.alts.get(altA, altB) === 0) this.alts.set(altA, altB, row + 1);
		const session = this.id(`${e.tool}:${e.sessionId}`);
		this.refs[row * 2] = session;
		this.refs[row * 2 + 1] = this.rollup(e, session);
		this.write(row, e, sidechain ? 1 : 0);
		this.contribute(row, 1);
	}

	private amend(row: number, e: UsageEvent): void {
		const o = row * COLS;
		const flags = this.rows[o + 7]!;
		if ((flags & 2) !== 0 || e.replace === 'first') return;
		if (e.replace !== 'last' && e.output < this.rows[o + 4]!) return;
		this.contribute(row, -1);
		this.write(row, e, e.sidechain ? flags & 1 : 0);
		this.contribute(row, 1);
	}

	private write(row: number, e: UsageEvent, flags: number): void {
		const o = row * COLS;
		const r = this.rows;
		r[o] = e.input;
		r[o + 1] = e.cacheRead;
		r[o + 2] = e.cacheWrite5m;
		r[o + 3] = e.cacheWrite1h;
		r[o + 4] = e.output;
		r[o + 5] = e.reasoning;
		r[o + 6] = toNano(this.price(e).cost);
		r[o + 7] = flags;
	}

	/** The call's 15-minute slot, session, model and project as one small number. */
	private rollup(e: UsageEvent, session: number): number {
		const h = this.g;
		let a = 0x81_1c_9d_c5 ^ Math.floor(e.ts / SEAL_SLOT);
		a = Math.imul(a ^ session, 0x01_00_01_93);
		a = Math.imul(a ^ this.id(e.model), 0x01_00_01_93);
		a = Math.imul(a ^ this.id(e.project), 0x01_00_01_93);
		h[0] = a >>> 0 || 1;
		h[1] = (Math.floor(e.ts / SEAL_SLOT) * 31 + session) >>> 0;
		const at = this.rollupIds.get(h[0]!, h[1]!);
		if (at !== 0) return at - 1;
		const id = this.rollupCount++;
		this.rollupIds.set(h[0]!, h[1]!, id + 1);
		return id;
	}

	private contribute(row: number, sign: 1 | -1): void {
		const o = row * COLS;
		const s = this.refs[row * 2]! * 8;
		const u = this.refs[row * 2 + 1]! * 8;
		if (s + 8 > this.sessions.length) this.sessions = grownTo(this.sessions, s + 8);
		if (u + 8 > this.rollups.length) this.rollups = grownTo(this.rollups, u + 8);
		const r = this.rows;
		this.sessions[s] += sign;
		this.rollups[u] += sign;
		for (let k = 0; k < 7; k++) {
			this.sessions[s + 1 + k] += sign * r[o + k]!;
			this.rollups[u + 1 + k] += sign * r[o + k]!;
		}
	}

	totals(): number[] {
		const t = [0, 0, 0, 0, 0, 0, 0, 0];
		for (let i = 0; i < this.sessions.length; i += 8) for (let k = 0; k < 8; k++) t[k] += this.sessions[i + k]!;
		return t;
	}
}

/** A string's small number in `ids` (the next one when new). */
export function idIn(ids: Map<string, number>, s: string): number {
	let id = ids.get(s);
	if (id === undefined) {
		id = ids.size;
		ids.set(s, id);
	}

	return id;
}

/** `a` in an array of at least `n` (its length doubled as often as needed). */
export function grownTo(a: Float64Array, n: number) {
	let len = a.length;
	while (len < n) len *= 2;
	const b = new Float64Array(len);
	b.set(a);
	return b;
}


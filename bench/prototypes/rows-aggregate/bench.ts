// THROWAWAY PROTOTYPE (issue 16), not part of burntop: what the aggregate's counting would cost
// with calls as rows (numbers in typed arrays, dedupe keys as 64-bit fingerprints in an
// open-addressing table, sessions and rollup identities as small integers) instead of a record
// object per call. It keeps only what the totals need (the store's replace rule, sidechain twins,
// per-session and per-15-minute rollup sums), none of the aggregate's other work (activity,
// tools, drill-down rings, the time series, the index's ledger and its rollup bookkeeping), so it
// is a floor, not a design. The same events (read once) go through burntop's Aggregate and
// through this, rounds alternating, each in a fresh instance; the totals must agree.
//   npx tsx bench/prototypes/rows-aggregate/bench.ts [claude|codex|both] [rounds]
import path from 'node:path';
import {toNano} from '../../../src/core/aggregate-rules.js';
import {fingerprint} from '../../../src/core/fingerprints.js';
import type {IngestEvent, UsageEvent} from '../../../src/core/types.js';
import {Pricer} from '../../../src/pricing/index.js';
import {corpus} from '../../corpus.js';
import {applyAll, fileEvents} from '../../store-scan.js';

const which = process.argv[2] ?? 'both';
const rounds = Number(process.argv[3] ?? 5);
const home = path.join(corpus(1024).dir, 'home');
const SEAL_SLOT = 15 * 60_000;

/** 64-bit key → row + 1 (0: absent), open addressing, one interleaved array (one cache line per probe). */
class FpTable {
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

class RowsAggregate {
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
		let id = this.ids.get(s);
		if (id === undefined) {
			id = this.ids.size;
			this.ids.set(s, id);
		}

		return id;
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

function grownTo(a: Float64Array, n: number) {
	let len = a.length;
	while (len < n) len *= 2;
	const b = new Float64Array(len);
	b.set(a);
	return b;
}

const perFile = [...(which !== 'codex' ? fileEvents('claude', home) : []), ...(which !== 'claude' ? fileEvents('codex', home) : [])];
const pricer = new Pricer({});
for (const evs of perFile) for (const e of evs) if (e.kind === 'usage') pricer.price(e);
const price = (e: UsageEvent) => pricer.price(e);

const times = {aggregate: [] as number[], rows: [] as number[]};
let theirs = '';
let ours = '';
for (let r = 0; r < rounds; r++) {
	let t = performance.now();
	const agg = applyAll(perFile, price, Date.now());
	times.aggregate.push(performance.now() - t);
	const sum = [0, 0, 0, 0, 0, 0, 0];
	for (const c of agg.records()) {
		sum[0] += c.calls;
		sum[1] += c.input;
		sum[2] += c.cacheRead;
		sum[3] += c.cacheWrite5m + c.cacheWrite1h;
		sum[4] += c.output;
		sum[5] += c.nano;
	}

	theirs = sum.slice(0, 6).join(' ');
	t = performance.now();
	const rows = new RowsAggregate(price);
	for (const evs of perFile) for (const e of evs) rows.apply(e);
	times.rows.push(performance.now() - t);
	const u = rows.totals();
	ours = [u[0], u[1], u[2], u[3]! + u[4]!, u[5], u[7]].join(' ');
}

if (theirs !== ours) throw new Error(`totals differ: aggregate ${theirs}, rows ${ours}`);
console.log(`${which}: ${perFile.reduce((n, f) => n + f.length, 0)} events; totals (calls input cacheRead cacheWrite output nano) ${ours} both ways`);
console.log(`  Aggregate ${times.aggregate.map(x => x.toFixed(0)).join(' ')} ms; rows ${times.rows.map(x => x.toFixed(0)).join(' ')} ms (fresh instance per round, alternating)`);

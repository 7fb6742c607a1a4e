// Sealed calls: rollups of old calls (per 15-minute slot, session, model, project, activity and
// pricing state) and the ledger of every sealed call's key and numbers, amended in place by a
// later copy under the store's rule. The aggregate's layer between sessions and open calls.
import {LAST, FIRST, ESTIMATED, PRICED, REMOVED, SealedCalls, type SealedNumbers} from './sealed-calls.js';
import {SEAL_SLOT, setCounts, ZERO, type Values} from './aggregate-rules.js';
import {classifyFeatures} from './activity.js';
import {SessionBook} from './aggregate-sessions.js';
import type {CallRecord} from './records.js';
import {blank, RollupTable} from './rollup-table.js';
import {TimeSeries} from './series.js';
import {FingerprintMap} from './fingerprint-map.js';

/** findRollup's answers when no rollup has the identity. */
const FREE = -1;
const TAKEN = -2;

/** One whole number (under 2^32) into both 32-bit halves of a hash: FNV-1a on each, two multipliers. */
function mix(h: Uint32Array, v: number): void {
	h[0] = Math.imul(h[0]! ^ v, 0x01_00_01_93);
	h[1] = Math.imul(h[1]! ^ v, 0x5b_d1_e9_95) ^ (h[1]! >>> 15);
}

export class SealedStore extends SessionBook {
	/**
	 * Rollup identity → position in `rollups`, for rollups made or looked up since the load (see
	 * keyedFrom): a 64-bit hash of its numbers, checked against the rollup on every hit, so no
	 * string per sealed call (a template key cost ~1 MB a GB and a string per call).
	 */
	protected readonly sealed = new FingerprintMap();
	/** Rollups whose hash another rollup holds (a collision: exact, never expected). */
	private readonly collided = new Map<string, number>();
	/** The last rollup hash (two 32-bit halves; no array per call). */
	protected readonly hash = new Uint32Array(2);
	/** Rollups below this position (loaded) are in `sealed` only once a call is sealed after the load. */
	protected keyedFrom = 0;
	/** Rollups of sealed calls, read as records so totals read both the same way (sealed calls name theirs by position). */
	protected readonly rollups = new RollupTable();
	/** Every sealed call, all time: a later copy of any age is amended or dropped by the store's rule, never counted twice. */
	protected readonly ledger = new SealedCalls();
	sealedCalls = 0;
	/** Minute/hour buckets for burn rates and charts. */
	readonly series = new TimeSeries();

	/** Add a call to its rollup; the rollup's position. */
	protected rollup(r: CallRecord): number {
		// Loaded rollups are keyed on the first seal after a load, not at the load (a warm start seals nothing).
		if (this.keyedFrom > 0) {
			const view = blank();
			for (let i = 0; i < this.keyedFrom; i++) this.keyRollup(this.rollups.read(i, view), i);
			this.keyedFrom = 0;
		}

		const at = this.findRollup(r);
		if (at >= 0) {
			this.rollups.addTo(at, r, 1);
			return at;
		}

		const made = this.rollups.add(r);
		this.place(r, made, at);
		return made;
	}

	/** Make rollup `i` (identity of `r`) findable; a rollup of the same identity found first keeps the place. */
	protected keyRollup(r: CallRecord, i: number): void {
		const at = this.findRollup(r);
		if (at < 0) this.place(r, i, at);
	}

	/**
	 * The rollup of `r`'s identity; else FREE (its hash, left in `hash`, is no rollup's) or TAKEN
	 * (another rollup holds the hash: a collision).
	 */
	private findRollup(r: CallRecord): number {
		this.rollupHash(r);
		const at = this.sealed.get(this.hash[0]!, this.hash[1]!);
		if (at === FREE || this.rollups.holds(at, r, SEAL_SLOT)) return at;
		return this.collided.get(this.rollupKey(r)) ?? TAKEN;
	}

	/** Rollup `i` findable by `r`'s identity, where findRollup found none (`miss`). */
	private place(r: CallRecord, i: number, miss: number): void {
		if (miss === FREE) this.sealed.set(this.hash[0]!, this.hash[1]!, i);
		else this.collided.set(this.rollupKey(r), i);
	}

	/**
	 * Which rollup a call belongs to: its 15-minute slot, session, model, project, activity and
	 * pricing state, the strings as numbers of this process. Derived again on load, never read
	 * from the index. Hashed into `hash`.
	 */
	protected rollupHash(r: CallRecord): void {
		const h = this.hash;
		h[0] = 0x81_1c_9d_c5;
		h[1] = 0x05_0c_5d_1f;
		mix(h, Math.floor(r.ts / SEAL_SLOT));
		mix(h, this.idOf(r.session.key));
		mix(h, this.idOf(r.model));
		mix(h, this.idOf(r.project));
		mix(h, this.idOf(r.activity));
		mix(h, (r.priced ? 1 : 0) | (r.estimated ? 2 : 0));
		// Low bits pick the slot: spread the high ones down (murmur3's finaliser).
		for (let k = 0; k < 2; k++) {
			let x = h[k]!;
			x = Math.imul(x ^ (x >>> 16), 0x85_eb_ca_6b);
			x = Math.imul(x ^ (x >>> 13), 0xc2_b2_ae_35);
			h[k] = x ^ (x >>> 16);
		}
	}

	/** The collision fallback's key (strings of the same parts). */
	private rollupKey(r: CallRecord): string {
		return `${Math.floor(r.ts / SEAL_SLOT)} ${r.session.key} ${r.model} ${r.project} ${r.activity} ${r.priced ? 1 : 0}${r.estimated ? 1 : 0}`;
	}

	protected readonly ids = new Map<string, number>();

	protected idOf(s: string): number {
		let id = this.ids.get(s);
		if (id === undefined) {
			id = this.ids.size;
			this.ids.set(s, id);
		}

		return id;
	}

	/** contributeSealed's record: a rollup's identity with one call's numbers. */
	private readonly sealedView = blank();

	/** Take a sealed call's numbers out of its rollup, series and session (sign -1), or put them in (1). */
	protected contributeSealed(rollup: number, n: SealedNumbers, sign: 1 | -1): void {
		// The rollup's identity with the call's numbers, in one reused record (contribute keeps nothing).
		const r = this.rollups.read(rollup, this.sealedView) as {-readonly [K in keyof CallRecord]: CallRecord[K]};
		setCounts(r, n);
		r.ts = n.ts;
		r.at = n.at;
		this.contribute(r, sign);
		this.rollups.addTo(rollup, n, sign);
	}

	/**
	 * A sealed call takes another copy's numbers. It keeps its time and activity; a new model,
	 * project or pricing state moves it to that rollup.
	 */
	protected setSealed(row: number, v: Values, sidechain: number): void {
		const old = this.ledger.read(row);
		const fromAt = this.ledger.rollup[row]!;
		const from = this.rollups.read(fromAt);
		const next: SealedNumbers = {
			input: v.input, cacheRead: v.cacheRead, cacheWrite5m: v.cacheWrite5m, cacheWrite1h: v.cacheWrite1h, output: v.output,
			reasoning: v.reasoning, unrecorded: v.unrecorded, placeholders: v.placeholders, unrecordedNano: v.unrecordedNano, webSearches: v.webSearches, nano: v.nano, calls: v.calls, premiumRequests: v.premiumRequests, ts: old.ts, at: v.at,
		};
		this.contributeSealed(fromAt, old, -1);
		const sameRollup = from.model === v.model && from.project === v.project && from.priced === v.priced && from.estimated === v.estimated;
		const to = sameRollup ? fromAt : this.rollup({...from, ...ZERO, ts: old.ts, model: v.model, project: v.project, priced: v.priced, estimated: v.estimated});
		this.contributeSealed(to, next, 1);
		this.ledger.write(row, next);
		this.ledger.flags[row] = sidechain | (v.priced ? PRICED : 0) | (v.estimated ? ESTIMATED : 0) | (this.ledger.flags[row]! & (LAST | FIRST));
		this.ledger.rollup[row] = to;
		from.session.models.add(v.model);
		this.version++;
	}

	/**
	 * Another copy's activity features join a sealed call's, as an open call's (openFeatures):
	 * when they grow, it is classified again from them alone and moves to that activity's
	 * rollup. True when they grew.
	 */
	protected sealedFeatures(row: number, features: number): boolean {
		const before = this.ledger.features[row]!;
		const after = before | features;
		if (after === before) return false;
		this.ledger.features[row] = after;
		const activity = classifyFeatures(after);
		const fromAt = this.ledger.rollup[row]!;
		const from = this.rollups.read(fromAt);
		if (from.activity === activity) return true;
		const n = this.ledger.read(row);
		this.contributeSealed(fromAt, n, -1);
		const to = this.rollup({...from, ...ZERO, ts: n.ts, activity});
		this.contributeSealed(to, n, 1);
		this.ledger.rollup[row] = to;
		this.version++;
		return true;
	}

	/** A sealed sidechain replay superseded by its main copy: its numbers leave the totals, its key stays known. */
	protected removeSealed(row: number): void {
		this.contributeSealed(this.ledger.rollup[row]!, this.ledger.read(row), -1);
		this.ledger.flags[row] = this.ledger.flags[row]! | REMOVED;
		this.version++;
	}

	/** The rollups' columns, for readers that sum them without a record view (the snapshot). */
	get sealedRollups(): RollupTable {
		return this.rollups;
	}

	/** Rollups of sealed calls (some may hold the same group: sums are the same). */
	get rollupCount(): number {
		return this.rollups.count;
	}

	/** Memory held by the sealed-call ledger, bytes. */
	get sealedKeyBytes(): number {
		return this.ledger.bytes;
	}

	/** Add or remove a call's share in the time series and its session's running totals. */
	protected contribute(r: CallRecord, sign: 1 | -1): void {
		this.series.apply(r, sign);
		r.session.calls += sign * r.calls;
		r.session.nano += sign * r.nano;
		r.session.tokens += sign * (r.input + r.cacheRead + r.cacheWrite5m + r.cacheWrite1h + r.output);
	}
}

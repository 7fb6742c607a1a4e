// The rollups of sealed calls as columns, in the index's record layout (record-table.ts): a
// rollup is ~200 bytes of typed arrays instead of a ~600-byte object, so a long history's tens
// of thousands cost little, and saving or loading them is a copy of arrays. They are read as
// CallRecords through one reused view: a reader must not keep the object it is handed.
import {grown} from './pages.js';
import {COUNT_FIELDS, type CallRecord, type Counts, type SessionState} from './records.js';
import {COL, sessionAt, intern, NUMS, recordFlags, replaceOf, STR, STRS, type RecordTable} from './record-table.js';
import {NO_NAMES, type Activity, type ReplacePolicy, type ToolId} from './types.js';

/** The numbers a rollup adds up. */
export type RollupNumbers = Counts;

/** A rollup's numbers with its pricing state, as numbers() reads them. */
export type PricedNumbers = {-readonly [K in keyof Counts]: Counts[K]} & {priced: boolean; estimated: boolean};

export class RollupTable {
	count = 0;
	nums: Float64Array = new Float64Array(64 * NUMS);
	strs: Int32Array = new Int32Array(64 * STRS);
	private readonly strings: string[] = [];
	private readonly stringIds = new Map<string, number>();
	private readonly sessions: SessionState[] = [];
	private readonly sessionIds = new Map<SessionState, number>();

	get bytes(): number {
		return this.nums.byteLength + this.strs.byteLength;
	}

	private str(s: string): number {
		return intern(this.stringIds, this.strings, s);
	}

	private sessionId(s: SessionState): number {
		return intern(this.sessionIds, this.sessions, s);
	}

	/** A new rollup holding one call's numbers and identity; its position. */
	add(r: CallRecord): number {
		if (this.count * NUMS === this.nums.length) this.grow();
		const i = this.count++;
		const o = i * NUMS;
		const x = this.nums;
		x.fill(Number.NaN, o, o + NUMS);
		x[o + COL.session] = this.sessionId(r.session);
		x[o + COL.ts] = r.ts;
		x[o + COL.lastTs] = r.ts;
		x[o + COL.at] = r.at;
		x[o + COL.flags] = recordFlags(r);
		for (const k of NUMBERS) x[o + COL[k]] = 0;
		this.addTo(i, r, 1);
		const p = i * STRS;
		this.strs.fill(-1, p, p + STRS);
		this.strs[p + STR.tool] = this.str(r.tool);
		this.strs[p + STR.project] = this.str(r.project);
		this.strs[p + STR.model] = this.str(r.model);
		this.strs[p + STR.activity] = this.str(r.activity);
		return i;
	}

	/** Is rollup `i` the one of `r`: same session, model, project, activity, pricing state and `slot` of time? */
	holds(i: number, r: CallRecord, slot: number): boolean {
		const o = i * NUMS;
		const p = i * STRS;
		const x = this.nums;
		return (
			this.sessions[x[o + COL.session]!]!.key === r.session.key &&
			this.strings[this.strs[p + STR.model]!] === r.model &&
			this.strings[this.strs[p + STR.project]!] === r.project &&
			this.strings[this.strs[p + STR.activity]!] === r.activity &&
			(x[o + COL.flags]! & 3) === ((r.priced ? 1 : 0) | (r.estimated ? 2 : 0)) &&
			Math.floor(x[o + COL.ts]! / slot) === Math.floor(r.ts / slot)
		);
	}

	/** Add (sign 1) or take out (-1) a call's numbers; its time widens the rollup's span. */
	addTo(i: number, n: RollupNumbers & {ts?: number}, sign: 1 | -1): void {
		const o = i * NUMS;
		const x = this.nums;
		// Each count by name (a loop over their names is a keyed load per count, once per sealed call).
		x[o + COL.calls] += sign * n.calls;
		x[o + COL.input] += sign * n.input;
		x[o + COL.cacheRead] += sign * n.cacheRead;
		x[o + COL.cacheWrite5m] += sign * n.cacheWrite5m;
		x[o + COL.cacheWrite1h] += sign * n.cacheWrite1h;
		x[o + COL.output] += sign * n.output;
		x[o + COL.reasoning] += sign * n.reasoning;
		x[o + COL.unrecorded] += sign * n.unrecorded;
		x[o + COL.placeholders] += sign * n.placeholders;
		x[o + COL.unrecordedNano] += sign * n.unrecordedNano;
		x[o + COL.webSearches] += sign * n.webSearches;
		x[o + COL.nano] += sign * n.nano;
		x[o + COL.premiumRequests] += sign * n.premiumRequests;
		if (sign > 0 && n.ts !== undefined) {
			if (n.ts < x[o + COL.ts]!) x[o + COL.ts] = n.ts;
			if (n.ts > x[o + COL.lastTs]!) x[o + COL.lastTs] = n.ts;
		}
	}

	calls(i: number): number {
		return this.nums[i * NUMS + COL.calls]!;
	}

	/** Rollup `i` as a CallRecord: `into` is filled and returned (reuse one object to read many). */
	read(i: number, into: CallRecord = blank()): CallRecord {
		const o = i * NUMS;
		const p = i * STRS;
		const x = this.nums;
		const flags = x[o + COL.flags]!;
		const w = into as {-readonly [K in keyof CallRecord]: CallRecord[K]};
		w.key = '';
		w.session = this.sessions[x[o + COL.session]!]!;
		w.tool = this.strings[this.strs[p + STR.tool]!] as ToolId;
		w.project = this.strings[this.strs[p + STR.project]!]!;
		w.model = this.strings[this.strs[p + STR.model]!]!;
		w.activity = this.strings[this.strs[p + STR.activity]!] as Activity;
		this.numbers(i, w);
		w.ts = x[o + COL.ts]!;
		w.lastTs = x[o + COL.lastTs]!;
		w.replace = replaceOf(flags);
		w.at = x[o + COL.at]!;
		return into;
	}

	/** As the index's record table, sessions by their position there. */
	exportTable(sessionOf: (s: SessionState) => number): RecordTable {
		// Views of the columns, not copies (the first run's save of 3 GB held a 7 MB copy): the
		// table's session numbers go through sessionMap.
		const n = this.count;
		return {count: n, keys: new Array<string>(n).fill(''), strings: [...this.strings], nums: this.nums.subarray(0, n * NUMS), strs: this.strs.subarray(0, n * STRS), sessionMap: Int32Array.from(this.sessions, sessionOf)};
	}

	/**
	 * Append a saved table's rollups (sessions by position in `sessions`); the position of the
	 * first. `owned`: nothing else holds the table's arrays (read from the index), so an empty
	 * table takes them as they are (exported tables are views of a live table's columns).
	 */
	importTable(t: RecordTable, sessions: readonly SessionState[], owned = false): number {
		const base = this.count;
		if (owned && base === 0 && t.nums.length === t.count * NUMS && t.strs.length === t.count * STRS) {
			// A warm start: the loaded columns become the table's (remapped in place), no copy.
			this.nums = t.nums;
			this.strs = t.strs;
		} else {
			this.reserve(this.count + t.count);
			this.nums.set(t.nums.subarray(0, t.count * NUMS), base * NUMS);
		}

		const remap = t.strings.map(s => this.str(s));
		for (let i = 0; i < t.count; i++) {
			const o = (base + i) * NUMS;
			this.nums[o + COL.session] = this.sessionId(sessions[sessionAt(t, i)]!);
			for (let k = 0; k < STRS; k++) {
				const v = t.strs[i * STRS + k]!;
				this.strs[(base + i) * STRS + k] = v < 0 ? -1 : remap[v]!;
			}
		}

		this.count += t.count;
		return base;
	}

	/** Rollup `i`'s numbers and pricing state into `into` (no record view; reuse one object). */
	numbers<T extends PricedNumbers>(i: number, into: T): T {
		const o = i * NUMS;
		const x = this.nums;
		const w = into as PricedNumbers;
		// By name, as addTo().
		w.calls = x[o + COL.calls]!;
		w.input = x[o + COL.input]!;
		w.cacheRead = x[o + COL.cacheRead]!;
		w.cacheWrite5m = x[o + COL.cacheWrite5m]!;
		w.cacheWrite1h = x[o + COL.cacheWrite1h]!;
		w.output = x[o + COL.output]!;
		w.reasoning = x[o + COL.reasoning]!;
		w.unrecorded = x[o + COL.unrecorded]!;
		w.placeholders = x[o + COL.placeholders]!;
		w.unrecordedNano = x[o + COL.unrecordedNano]!;
		w.webSearches = x[o + COL.webSearches]!;
		w.nano = x[o + COL.nano]!;
		w.premiumRequests = x[o + COL.premiumRequests]!;
		const flags = x[o + COL.flags]!;
		w.priced = (flags & 1) !== 0;
		w.estimated = (flags & 2) !== 0;
		return into;
	}

	/** Rollup `i`'s session (no record view). */
	sessionOf(i: number): SessionState {
		return this.sessions[this.nums[i * NUMS + COL.session]!]!;
	}

	/** The names that the string columns (`strs`) hold positions of. */
	get names(): readonly string[] {
		return this.strings;
	}

	/** The first call time of rollup `i` (no record view). */
	firstTs(i: number): number {
		return this.nums[i * NUMS + COL.ts]!;
	}

	/** The newest call time of rollup `i` (no record view). */
	lastTs(i: number): number {
		return this.nums[i * NUMS + COL.lastTs]!;
	}

	/** Room for `rows` rollups. */
	private reserve(rows: number): void {
		while (rows * NUMS > this.nums.length) this.grow();
	}

	private grow(): void {
		const n = Math.max(64, Math.ceil((this.nums.length / NUMS) * 1.5));
		this.nums = grown(Float64Array, this.nums, n * NUMS);
		this.strs = grown(Int32Array, this.strs, n * STRS);
	}
}

const NUMBERS = COUNT_FIELDS;

/** A CallRecord with every field, in the order upsert() creates them (one object layout). */
export function blank(): CallRecord {
	return {
		key: '', altKey: undefined, sidechain: false, tool: 'claude-code', session: undefined as unknown as SessionState, calls: 0, project: '', model: '', ts: 0,
		input: 0, cacheRead: 0, cacheWrite5m: 0, cacheWrite1h: 0, output: 0, reasoning: 0, unrecorded: 0, placeholders: 0, unrecordedNano: 0, webSearches: 0, nano: 0, priced: false, estimated: false,
		activity: 'conversation', features: 0, tools: NO_NAMES, commands: NO_NAMES, reportedCostUSD: undefined, premiumRequests: 0, group: undefined, lastTs: 0, at: 0,
		replace: 'max-output' as ReplacePolicy,
	};
}

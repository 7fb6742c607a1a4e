// The load-time check of a saved aggregate: an index whose values are not what burntop writes
// (a bad disk, a byte flip, another program) must never become a number on screen or a crash.
// Every count a whole number ≥ 0, every position in range, and the running totals equal to the
// sum of the rows they come from. Pure: the caller decides to rebuild.
import type {AggregateState} from './aggregate.js';
import {SealedCalls} from './sealed-calls.js';
import {COL, NUMS, sessionAt, STR, STRS, type RecordTable} from './record-table.js';

// Columns of a record table that are whole counts.
const COUNT_COLUMNS = [COL.calls, COL.input, COL.cacheRead, COL.cacheWrite5m, COL.cacheWrite1h, COL.output, COL.reasoning, COL.unrecorded, COL.placeholders, COL.unrecordedNano, COL.webSearches, COL.nano] as const;

function checkTable(t: RecordTable, sessions: number, what: string): string | undefined {
	if (!t || !Number.isInteger(t.count) || t.count < 0) return `${what}: count`;
	if (!(t.nums instanceof Float64Array) || t.nums.length !== t.count * NUMS) return `${what}: number columns`;
	if (!(t.strs instanceof Int32Array) || t.strs.length !== t.count * STRS) return `${what}: string columns`;
	if (!Array.isArray(t.keys) || t.keys.length !== t.count || !Array.isArray(t.strings)) return `${what}: keys`;
	const map = t.sessionMap;
	if (map !== undefined) {
		if (!(map instanceof Int32Array)) return `${what}: session map`;
		for (const v of map) if (v < 0 || v >= sessions) return `${what}: session map entry ${v}`;
	}

	const rowSessions = map ? map.length : sessions;
	for (let i = 0; i < t.count; i++) {
		const o = i * NUMS;
		const s = t.nums[o + COL.session]!;
		if (!Number.isInteger(s) || s < 0 || s >= rowSessions) return `${what}: session of row ${i}`;
		// Indexed, not for-of: these loops run once per start, mostly before they are optimised,
		// and an iterator per row was most of the start's garbage.
		for (let j = 0; j < COUNT_COLUMNS.length; j++) {
			const v = t.nums[o + COUNT_COLUMNS[j]!]!;
			if (!Number.isInteger(v) || v < 0) return `${what}: value ${v} in row ${i}`;
		}

		if (!Number.isFinite(t.nums[o + COL.ts]!) || !Number.isFinite(t.nums[o + COL.premiumRequests]!) || !Number.isFinite(t.nums[o + COL.at]!)) return `${what}: time or premium requests of row ${i}`;
		for (let k = 0; k < STRS; k++) {
			const p = t.strs[i * STRS + k]!;
			if (p < -1 || p >= t.strings.length || (p === -1 && k <= STR.activity)) return `${what}: string position in row ${i}`;
		}

		if (typeof t.keys[i] !== 'string') return `${what}: key of row ${i}`;
	}

	return undefined;
}

/** What is wrong with a saved aggregate, or undefined when it is consistent. */
export function checkState(st: AggregateState): string | undefined {
	try {
		const n = st.sessions.length;
		const bad = checkTable(st.records, n, 'records') ?? checkTable(st.sealed, n, 'rollups');
		if (bad) return bad;
		if (!Number.isInteger(st.openCalls) || st.openCalls < 0 || st.openCalls > st.records.count) return 'open call count';
		if (!Number.isInteger(st.sealedCalls) || st.sealedCalls < 0) return 'sealed call count';
		// Running totals: a session's calls and cost are the sum of its open records and rollups.
		const sums = new Float64Array(n * 2);
		const add = (t: RecordTable, count: number) => {
			for (let i = 0; i < count; i++) {
				const o = i * NUMS;
				const at = sessionAt(t, i) * 2;
				sums[at] += t.nums[o + COL.calls]!;
				sums[at + 1] += t.nums[o + COL.nano]!;
			}
		};

		add(st.records, st.openCalls);
		add(st.sealed, st.sealed.count);
		for (let i = 0; i < n; i++) {
			const s = st.sessions[i]!;
			if (!Number.isInteger(s.calls) || !Number.isInteger(s.nano) || !Number.isInteger(s.tokens) || s.calls < 0 || s.nano < 0 || s.tokens < 0) return `session ${i}: totals`;
			if (!Number.isFinite(s.firstAt) || !Number.isFinite(s.lastAt)) return `session ${i}: times`;
			if (s.calls !== sums[i * 2] || s.nano !== sums[i * 2 + 1]) return `session ${i}: totals differ from its calls (${s.calls} against ${sums[i * 2]})`;
			const ring = s.recent;
			for (let j = 0; j < ring.length; j++) if (!Number.isInteger(ring[j]) || ring[j]! < 0 || ring[j]! >= st.records.count) return `session ${i}: recent call position`;
		}

		// A rollup is the sum of its sealed calls.
		const rollupSums = new Float64Array(st.sealed.count * 2);
		for (let k = 0; k < st.sealed.count; k++) {
			rollupSums[k * 2] = st.sealed.nums[k * NUMS + COL.calls]!;
			rollupSums[k * 2 + 1] = st.sealed.nums[k * NUMS + COL.nano]!;
		}

		const ledger = SealedCalls.check(st.ledger, rollupSums);
		if (ledger) return ledger;
		return undefined;
	} catch (error) {
		return `unreadable (${(error as Error).message})`;
	}
}

// Call records as columns for the persistent index: numbers in one Float64Array, repeated
// strings (tool, project, model, activity, group) as positions in a string table, keys as one
// array. Structured clone copies typed arrays as bytes, so a warm start decodes ~12k rollups in a
// few milliseconds where JSON text of the same records took ~30 ms to parse, and records share
// one copy of each project and model name.
import type {CallRecord} from './records.js';
import type {Activity, ReplacePolicy, ToolId} from './types.js';

/** The position of `v` in `list`, added at the end the first time. */
export function intern<T>(ids: Map<T, number>, list: T[], v: T): number {
	let i = ids.get(v);
	if (i === undefined) {
		i = list.length;
		list.push(v);
		ids.set(v, i);
	}

	return i;
}

/** What a record is made of, without its session (given as a position in the session list). */
export type RecordFields = Omit<CallRecord, 'session'>;

/** Every field, optional ones included: a field added to CallRecord does not compile here until it is stored. */
type EveryField<T> = {[K in keyof Required<T>]: T[K] | undefined};

export type RecordTable = {
	count: number;
	keys: string[];
	/** Distinct strings; columns below hold positions in it (-1: undefined). */
	strings: string[];
	/** NUMS numbers per record. */
	nums: Float64Array;
	/** STRS string positions per record. */
	strs: Int32Array;
	/**
	 * When present, the session column holds positions in this list, whose values are the
	 * sessions' positions (the rollup table's own session numbering: its columns are saved as
	 * they are, not copied to renumber them).
	 */
	sessionMap?: Int32Array;
};

/** The session position of row `i` of a table (through its sessionMap, when it has one). */
export function sessionAt(t: RecordTable, i: number): number {
	const v = t.nums[i * NUMS + COL.session]!;
	return t.sessionMap ? t.sessionMap[v]! : v;
}

// Column order of `nums` (undefined numbers as NaN) and of `strs`. A record's tool and command
// lists are one string (JSON), so the few distinct combinations are stored and parsed once:
// as arrays of strings, ~23k records' lists took ~40 ms to deserialize.
export const COL = {session: 0, sidechain: 1, calls: 2, ts: 3, input: 4, cacheRead: 5, cacheWrite5m: 6, cacheWrite1h: 7, output: 8, reasoning: 9, webSearches: 10, nano: 11, flags: 12, premiumRequests: 13, reportedCostUSD: 14, lastTs: 15, at: 16, unrecorded: 17, placeholders: 18, unrecordedNano: 19} as const;
export const STR = {tool: 0, project: 1, model: 2, activity: 3, group: 4, altKey: 5, lists: 6} as const;
export const NUMS = 20;
export const STRS = 7;

/** The flags column: pricing state and the store's rule. */
export function recordFlags(r: Pick<RecordFields, 'priced' | 'estimated' | 'replace'>): number {
	return (r.priced ? 1 : 0) | (r.estimated ? 2 : 0) | (r.replace === 'last' ? 4 : r.replace === 'first' ? 8 : 0);
}

export function replaceOf(flags: number): ReplacePolicy {
	return (flags & 4) !== 0 ? 'last' : (flags & 8) !== 0 ? 'first' : 'max-output';
}

export function encodeRecords<R extends RecordFields>(records: readonly R[], sessionOf: (r: R) => number): RecordTable {
	const n = records.length;
	const strings: string[] = [];
	const index = new Map<string, number>();
	const str = (s: string | undefined): number => (s === undefined ? -1 : intern(index, strings, s));

	const nums = new Float64Array(n * NUMS);
	const strs = new Int32Array(n * STRS);
	const keys = new Array<string>(n);
	for (let i = 0; i < n; i++) {
		const r = records[i]!;
		keys[i] = r.key;
		const o = i * NUMS;
		nums[o + COL.session] = sessionOf(r);
		nums[o + COL.sidechain] = r.sidechain ? 1 : 0;
		nums[o + COL.calls] = r.calls;
		nums[o + COL.ts] = r.ts;
		nums[o + COL.input] = r.input;
		nums[o + COL.cacheRead] = r.cacheRead;
		nums[o + COL.cacheWrite5m] = r.cacheWrite5m;
		nums[o + COL.cacheWrite1h] = r.cacheWrite1h;
		nums[o + COL.output] = r.output;
		nums[o + COL.reasoning] = r.reasoning;
		nums[o + COL.unrecorded] = r.unrecorded;
		nums[o + COL.placeholders] = r.placeholders;
		nums[o + COL.unrecordedNano] = r.unrecordedNano;
		nums[o + COL.webSearches] = r.webSearches;
		nums[o + COL.nano] = r.nano;
		// Activity features above the 4 flag bits (rollups keep 0 there).
		nums[o + COL.flags] = recordFlags(r) | (r.features << 4);
		nums[o + COL.premiumRequests] = r.premiumRequests;
		nums[o + COL.reportedCostUSD] = r.reportedCostUSD ?? Number.NaN;
		nums[o + COL.lastTs] = r.lastTs ?? Number.NaN;
		nums[o + COL.at] = r.at;
		const p = i * STRS;
		strs[p + STR.tool] = str(r.tool);
		strs[p + STR.project] = str(r.project);
		strs[p + STR.model] = str(r.model);
		strs[p + STR.activity] = str(r.activity);
		strs[p + STR.group] = str(r.group);
		strs[p + STR.altKey] = str(r.altKey);
		strs[p + STR.lists] = r.tools.length > 0 || r.commands.length > 0 ? str(JSON.stringify([r.tools, r.commands])) : -1;
	}

	return {count: n, keys, strings, nums, strs};
}

const NO_LIST: readonly string[] = [];

/**
 * Record `i` of the table with its session from `sessions` by position. One object literal in
 * a fixed field order, so all restored records share a layout.
 */
export function decodeRecord<S>(t: RecordTable, i: number, sessions: readonly S[]): RecordFields & {session: S} {
	const {nums, strs, strings} = t;
	const o = i * NUMS;
	const p = i * STRS;
	const flags = nums[o + COL.flags]!;
	const reported = nums[o + COL.reportedCostUSD]!;
	const lastTs = nums[o + COL.lastTs]!;
	const list = strs[p + STR.lists]! < 0 ? undefined : listsOf(t, strs[p + STR.lists]!);
	const r: EveryField<RecordFields> & {session: S} = {
		key: t.keys[i]!,
		altKey: strs[p + STR.altKey]! < 0 ? undefined : strings[strs[p + STR.altKey]!],
		sidechain: nums[o + COL.sidechain] === 1,
		tool: strings[strs[p + STR.tool]!] as ToolId,
		session: sessions[nums[o + COL.session]!]!,
		calls: nums[o + COL.calls]!,
		project: strings[strs[p + STR.project]!]!,
		model: strings[strs[p + STR.model]!]!,
		ts: nums[o + COL.ts]!,
		input: nums[o + COL.input]!,
		cacheRead: nums[o + COL.cacheRead]!,
		cacheWrite5m: nums[o + COL.cacheWrite5m]!,
		cacheWrite1h: nums[o + COL.cacheWrite1h]!,
		output: nums[o + COL.output]!,
		reasoning: nums[o + COL.reasoning]!,
		unrecorded: nums[o + COL.unrecorded]!,
		placeholders: nums[o + COL.placeholders]!,
		unrecordedNano: nums[o + COL.unrecordedNano]!,
		webSearches: nums[o + COL.webSearches]!,
		nano: nums[o + COL.nano]!,
		priced: (flags & 1) !== 0,
		estimated: (flags & 2) !== 0,
		activity: strings[strs[p + STR.activity]!] as Activity,
		features: flags >>> 4,
		tools: list?.[0] ?? NO_LIST,
		commands: list?.[1] ?? NO_LIST,
		reportedCostUSD: Number.isNaN(reported) ? undefined : reported,
		premiumRequests: nums[o + COL.premiumRequests]!,
		group: strs[p + STR.group]! < 0 ? undefined : strings[strs[p + STR.group]!],
		lastTs: Number.isNaN(lastTs) ? undefined : lastTs,
		at: nums[o + COL.at]!,
		replace: replaceOf(flags),
	};
	return r as RecordFields & {session: S};
}

const parsedLists = new WeakMap<RecordTable, Map<number, [readonly string[], readonly string[]]>>();

/** Tool and command lists stored at string `at`, parsed once per table (records share them: they are never changed in place). */
function listsOf(t: RecordTable, at: number): [readonly string[], readonly string[]] {
	let m = parsedLists.get(t);
	if (!m) {
		m = new Map();
		parsedLists.set(t, m);
	}

	let l = m.get(at);
	if (!l) {
		l = JSON.parse(t.strings[at]!) as [string[], string[]];
		m.set(at, l);
	}

	return l;
}

/** The first `count` records (all by default), in encoding order. */
export function decodeRecords<S>(t: RecordTable, sessions: readonly S[], count = t.count): Array<RecordFields & {session: S}> {
	const out = new Array<RecordFields & {session: S}>(count);
	for (let i = 0; i < count; i++) out[i] = decodeRecord(t, i, sessions);
	return out;
}

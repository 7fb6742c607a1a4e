// Call records as columns for the persistent index: numbers in one Float64Array, repeated
// strings (tool, project, model, activity, group) as positions in a string table, keys as one
// array. Structured clone copies typed arrays as bytes, so a warm start decodes ~12k rollups in a
// few milliseconds where JSON text of the same records took ~30 ms to parse, and records share
// one copy of each project and model name.
import type {CallRecord} from './aggregate.js';
import type {Activity, ToolId} from './types.js';

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
};

// Column order of `nums` (undefined numbers as NaN) and of `strs`. A record's tool and command
// lists are one string (JSON), so the few distinct combinations are stored and parsed once:
// as arrays of strings, ~23k records' lists took ~40 ms to deserialize.
export const NUMS = 17;
export const STRS = 7;

export function encodeRecords<R extends RecordFields>(records: readonly R[], sessionOf: (r: R) => number): RecordTable {
	const n = records.length;
	const strings: string[] = [];
	const index = new Map<string, number>();
	const str = (s: string | undefined): number => {
		if (s === undefined) return -1;
		let i = index.get(s);
		if (i === undefined) {
			i = strings.length;
			strings.push(s);
			index.set(s, i);
		}

		return i;
	};

	const nums = new Float64Array(n * NUMS);
	const strs = new Int32Array(n * STRS);
	const keys = new Array<string>(n);
	for (let i = 0; i < n; i++) {
		const r = records[i]!;
		keys[i] = r.key;
		const o = i * NUMS;
		nums[o] = sessionOf(r);
		nums[o + 1] = r.sidechain ? 1 : 0;
		nums[o + 2] = r.calls;
		nums[o + 3] = r.ts;
		nums[o + 4] = r.input;
		nums[o + 5] = r.cacheRead;
		nums[o + 6] = r.cacheWrite5m;
		nums[o + 7] = r.cacheWrite1h;
		nums[o + 8] = r.output;
		nums[o + 9] = r.reasoning;
		nums[o + 10] = r.webSearches;
		nums[o + 11] = r.nano;
		nums[o + 12] = (r.priced ? 1 : 0) | (r.estimated ? 2 : 0) | (r.replace === 'last' ? 4 : r.replace === 'first' ? 8 : 0);
		nums[o + 13] = r.premiumRequests;
		nums[o + 14] = r.reportedCostUSD ?? Number.NaN;
		nums[o + 15] = r.lastTs ?? Number.NaN;
		nums[o + 16] = r.at;
		const p = i * STRS;
		strs[p] = str(r.tool);
		strs[p + 1] = str(r.project);
		strs[p + 2] = str(r.model);
		strs[p + 3] = str(r.activity);
		strs[p + 4] = str(r.group);
		strs[p + 5] = str(r.altKey);
		strs[p + 6] = r.tools.length > 0 || r.commands.length > 0 ? str(JSON.stringify([r.tools, r.commands])) : -1;
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
	const flags = nums[o + 12]!;
	const reported = nums[o + 14]!;
	const lastTs = nums[o + 15]!;
	const list = strs[p + 6]! < 0 ? undefined : listsOf(t, strs[p + 6]!);
	const r: EveryField<RecordFields> & {session: S} = {
		key: t.keys[i]!,
		altKey: strs[p + 5]! < 0 ? undefined : strings[strs[p + 5]!],
		sidechain: nums[o + 1] === 1,
		tool: strings[strs[p]!] as ToolId,
		session: sessions[nums[o]!]!,
		calls: nums[o + 2]!,
		project: strings[strs[p + 1]!]!,
		model: strings[strs[p + 2]!]!,
		ts: nums[o + 3]!,
		input: nums[o + 4]!,
		cacheRead: nums[o + 5]!,
		cacheWrite5m: nums[o + 6]!,
		cacheWrite1h: nums[o + 7]!,
		output: nums[o + 8]!,
		reasoning: nums[o + 9]!,
		webSearches: nums[o + 10]!,
		nano: nums[o + 11]!,
		priced: (flags & 1) !== 0,
		estimated: (flags & 2) !== 0,
		activity: strings[strs[p + 3]!] as Activity,
		tools: list?.[0] ?? NO_LIST,
		commands: list?.[1] ?? NO_LIST,
		reportedCostUSD: Number.isNaN(reported) ? undefined : reported,
		premiumRequests: nums[o + 13]!,
		group: strs[p + 4]! < 0 ? undefined : strings[strs[p + 4]!],
		lastTs: Number.isNaN(lastTs) ? undefined : lastTs,
		at: nums[o + 16]!,
		replace: (flags & 4) !== 0 ? 'last' : (flags & 8) !== 0 ? 'first' : 'max-output',
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

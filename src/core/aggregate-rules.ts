// The aggregate's vocabulary: what a copy of a call brings, the stores' merge rules, the sealing
// grid and the limits. Pure functions and types, shared by the ledger and its saved form.
import {ESTIMATED, FIRST, LAST, PRICED, SealedCalls, SIDECHAIN, type SealedCallsState, type SealedNumbers} from './sealed-calls.js';
import type {RecordTable} from './record-table.js';
import type {ReplacePolicy, UsageEvent} from './types.js';
import {NANO, NO_COUNTS, type CallRecord, type Counts, type SessionState} from './records.js';

export type PriceFn = (call: UsageEvent) => {cost: number; priced: boolean; approximate: boolean};

/** What one copy of a call says: the numbers a merge rule compares and takes. */
export type Values = Omit<SealedNumbers, 'ts'> & {model: string; project: string; priced: boolean; estimated: boolean; reportedCostUSD?: number};

export type Group = {rank: number; members: Set<CallRecord>};

export const ZERO = NO_COUNTS;

export function differs(r: CallRecord, v: Values): boolean {
	return r.model !== v.model || r.project !== v.project || r.priced !== v.priced || r.estimated !== v.estimated || r.reportedCostUSD !== v.reportedCostUSD || !sameCounts(r, v);
}

/** `to` takes `from`'s counts, field by field (COUNT_FIELDS by name, as sameCounts reads them). */
export function setCounts(to: Counts, from: Counts): void {
	to.calls = from.calls;
	to.input = from.input;
	to.cacheRead = from.cacheRead;
	to.cacheWrite5m = from.cacheWrite5m;
	to.cacheWrite1h = from.cacheWrite1h;
	to.output = from.output;
	to.reasoning = from.reasoning;
	to.unrecorded = from.unrecorded;
	to.placeholders = from.placeholders;
	to.unrecordedNano = from.unrecordedNano;
	to.webSearches = from.webSearches;
	to.nano = from.nano;
	to.premiumRequests = from.premiumRequests;
}

/** Whether two sets of counts are equal, field by field (COUNT_FIELDS by name, not looped: once per copy of a call). */
export function sameCounts(a: Counts, b: Counts): boolean {
	return a.calls === b.calls && a.input === b.input && a.cacheRead === b.cacheRead && a.cacheWrite5m === b.cacheWrite5m && a.cacheWrite1h === b.cacheWrite1h &&
		a.output === b.output && a.reasoning === b.reasoning && a.unrecorded === b.unrecorded && a.placeholders === b.placeholders &&
		a.unrecordedNano === b.unrecordedNano && a.webSearches === b.webSearches && a.nano === b.nano && a.premiumRequests === b.premiumRequests;
}

export type UpsertResult = 'added' | 'amended' | 'duplicate';

export type AggregateState = {
	/** Sessions with `recent` as positions in `records`. */
	sessions: Array<Omit<SessionState, 'recent'> & {recent: Int32Array}>;
	/** Open records first (`openCalls` of them), then records only a session's ring holds. */
	records: RecordTable;
	openCalls: number;
	/** The rollups. */
	sealed: RecordTable;
	groups: Array<[string, number, string[]]>;
	remotes: Array<[string, string]>;
	/** Every sealed call's key and numbers (rows point at `sealed` by position). */
	ledger: SealedCallsState;
	sealedCalls: number;
};

export const RECENT_CALLS = 500;
/** A quiet session's recent calls (none: a drill-down reads them again from its files). Never written to: a new call makes a new ring. */
export const NO_CALLS: CallRecord[] = [];
export const MINUTE = 60_000;
const DAY = 86_400_000;
/**
 * A long-running monitor folds calls this far behind the newest one into rollups (one per
 * session, 15 minutes, model, project, activity and pricing state), so memory follows
 * activity, not the number of calls ever seen. Stores rewrite a call within seconds or
 * minutes (streaming, re-emits); two days is far beyond that.
 */
export const SEAL_AFTER = 2 * DAY;
/** 15 minutes: every time zone's midnight falls on a slot boundary, so day windows stay exact. */
export const SEAL_SLOT = 15 * MINUTE;

/** A window edge that no rollup straddles (or no edge). */
export function onSealGrid(t: number | undefined): boolean {
	return t === undefined || t % SEAL_SLOT === 0;
}
export const MAX_ERRORS = 2000;
export const MAX_SIGNALS = 300;


/** A sealed row's flags for a record: sidechain, pricing state and the store's rule. */
export function rowFlags(r: CallRecord): number {
	return (r.sidechain ? SIDECHAIN : 0) | (r.priced ? PRICED : 0) | (r.estimated ? ESTIMATED : 0) | (r.replace === 'last' ? LAST : r.replace === 'first' ? FIRST : 0);
}

export function policyOf(flags: number): ReplacePolicy {
	return (flags & LAST) !== 0 ? 'last' : (flags & FIRST) !== 0 ? 'first' : 'max-output';
}

/**
 * Of two burntops' copies of one call, is theirs the one the store's rule keeps? First copy:
 * ours. Largest output: theirs when larger (a tie goes to the copy read later). Rewriting
 * stores: the copy read later, which saw the newer version of the file or row.
 */
export function prefers(rule: ReplacePolicy, ours: {output: number; at: number}, theirs: {output: number; at: number}): boolean {
	if (rule === 'first') return false;
	if (rule === 'max-output') return theirs.output > ours.output || (theirs.output === ours.output && theirs.at > ours.at);
	return theirs.at > ours.at;
}

/** Does an open call here have a key the other side sealed? */
export function sealedKeyIn(st: AggregateState, calls: Map<string, CallRecord>): boolean {
	const other = new SealedCalls();
	other.importState(st.ledger);
	for (const k of calls.keys()) if (other.find(k) !== -1) return true;
	return false;
}

export function toNano(usd: number): number {
	return Number.isFinite(usd) && usd > 0 ? Math.round(usd * NANO) : 0;
}

/**
 * `a` with the items of `b` it lacks, in order; `a` itself when nothing is new (the usual case:
 * streamed lines repeat a message's tools), `b` itself when it is `a` followed by new distinct
 * items (the other usual case: a later line's list has grown). Lists are a few items: no Set;
 * indexed loops, no iterator (hot while the JIT is still cold).
 */
export function union(a: readonly string[], b: readonly string[] | undefined): readonly string[] {
	if (!b || b.length === 0 || b === a) return a;
	if (extendsList(a, b)) return b;
	let out: string[] | undefined;
	for (let i = 0; i < b.length; i++) {
		const x = b[i]!;
		if ((out ?? a).includes(x)) continue;
		out ??= a.slice();
		out.push(x);
	}

	return out ?? a;
}

/** Whether `b` is `a` followed by items that are neither in `a` nor repeated: then union(a, b) has b's items in b's order. */
function extendsList(a: readonly string[], b: readonly string[]): boolean {
	if (b.length <= a.length) return false;
	for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
	for (let i = a.length; i < b.length; i++) {
		const x = b[i]!;
		for (let j = 0; j < i; j++) if (b[j] === x) return false;
	}

	return true;
}

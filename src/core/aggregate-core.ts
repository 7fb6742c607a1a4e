// The in-memory ledger: every distinct call once, amended in place when a store
// rewrites it, plus per-session state. Pure: pricing comes in as a function. Saving, loading
// and merging states: aggregate.ts.
import {classifyActivity} from './activity.js';
import {ESTIMATED, FIRST, LAST, PRICED, REMOVED, SealedCalls, SIDECHAIN, type SealedCallsState, type SealedNumbers} from './sealed-calls.js';
import type {RecordTable} from './record-table.js';
import {blank, RollupTable} from './rollup-table.js';
import {TimeSeries} from './series.js';
import type {Activity, ErrorEvent, IngestEvent, PromptEvent, RateLimitEvent, ReplacePolicy, ToolId, ToolResultEvent, UsageEvent} from './types.js';
import {COUNT_FIELDS, NANO, NO_COUNTS, type CallRecord, type SessionState} from './records.js';



export type PriceFn = (call: UsageEvent) => {cost: number; priced: boolean; approximate: boolean};

/** What one copy of a call says: the numbers a merge rule compares and takes. */
export type Values = Omit<SealedNumbers, 'ts'> & {model: string; project: string; priced: boolean; estimated: boolean; reportedCostUSD?: number};

export type Group = {rank: number; members: Set<CallRecord>};

export const NUMBER_FIELDS = COUNT_FIELDS;
export const ZERO = NO_COUNTS;

function differs(r: CallRecord, v: Values): boolean {
	return r.model !== v.model || r.project !== v.project || r.priced !== v.priced || r.estimated !== v.estimated || r.reportedCostUSD !== v.reportedCostUSD || NUMBER_FIELDS.some(k => r[k] !== v[k]);
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
const MINUTE = 60_000;
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

/** The ledger of calls, sessions and rollups; Aggregate (aggregate.ts) adds saving, loading and merging. */
export class AggregateCore {
	readonly calls = new Map<string, CallRecord>();
	/** Rollup key → position in `rollups`, for rollups made or looked up since the load (see keyed). */
	protected readonly sealed = new Map<string, number>();
	/** Rollups below this position (loaded) are in `sealed` only once a call is sealed after the load. */
	protected keyedFrom = 0;
	/** Rollups of sealed calls, read as records so totals read both the same way (sealed calls name theirs by position). */
	protected readonly rollups = new RollupTable();
	/** Every sealed call, all time: a later copy of any age is amended or dropped by the store's rule, never counted twice. */
	protected readonly ledger = new SealedCalls();
	sealedCalls = 0;
	readonly sessions = new Map<string, SessionState>();
	/** Project (repository root) → remote `owner/name`. */
	readonly remotes = new Map<string, string>();
	protected readonly byAltKey = new Map<string, CallRecord>();
	/** Per group: the highest rank seen and the records counted at it. */
	protected readonly groups = new Map<string, Group>();
	/** Minute/hour buckets for burn rates and charts. */
	readonly series = new TimeSeries();
	/** Bumped on every change: views and watchers re-render only when it moves. */
	version = 0;

	/** `readClock`: real time, for which copy of a rewritten call was read last (never the injected clock of a view). */
	constructor(protected readonly price: PriceFn, protected readonly readClock: () => number = Date.now) {}

	apply(event: IngestEvent): UpsertResult {
		switch (event.kind) {
			case 'usage':
				return this.upsert(event);
			case 'error':
				return this.error(event);
			case 'rate-limit':
				return this.rateLimit(event);
			case 'prompt':
				return this.signal(event, s => s.prompts, event.ts);
			case 'tool-result':
				return this.signal(event, s => s.results, {ts: event.ts, hash: event.hash, text: event.text});
		}
	}

	upsert(e: UsageEvent): UpsertResult {
		const existing = this.calls.get(e.dedupeKey);
		if (existing) return this.amend(existing, e);
		// Already sealed: a late copy (a replay, a re-read) of a call counted earlier.
		const row = this.ledger.find(e.dedupeKey);
		if (row !== -1) return this.amendSealed(row, e);
		const group = this.admit(e.group, e.rank ?? 0, e.altKey, Boolean(e.sidechain));
		if (group === false) return 'duplicate';
		const session = this.session(e.tool, e.sessionId, e.project, e.ts);
		const activity = this.classify(session, e, e.tools ?? [], e.commands ?? []);
		const v = this.valuesOf(e);
		const record: CallRecord = {
			key: e.dedupeKey,
			altKey: e.altKey,
			sidechain: Boolean(e.sidechain),
			tool: e.tool,
			session,
			calls: v.calls,
			project: v.project,
			model: v.model,
			ts: e.ts,
			input: v.input,
			cacheRead: v.cacheRead,
			cacheWrite5m: v.cacheWrite5m,
			cacheWrite1h: v.cacheWrite1h,
			output: v.output,
			reasoning: v.reasoning,
			unrecorded: v.unrecorded,
			placeholders: v.placeholders,
			webSearches: v.webSearches,
			nano: v.nano,
			priced: v.priced,
			estimated: v.estimated,
			activity,
			tools: e.tools ?? [],
			commands: e.commands ?? [],
			reportedCostUSD: v.reportedCostUSD,
			premiumRequests: v.premiumRequests,
			group: e.group,
			at: v.at,
			replace: e.replace,
		};
		this.addOpen(record, group, e);
		return 'added';
	}

	protected addOpen(record: CallRecord, group: Group | undefined, e?: UsageEvent): void {
		group?.members.add(record);
		this.calls.set(record.key, record);
		this.contribute(record, 1);
		if (record.altKey && !this.byAltKey.has(record.altKey)) this.byAltKey.set(record.altKey, record);
		this.touch(record.session, record, e);
		this.version++;
	}

	/**
	 * May a call new to this ledger count? Its group's rank (a summary never counts beside the
	 * calls it sums up; a higher rank replaces a lower one) and its twin (a sidechain replay of a
	 * main-thread message under another key is one call, not two). False: a duplicate.
	 */
	protected admit(groupKey: string | undefined, rank: number, altKey: string | undefined, sidechain: boolean): Group | undefined | false {
		let group: Group | undefined;
		if (groupKey !== undefined) {
			group = this.groups.get(groupKey);
			if (group && rank < group.rank) return false;
			if (group && rank > group.rank) {
				for (const r of group.members) this.remove(r);
				group.members.clear();
				group.rank = rank;
				this.version++;
			}

			if (!group) {
				group = {rank, members: new Set()};
				this.groups.set(groupKey, group);
			}
		}

		if (altKey) {
			const twin = this.byAltKey.get(altKey);
			if (twin && twin.sidechain !== sidechain) {
				if (sidechain) return false;
				this.remove(twin);
			} else if (!twin) {
				const r = this.ledger.findAlt(altKey);
				const flags = r === -1 ? REMOVED : this.ledger.flags[r]!;
				if ((flags & REMOVED) === 0 && ((flags & SIDECHAIN) !== 0) !== sidechain) {
					if (sidechain) return false;
					this.removeSealed(r);
				}
			}
		}

		return group;
	}

	/** The numbers a copy of a call brings, priced. */
	protected valuesOf(e: UsageEvent): Values {
		const price = this.price(e);
		const reported = e.preferReportedCost === true && e.reportedCostUSD !== undefined;
		const calls = Math.max(1, e.calls ?? 1);
		const unrecorded = e.unrecorded ?? 0;
		return {
			model: e.model, project: e.project, calls, input: e.input, cacheRead: e.cacheRead,
			cacheWrite5m: e.cacheWrite5m, cacheWrite1h: e.cacheWrite1h, output: e.output, reasoning: e.reasoning, unrecorded, placeholders: unrecorded > 0 ? calls : 0, webSearches: e.webSearches,
			nano: toNano(reported ? e.reportedCostUSD! : price.cost), priced: price.priced || reported,
			estimated: Boolean(e.estimated || e.modelGuessed || price.approximate), premiumRequests: e.premiumRequests ?? 0,
			reportedCostUSD: e.reportedCostUSD, at: this.readClock(),
		};
	}

	protected amend(r: CallRecord, e: UsageEvent): UpsertResult {
		if (e.replace === 'first') return 'duplicate';
		const tools = union(r.tools, e.tools);
		const commands = union(r.commands, e.commands);
		let changed = tools.length !== r.tools.length || commands.length !== r.commands.length;
		// In one reader's order: the later line wins ties of the largest output.
		if (e.replace === 'last' || e.output >= r.output) {
			const v = this.valuesOf(e);
			changed ||= differs(r, v);
			if (changed) this.setOpen(r, v);
			// The copy in the main transcript wins over a sidechain replay.
			if (!e.sidechain) r.sidechain = false;
		}

		if (tools.length !== r.tools.length || commands.length !== r.commands.length) {
			r.tools = tools;
			r.commands = commands;
			r.activity = classifyActivity({tools, commands, prompt: e.prompt, previous: undefined});
		}

		if (!changed) return 'duplicate';
		this.version++;
		return 'amended';
	}

	/** An open call takes another copy's numbers. */
	protected setOpen(r: CallRecord, v: Values): void {
		this.contribute(r, -1);
		r.project = v.project;
		r.model = v.model;
		r.calls = v.calls;
		r.input = v.input;
		r.cacheRead = v.cacheRead;
		r.cacheWrite5m = v.cacheWrite5m;
		r.cacheWrite1h = v.cacheWrite1h;
		r.output = v.output;
		r.reasoning = v.reasoning;
		r.unrecorded = v.unrecorded;
		r.placeholders = v.placeholders;
		r.webSearches = v.webSearches;
		r.reportedCostUSD = v.reportedCostUSD;
		r.premiumRequests = v.premiumRequests;
		r.nano = v.nano;
		r.priced = v.priced;
		r.estimated = v.estimated;
		r.at = v.at;
		r.session.models.add(v.model);
		this.contribute(r, 1);
		this.version++;
	}

	protected remove(r: CallRecord): void {
		if (!this.calls.has(r.key)) return;
		this.calls.delete(r.key);
		this.contribute(r, -1);
		if (r.altKey && this.byAltKey.get(r.altKey) === r) this.byAltKey.delete(r.altKey);
		const i = r.session.recent.indexOf(r);
		if (i !== -1) r.session.recent.splice(i, 1);
	}

	/** Every counted call: open records, then sealed rollups. */
	*records(): Iterable<CallRecord> {
		yield* this.calls.values();
		// One view for every rollup (callers read fields, never keep it). A rollup emptied by a
		// moved or superseded call stays for its position, but is not a record.
		const view = blank();
		for (let i = 0; i < this.rollups.count; i++) if (this.rollups.calls(i) !== 0) yield this.rollups.read(i, view);
	}

	/**
	 * Fold calls more than SEAL_AFTER behind `now` (or the newest call, if older) into rollups,
	 * keeping only a fingerprint of each key; trim quiet sessions' drill-down state. Totals
	 * do not change. Only for long-running monitors: headless reports keep every record.
	 */
	seal(now: number): number {
		const newest = Math.min(now, this.series.newestMinute * MINUTE);
		const before = newest - SEAL_AFTER;
		let n = 0;
		for (const r of this.calls.values()) {
			if (r.ts >= before || r.group !== undefined) continue; // Group members may still be superseded.
			this.calls.delete(r.key);
			if (r.altKey && this.byAltKey.get(r.altKey) === r) this.byAltKey.delete(r.altKey);
			this.ledger.add(r.key, r.altKey, r, rowFlags(r), this.rollup(r));
			n++;
		}

		for (const s of this.sessions.values()) {
			if (s.lastAt >= before || s.quiet) continue;
			s.quiet = true;
			// Assigned, not read: reading a ring restored from the index would decode it.
			s.recent = NO_CALLS;
			s.prompts.clear();
			s.results.clear();
			s.lastPrompt = undefined;
		}

		this.sealedCalls += n;
		return n;
	}

	/** Add a call to its rollup; the rollup's position. */
	protected rollup(r: CallRecord): number {
		// Loaded rollups are keyed on the first seal after a load, not at the load (a warm start seals nothing).
		if (this.keyedFrom > 0) {
			const view = blank();
			for (let i = 0; i < this.keyedFrom; i++) this.sealed.set(this.rollupKey(this.rollups.read(i, view)), i);
			this.keyedFrom = 0;
		}

		const key = this.rollupKey(r);
		const at = this.sealed.get(key);
		if (at === undefined) {
			const made = this.rollups.add(r);
			this.sealed.set(key, made);
			return made;
		}

		this.rollups.addTo(at, r, 1);
		return at;
	}

	/**
	 * Which rollup a call belongs to: its 15-minute slot, session, model, project, activity and
	 * pricing state, the strings as numbers of this process (a short key: there are thousands).
	 * Derived again on load, never read from the index.
	 */
	protected rollupKey(r: CallRecord): string {
		return `${Math.floor(r.ts / SEAL_SLOT)} ${this.idOf(r.session.key)} ${this.idOf(r.model)} ${this.idOf(r.project)} ${this.idOf(r.activity)} ${r.priced ? 1 : 0}${r.estimated ? 1 : 0}`;
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

	/** Take a sealed call's numbers out of its rollup, series and session (sign -1), or put them in (1). */
	protected contributeSealed(rollup: number, n: SealedNumbers, sign: 1 | -1): void {
		this.contribute({...this.rollups.read(rollup), ...n}, sign);
		this.rollups.addTo(rollup, n, sign);
	}

	/**
	 * A later copy of a sealed call: the same rule as for an open one (first copy, largest
	 * output, or last copy wins), applied to the numbers that were counted.
	 */
	protected amendSealed(row: number, e: UsageEvent): UpsertResult {
		const flags = this.ledger.flags[row]!;
		if ((flags & REMOVED) !== 0 || e.replace === 'first') return 'duplicate';
		const old = this.ledger.read(row);
		if (e.replace !== 'last' && e.output < old.output) return 'duplicate';
		const v = this.valuesOf(e);
		const from = this.rollups.read(this.ledger.rollup[row]!);
		const sidechain = e.sidechain ? flags & SIDECHAIN : 0;
		const same = sidechain === (flags & SIDECHAIN) && from.model === v.model && from.project === v.project && from.priced === v.priced &&
			from.estimated === v.estimated && NUMBER_FIELDS.every(k => v[k] === old[k]);
		if (same) return 'duplicate';
		this.setSealed(row, v, sidechain);
		return 'amended';
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
			reasoning: v.reasoning, unrecorded: v.unrecorded, placeholders: v.placeholders, webSearches: v.webSearches, nano: v.nano, calls: v.calls, premiumRequests: v.premiumRequests, ts: old.ts, at: v.at,
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

	/** A sealed sidechain replay superseded by its main copy: its numbers leave the totals, its key stays known. */
	protected removeSealed(row: number): void {
		this.contributeSealed(this.ledger.rollup[row]!, this.ledger.read(row), -1);
		this.ledger.flags[row] = this.ledger.flags[row]! | REMOVED;
		this.version++;
	}

	/** Rollups of sealed calls (some may hold the same group: sums are the same). */
	get rollupCount(): number {
		return this.rollups.count;
	}

	/** Memory held by the sealed-call ledger, bytes. */
	get sealedKeyBytes(): number {
		return this.ledger.bytes;
	}

	/** USD a counted call would have cost with another split of its input (cache analysis). */
	reprice(c: CallRecord, split: {input: number; cacheRead: number}): number {
		const e = {
			kind: 'usage', tool: c.tool, sessionId: c.session.sessionId, project: c.project, model: c.model, ts: c.ts,
			input: split.input, cacheRead: split.cacheRead, cacheWrite5m: c.cacheWrite5m, cacheWrite1h: c.cacheWrite1h,
			output: c.output, reasoning: c.reasoning, webSearches: c.webSearches, dedupeKey: c.key, replace: 'last',
		} satisfies UsageEvent;
		return this.price(e).cost;
	}

	/** Nano-dollars of a call's estimated unrecorded output at its model's output rate (0 if none). */
	unrecordedNano(c: CallRecord): number {
		if (c.unrecorded <= 0) return 0;
		const e = {
			kind: 'usage', tool: c.tool, sessionId: c.session.sessionId, project: c.project, model: c.model, ts: c.ts,
			input: 0, cacheRead: 0, cacheWrite5m: 0, cacheWrite1h: 0, output: c.unrecorded, reasoning: 0, webSearches: 0, dedupeKey: c.key, replace: 'last',
		} satisfies UsageEvent;
		return toNano(this.price(e).cost);
	}

	/** Add or remove a call's share in the time series and its session's running totals. */
	protected contribute(r: CallRecord, sign: 1 | -1): void {
		this.series.apply(r, sign);
		r.session.calls += sign * r.calls;
		r.session.nano += sign * r.nano;
		r.session.tokens += sign * (r.input + r.cacheRead + r.cacheWrite5m + r.cacheWrite1h + r.output);
	}

	protected error(e: ErrorEvent): UpsertResult {
		const s = this.session(e.tool, e.sessionId, e.project, e.ts);
		if (s.errors.has(e.dedupeKey)) return 'duplicate';
		s.errors.set(e.dedupeKey, e.ts);
		if (s.errors.size > MAX_ERRORS) s.errors.delete(s.errors.keys().next().value!);
		if (e.ts > s.lastAt) s.lastAt = e.ts;
		this.version++;
		return 'added';
	}

	protected signal<V>(e: PromptEvent | ToolResultEvent, ring: (s: SessionState) => Map<string, V>, value: V): UpsertResult {
		const s = this.session(e.tool, e.sessionId, '', e.ts);
		const m = ring(s);
		if (m.has(e.dedupeKey)) return 'duplicate';
		m.set(e.dedupeKey, value);
		if (m.size > MAX_SIGNALS) m.delete(m.keys().next().value!);
		this.version++;
		return 'added';
	}

	protected rateLimit(e: RateLimitEvent): UpsertResult {
		const s = this.sessions.get(`${e.tool}:${e.sessionId}`);
		if (!s) {
			// Rate limits arrive before the session's first call; keep them for when it exists.
			const created = this.session(e.tool, e.sessionId, '', e.ts);
			created.rateLimit = e;
			return 'added';
		}

		if (s.rateLimit && s.rateLimit.ts >= e.ts) return 'duplicate';
		s.rateLimit = e;
		this.version++;
		return 'amended';
	}

	protected session(tool: ToolId, sessionId: string, project: string, ts: number): SessionState {
		const key = `${tool}:${sessionId}`;
		let s = this.sessions.get(key);
		if (!s) {
			s = {key, tool, sessionId, project, firstAt: ts, lastAt: ts, calls: 0, nano: 0, tokens: 0, models: new Set(), errors: new Map(), recent: [], files: new Set(), cwds: new Set(), prompts: new Map(), results: new Map()};
			this.sessions.set(key, s);
		} else if (!s.project && project) {
			s.project = project;
		}

		return s;
	}

	protected classify(s: SessionState, e: UsageEvent, tools: readonly string[], commands: readonly string[]): Activity {
		const sameTurn = e.turnId !== undefined && e.turnId === s.turnId;
		const activity = classifyActivity({tools, commands, prompt: e.prompt, previous: sameTurn ? s.turnActivity : undefined});
		if (!sameTurn) {
			s.turnId = e.turnId;
			s.turnActivity = undefined;
		}

		if (activity !== 'conversation') s.turnActivity = activity;
		return activity;
	}

	protected touch(s: SessionState, r: CallRecord, e: UsageEvent | undefined): void {
		if (r.ts < s.firstAt || s.firstAt === 0) s.firstAt = r.ts;
		if (r.ts > s.lastAt) s.lastAt = r.ts;
		s.models.add(r.model);
		if (e?.file) s.files.add(e.file);
		if (e?.cwd && e.cwd !== r.project && s.cwds.size < 20) s.cwds.add(e.cwd);
		if (e?.remote && !this.remotes.has(r.project)) this.remotes.set(r.project, e.remote);
		if (e?.prompt) s.lastPrompt = e.prompt;
		// Keep the ring in time order; most inserts are at the end.
		if (s.recent === NO_CALLS) s.recent = [];
		s.quiet = false;
		const ring = s.recent;
		let i = ring.length;
		while (i > 0 && ring[i - 1]!.ts > r.ts) i--;
		ring.splice(i, 0, r);
		if (ring.length > RECENT_CALLS) ring.shift();
	}
}


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

/** `a` with the items of `b` it lacks, in order; `a` itself when nothing is new (the usual case: streamed lines repeat a message's tools). Lists are a few items: no Set. */
export function union(a: readonly string[], b: readonly string[] | undefined): readonly string[] {
	if (!b || b.length === 0) return a;
	let out: string[] | undefined;
	for (const x of b) {
		if ((out ?? a).includes(x)) continue;
		out ??= a.slice();
		out.push(x);
	}

	return out ?? a;
}

// The in-memory ledger: every distinct call once, amended in place when a store
// rewrites it, plus per-session state. Pure: pricing comes in as a function.
import {classifyActivity} from './activity.js';
import {fingerprint} from './fingerprints.js';
import {ESTIMATED, FIRST, LAST, PRICED, REMOVED, SealedCalls, SIDECHAIN, type SealedCallsState, type SealedNumbers} from './sealed-calls.js';
import {decodeRecord, decodeRecords, encodeRecords, type RecordTable} from './record-table.js';
import {blank, RollupTable} from './rollup-table.js';
import {TimeSeries} from './series.js';
import type {Activity, ErrorEvent, IngestEvent, PromptEvent, RateLimitEvent, ReplacePolicy, ToolId, ToolResultEvent, UsageEvent} from './types.js';
import {COUNT_FIELDS, NANO, NO_COUNTS, type CallRecord, type SessionState} from './records.js';

export {NANO, type CallRecord, type SessionState} from './records.js';

export type PriceFn = (call: UsageEvent) => {cost: number; priced: boolean; approximate: boolean};

/** What one copy of a call says: the numbers a merge rule compares and takes. */
type Values = Omit<SealedNumbers, 'ts'> & {model: string; project: string; priced: boolean; estimated: boolean; reportedCostUSD?: number};

type Group = {rank: number; members: Set<CallRecord>};

const NUMBER_FIELDS = COUNT_FIELDS;
const ZERO = NO_COUNTS;

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

const RECENT_CALLS = 500;
/** A quiet session's recent calls (none: a drill-down reads them again from its files). Never written to: a new call makes a new ring. */
const NO_CALLS: CallRecord[] = [];
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
const MAX_ERRORS = 2000;
const MAX_SIGNALS = 300;

export class Aggregate {
	readonly calls = new Map<string, CallRecord>();
	/** Rollup key → position in `rollups`, for rollups made or looked up since the load (see keyed). */
	private readonly sealed = new Map<string, number>();
	/** Rollups below this position (loaded) are in `sealed` only once a call is sealed after the load. */
	private keyedFrom = 0;
	/** Rollups of sealed calls, read as records so totals read both the same way (sealed calls name theirs by position). */
	private readonly rollups = new RollupTable();
	/** Every sealed call, all time: a later copy of any age is amended or dropped by the store's rule, never counted twice. */
	private readonly ledger = new SealedCalls();
	sealedCalls = 0;
	readonly sessions = new Map<string, SessionState>();
	/** Project (repository root) → remote `owner/name`. */
	readonly remotes = new Map<string, string>();
	private readonly byAltKey = new Map<string, CallRecord>();
	/** Per group: the highest rank seen and the records counted at it. */
	private readonly groups = new Map<string, Group>();
	/** Minute/hour buckets for burn rates and charts. */
	readonly series = new TimeSeries();
	/** Bumped on every change: views and watchers re-render only when it moves. */
	version = 0;

	/** `readClock`: real time, for which copy of a rewritten call was read last (never the injected clock of a view). */
	constructor(private readonly price: PriceFn, private readonly readClock: () => number = Date.now) {}

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

	private addOpen(record: CallRecord, group: Group | undefined, e?: UsageEvent): void {
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
	private admit(groupKey: string | undefined, rank: number, altKey: string | undefined, sidechain: boolean): Group | undefined | false {
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
	private valuesOf(e: UsageEvent): Values {
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

	private amend(r: CallRecord, e: UsageEvent): UpsertResult {
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
	private setOpen(r: CallRecord, v: Values): void {
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

	private remove(r: CallRecord): void {
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
	private rollup(r: CallRecord): number {
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
	private rollupKey(r: CallRecord): string {
		return `${Math.floor(r.ts / SEAL_SLOT)} ${this.idOf(r.session.key)} ${this.idOf(r.model)} ${this.idOf(r.project)} ${this.idOf(r.activity)} ${r.priced ? 1 : 0}${r.estimated ? 1 : 0}`;
	}

	private readonly ids = new Map<string, number>();

	private idOf(s: string): number {
		let id = this.ids.get(s);
		if (id === undefined) {
			id = this.ids.size;
			this.ids.set(s, id);
		}

		return id;
	}

	/** Take a sealed call's numbers out of its rollup, series and session (sign -1), or put them in (1). */
	private contributeSealed(rollup: number, n: SealedNumbers, sign: 1 | -1): void {
		this.contribute({...this.rollups.read(rollup), ...n}, sign);
		this.rollups.addTo(rollup, n, sign);
	}

	/**
	 * A later copy of a sealed call: the same rule as for an open one (first copy, largest
	 * output, or last copy wins), applied to the numbers that were counted.
	 */
	private amendSealed(row: number, e: UsageEvent): UpsertResult {
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
	private setSealed(row: number, v: Values, sidechain: number): void {
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
	private removeSealed(row: number): void {
		this.contributeSealed(this.ledger.rollup[row]!, this.ledger.read(row), -1);
		this.ledger.flags[row] = this.ledger.flags[row]! | REMOVED;
		this.version++;
	}

	/**
	 * Take in what another burntop saved (the index holds the union of what every process read):
	 * each call it counted that this one lacks, and for a call both counted, the copy the store's
	 * rule prefers (first copy; largest output; for stores that rewrite, the copy read last).
	 * So a save never drops a call another process saw, such as one from a file deleted since.
	 */
	absorb(st: AggregateState): void {
		const other = new Aggregate(this.price, this.readClock);
		other.importState(st);
		for (const s of other.sessions.values()) this.absorbSession(s);
		for (const [p, r] of other.remotes) if (!this.remotes.has(p)) this.remotes.set(p, r);
		for (const r of other.calls.values()) this.absorbOpen(r, r.group === undefined ? 0 : (other.groups.get(r.group)?.rank ?? 0));
		this.absorbSealed(other);
		this.version++;
	}

	private absorbSession(s: SessionState): void {
		const mine = this.session(s.tool, s.sessionId, s.project, s.firstAt);
		if (s.firstAt !== 0 && (mine.firstAt === 0 || s.firstAt < mine.firstAt)) mine.firstAt = s.firstAt;
		if (s.lastAt > mine.lastAt) mine.lastAt = s.lastAt;
		for (const m of s.models) mine.models.add(m);
		for (const f of s.files) mine.files.add(f);
		for (const c of s.cwds) if (mine.cwds.size < 20) mine.cwds.add(c);
		for (const [k, t] of s.errors) if (!mine.errors.has(k) && mine.errors.size < MAX_ERRORS) mine.errors.set(k, t);
		for (const [k, t] of s.prompts) if (!mine.prompts.has(k) && mine.prompts.size < MAX_SIGNALS) mine.prompts.set(k, t);
		for (const [k, t] of s.results) if (!mine.results.has(k) && mine.results.size < MAX_SIGNALS) mine.results.set(k, t);
		if (s.rateLimit && (!mine.rateLimit || s.rateLimit.ts > mine.rateLimit.ts)) mine.rateLimit = s.rateLimit;
		mine.lastPrompt ??= s.lastPrompt;
	}

	private absorbOpen(r: CallRecord, rank: number): void {
		const v: Values = {...r};
		const mine = this.calls.get(r.key);
		if (mine) {
			if (prefers(r.replace, mine, v)) this.setOpen(mine, v);
			if (!r.sidechain) mine.sidechain = false;
			return;
		}

		const row = this.ledger.find(r.key);
		if (row !== -1) {
			const flags = this.ledger.flags[row]!;
			if ((flags & REMOVED) === 0 && prefers(r.replace, this.ledger.read(row), v)) this.setSealed(row, v, r.sidechain ? flags & SIDECHAIN : 0);
			return;
		}

		const group = this.admit(r.group, rank, r.altKey, r.sidechain);
		if (group === false) return;
		this.addOpen({...r, session: this.session(r.tool, r.session.sessionId, r.project, r.ts)}, group);
	}

	/** The other side's sealed calls: known here by fingerprint only. */
	private absorbSealed(other: Aggregate): void {
		const ol = other.ledger;
		const altOf = ol.altsByRow();
		const open = new Map<string, CallRecord>();
		const openAlt = new Map<string, CallRecord>();
		for (const r of this.calls.values()) {
			open.set(fingerprint(r.key).join(':'), r);
			if (r.altKey && !openAlt.has(r.altKey)) openAlt.set(fingerprint(r.altKey).join(':'), r);
		}

		for (const [a, b, row] of ol.keyEntries()) {
			const n = ol.read(row);
			const flags = ol.flags[row]!;
			const roll = other.rollups.read(ol.rollup[row]!);
			const replace = policyOf(flags);
			const v: Values = {...n, model: roll.model, project: roll.project, priced: (flags & PRICED) !== 0, estimated: (flags & ESTIMATED) !== 0};
			const alive = (flags & REMOVED) === 0;
			const mineRow = this.ledger.get(a, b);
			if (mineRow !== -1) {
				const mf = this.ledger.flags[mineRow]!;
				if ((mf & REMOVED) !== 0) continue;
				if (!alive) this.removeSealed(mineRow);
				else if (prefers(replace, this.ledger.read(mineRow), v)) this.setSealed(mineRow, v, flags & mf & SIDECHAIN);
				continue;
			}

			const mine = open.get(`${a}:${b}`);
			if (mine && this.calls.get(mine.key) === mine) {
				if (!alive) this.remove(mine);
				else if (prefers(replace, mine, v)) this.setOpen(mine, v);
				continue;
			}

			// New here: a twin (sidechain replay and main copy) counts once, as in admit().
			let dead = !alive;
			const alt = altOf.get(row);
			if (!dead && alt) {
				const sidechain = (flags & SIDECHAIN) !== 0;
				const twin = openAlt.get(`${alt[0]}:${alt[1]}`);
				if (twin && this.calls.get(twin.key) === twin) {
					if (twin.sidechain !== sidechain) {
						if (sidechain) dead = true;
						else this.remove(twin);
					}
				} else {
					const t = this.ledger.getAlt(alt[0], alt[1]);
					const tf = t === -1 ? REMOVED : this.ledger.flags[t]!;
					if ((tf & REMOVED) === 0 && ((tf & SIDECHAIN) !== 0) !== sidechain) {
						if (sidechain) dead = true;
						else this.removeSealed(t);
					}
				}
			}

			const session = this.session(roll.tool, roll.session.sessionId, roll.project, n.ts);
			const rec = {...roll, ...(dead ? ZERO : n), ts: n.ts, at: n.at, session, key: '', lastTs: undefined} as CallRecord;
			const at = this.rollup(rec);
			if (!dead) this.contribute(rec, 1);
			this.ledger.addFp(a, b, alt, n, dead ? flags | REMOVED : flags, at);
			this.sealedCalls++;
		}
	}

	/**
	 * Everything needed to rebuild this aggregate, as plain data (Maps, Sets and typed arrays,
	 * with shared references: a record's session is the session). The time series is not kept:
	 * it is the sum of the records and rollups and is rebuilt from them.
	 */
	exportState(): AggregateState {
		const sessions = [...this.sessions.values()];
		const sIndex = new Map(sessions.map((s, i) => [s, i]));
		const sessionOf = (r: CallRecord) => sIndex.get(r.session)!;
		const records = [...this.calls.values()];
		const rIndex = new Map<CallRecord, number>(records.map((r, i) => [r, i]));
		const openCalls = records.length;
		// A session's recent ring: positions in the records (open calls, or older calls appended).
		const ring = (s: SessionState) =>
			s.recent.map(r => {
				let i = rIndex.get(r);
				if (i === undefined) {
					i = records.length;
					rIndex.set(r, i);
					records.push(r);
				}

				return i;
			});
		const sessionStates = sessions.map(s => ({...s, recent: Int32Array.from(ring(s))}));
		return {
			sessions: sessionStates,
			records: encodeRecords(records, sessionOf),
			openCalls,
			sealed: this.rollups.exportTable(s => sIndex.get(s)!),
			groups: [...this.groups].map(([k, g]) => [k, g.rank, [...g.members].map(r => r.key)]),
			remotes: [...this.remotes],
			ledger: this.ledger.exportState(),
			sealedCalls: this.sealedCalls,
		};
	}

	/**
	 * Add the state of an aggregate that read other stores' files: the other half of a cold scan
	 * split by store. Stores share no session, call or group, so this is the union of the two;
	 * anything in common (or sealed state on either side) is refused before anything changes.
	 */
	mergeState(st: AggregateState): void {
		for (const s of st.sessions) if (this.sessions.has(s.key)) throw new Error(`merge: session ${s.key} on both sides`);
		for (let i = 0; i < st.openCalls; i++) if (this.calls.has(st.records.keys[i]!) || this.ledger.find(st.records.keys[i]!) !== -1) throw new Error(`merge: call ${st.records.keys[i]} on both sides`);
		if (this.ledger.overlaps(st.ledger) || this.calls.size > 0 && sealedKeyIn(st, this.calls)) throw new Error('merge: sealed call on both sides');
		for (const [g] of st.groups) if (this.groups.has(g)) throw new Error(`merge: group ${g} on both sides`);
		this.importState(st, true);
	}

	/** Load a state from exportState() into this (empty) aggregate; `merging`: see mergeState. */
	importState(st: AggregateState, merging = false): void {
		const sessions = st.sessions.map(s => ({...s, recent: [] as CallRecord[]}) as SessionState);
		// Open calls now; records only a ring holds when that ring is first read (most sessions
		// of a long history are never looked at).
		const records: CallRecord[] = decodeRecords(st.records, sessions, st.openCalls);
		const rollupBase = this.rollups.importTable(st.sealed, sessions);
		const view = blank();
		const record = (i: number): CallRecord => (i < st.openCalls ? records[i]! : decodeRecord(st.records, i, sessions));
		// Old history straight into hour buckets, as compaction would put it.
		let newest = 0;
		for (const r of records) if (r.ts > newest) newest = r.ts;
		for (let i = rollupBase; i < this.rollups.count; i++) {
			const r = this.rollups.read(i, view);
			if (r.lastTs! > newest) newest = r.lastTs!;
		}

		this.series.prepare(newest);
		for (let i = 0; i < sessions.length; i++) {
			const s = sessions[i]!;
			const ring = st.sessions[i]!.recent;
			// Replaced by the decoded array on first read (or by an assignment).
			Object.defineProperty(s, 'recent', {
				configurable: true,
				enumerable: true,
				get() {
					const value = Array.from(ring, record);
					Object.defineProperty(s, 'recent', {value, writable: true, configurable: true, enumerable: true});
					return value;
				},
				set(value: CallRecord[]) {
					Object.defineProperty(s, 'recent', {value, writable: true, configurable: true, enumerable: true});
				},
			});
			this.sessions.set(s.key, s);
		}

		for (let i = 0; i < st.openCalls; i++) {
			const r = records[i]!;
			this.calls.set(r.key, r);
			if (r.altKey && !this.byAltKey.has(r.altKey)) this.byAltKey.set(r.altKey, r);
			this.series.apply(r, 1);
		}

		for (let i = rollupBase; i < this.rollups.count; i++) {
			const r = this.rollups.read(i, view);
			if (r.calls !== 0) this.series.apply(r, 1);
		}

		if (this.keyedFrom > 0 || rollupBase === 0) this.keyedFrom = this.rollups.count;
		else for (let i = rollupBase; i < this.rollups.count; i++) this.sealed.set(this.rollupKey(this.rollups.read(i, view)), i);

		for (const [k, rank, keys] of st.groups) {
			const members = new Set<CallRecord>();
			for (const key of keys) {
				const r = this.calls.get(key);
				if (r) members.add(r);
			}

			this.groups.set(k, {rank, members});
		}

		for (const [p, r] of st.remotes) this.remotes.set(p, r);
		if (merging) this.ledger.merge(st.ledger, rollupBase);
		else this.ledger.importState(st.ledger);
		this.sealedCalls += st.sealedCalls;
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
	private contribute(r: CallRecord, sign: 1 | -1): void {
		this.series.apply(r, sign);
		r.session.calls += sign * r.calls;
		r.session.nano += sign * r.nano;
		r.session.tokens += sign * (r.input + r.cacheRead + r.cacheWrite5m + r.cacheWrite1h + r.output);
	}

	private error(e: ErrorEvent): UpsertResult {
		const s = this.session(e.tool, e.sessionId, e.project, e.ts);
		if (s.errors.has(e.dedupeKey)) return 'duplicate';
		s.errors.set(e.dedupeKey, e.ts);
		if (s.errors.size > MAX_ERRORS) s.errors.delete(s.errors.keys().next().value!);
		if (e.ts > s.lastAt) s.lastAt = e.ts;
		this.version++;
		return 'added';
	}

	private signal<V>(e: PromptEvent | ToolResultEvent, ring: (s: SessionState) => Map<string, V>, value: V): UpsertResult {
		const s = this.session(e.tool, e.sessionId, '', e.ts);
		const m = ring(s);
		if (m.has(e.dedupeKey)) return 'duplicate';
		m.set(e.dedupeKey, value);
		if (m.size > MAX_SIGNALS) m.delete(m.keys().next().value!);
		this.version++;
		return 'added';
	}

	private rateLimit(e: RateLimitEvent): UpsertResult {
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

	private session(tool: ToolId, sessionId: string, project: string, ts: number): SessionState {
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

	private classify(s: SessionState, e: UsageEvent, tools: readonly string[], commands: readonly string[]): Activity {
		const sameTurn = e.turnId !== undefined && e.turnId === s.turnId;
		const activity = classifyActivity({tools, commands, prompt: e.prompt, previous: sameTurn ? s.turnActivity : undefined});
		if (!sameTurn) {
			s.turnId = e.turnId;
			s.turnActivity = undefined;
		}

		if (activity !== 'conversation') s.turnActivity = activity;
		return activity;
	}

	private touch(s: SessionState, r: CallRecord, e: UsageEvent | undefined): void {
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
function rowFlags(r: CallRecord): number {
	return (r.sidechain ? SIDECHAIN : 0) | (r.priced ? PRICED : 0) | (r.estimated ? ESTIMATED : 0) | (r.replace === 'last' ? LAST : r.replace === 'first' ? FIRST : 0);
}

function policyOf(flags: number): ReplacePolicy {
	return (flags & LAST) !== 0 ? 'last' : (flags & FIRST) !== 0 ? 'first' : 'max-output';
}

/**
 * Of two burntops' copies of one call, is theirs the one the store's rule keeps? First copy:
 * ours. Largest output: theirs when larger (a tie goes to the copy read later). Rewriting
 * stores: the copy read later, which saw the newer version of the file or row.
 */
function prefers(rule: ReplacePolicy, ours: {output: number; at: number}, theirs: {output: number; at: number}): boolean {
	if (rule === 'first') return false;
	if (rule === 'max-output') return theirs.output > ours.output || (theirs.output === ours.output && theirs.at > ours.at);
	return theirs.at > ours.at;
}

/** Does an open call here have a key the other side sealed? */
function sealedKeyIn(st: AggregateState, calls: Map<string, CallRecord>): boolean {
	const other = new SealedCalls();
	other.importState(st.ledger);
	for (const k of calls.keys()) if (other.find(k) !== -1) return true;
	return false;
}

function toNano(usd: number): number {
	return Number.isFinite(usd) && usd > 0 ? Math.round(usd * NANO) : 0;
}

/** `a` with the items of `b` it lacks, in order; `a` itself when nothing is new (the usual case: streamed lines repeat a message's tools). Lists are a few items: no Set. */
function union(a: readonly string[], b: readonly string[] | undefined): readonly string[] {
	if (!b || b.length === 0) return a;
	let out: string[] | undefined;
	for (const x of b) {
		if ((out ?? a).includes(x)) continue;
		out ??= a.slice();
		out.push(x);
	}

	return out ?? a;
}

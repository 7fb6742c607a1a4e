// The in-memory ledger: every distinct call once, amended in place when a store rewrites it,
// folded into rollups (with its key and numbers kept in the sealed ledger) once old. Pure:
// pricing comes in as a function. Sessions: aggregate-sessions.ts; saving, loading and merging
// states: aggregate.ts.
import {activityFeatures, classifyFeatures} from './activity.js';
import {differs, MINUTE, NO_CALLS, rowFlags, sameCounts, SEAL_AFTER, setCounts, toNano, union, type Group, type PriceFn, type UpsertResult, type Values} from './aggregate-rules.js';
import {SealedStore} from './aggregate-sealed.js';
import {REMOVED, SIDECHAIN} from './sealed-calls.js';
import {blank} from './rollup-table.js';
import {NO_NAMES, type IngestEvent, type UsageEvent} from './types.js';
import {emptyMap, type CallRecord, type SessionState} from './records.js';


/** The ledger of calls, sessions and rollups; Aggregate (aggregate.ts) adds saving, loading and merging. */
export class AggregateCore extends SealedStore {
	readonly calls = new Map<string, CallRecord>();
	protected readonly byAltKey = new Map<string, CallRecord>();
	/** Per group: the highest rank seen and the records counted at it. */
	protected readonly groups = new Map<string, Group>();

	/** `readClock`: real time, for which copy of a rewritten call was read last (never the injected clock of a view). */
	constructor(protected readonly price: PriceFn, protected readonly readClock: () => number = Date.now) {
		super();
	}

	apply(event: IngestEvent): UpsertResult {
		switch (event.kind) {
			case 'usage':
				return this.upsert(event);
			case 'error':
				return this.error(event);
			case 'rate-limit':
				return this.rateLimit(event);
			case 'prompt':
				return this.signal(event, 'prompts', event.ts);
			case 'tool-result':
				return this.signal(event, 'results', {ts: event.ts, hash: event.hash, text: event.text});
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
		const features = activityFeatures(e.tools, e.commands, e.prompt);
		const activity = this.classify(session, e, features);
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
			unrecordedNano: v.unrecordedNano,
			webSearches: v.webSearches,
			nano: v.nano,
			priced: v.priced,
			estimated: v.estimated,
			activity,
			features,
			tools: e.tools ?? NO_NAMES,
			commands: e.commands ?? NO_NAMES,
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
		if (this.trackingFresh) {
			this.fresh.push(record);
			this.freshSessions.add(record.session);
		}

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

	/** valuesOf's answer, filled again on every call: read at once and never kept (its callers copy what they keep), so no object per copy of a call. */
	private readonly values: Values = {
		model: '', project: '', calls: 0, input: 0, cacheRead: 0, cacheWrite5m: 0, cacheWrite1h: 0, output: 0, reasoning: 0, unrecorded: 0, placeholders: 0, unrecordedNano: 0,
		webSearches: 0, nano: 0, priced: false, estimated: false, premiumRequests: 0, reportedCostUSD: undefined, at: 0,
	};

	/** The numbers a copy of a call brings, priced (valid until the next call). */
	protected valuesOf(e: UsageEvent): Values {
		const price = this.price(e);
		const reported = e.preferReportedCost === true && e.reportedCostUSD !== undefined;
		const calls = Math.max(1, e.calls ?? 1);
		const unrecorded = e.unrecorded ?? 0;
		const unrecordedNano = unrecorded > 0 ? this.outputNano(e, unrecorded) : 0;
		const v = this.values;
		v.model = e.model;
		v.project = e.project;
		v.calls = calls;
		v.input = e.input;
		v.cacheRead = e.cacheRead;
		v.cacheWrite5m = e.cacheWrite5m;
		v.cacheWrite1h = e.cacheWrite1h;
		v.output = e.output;
		v.reasoning = e.reasoning;
		v.unrecorded = unrecorded;
		v.placeholders = unrecorded > 0 ? calls : 0;
		v.unrecordedNano = unrecordedNano;
		v.webSearches = e.webSearches;
		v.nano = toNano(reported ? e.reportedCostUSD! : price.cost);
		v.priced = price.priced || reported;
		v.estimated = Boolean(e.estimated || e.modelGuessed || price.approximate);
		v.premiumRequests = e.premiumRequests ?? 0;
		v.reportedCostUSD = e.reportedCostUSD;
		v.at = this.readClock();
		return v;
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
		}

		changed = this.openFeatures(r, activityFeatures(e.tools, e.commands, e.prompt)) || changed;
		if (!changed) return 'duplicate';
		this.version++;
		return 'amended';
	}

	/**
	 * Another copy's activity features join an open call's; when they grow, it is classified again
	 * from them alone (as a sealed call is: sealedFeatures). True when they grew.
	 */
	protected openFeatures(r: CallRecord, features: number): boolean {
		const after = r.features | features;
		if (after === r.features) return false;
		r.features = after;
		r.activity = classifyFeatures(after);
		return true;
	}

	/** An open call takes another copy's numbers. */
	protected setOpen(r: CallRecord, v: Values): void {
		this.contribute(r, -1);
		r.project = v.project;
		r.model = v.model;
		setCounts(r, v);
		r.reportedCostUSD = v.reportedCostUSD;
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
		const before = this.sealBefore(now);
		let n = 0;
		for (const r of this.calls.values()) if (this.sealOne(r, before)) n++;
		for (const s of this.sessions.values()) this.quietIfOld(s, before);
		this.fresh.length = 0;
		this.freshSessions.clear();
		this.sealedCalls += n;
		return n;
	}

	/**
	 * Calls added while reading one file, and sessions they are in, kept by a cold scan so that
	 * the file's old calls are sealed as soon as it is read (sealFresh), not 64 files later: a
	 * record then dies before the garbage collector copies it out of the young generation.
	 */
	private fresh: CallRecord[] = [];
	private readonly freshSessions = new Set<SessionState>();
	private trackingFresh = false;

	/** Keep (or stop keeping) the calls and sessions each file adds, for sealFresh (seal() lets them go too). */
	trackFresh(on: boolean): void {
		this.trackingFresh = on;
		this.fresh.length = 0;
		this.freshSessions.clear();
	}

	/** seal() for just the calls and sessions added since the last call: the same rule, the same result. */
	sealFresh(now: number): number {
		const before = this.sealBefore(now);
		let n = 0;
		for (const r of this.fresh) if (this.calls.get(r.key) === r && this.sealOne(r, before)) n++;
		for (const s of this.freshSessions) this.quietIfOld(s, before);
		this.fresh.length = 0;
		this.freshSessions.clear();
		this.sealedCalls += n;
		return n;
	}

	private sealBefore(now: number): number {
		return Math.min(now, this.series.newestMinute * MINUTE) - SEAL_AFTER;
	}

	private sealOne(r: CallRecord, before: number): boolean {
		if (r.ts >= before || r.group !== undefined) return false; // Group members may still be superseded.
		this.calls.delete(r.key);
		if (r.altKey && this.byAltKey.get(r.altKey) === r) this.byAltKey.delete(r.altKey);
		this.ledger.add(r.key, r.altKey, r, rowFlags(r), this.rollup(r), r.features);
		return true;
	}

	private quietIfOld(s: SessionState, before: number): void {
		if (s.lastAt >= before || s.quiet) return;
		s.quiet = true;
		// Assigned, not read: reading a ring restored from the index would decode it.
		s.recent = NO_CALLS;
		s.prompts = emptyMap();
		s.results = emptyMap();
		s.lastPrompt = undefined;
	}

	/**
	 * A later copy of a sealed call: the same rule as for an open one (first copy, largest
	 * output, or last copy wins), applied to the numbers that were counted.
	 */
	protected amendSealed(row: number, e: UsageEvent): UpsertResult {
		const flags = this.ledger.flags[row]!;
		if ((flags & REMOVED) !== 0 || e.replace === 'first') return 'duplicate';
		const moved = this.sealedFeatures(row, activityFeatures(e.tools, e.commands, e.prompt));
		const old = this.ledger.read(row);
		if (e.replace !== 'last' && e.output < old.output) return moved ? 'amended' : 'duplicate';
		const v = this.valuesOf(e);
		const from = this.rollups.read(this.ledger.rollup[row]!);
		const sidechain = e.sidechain ? flags & SIDECHAIN : 0;
		const same = sidechain === (flags & SIDECHAIN) && from.model === v.model && from.project === v.project && from.priced === v.priced &&
			from.estimated === v.estimated && sameCounts(v, old);
		if (same) return moved ? 'amended' : 'duplicate';
		this.setSealed(row, v, sidechain);
		return 'amended';
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

	/** outputNano's call, filled again each time: a copy of the event per call was ~12 ms a GB (a quarter of Claude Code's calls have estimated output). */
	private readonly outputCall: {-readonly [K in keyof UsageEvent]: UsageEvent[K]} = {
		kind: 'usage', tool: 'claude-code', sessionId: '', project: '', model: '', ts: 0, input: 0, cacheRead: 0, cacheWrite5m: 0, cacheWrite1h: 0, output: 0, reasoning: 0, webSearches: 0, dedupeKey: '', replace: 'last', fast: false,
	};

	/** Nano-dollars of `tokens` of output at the call's model's rate (an estimate of unrecorded output). */
	protected outputNano(e: UsageEvent, tokens: number): number {
		// Everything pricing reads of a call (Priceable), and its identity.
		const c = this.outputCall;
		c.tool = e.tool;
		c.sessionId = e.sessionId;
		c.project = e.project;
		c.model = e.model;
		c.ts = e.ts;
		c.output = tokens;
		c.dedupeKey = e.dedupeKey;
		c.replace = e.replace;
		c.fast = e.fast;
		return toNano(this.price(c).cost);
	}


}

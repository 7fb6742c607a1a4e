// The in-memory ledger: every distinct call once, amended in place when a store rewrites it,
// folded into rollups (with its key and numbers kept in the sealed ledger) once old. Pure:
// pricing comes in as a function. Sessions: aggregate-sessions.ts; saving, loading and merging
// states: aggregate.ts.
import {classifyActivity} from './activity.js';
import {differs, MINUTE, NO_CALLS, NUMBER_FIELDS, rowFlags, SEAL_AFTER, SEAL_SLOT, toNano, union, ZERO, type Group, type PriceFn, type UpsertResult, type Values} from './aggregate-rules.js';
import {SessionBook} from './aggregate-sessions.js';
import {REMOVED, SealedCalls, SIDECHAIN, ESTIMATED, PRICED, FIRST, LAST, type SealedNumbers} from './sealed-calls.js';
import {blank, RollupTable} from './rollup-table.js';
import {TimeSeries} from './series.js';
import type {IngestEvent, UsageEvent} from './types.js';
import type {CallRecord} from './records.js';


/** The ledger of calls, sessions and rollups; Aggregate (aggregate.ts) adds saving, loading and merging. */
export class AggregateCore extends SessionBook {
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
	protected readonly byAltKey = new Map<string, CallRecord>();
	/** Per group: the highest rank seen and the records counted at it. */
	protected readonly groups = new Map<string, Group>();
	/** Minute/hour buckets for burn rates and charts. */
	readonly series = new TimeSeries();

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
}

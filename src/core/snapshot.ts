// The snapshot: the one document views, `--once --json` and `--watch --json` read.
import type {Aggregate, CallRecord, SessionState} from './aggregate.js';
import {COL, NUMS, STR, STRS} from './record-table.js';
import {emptyTotals, finishTotals} from './totals.js';
import type {Activity, RateLimitWindow, ToolId, Totals} from './types.js';

export type Health = {
	files: number;
	bytes: number;
	linesSkipped: number;
	unpricedModels: Array<{model: string; tool: ToolId; calls: number}>;
	/** Files with skipped lines or read failures, with reasons (first few per file). */
	errors: Array<{file: string; reason: string; count: number}>;
	/** Priced calls whose figures are estimates (guessed model, assumed multiplier, estimated store); placeholder calls are counted apart. */
	estimatedCalls: number;
	/** Calls whose store kept only streaming placeholder usage (Claude Code): counted as written, marked ≈, their missing output estimated in the totals. */
	placeholderUsageCalls: number;
};

export type SessionRow = Totals & {
	tool: ToolId;
	sessionId: string;
	project: string;
	models: string[];
	firstAt: string;
	lastAt: string;
	apiErrors: number;
	rateLimits?: {primary?: RateLimitWindow; secondary?: RateLimitWindow; at: string};
};

export type Snapshot = {
	version: 1;
	generatedAt: string;
	now: string;
	since?: string;
	until?: string;
	totals: Totals;
	tools: Array<Totals & {tool: ToolId}>;
	/** `remote`: the repository's `owner/name` when the project is a git repository with a remote. */
	projects: Array<Totals & {project: string; remote?: string}>;
	models: Array<Totals & {model: string}>;
	activities: Array<Totals & {activity: Activity}>;
	sessions: SessionRow[];
	health: Health;
};

export type Window = {
	now: number;
	since?: number;
	until?: number;
};

export type IngestHealth = Omit<Health, 'unpricedModels' | 'estimatedCalls' | 'placeholderUsageCalls'>;

export function inWindow(ts: number, w: Window): boolean {
	return ts <= w.now && (w.since === undefined || ts >= w.since) && (w.until === undefined || ts <= w.until);
}

export function addCall(t: Totals, c: CallRecord): void {
	addNumbers(t, c.calls, c.input, c.output, c.cacheRead, c.cacheWrite5m + c.cacheWrite1h, c.reasoning, c.nano, c.priced, c.premiumRequests, c.unrecorded, c.unrecordedNano, c.estimated);
}

/** addCall() from a call's numbers, for readers of rollup columns (no record view). */
function addNumbers(t: Totals, calls: number, input: number, output: number, cacheRead: number, cacheWrite: number, reasoning: number, nano: number, priced: boolean, premiumRequests: number, unrecorded: number, unrecordedNano: number, estimated: boolean): void {
	t.calls += calls;
	t.inputTokens += input;
	t.outputTokens += output;
	t.cacheReadTokens += cacheRead;
	t.cacheWriteTokens += cacheWrite;
	t.reasoningTokens += reasoning;
	// Accumulates nano-dollars; finishTotals converts to USD once.
	t.costUSD += nano;
	if (!priced) t.unpricedCalls += calls;
	t.premiumRequests += premiumRequests;
	t.unrecordedOutputTokensEstimate += unrecorded;
	t.unrecordedCostUSDEstimate += unrecordedNano;
	if (estimated || !priced) t.estimated = true;
}

// Groups hold bare Totals (one object layout, so addCall stays monomorphic); the label is
// added when the rows are made.
function group(map: Map<string, Totals>, value: string, c: CallRecord): void {
	addCall(totalsOf(map, value), c);
}

/** The totals of `value` in `map`, made the first time. */
function totalsOf(map: Map<string, Totals>, value: string): Totals {
	let t = map.get(value);
	if (!t) {
		t = emptyTotals();
		map.set(value, t);
	}

	return t;
}

function sorted<K extends string>(m: Map<string, Totals>, field: K): Array<Totals & Record<K, string>> {
	return [...m].map(([value, t]) => ({[field]: value, ...finishTotals(t)}) as Totals & Record<K, string>).sort((a, b) => b.costUSD - a.costUSD || b.calls - a.calls || order(a[field], b[field]));
}

/** Last tie-break of every row order: the same rows in any order of arrival sort the same. */
export function order(a: string, b: string): number {
	return a < b ? -1 : a > b ? 1 : 0;
}

/** Build the snapshot for a time window. O(calls): called when the aggregate changed. */
export function buildSnapshot(agg: Aggregate, w: Window, ingest: IngestHealth, generatedAt = w.now): Snapshot {
	const totals = emptyTotals();
	const tools = new Map<string, Totals>();
	const projects = new Map<string, Totals>();
	const models = new Map<string, Totals>();
	const activities = new Map<string, Totals>();
	const sessions = new Map<SessionState, {t: Totals; models: Set<string>; first: number; last: number}>();
	const unpriced = new Map<string, {model: string; tool: ToolId; calls: number}>();
	let guessed = 0;
	let placeholders = 0;

	type SessionSum = {t: Totals; models: Set<string>; first: number; last: number};
	const sessionSum = (state: SessionState, ts: number): SessionSum => {
		let s = sessions.get(state);
		if (!s) {
			s = {t: emptyTotals(), models: new Set(), first: ts, last: ts};
			sessions.set(state, s);
		}

		return s;
	};

	const unpricedCall = (tool: ToolId, model: string, calls: number) => {
		const key = `${tool}\u0000${model}`;
		const u = unpriced.get(key) ?? {model, tool, calls: 0};
		u.calls += calls;
		unpriced.set(key, u);
	};

	// Open calls, then rollups (the order of agg.records(), so every sum adds in the same order).
	for (const c of agg.calls.values()) {
		if (!inWindow(c.ts, w)) continue;
		addCall(totals, c);
		group(tools, c.tool, c);
		group(projects, c.project, c);
		group(models, c.model, c);
		group(activities, c.activity, c);
		placeholders += c.placeholders;
		const s = sessionSum(c.session, c.ts);
		addCall(s.t, c);
		s.models.add(c.model);
		if (c.ts < s.first) s.first = c.ts;
		if ((c.lastTs ?? c.ts) > s.last) s.last = c.lastTs ?? c.ts;
		if (!c.priced) unpricedCall(c.tool, c.model, c.calls);
		if (c.estimated && c.priced) guessed += c.calls - c.placeholders;
	}

	// Rollups straight from their columns: most of a long history, and a record view per rollup
	// was most of a warm start's snapshot. Groups are found once per distinct name.
	const r = agg.sealedRollups;
	const x = r.nums;
	const names = r.names;
	const byName = [new Map<number, Totals>(), new Map<number, Totals>(), new Map<number, Totals>(), new Map<number, Totals>()];
	const groupAt = (k: number, map: Map<string, Totals>, id: number): Totals => {
		let t = byName[k]!.get(id);
		if (!t) {
			t = totalsOf(map, names[id]!);
			byName[k]!.set(id, t);
		}

		return t;
	};

	for (let i = 0; i < r.count; i++) {
		const o = i * NUMS;
		const calls = x[o + COL.calls]!;
		// Emptied by a moved or superseded call: not a record (as in agg.records()).
		if (calls === 0) continue;
		const ts = x[o + COL.ts]!;
		if (!inWindow(ts, w)) continue;
		const p = i * STRS;
		const flags = x[o + COL.flags]!;
		const priced = (flags & 1) !== 0;
		const estimated = (flags & 2) !== 0;
		const input = x[o + COL.input]!;
		const output = x[o + COL.output]!;
		const cacheRead = x[o + COL.cacheRead]!;
		const cacheWrite = x[o + COL.cacheWrite5m]! + x[o + COL.cacheWrite1h]!;
		const reasoning = x[o + COL.reasoning]!;
		const nano = x[o + COL.nano]!;
		const premium = x[o + COL.premiumRequests]!;
		const unrecorded = x[o + COL.unrecorded]!;
		const unrecordedNano = x[o + COL.unrecordedNano]!;
		const inPlaceholders = x[o + COL.placeholders]!;
		const tool = r.strs[p + STR.tool]!;
		const model = r.strs[p + STR.model]!;
		addNumbers(totals, calls, input, output, cacheRead, cacheWrite, reasoning, nano, priced, premium, unrecorded, unrecordedNano, estimated);
		addNumbers(groupAt(0, tools, tool), calls, input, output, cacheRead, cacheWrite, reasoning, nano, priced, premium, unrecorded, unrecordedNano, estimated);
		addNumbers(groupAt(1, projects, r.strs[p + STR.project]!), calls, input, output, cacheRead, cacheWrite, reasoning, nano, priced, premium, unrecorded, unrecordedNano, estimated);
		addNumbers(groupAt(2, models, model), calls, input, output, cacheRead, cacheWrite, reasoning, nano, priced, premium, unrecorded, unrecordedNano, estimated);
		addNumbers(groupAt(3, activities, r.strs[p + STR.activity]!), calls, input, output, cacheRead, cacheWrite, reasoning, nano, priced, premium, unrecorded, unrecordedNano, estimated);
		placeholders += inPlaceholders;
		const s = sessionSum(r.sessionOf(i), ts);
		addNumbers(s.t, calls, input, output, cacheRead, cacheWrite, reasoning, nano, priced, premium, unrecorded, unrecordedNano, estimated);
		s.models.add(names[model]!);
		if (ts < s.first) s.first = ts;
		const lastTs = x[o + COL.lastTs]!;
		if (lastTs > s.last) s.last = lastTs;
		if (!priced) unpricedCall(names[tool] as ToolId, names[model]!, calls);
		if (estimated && priced) guessed += calls - inPlaceholders;
	}

	const sessionRows: SessionRow[] = [];
	for (const [state, {t, models: m, first, last}] of sessions) {
		let apiErrors = 0;
		for (const ts of state.errors.values()) if (inWindow(ts, w)) apiErrors++;
		const u = finishTotals(t);
		const rl = state.rateLimit;
		sessionRows.push({
			tool: state.tool,
			sessionId: state.sessionId,
			project: state.project,
			models: [...m].sort(),
			firstAt: new Date(first).toISOString(),
			lastAt: new Date(last).toISOString(),
			apiErrors,
			...u,
			...(rl ? {rateLimits: {primary: rl.primary, secondary: rl.secondary, at: new Date(rl.ts).toISOString()}} : {}),
		});
	}

	sessionRows.sort((a, b) => order(b.lastAt, a.lastAt) || b.costUSD - a.costUSD || order(a.tool, b.tool) || order(a.sessionId, b.sessionId));

	return {
		version: 1,
		generatedAt: new Date(generatedAt).toISOString(),
		now: new Date(w.now).toISOString(),
		...(w.since === undefined ? {} : {since: new Date(w.since).toISOString()}),
		...(w.until === undefined ? {} : {until: new Date(w.until).toISOString()}),
		totals: finishTotals(totals),
		tools: sorted(tools, 'tool') as Array<Totals & {tool: ToolId}>,
		projects: sorted(projects, 'project').map(p => {
			const remote = agg.remotes.get(p.project);
			return remote ? {...p, remote} : p;
		}),
		models: sorted(models, 'model'),
		activities: sorted(activities, 'activity') as Array<Totals & {activity: Activity}>,
		sessions: sessionRows,
		health: {
			...ingest,
			unpricedModels: [...unpriced.values()].sort((a, b) => b.calls - a.calls || order(a.tool, b.tool) || order(a.model, b.model)),
			estimatedCalls: guessed,
			placeholderUsageCalls: placeholders,
		},
	};
}

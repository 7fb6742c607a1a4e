// The snapshot: the one document views, `--once --json` and `--watch --json` read.
import type {Aggregate, CallRecord, SessionState} from './aggregate.js';
import {COL, NUMS, STR, STRS} from './record-table.js';
import {NO_COUNTS} from './records.js';
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

/** The numbers addCall reads: a call record's, or a rollup's taken from its columns. */
export type CallNumbers = Pick<CallRecord, 'calls' | 'input' | 'output' | 'cacheRead' | 'cacheWrite5m' | 'cacheWrite1h' | 'reasoning' | 'nano' | 'priced' | 'premiumRequests' | 'unrecorded' | 'unrecordedNano' | 'estimated' | 'placeholders'>;

export function addCall(t: Totals, c: CallNumbers): void {
	t.calls += c.calls;
	t.inputTokens += c.input;
	t.outputTokens += c.output;
	t.cacheReadTokens += c.cacheRead;
	t.cacheWriteTokens += c.cacheWrite5m + c.cacheWrite1h;
	t.reasoningTokens += c.reasoning;
	// Accumulates nano-dollars; finishTotals converts to USD once.
	t.costUSD += c.nano;
	if (!c.priced) t.unpricedCalls += c.calls;
	t.premiumRequests += c.premiumRequests;
	t.unrecordedOutputTokensEstimate += c.unrecorded;
	t.unrecordedCostUSDEstimate += c.unrecordedNano;
	if (c.estimated || !c.priced) t.estimated = true;
}

// Groups hold bare Totals (one object layout, so addCall stays monomorphic); the label is
// added when the rows are made.
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

	/** One call's share of every breakdown: `c` its numbers, the rest its groups, session and times. */
	const take = (c: CallNumbers, byTool: Totals, byProject: Totals, byModel: Totals, byActivity: Totals, tool: ToolId, model: string, session: SessionState, ts: number, last: number) => {
		addCall(totals, c);
		addCall(byTool, c);
		addCall(byProject, c);
		addCall(byModel, c);
		addCall(byActivity, c);
		placeholders += c.placeholders;
		let s = sessions.get(session);
		if (!s) {
			s = {t: emptyTotals(), models: new Set(), first: ts, last: ts};
			sessions.set(session, s);
		}

		addCall(s.t, c);
		s.models.add(model);
		if (ts < s.first) s.first = ts;
		if (last > s.last) s.last = last;
		if (!c.priced) {
			const key = `${tool}\u0000${model}`;
			const u = unpriced.get(key) ?? {model, tool, calls: 0};
			u.calls += c.calls;
			unpriced.set(key, u);
		}

		if (c.estimated && c.priced) guessed += c.calls - c.placeholders;
	};

	// Open calls, then rollups (the order of agg.records(), so every sum adds in the same order).
	for (const c of agg.calls.values()) {
		if (inWindow(c.ts, w)) take(c, totalsOf(tools, c.tool), totalsOf(projects, c.project), totalsOf(models, c.model), totalsOf(activities, c.activity), c.tool, c.model, c.session, c.ts, c.lastTs ?? c.ts);
	}

	// Rollups straight from their columns into one reused set of numbers: most of a long history,
	// and a full record view per rollup was most of a warm start's snapshot. A breakdown's totals
	// are looked up once per distinct name position (tool, project, model, activity).
	const r = agg.sealedRollups;
	const x = r.nums;
	const names = r.names;
	const byPosition = [new Map<number, Totals>(), new Map<number, Totals>(), new Map<number, Totals>(), new Map<number, Totals>()];
	const groupAt = (k: number, map: Map<string, Totals>, id: number): Totals => {
		let t = byPosition[k]!.get(id);
		if (!t) {
			t = totalsOf(map, names[id]!);
			byPosition[k]!.set(id, t);
		}

		return t;
	};

	const n = {...NO_COUNTS, priced: false, estimated: false};
	for (let i = 0; i < r.count; i++) {
		const o = i * NUMS;
		// Emptied by a moved or superseded call: not a record (as in agg.records()).
		if (x[o + COL.calls] === 0) continue;
		const ts = x[o + COL.ts]!;
		if (!inWindow(ts, w)) continue;
		r.numbers(i, n);
		const p = i * STRS;
		const tool = r.strs[p + STR.tool]!;
		const model = r.strs[p + STR.model]!;
		take(n, groupAt(0, tools, tool), groupAt(1, projects, r.strs[p + STR.project]!), groupAt(2, models, model), groupAt(3, activities, r.strs[p + STR.activity]!), names[tool] as ToolId, names[model]!, r.sessionOf(i), ts, x[o + COL.lastTs]!);
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

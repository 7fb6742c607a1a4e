// Drill-down data for one session: its recent calls, context growth, tools and API errors.
import {NANO, type Aggregate, type CallRecord} from './aggregate.js';
import type {Activity, ToolId} from './types.js';

export type CallRow = {
	ts: number;
	model: string;
	input: number;
	cacheRead: number;
	cacheWrite: number;
	output: number;
	/** Output never recorded (placeholder usage), estimated; not in `output`. */
	unrecorded: number;
	costUSD: number;
	priced: boolean;
	estimated: boolean;
	activity: Activity;
	tools: readonly string[];
	commands: readonly string[];
};

export type SessionDetail = {
	key: string;
	tool: ToolId;
	sessionId: string;
	project: string;
	models: string[];
	firstAt: number;
	lastAt: number;
	calls: number;
	spentUSD: number;
	/** The newest calls kept in memory, oldest first (bounded). */
	recent: CallRow[];
	/** Context re-sent per call (fresh + cache read + cache write), oldest first. */
	context: number[];
	toolCounts: Array<{name: string; count: number}>;
	errors: number[];
	files: string[];
	/** Raw working folders when the project is their repository root. */
	cwds: string[];
	estimated: boolean;
	/** Copilot premium requests among the recent calls. */
	premiumRequests: number;
	/** Recent calls left with placeholder usage, and their output the store never recorded (estimated, not in the figures). */
	placeholders: number;
	unrecordedOutput: number;
	unrecordedUSD: number;
	/** The time the detail was made for (a call of another day is shown with its date). */
	now: number;
};

/** `calls`: the session's newest calls when they are not in memory (a quiet session's, read again from its files). */
export function sessionDetail(agg: Aggregate, key: string, now: number, calls?: readonly CallRecord[]): SessionDetail | undefined {
	const s = agg.sessions.get(key);
	if (!s) return undefined;
	const ring = calls ?? s.recent;
	const recent = ring.filter(c => c.ts <= now).map<CallRow>(c => ({
		ts: c.ts,
		model: c.model,
		input: c.input,
		cacheRead: c.cacheRead,
		cacheWrite: c.cacheWrite5m + c.cacheWrite1h,
		output: c.output,
		unrecorded: c.unrecorded,
		costUSD: c.nano / NANO,
		priced: c.priced,
		estimated: c.estimated,
		activity: c.activity,
		tools: c.tools,
		commands: c.commands,
	}));
	const counts = new Map<string, number>();
	for (const c of recent) for (const t of c.tools) counts.set(t, (counts.get(t) ?? 0) + 1);
	return {
		key,
		tool: s.tool,
		sessionId: s.sessionId,
		project: s.project,
		models: [...s.models],
		firstAt: s.firstAt,
		lastAt: s.lastAt,
		calls: s.calls,
		spentUSD: s.nano / NANO,
		recent,
		context: recent.map(c => c.input + c.cacheRead + c.cacheWrite),
		toolCounts: [...counts].map(([name, count]) => ({name, count})).sort((a, b) => b.count - a.count),
		errors: [...s.errors.values()].filter(t => t <= now).sort((a, b) => a - b),
		files: [...s.files],
		cwds: [...s.cwds],
		estimated: recent.some(c => c.estimated || !c.priced),
		premiumRequests: ring.filter(c => c.ts <= now).reduce((n, c) => n + c.premiumRequests, 0),
		placeholders: recent.filter(c => c.unrecorded > 0).length,
		unrecordedOutput: recent.reduce((n, c) => n + c.unrecorded, 0),
		unrecordedUSD: ring.filter(c => c.ts <= now).reduce((n, c) => n + c.unrecordedNano, 0) / NANO,
		now,
	};
}

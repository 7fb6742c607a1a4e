// `burntop report`: spend per day, week, month, session or 5-hour block, as ccusage users know
// them, computed from the aggregate (rollups included) so a warm report needs no scan.
import type {Aggregate, CallRecord} from './aggregate.js';
import {exportRows, figures, type ExportRow, type GroupBy} from './export.js';
import {addCall, inWindow, type Window} from './snapshot.js';
import {emptyTotals} from './totals.js';
import type {Totals} from './types.js';

export const REPORTS = ['daily', 'weekly', 'monthly', 'session', 'blocks'] as const;
export type ReportKind = (typeof REPORTS)[number];

const GROUP: Record<Exclude<ReportKind, 'blocks'>, GroupBy> = {daily: 'day', weekly: 'week', monthly: 'month', session: 'session'};

/** `--tool` exact; `--project` and `--model` match a part of the name (`--model opus`). */
export type ReportFilter = {tool?: string; project?: string; model?: string};

export function callFilter(f: ReportFilter): ((c: CallRecord) => boolean) | undefined {
	if (f.tool === undefined && f.project === undefined && f.model === undefined) return undefined;
	return c => (f.tool === undefined || c.tool === f.tool) && (f.project === undefined || c.project.includes(f.project)) && (f.model === undefined || c.model.includes(f.model));
}

/** Claude's usage windows: 5 hours from the first call after the previous window, floored to the hour (UTC). */
export const BLOCK_MS = 5 * 3_600_000;

export type Block = {
	start: number;
	end: number;
	firstAt: number;
	lastAt: number;
	totals: Totals;
	/** Only on the block that holds `now`. */
	active?: {msLeft: number; usdPerHour: number; projectedUSD: number};
};

export type Report = {
	kind: ReportKind;
	columns: string[];
	rows: ExportRow[];
	/** Sum over the rows (nano-dollars already converted, as in every row). */
	total: ExportRow;
	/** Blocks as numbers, for the text view (blocks only). */
	blocks?: Block[];
};

export function buildReport(agg: Aggregate, kind: ReportKind, w: Window, f: ReportFilter, breakdown = false): Report {
	const filter = callFilter(f);
	const total = emptyTotals();
	if (kind !== 'blocks') {
		const by = GROUP[kind];
		const rows = exportRows(agg, by, w, filter, breakdown, total);
		const keys = by === 'session' ? ['tool', 'session_id', 'project', 'first_at', 'last_at', 'models'] : [by === 'day' ? 'date' : by];
		return {kind, columns: [...keys, ...Object.keys(figures(total))], rows, total: figures(total)};
	}

	const blocks = buildBlocks(agg, w, filter);
	for (const b of blocks) merge(total, b.totals);
	const rows = blocks.map(b => ({
		start: new Date(b.start).toISOString(),
		end: new Date(b.end).toISOString(),
		first_at: new Date(b.firstAt).toISOString(),
		last_at: new Date(b.lastAt).toISOString(),
		active: b.active !== undefined,
		...figures(b.totals),
		usd_per_hour: round2(usdPerHour(b, w.now)),
		minutes_left: b.active ? Math.ceil(b.active.msLeft / 60_000) : 0,
		projected_usd: b.active ? round2(b.active.projectedUSD) : figures(b.totals).cost_usd,
	}));
	return {kind, columns: rows[0] ? Object.keys(rows[0]) : ['start', 'end', 'first_at', 'last_at', 'active', ...Object.keys(figures(total)), 'usd_per_hour', 'minutes_left', 'projected_usd'], rows, total: figures(total), blocks};
}

function round2(v: number): number {
	return Math.round(v * 1e4) / 1e4;
}

/** Spend per hour over the block's calls so far (the active one: up to now), at least one minute. */
function usdPerHour(b: Block, now: number): number {
	const span = Math.max(60_000, (b.active ? now : b.lastAt) - b.firstAt);
	return (b.totals.costUSD / 1e9) * (3_600_000 / span);
}

/**
 * 5-hour blocks over the calls in `w` (rollups hold 15 minutes on a grid of whole hours, so each
 * lies in one block and its first call's time starts one exactly).
 */
export function buildBlocks(agg: Aggregate, w: Window, filter?: (c: CallRecord) => boolean): Block[] {
	// records() hands out one reused view for rollups: each call's share is copied out.
	const calls: Array<{ts: number; last: number; t: Totals}> = [];
	for (const c of agg.records()) {
		if (!inWindow(c.ts, w) || (filter && !filter(c))) continue;
		const t = emptyTotals();
		addCall(t, c);
		calls.push({ts: c.ts, last: c.lastTs ?? c.ts, t});
	}

	calls.sort((a, b) => a.ts - b.ts);
	const blocks: Block[] = [];
	let b: Block | undefined;
	for (const x of calls) {
		if (!b || x.ts >= b.end) {
			const start = Math.floor(x.ts / 3_600_000) * 3_600_000;
			b = {start, end: start + BLOCK_MS, firstAt: x.ts, lastAt: x.ts, totals: emptyTotals()};
			blocks.push(b);
		}

		merge(b.totals, x.t);
		if (x.last > b.lastAt) b.lastAt = x.last;
	}

	const last = blocks.at(-1);
	if (last && w.now >= last.start && w.now < last.end) {
		const spent = last.totals.costUSD / 1e9;
		const rate = (spent * 3_600_000) / Math.max(60_000, w.now - last.firstAt);
		last.active = {msLeft: last.end - w.now, usdPerHour: rate, projectedUSD: spent + (rate * (last.end - w.now)) / 3_600_000};
	}

	return blocks;
}

function merge(into: Totals, t: Totals): void {
	into.calls += t.calls;
	into.inputTokens += t.inputTokens;
	into.outputTokens += t.outputTokens;
	into.cacheReadTokens += t.cacheReadTokens;
	into.cacheWriteTokens += t.cacheWriteTokens;
	into.reasoningTokens += t.reasoningTokens;
	into.costUSD += t.costUSD;
	into.unrecordedOutputTokensEstimate += t.unrecordedOutputTokensEstimate;
	into.unrecordedCostUSDEstimate += t.unrecordedCostUSDEstimate;
	into.unpricedCalls += t.unpricedCalls;
	into.premiumRequests += t.premiumRequests;
	into.estimated ||= t.estimated;
}

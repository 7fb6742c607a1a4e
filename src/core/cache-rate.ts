// Cache hit rate over time and sessions whose cache collapsed (the silent 10x bill).
import {NANO, type Aggregate, type CallRecord} from './aggregate.js';
import {emptyCell, HOUR, mergeCell, MINUTE, type Cell} from './series.js';
import {cacheHitRate} from './totals.js';

export type CachePoint = {t: number; rate: number; tokens: number};

export type CacheCollapse = {
	key: string;
	tool: string;
	sessionId: string;
	project: string;
	/** Hit rate of the earlier calls and of the recent ones. */
	before: number;
	after: number;
	/** Context of the latest call, in tokens. */
	context: number;
	recentCalls: number;
	/** What the recent calls cost, and what they would have cost at the earlier hit rate. */
	spentUSD: number;
	healthyUSD: number;
	extraUSD: number;
};

export type CacheView = {
	/** Hourly hit rate over the last 24 hours, overall and per tool (oldest first). */
	hourly: CachePoint[];
	/** Hit rate over those 24 hours (hours weighted by tokens), as each tool's `rate`. */
	rate?: number;
	byTool: Array<{tool: string; hourly: CachePoint[]; rate: number}>;
	collapses: CacheCollapse[];
};

/** How many latest calls form the "recent" side, and what counts as a collapse. */
export const COLLAPSE = {recent: 5, before: 20, minBefore: 0.5, maxAfter: 0.2, minContext: 20_000, lookbackMs: 3_600_000};

export type Reprice = (c: CallRecord, split: {input: number; cacheRead: number}) => number;

function rateOf(calls: readonly CallRecord[]): number {
	let i = 0;
	let r = 0;
	let w = 0;
	for (const c of calls) {
		i += c.input;
		r += c.cacheRead;
		w += c.cacheWrite5m + c.cacheWrite1h;
	}

	return cacheHitRate(i, r, w);
}

function callRate(c: CallRecord): number {
	return cacheHitRate(c.input, c.cacheRead, c.cacheWrite5m + c.cacheWrite1h);
}

/** Hourly rates weighted by their tokens; undefined when no hour has any. */
function weighted(pts: readonly CachePoint[]): number | undefined {
	const tok = pts.reduce((n, p) => n + p.tokens, 0);
	return tok > 0 ? pts.reduce((n, p) => n + p.rate * p.tokens, 0) / tok : undefined;
}

export function cacheView(agg: Aggregate, now: number, reprice: Reprice): CacheView {
	const hours = agg.series.lastHours(now, 24);
	const hourly = hours.map(({hour, cell}) => ({t: hour * HOUR, rate: cacheHitRate(cell.input, cell.cacheRead, cell.cacheWrite), tokens: cell.tokens}));
	// Per tool and hour, in one pass over the minute buckets.
	const first = Math.floor(now / HOUR) - 23;
	const cells = new Map<string, Cell[]>();
	for (const [m, b] of agg.series.minutes) {
		const i = Math.floor((m * MINUTE) / HOUR) - first;
		if (i < 0 || i > 23) continue;
		for (const [tool, c] of b.byTool) {
			let row = cells.get(tool);
			if (!row) {
				row = hours.map(() => emptyCell());
				cells.set(tool, row);
			}

			mergeCell(row[i]!, c);
		}
	}

	const tools = new Map<string, CachePoint[]>();
	for (const [tool, row] of cells) {
		tools.set(tool, row.map((x, i) => ({t: (first + i) * HOUR, rate: x.tokens > 0 ? cacheHitRate(x.input, x.cacheRead, x.cacheWrite) : 0, tokens: x.tokens})));
	}

	const byTool = [...tools].map(([tool, pts]) => ({tool, hourly: pts, rate: weighted(pts) ?? 0}));

	const collapses: CacheCollapse[] = [];
	for (const s of agg.sessions.values()) {
		if (now - s.lastAt > COLLAPSE.lookbackMs || s.recent.length < COLLAPSE.recent + 3) continue;
		const calls = s.recent.filter(c => c.ts <= now);
		// The collapsed stretch: every call since the cache last hit. While it lasts the session
		// stays listed and its extra cost grows; judged against the calls before it, not against
		// collapsed calls that slid into a fixed "earlier" window.
		let start = calls.length;
		while (start > 0 && callRate(calls[start - 1]!) <= COLLAPSE.maxAfter) start--;
		const cut = calls.length - start >= COLLAPSE.recent ? start : calls.length - COLLAPSE.recent;
		const recent = calls.slice(cut);
		const earlier = calls.slice(Math.max(0, cut - COLLAPSE.before), cut);
		if (earlier.length < 3) continue;
		const before = rateOf(earlier);
		const after = rateOf(recent);
		const last = recent.at(-1)!;
		const context = last.input + last.cacheRead + last.cacheWrite5m + last.cacheWrite1h;
		if (before < COLLAPSE.minBefore || after > COLLAPSE.maxAfter || context < COLLAPSE.minContext) continue;
		let spent = 0;
		let healthy = 0;
		for (const c of recent) {
			spent += c.nano / NANO;
			const all = c.input + c.cacheRead;
			const read = Math.max(c.cacheRead, Math.round(all * before));
			healthy += reprice(c, {input: all - read, cacheRead: read});
		}

		collapses.push({key: s.key, tool: s.tool, sessionId: s.sessionId, project: s.project, before, after, context, recentCalls: recent.length, spentUSD: spent, healthyUSD: healthy, extraUSD: Math.max(0, spent - healthy)});
	}

	collapses.sort((a, b) => b.extraUSD - a.extraUSD);
	return {hourly, rate: weighted(hourly), byTool, collapses};
}

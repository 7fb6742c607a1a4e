// Burn rate: money and tokens per minute over the last 5 and 60 minutes, with projections.
// A window of N minutes is the N whole clock minutes ending with the current one.
import {NANO, type Aggregate} from './aggregate.js';
import {cacheHitRate} from './totals.js';
import {emptyCell, mergeCell as add, MINUTE, type Cell} from './series.js';
import {order} from './snapshot.js';
import {startOfDay} from './time.js';
import type {RateLimitWindow, ToolId} from './types.js';

export type Rate = {usdPerMin: number; tokensPerMin: number; usd: number; tokens: number; calls: number};

export type SessionBurn = {
	tool: ToolId;
	sessionId: string;
	project: string;
	model: string;
	usdPerMin5: number;
	usdPerMin60: number;
	tokensPerMin5: number;
	/** All-time spend of the session. */
	spentUSD: number;
	/** Input of its latest call (fresh + cache): how much context it re-sends per turn. */
	contextTokens: number;
	lastAt: string;
	apiErrors5: number;
};

export type Burn = {
	windows: {'5m': Rate; '60m': Rate};
	/** 5-minute rate against the 5 minutes before it. */
	trend: 'up' | 'down' | 'flat';
	spentTodayUSD: number;
	spentThisHourUSD: number;
	projection: {hourUSD: number; dayUSD: number};
	/** The last 60 minutes, oldest first. */
	perMinute: Array<{t: string; usd: number; tokens: number; calls: number; cacheHitRate: number}>;
	byTool: Array<{tool: string; usdPerMin5: number; usdPerMin60: number; tokensPerMin5: number; tokensPerMin60: number}>;
	byProject: Array<{project: string; usdPerMin5: number; usdPerMin60: number; tokensPerMin5: number; tokensPerMin60: number}>;
	/** Sessions with a call in the last 60 minutes, steepest 5-minute burn first. */
	sessions: SessionBurn[];
	activeSessions: number;
	rateLimits: Array<{sessionId: string; at: string; primary?: RateLimitWindow; secondary?: RateLimitWindow}>;
};

/** A session counts as active while it made a call in the last this many minutes. */
export const ACTIVE_MINUTES = 10;

function rate(cell: Cell, minutes: number): Rate {
	const usd = cell.nano / NANO;
	return {usdPerMin: usd / minutes, tokensPerMin: cell.tokens / minutes, usd, tokens: cell.tokens, calls: cell.calls};
}

function sumKeyed(rows: ReturnType<Aggregate['series']['lastMinutes']>, pick: 'byTool' | 'byProject' | 'bySession'): Map<string, Cell> {
	const out = new Map<string, Cell>();
	for (const {bucket} of rows) {
		if (!bucket) continue;
		for (const [k, v] of bucket[pick]) {
			let c = out.get(k);
			if (!c) {
				c = emptyCell();
				out.set(k, c);
			}

			add(c, v);
		}
	}

	return out;
}

export function computeBurn(agg: Aggregate, now: number): Burn {
	const s = agg.series;
	const last60 = s.lastMinutes(now, 60);
	const last5 = last60.slice(-5);
	const prev5 = last60.slice(-10, -5);
	const cell60 = emptyCell();
	const cell5 = emptyCell();
	const cellPrev = emptyCell();
	for (const r of last60) add(cell60, r.bucket);
	for (const r of last5) add(cell5, r.bucket);
	for (const r of prev5) add(cellPrev, r.bucket);

	// Today and this hour from minute buckets (local midnight, local hour start).
	const nowMinute = Math.floor(now / MINUTE);
	const dayStartMinute = Math.floor(startOfDay(now) / MINUTE);
	const local = new Date(now);
	const hourStartMinute = Math.floor(new Date(local.getFullYear(), local.getMonth(), local.getDate(), local.getHours()).getTime() / MINUTE);
	let today = 0;
	let hour = 0;
	for (const [m, b] of s.minutes) {
		if (m > nowMinute) continue;
		if (m >= dayStartMinute) today += b.nano;
		if (m >= hourStartMinute) hour += b.nano;
	}

	const r5 = rate(cell5, 5);
	const r60 = rate(cell60, 60);
	const minutesLeftInHour = 60 - (nowMinute - hourStartMinute) - (now % MINUTE) / MINUTE;
	const nextMidnight = startOfDay(startOfDay(now) + 36 * 3_600_000);
	const minutesLeftInDay = (nextMidnight - now) / MINUTE;
	today /= NANO;
	hour /= NANO;
	const prevRate = cellPrev.nano / NANO / 5;
	const trend = r5.usdPerMin > prevRate * 1.2 + 1e-9 ? 'up' : r5.usdPerMin < prevRate * 0.8 - 1e-9 ? 'down' : 'flat';

	const keyed = (pick: 'byTool' | 'byProject') => {
		const a = sumKeyed(last5, pick);
		const b = sumKeyed(last60, pick);
		return [...b.entries()].map(([k, c60]) => {
			const c5 = a.get(k) ?? emptyCell();
			return {key: k, usdPerMin5: c5.nano / NANO / 5, usdPerMin60: c60.nano / NANO / 60, tokensPerMin5: c5.tokens / 5, tokensPerMin60: c60.tokens / 60};
		}).sort((x, y) => y.usdPerMin5 - x.usdPerMin5 || y.usdPerMin60 - x.usdPerMin60 || order(x.key, y.key));
	};

	const s5 = sumKeyed(last5, 'bySession');
	const s60 = sumKeyed(last60, 'bySession');
	const sessions: SessionBurn[] = [];
	let active = 0;
	for (const [key, c60] of s60) {
		const st = agg.sessions.get(key);
		if (!st) continue;
		const c5 = s5.get(key) ?? emptyCell();
		const latest = st.recent.at(-1);
		if (now - st.lastAt <= ACTIVE_MINUTES * MINUTE && st.lastAt <= now) active++;
		let errors5 = 0;
		for (const ts of st.errors.values()) if (ts <= now && now - ts < 5 * MINUTE) errors5++;
		sessions.push({
			tool: st.tool,
			sessionId: st.sessionId,
			project: st.project,
			model: latest?.model ?? [...st.models].at(-1) ?? '',
			usdPerMin5: c5.nano / NANO / 5,
			usdPerMin60: c60.nano / NANO / 60,
			tokensPerMin5: c5.tokens / 5,
			spentUSD: st.nano / NANO,
			contextTokens: latest ? latest.input + latest.cacheRead + latest.cacheWrite5m + latest.cacheWrite1h : 0,
			lastAt: new Date(st.lastAt).toISOString(),
			apiErrors5: errors5,
		});
	}

	sessions.sort((a, b) => b.usdPerMin5 - a.usdPerMin5 || b.usdPerMin60 - a.usdPerMin60 || order(b.lastAt, a.lastAt) || order(a.tool, b.tool) || order(a.sessionId, b.sessionId));

	const rateLimits: Burn['rateLimits'] = [];
	for (const st of agg.sessions.values()) {
		const rl = st.rateLimit;
		// Only a report whose window has not reset yet says something about now (a months-old one does not).
		const current = (w: RateLimitWindow | undefined) => w !== undefined && (w.resetsAt !== undefined ? w.resetsAt > now : rl!.ts + w.windowMinutes * MINUTE > now);
		if (rl && rl.ts <= now && (current(rl.primary) || current(rl.secondary))) rateLimits.push({sessionId: st.sessionId, at: new Date(rl.ts).toISOString(), primary: rl.primary, secondary: rl.secondary});
	}

	rateLimits.sort((a, b) => order(b.at, a.at) || order(a.sessionId, b.sessionId));

	return {
		windows: {'5m': r5, '60m': r60},
		trend,
		spentTodayUSD: today,
		spentThisHourUSD: hour,
		// The rest of this hour at the 5-minute rate (as the hour's projection), the hours after it at the
		// 60-minute rate: the day's projection is never below the hour's.
		projection: {
			hourUSD: hour + r5.usdPerMin * minutesLeftInHour,
			dayUSD: today + r5.usdPerMin * Math.min(minutesLeftInHour, minutesLeftInDay) + r60.usdPerMin * Math.max(0, minutesLeftInDay - minutesLeftInHour),
		},
		perMinute: last60.map(({minute, bucket}) => ({
			t: new Date(minute * MINUTE).toISOString(),
			usd: (bucket?.nano ?? 0) / NANO,
			tokens: bucket?.tokens ?? 0,
			calls: bucket?.calls ?? 0,
			cacheHitRate: bucket ? cacheHitRate(bucket.input, bucket.cacheRead, bucket.cacheWrite) : 0,
		})),
		byTool: keyed('byTool').map(({key, ...r}) => ({tool: key, ...r})),
		byProject: keyed('byProject').map(({key, ...r}) => ({project: key, ...r})),
		sessions,
		activeSessions: active,
		rateLimits: rateLimits.slice(0, 1),
	};
}

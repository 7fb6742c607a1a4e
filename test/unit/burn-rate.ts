import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {Aggregate} from '../../src/core/aggregate.js';
import {computeBurn} from '../../src/core/burn-rate.js';
import type {UsageEvent} from '../../src/core/types.js';

// $1 per 1,000 output tokens keeps the arithmetic readable.
const agg = () => new Aggregate(e => ({cost: e.output / 1000, priced: true, approximate: false}));
let k = 0;
const call = (ts: number, output: number, over: Partial<UsageEvent> = {}): UsageEvent => ({
	kind: 'usage', tool: 'claude-code', sessionId: 's1', project: '/p', model: 'm', ts, input: 0, cacheRead: 0,
	cacheWrite5m: 0, cacheWrite1h: 0, output, reasoning: 0, webSearches: 0, dedupeKey: `k${k++}`, replace: 'max-output', ...over,
});

// 14:30:30 local time on a fixed day: 29.5 minutes left in the hour.
const NOW = new Date(2026, 2, 10, 14, 30, 30).getTime();
const MIN = 60_000;
const close = (a: number, b: number) => assert.ok(Math.abs(a - b) < 1e-9, `${a} vs ${b}`);

describe('burn rate on a fixed clock', () => {
	it('5- and 60-minute rates count whole clock minutes ending with the current one', () => {
		const a = agg();
		a.upsert(call(NOW - 10_000, 2000)); // this minute: $2
		a.upsert(call(NOW - 3 * MIN, 3000)); // 3 minutes ago: $3
		a.upsert(call(NOW - 20 * MIN, 10_000)); // in the hour, not in 5 minutes: $10
		a.upsert(call(NOW - 2 * 3_600_000, 50_000)); // 2 hours ago: in neither
		const b = computeBurn(a, NOW);
		close(b.windows['5m'].usd, 5);
		close(b.windows['5m'].usdPerMin, 1);
		close(b.windows['60m'].usd, 15);
		close(b.windows['60m'].usdPerMin, 0.25);
		close(b.windows['5m'].tokensPerMin, 1000);
		assert.equal(b.perMinute.length, 60);
		close(b.perMinute.at(-1)!.usd, 2);
		close(b.perMinute.at(-4)!.usd, 3);
	});

	it('projects the hour at the 5-minute rate and the day after it at the 60-minute rate', () => {
		const a = agg();
		a.upsert(call(NOW - 10_000, 2000));
		a.upsert(call(NOW - 20 * MIN, 10_000));
		a.upsert(call(new Date(2026, 2, 10, 9, 0).getTime(), 7000)); // earlier today
		a.upsert(call(new Date(2026, 2, 9, 23, 0).getTime(), 9000)); // yesterday
		const b = computeBurn(a, NOW);
		close(b.spentThisHourUSD, 12);
		close(b.spentTodayUSD, 19);
		// Hour: 12 + (2/5 $/min) × 29.5 min left. Day: 19, the rest of this hour as above, then (12/60 $/min) × 540 min.
		close(b.projection.hourUSD, 12 + 0.4 * 29.5);
		close(b.projection.dayUSD, 19 + 0.4 * 29.5 + 0.2 * 540);
	});

	it('in the last hour of the day the day\'s projection is never below the hour\'s', () => {
		const late = new Date(2026, 2, 10, 23, 30).getTime();
		const a = agg();
		a.upsert(call(late - 40 * MIN, 1000));
		a.upsert(call(late - MIN, 9000));
		const b = computeBurn(a, late);
		assert.ok(b.projection.dayUSD >= b.projection.hourUSD, `${b.projection.dayUSD} < ${b.projection.hourUSD}`);
		close(b.projection.dayUSD, b.spentTodayUSD - b.spentThisHourUSD + b.projection.hourUSD);
	});

	it('a rate-limit report whose windows have reset is not shown as current', () => {
		const a = agg();
		a.upsert(call(NOW - MIN, 1000));
		const rl = (ts: number, resetsAt?: number) => ({kind: 'rate-limit' as const, tool: 'codex' as const, sessionId: `rl-${ts}`, ts, primary: {usedPercent: 80, windowMinutes: 300, resetsAt}});
		a.apply(rl(NOW - 300 * 24 * 60 * MIN, NOW - 299 * 24 * 60 * MIN)); // ten months ago
		a.apply(rl(NOW - 400 * MIN)); // no reset time, its 5-hour window is over
		a.apply(rl(NOW - 10 * MIN, NOW + 60 * MIN)); // current
		assert.deepEqual(computeBurn(a, NOW).rateLimits.map(r => r.sessionId), [`rl-${NOW - 10 * MIN}`]);
	});

	it('reports the trend against the previous 5 minutes', () => {
		const up = agg();
		up.upsert(call(NOW - 6 * MIN, 1000));
		up.upsert(call(NOW - MIN, 5000));
		assert.equal(computeBurn(up, NOW).trend, 'up');
		const down = agg();
		down.upsert(call(NOW - 6 * MIN, 5000));
		down.upsert(call(NOW - MIN, 1000));
		assert.equal(computeBurn(down, NOW).trend, 'down');
		assert.equal(computeBurn(agg(), NOW).trend, 'flat');
	});

	it('breaks rates down per tool, project and session, steepest first', () => {
		const a = agg();
		a.upsert(call(NOW - MIN, 1000, {sessionId: 'slow', project: '/a'}));
		a.upsert(call(NOW - MIN, 9000, {sessionId: 'fast', project: '/b', tool: 'codex'}));
		a.upsert(call(NOW - 30 * MIN, 6000, {sessionId: 'old', project: '/a'}));
		const b = computeBurn(a, NOW);
		assert.deepEqual(b.sessions.map(s => s.sessionId), ['fast', 'slow', 'old']);
		close(b.sessions[0]!.usdPerMin5, 9 / 5);
		close(b.sessions[2]!.usdPerMin60, 6 / 60);
		assert.deepEqual(b.byTool.map(t => t.tool), ['codex', 'claude-code']);
		close(b.byProject.find(p => p.project === '/a')!.usdPerMin60, 7 / 60);
		assert.equal(b.activeSessions, 2);
	});

	it('an amended call moves its bucket contribution, not adds to it', () => {
		const a = agg();
		a.upsert(call(NOW - MIN, 10, {dedupeKey: 'same'}));
		a.upsert(call(NOW - MIN, 4000, {dedupeKey: 'same'}));
		close(computeBurn(a, NOW).windows['5m'].usd, 4);
	});

	it('folds minutes more than two days older than the newest call into hours without losing money', () => {
		const a = agg();
		a.upsert(call(NOW - 50 * 3_600_000, 1000));
		a.upsert(call(NOW - MIN, 2000));
		a.series.compact(NOW);
		assert.ok(a.series.minutes.size === 1);
		const hours = a.series.lastHours(NOW, 72);
		close(hours.reduce((n, h) => n + h.cell.nano, 0) / 1e9, 3);
		// A later amend of the old call lands in its hour bucket.
		a.upsert(call(NOW - 50 * 3_600_000, 1500, {dedupeKey: [...a.calls.keys()][0]!}));
		close(a.series.lastHours(NOW, 72).reduce((n, h) => n + h.cell.nano, 0) / 1e9, 3.5);
	});

	it('calls after "now" (replays with --now) are not in the windows', () => {
		const a = agg();
		a.upsert(call(NOW + 5 * MIN, 1000));
		const b = computeBurn(a, NOW);
		assert.equal(b.windows['60m'].calls, 0);
		assert.equal(b.spentTodayUSD, 0);
	});
});

describe('clock jumps', () => {
	it('a clock jumping back or forward days moves the windows but never changes totals or throws', () => {
		const a = agg();
		for (let i = 0; i < 30; i++) a.upsert(call(NOW - i * MIN, 1000));
		const total = () => [...a.calls.values()].reduce((n, c) => n + c.nano, 0);
		const before = total();
		for (const t of [NOW, NOW - 2 * 86_400_000, NOW + 3 * 86_400_000, NOW - 3_600_000, NOW]) {
			a.series.compact(t);
			const b = computeBurn(a, t);
			assert.ok(Number.isFinite(b.projection.dayUSD) && Number.isFinite(b.windows['60m'].usdPerMin));
		}

		assert.equal(total(), before);
		// The jump forward folded nothing: the recent minutes are intact.
		const hours = a.series.lastHours(NOW, 48).reduce((n, h) => n + h.cell.nano, 0);
		assert.equal(hours, before);
		assert.equal(a.series.minutes.size, 30);
		// A new call after the jump back is still counted in its minute.
		a.upsert(call(NOW - 10_000, 500));
		assert.ok(computeBurn(a, NOW).windows['5m'].usd >= 0.5);
	});
});

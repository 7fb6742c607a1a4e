// Budgets: local calendar periods, projection arithmetic on a fixed clock, filters, config
// errors and `--check`.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import {describe, it} from 'node:test';
import {Aggregate} from '../src/core/aggregate.js';
import {budgetStatuses, periodBounds, status} from '../src/core/budgets.js';
import type {UsageEvent} from '../src/core/types.js';
import {ConfigError, parseConfig} from '../src/config.js';
import {claudeAssistant as a, claudePath, runCli, tempHome, write} from './helpers/home.js';

// Local-calendar arithmetic in a zone with DST and a non-UTC offset.
process.env['TZ'] = 'America/New_York';
const local = (y: number, m: number, d: number, h = 0) => new Date(y, m - 1, d, h).getTime();
const HOUR = 3_600_000;

describe('budget periods (America/New_York)', () => {
	it('day from local midnight, week from Monday, month from the 1st', () => {
		const now = local(2026, 3, 11, 15); // a Wednesday
		assert.deepEqual(periodBounds('day', now), {start: local(2026, 3, 11), end: local(2026, 3, 12)});
		assert.deepEqual(periodBounds('week', now), {start: local(2026, 3, 9), end: local(2026, 3, 16)});
		assert.deepEqual(periodBounds('week', local(2026, 3, 15, 23)), {start: local(2026, 3, 9), end: local(2026, 3, 16)}, 'Sunday is the last day');
		assert.deepEqual(periodBounds('month', now), {start: local(2026, 3, 1), end: local(2026, 4, 1)});
		assert.equal(periodBounds('month', now).end - periodBounds('month', now).start, 31 * 24 * HOUR - HOUR, 'March loses an hour to DST');
		assert.equal(new Date(periodBounds('day', now).start).toISOString(), '2026-03-11T04:00:00.000Z');
	});
});

describe('budget status and projection', () => {
	const nov = {start: local(2026, 11, 1), end: local(2026, 12, 1)};

	it('"on pace for $424 of $300 this month" halfway through at $212', () => {
		const now = nov.start + (nov.end - nov.start) / 2;
		const s = status({period: 'month', usd: 300}, 212, nov, now);
		assert.equal(s.projectedUSD, 424);
		assert.equal(s.level, 'pace');
		assert.equal(s.fraction, 0.706667);
		assert.equal(s.text, '$212 of $300 this month (71%), on pace for $424');
	});

	it('levels: ok, warn at 80%, over at 100%; no projection in the first 1/24 of the period', () => {
		const mid = nov.start + (nov.end - nov.start) / 2;
		assert.equal(status({period: 'month', usd: 300}, 100, nov, mid).level, 'ok');
		assert.equal(status({period: 'month', usd: 300}, 240, nov, mid).level, 'warn');
		assert.equal(status({period: 'month', usd: 300}, 300, nov, mid).level, 'over');
		assert.equal(status({period: 'month', usd: 300}, 300, nov, mid).text, 'over budget: $300 of $300 this month');
		const early = status({period: 'month', usd: 300}, 5, nov, nov.start + 20 * HOUR);
		assert.equal(early.projectedUSD, undefined);
		assert.equal(early.text, '$5.00 of $300 this month (2%)');
		const day = status({period: 'day', usd: 50, tool: 'codex'}, 10, {start: local(2026, 11, 20), end: local(2026, 11, 21)}, local(2026, 11, 20, 6));
		assert.equal(day.projectedUSD, 40);
		assert.equal(day.label, 'daily codex');
	});

	it('sums only the period, the tool and the project (by path or remote)', () => {
		const agg = new Aggregate(() => ({cost: 0, priced: true, approximate: false}));
		const prices = new Map<string, number>();
		const add = (key: string, ts: number, tool: 'claude-code' | 'codex', project: string, usd: number, remote?: string) => {
			prices.set(key, usd);
			agg.apply({kind: 'usage', tool, sessionId: key, project, model: 'm', ts, input: 1, cacheRead: 0, cacheWrite5m: 0, cacheWrite1h: 0, output: 1, reasoning: 0, webSearches: 0, dedupeKey: key, replace: 'max-output', reportedCostUSD: usd, preferReportedCost: true, ...(remote ? {remote} : {})} as UsageEvent);
		};

		const now = local(2026, 11, 18, 12); // Wednesday
		add('old', local(2026, 10, 31, 23), 'claude-code', '/r/shop', 1000, 'acme/shop'); // last month
		add('mon', local(2026, 11, 16, 9), 'claude-code', '/r/shop', 10, 'acme/shop');
		add('tue', local(2026, 11, 17, 9), 'codex', '/r/shop', 20);
		add('wed', local(2026, 11, 18, 9), 'codex', '/r/blog', 40);
		add('future', local(2026, 11, 18, 13), 'codex', '/r/blog', 80); // after now
		add('nov2', local(2026, 11, 2, 9), 'claude-code', '/r/blog', 5);
		const s = budgetStatuses(agg, [
			{period: 'day', usd: 100},
			{period: 'week', usd: 100},
			{period: 'month', usd: 100},
			{period: 'week', usd: 100, tool: 'codex'},
			{period: 'month', usd: 100, project: 'acme/shop'},
			{period: 'month', usd: 100, project: '/r/blog'},
		], now);
		assert.deepEqual(s.map(x => x.spentUSD), [40, 70, 75, 60, 30, 45]);
		assert.equal(s[0]!.projectedUSD, 80, '$40 in half a day');
	});
});

describe('budget config and --check', () => {
	it('rejects bad budgets with a clear message', () => {
		const bad = (budgets: unknown, re: RegExp) => assert.throws(() => parseConfig({budgets}, 'config.json'), (e: Error) => e instanceof ConfigError && re.test(e.message));
		bad({period: 'month'}, /"budgets" must be a list/);
		bad([{period: 'year', usd: 5}], /budgets\[0\]\.period must be "day", "week" or "month"/);
		bad([{period: 'day', usd: -1}], /budgets\[0\]\.usd must be a positive number/);
		bad([{period: 'day', usd: 5, tool: 'vim'}], /budgets\[0\]\.tool must be one of claude-code/);
		bad([{period: 'day', usd: 5, team: 'x'}], /budgets\[0\]\.team is not a budget field/);
		assert.deepEqual(parseConfig({alerts: {dailyBudgetUSD: 20}}).budgets, [{period: 'day', usd: 20}], 'the older setting still works');
	});

	it('--check exits 1 once a budget is exceeded and names it', async () => {
		const home = tempHome();
		const now = local(2026, 3, 10, 18);
		// Opus 4.6: 1M output tokens at $25/M = $25 per call.
		const call = (id: string, h: number) => a({id, ts: new Date(local(2026, 3, 10, h)).toISOString(), model: 'claude-opus-4-6', output: 1_000_000, cwd: '/home/u/shop'});
		write(claudePath(home, '-home-u-shop', 's.jsonl'), [call('m1', 9), call('m2', 10)]);
		const cfg = path.join(home, '.config', 'burntop', 'config.json');
		fs.mkdirSync(path.dirname(cfg), {recursive: true});
		const env = {HOME: home, XDG_CONFIG_HOME: path.join(home, '.config')};
		const check = () => runCli(['--check', '--now', new Date(now).toISOString()], env, () => now);

		fs.writeFileSync(cfg, JSON.stringify({budgets: [{period: 'day', usd: 60}]}));
		let r = await check();
		assert.equal(r.code, 0, r.stdout + r.stderr);
		assert.match(r.stdout, /budget daily: \$50\.00 of \$60\.00 today \(83%\), on pace for \$66\.67/);

		fs.writeFileSync(cfg, JSON.stringify({budgets: [{period: 'day', usd: 40}, {period: 'month', usd: 1000}]}));
		r = await check();
		assert.equal(r.code, 1);
		assert.match(r.stdout, /budget daily: over budget: \$50\.00 of \$40\.00 today/);
		const j = JSON.parse((await runCli(['--check', '--json', '--now', new Date(now).toISOString()], env, () => now)).stdout);
		assert.equal(j.overBudget, 1);
		assert.deepEqual(j.budgets.map((b: {level: string}) => b.level), ['over', 'ok']);

		fs.writeFileSync(cfg, JSON.stringify({budgets: [{period: 'fortnight', usd: 40}]}));
		r = await check();
		assert.equal(r.code, 2);
		assert.match(r.stderr, /budgets\[0\]\.period must be "day", "week" or "month"/);
	});
});

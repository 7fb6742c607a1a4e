// `burntop report daily|weekly|monthly|session|blocks`: every report sums to the snapshot's
// totals, blocks follow Claude's 5-hour windows, the text fits the terminal.
import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {Aggregate} from '../src/core/aggregate.js';
import {buildReport} from '../src/core/reports.js';
import {Pricer} from '../src/pricing/index.js';
import {renderReport} from '../src/report/reports-text.js';
import {claudeAssistant, claudePath, FIXTURE_HOME, runCli, sharedAvailable, tempHome, write} from './helpers/home.js';

const NOW = '2030-01-01T00:00:00Z';
type Row = Record<string, number | string | boolean | Row[]>;
type Json = {rows: Row[]; total: Row; columns: string[]};

async function report(args: string[], env: Record<string, string>): Promise<Json> {
	const r = await runCli(['report', ...args, '--json', '--now', NOW], env);
	assert.equal(r.code, 0, r.stderr);
	return JSON.parse(r.stdout) as Json;
}

const FIGS = ['calls', 'input_tokens', 'output_tokens', 'cache_read_tokens', 'cache_write_tokens', 'reasoning_tokens', 'unpriced_calls', 'unrecorded_output_tokens_estimate'];

function sumOf(rows: Row[], k: string): number {
	return rows.reduce((n, r) => n + Number(r[k]), 0);
}

describe('reports on the fixture home', {skip: !sharedAvailable() && 'needs ../shared (required when CI=true)'}, () => {
	it('daily, weekly, monthly and session sum to the snapshot totals, row by row', async () => {
		const env = {HOME: FIXTURE_HOME};
		const snap = JSON.parse((await runCli(['--once', '--json', '--no-cache', '--now', NOW], env)).stdout);
		for (const kind of ['daily', 'weekly', 'monthly', 'session']) {
			const r = await report([kind, '--no-cache'], env);
			assert.equal(r.total['calls'], snap.totals.calls, kind);
			assert.equal(r.total['cost_usd'], snap.totals.costUSD, kind);
			assert.equal(r.total['output_tokens'], snap.totals.outputTokens, kind);
			for (const k of FIGS) assert.equal(sumOf(r.rows, k), r.total[k], `${kind} ${k}`);
			assert.ok(Math.abs(sumOf(r.rows, 'cost_usd') - Number(r.total['cost_usd'])) < 1e-5, kind);
		}

		const sessions = await report(['session', '--no-cache'], env);
		assert.equal(sessions.rows.length, snap.sessions.length);
		const days = await report(['daily', '--no-cache'], env);
		assert.deepEqual(days.rows.map(r => r['date']), [...days.rows.map(r => r['date'])].sort(), 'days in order');
	});

	it('filters and --breakdown: each period\'s models sum to it; a tool filter equals that tool\'s totals', async () => {
		const env = {HOME: FIXTURE_HOME};
		const snap = JSON.parse((await runCli(['--once', '--json', '--no-cache', '--now', NOW], env)).stdout);
		const codex = snap.tools.find((t: {tool: string}) => t.tool === 'codex');
		const r = await report(['monthly', '--tool', 'codex', '--breakdown', '--no-cache'], env);
		assert.equal(r.total['calls'], codex.calls);
		assert.equal(r.total['cost_usd'], codex.costUSD);
		for (const row of r.rows) {
			const models = row['models_breakdown'] as Row[];
			assert.ok(models.length >= 1);
			for (const k of FIGS) assert.equal(sumOf(models, k), row[k], `${String(row['month'])} ${k}`);
		}

		const opus = await report(['daily', '--model', 'opus', '--no-cache'], env);
		const opusCalls = snap.models.filter((m: {model: string}) => m.model.includes('opus')).reduce((n: number, m: {calls: number}) => n + m.calls, 0);
		assert.ok(opusCalls > 0);
		assert.equal(opus.total['calls'], opusCalls);
	});

	it('a warm report (from the index) equals the cold one', async () => {
		const env = {HOME: FIXTURE_HOME, XDG_CACHE_HOME: tempHome('burntop-report-cache-')};
		const cold = await report(['session', '--no-cache'], env);
		await report(['session'], env);
		const warm = await report(['session'], env);
		assert.deepEqual(warm.rows, cold.rows);
	});
});

describe('blocks', () => {
	// Claude Code calls at known times: 10:20, 11:05, 14:59 (one block from 10:00), 15:00 (the
	// next one, from 15:00), then nothing until 23:45 (a block from 23:00).
	const times = ['2026-03-01T10:20:00Z', '2026-03-01T11:05:00Z', '2026-03-01T14:59:00Z', '2026-03-01T15:00:00Z', '2026-03-01T23:45:00Z', '2026-03-02T00:30:00Z'];
	const home = tempHome();
	write(claudePath(home, '-p', 's.jsonl'), times.map((ts, i) => claudeAssistant({id: `m${i}`, ts, output: 100 * (i + 1), cacheRead: 1000, model: 'claude-sonnet-4-5-20250929'})));
	const env = {HOME: home};

	it('start at the first call after the previous block, floored to the hour; 5 hours long', async () => {
		const r = await report(['blocks', '--no-cache'], env);
		assert.deepEqual(r.rows.map(b => [b['start'], b['end'], b['calls']]), [
			['2026-03-01T10:00:00.000Z', '2026-03-01T15:00:00.000Z', 3],
			['2026-03-01T15:00:00.000Z', '2026-03-01T20:00:00.000Z', 1],
			['2026-03-01T23:00:00.000Z', '2026-03-02T04:00:00.000Z', 2],
		]);
		assert.deepEqual(r.rows.map(b => b['output_tokens']), [600, 400, 1100]);
		assert.equal(r.rows.every(b => b['active'] === false), true, 'all in the past at 2030');
	});

	it('the active block: time left and the spend projected at its rate', async () => {
		const r = await runCli(['report', 'blocks', '--json', '--no-cache', '--now', '2026-03-02T01:45:00Z'], env);
		const rows = (JSON.parse(r.stdout) as Json).rows;
		const last = rows.at(-1)!;
		assert.equal(last['active'], true);
		assert.equal(last['minutes_left'], 135);
		// $ per hour over the 2 hours since its first call (23:45 → 01:45), projected over the 2h15m left.
		const cost = Number(last['cost_usd']);
		assert.ok(Math.abs(Number(last['usd_per_hour']) - cost / 2) < 1e-4);
		assert.ok(Math.abs(Number(last['projected_usd']) - (cost + (cost / 2) * 2.25)) < 1e-4);
		const text = (await runCli(['report', 'blocks', '--no-cache', '--now', '2026-03-02T01:45:00Z'], env)).stdout;
		assert.match(text, /Active block: 2h15m left/);
	});

	it('codex calls are not in Claude blocks unless asked for', async () => {
		const r = await report(['blocks', '--tool', 'codex', '--no-cache'], env);
		assert.deepEqual(r.rows, []);
	});
});

describe('report text and input', () => {
	it('fits 80 and 160 columns, with a totals row and the marks', () => {
		const pricer = new Pricer();
		const agg = new Aggregate(e => pricer.price(e));
		for (let i = 0; i < 40; i++) {
			agg.upsert({
				kind: 'usage', tool: i % 2 ? 'claude-code' : 'codex', sessionId: `session-${i % 7}-with-a-rather-long-identifier`, project: `/home/someone/work/a-project-with-a-long-name-${i % 5}`,
				model: i % 3 ? 'claude-opus-4-6' : 'gpt-5.3-codex', ts: Date.parse('2026-03-01T00:00:00Z') + i * 3_600_000 * 5, input: 123_456, cacheRead: 9_876_543, cacheWrite5m: 54_321,
				cacheWrite1h: 0, output: 12_345, reasoning: 0, webSearches: 0, dedupeKey: `k${i}`, replace: 'last',
			});
		}

		const w = {now: Date.parse('2026-04-01T00:00:00Z')};
		for (const kind of ['daily', 'session', 'blocks'] as const) {
			const r = buildReport(agg, kind, w, {}, kind === 'daily');
			for (const width of [80, 160]) {
				const text = renderReport(r, {width, filter: {}, window: ''});
				for (const line of text.split('\n')) assert.ok(line.length <= width, `${kind} at ${width}: ${line.length} > ${width}: ${line}`);
				assert.match(text, /^total /m);
				if (width === 80) assert.match(text, /left out to fit 80 columns/);
			}
		}
	});

	it('a missing or unknown report, a bad --tool, report flags elsewhere: exit 2 with the reason', async () => {
		const env = {HOME: tempHome()};
		const cases: Array<[string[], RegExp]> = [
			[['report'], /report needs one of daily, weekly, monthly, session, blocks/],
			[['report', 'yearly'], /not "yearly"/],
			[['report', 'daily', '--tool', 'claude'], /--tool must be one of .*claude-code/],
			[['--once', '--breakdown'], /belong to `burntop report`/],
		];
		for (const [argv, message] of cases) {
			const r = await runCli(argv, env);
			assert.equal(r.code, 2, argv.join(' '));
			assert.match(r.stderr, message);
		}
	});

	it('no history: says so', async () => {
		const r = await runCli(['report', 'daily', '--no-cache'], {HOME: tempHome()});
		assert.equal(r.code, 0);
		assert.match(r.stdout, /No model calls found for this report/);
	});
});

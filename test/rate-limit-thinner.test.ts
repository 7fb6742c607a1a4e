// Rate-limit reports thinned per read (src/ingest/rate-limit-thinner.ts): the aggregate ends each
// read in the same state as with every report handed on, whatever the order, times, sessions and
// read boundaries; and reading a Codex rollout hands on at most a session's first and newest
// report per read.
import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {rng as random} from '../bench/generate.js';
import {Aggregate} from '../src/core/aggregate.js';
import type {IngestEvent, RateLimitEvent} from '../src/core/types.js';
import {RateLimitThinner} from '../src/ingest/rate-limit-thinner.js';
import {StoreReader} from '../src/ingest/reader.js';
import {ALL_STORES} from '../src/ingest/stores.js';
import {append, codexMeta, codexPath, codexTokens, codexTurn, tempHome, write} from './helpers/home.js';

const T0 = Date.parse('2026-11-20T10:00:00Z');
/** A fixed read clock: the two aggregates' states must compare equal field for field. */
const clock = () => T0 + 86_400_000;
const price = () => ({cost: 0.001, priced: true, approximate: false});

/** Events of 1–3 sessions: reports (times that repeat and go back), calls and prompts, in any order. */
function events(rnd: () => number): IngestEvent[] {
	const sessions = Array.from({length: 1 + Math.floor(rnd() * 3)}, (_, i) => `s${i}`);
	const out: IngestEvent[] = [];
	const n = 5 + Math.floor(rnd() * 60);
	for (let k = 0; k < n; k++) {
		const sessionId = sessions[Math.floor(rnd() * sessions.length)]!;
		const ts = T0 + Math.floor(rnd() * 12) * 1000;
		const r = rnd();
		if (r < 0.6) {
			out.push({kind: 'rate-limit', tool: 'codex', sessionId, ts, primary: {usedPercent: Math.floor(rnd() * 100), windowMinutes: 300}, ...(rnd() < 0.5 ? {secondary: {usedPercent: k, windowMinutes: 10_080, resetsAt: ts + 60_000}} : {})});
		} else if (r < 0.9) {
			out.push({
				kind: 'usage', tool: 'codex', sessionId, project: rnd() < 0.5 ? '/p/a' : '/p/b', model: 'gpt-5', ts, input: 10 + k, cacheRead: 0, cacheWrite5m: 0, cacheWrite1h: 0,
				output: 1, reasoning: 0, webSearches: 0, dedupeKey: `codex:${sessionId}:${k}`, replace: 'first',
			});
		} else {
			out.push({kind: 'prompt', tool: 'codex', sessionId, ts, dedupeKey: `p:${sessionId}:${ts}`});
		}
	}

	return out;
}

describe('rate-limit reports thinned per read', () => {
	it('leave the aggregate as every report would, for 400 random sequences and read boundaries', () => {
		let thinned = 0;
		let all = 0;
		for (let seed = 1; seed <= 400; seed++) {
			const rnd = random(seed);
			const evs = events(rnd);
			const full = new Aggregate(price, clock);
			const thin = new Aggregate(price, clock);
			let handed = 0;
			const thinner = new RateLimitThinner(e => {
				if (e.kind === 'rate-limit') handed++;
				thin.apply(e);
			});
			for (const e of evs) {
				full.apply(e);
				thinner.emit(e);
				// A read ends here (the live tail reads a few lines at a time; a cold scan a whole file).
				if (rnd() < 0.1) {
					thinner.end();
					assert.deepEqual(thin.exportState(), full.exportState(), `seed ${seed}: after a read`);
				}
			}

			thinner.end();
			assert.deepEqual(thin.exportState(), full.exportState(), `seed ${seed}`);
			assert.deepEqual([...thin.sessions.keys()], [...full.sessions.keys()], `seed ${seed}: sessions made in the same order`);
			thinned += handed;
			all += evs.filter(e => e.kind === 'rate-limit').length;
		}

		// The thinning happens at all (else this test compares a thing with itself).
		assert.ok(thinned < all * 0.7, `${thinned} of ${all} reports handed on`);
	});

	it('hand on a session\'s first and newest report of a read, the first of equal times', () => {
		const got: RateLimitEvent[] = [];
		const thinner = new RateLimitThinner(e => got.push(e as RateLimitEvent));
		const report = (ts: number, used: number): RateLimitEvent => ({kind: 'rate-limit', tool: 'codex', sessionId: 'x', ts, primary: {usedPercent: used, windowMinutes: 300}});
		for (const e of [report(5, 1), report(7, 2), report(9, 3), report(9, 4), report(8, 5)]) thinner.emit(e);
		assert.deepEqual(got.map(e => e.primary!.usedPercent), [1]);
		thinner.end();
		assert.deepEqual(got.map(e => e.primary!.usedPercent), [1, 3]);
		// The next read starts afresh: its first report goes on at once.
		thinner.emit(report(10, 6));
		assert.deepEqual(got.map(e => e.primary!.usedPercent), [1, 3, 6]);
	});

	it('reading a Codex rollout in reads of any size gives the same state as every report, with far fewer', () => {
		const ID = '019c0000-0000-7000-8000-0000000000aa';
		const t = (s: number) => new Date(T0 + s * 1000).toISOString();
		const limits = (k: number) => ({primary: {used_percent: k % 100, window_minutes: 300, resets_in_seconds: 600 - k}, secondary: {used_percent: k % 7, window_minutes: 10_080, resets_at: 1_771_864_834 + k}});
		for (const budget of [undefined, 700, 3000]) {
			const home = tempHome();
			const file = codexPath(home, `rollout-2026-11-20T10-00-00-${ID}.jsonl`);
			const lines: unknown[] = [codexMeta(ID, t(0)), codexTurn(t(1))];
			for (let k = 0; k < 80; k++) lines.push(codexTokens(t(2 + k), {input: 100 * (k + 1), output: k + 1}, {input: 100, output: 1}, limits(k)));
			write(file, lines.slice(0, 40));
			const codex = ALL_STORES.find(s => s.tool === 'codex')!;
			const runs = [true, false].map(thin => {
				const agg = new Aggregate(price, clock);
				let reports = 0;
				const reader = new StoreReader(e => {
					if (e.kind === 'rate-limit') reports++;
					agg.apply(e);
				}, {home, env: {}, platform: process.platform}, clock);
				reader.thinLimits = thin;
				return {agg, reader, tracked: reader.track(codex, {path: file, root: home, priority: 0}), reports: () => reports};
			});
			// Read what is there, the file grows, read again (as the monitor does).
			for (const step of [0, 1]) {
				if (step === 1) append(file, lines.slice(40));
				for (const r of runs) while (r.reader.read(r.tracked, false, budget) && budget !== undefined);
				assert.deepEqual(runs[0]!.agg.exportState(), runs[1]!.agg.exportState(), `budget ${budget}, step ${step}`);
			}

			assert.equal(runs[1]!.reports(), 80);
			assert.ok(runs[0]!.reports() <= 20, `${runs[0]!.reports()} reports handed on with budget ${budget}`);
			const s = runs[0]!.agg.sessions.get(`codex:${ID}`)!;
			assert.equal(s.rateLimit!.ts, Date.parse(t(81)));
			assert.equal(s.rateLimit!.primary!.usedPercent, 79);
		}
	});
});

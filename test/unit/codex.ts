import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {codexMeta as meta, codexPath, codexTokens as tok, codexTurn as turn, scanHome, tempHome, write} from '../helpers/home.js';

const ID = '019c0000-0000-7000-8000-000000000001';
const FILE = `rollout-2026-02-23T10-00-00-${ID}.jsonl`;
const t = (s: number) => new Date(Date.parse('2026-02-23T10:00:00.000Z') + s * 1000).toISOString();

describe('Codex dedupe rules', () => {
	it('skips re-emitted totals and uses last_token_usage', () => {
		const home = tempHome();
		write(codexPath(home, FILE), [
			meta(ID, t(0)),
			turn(t(1)),
			tok(t(2), null, null),
			tok(t(3), {input: 1000, cached: 200, output: 50, reasoning: 20}, {input: 1000, cached: 200, output: 50, reasoning: 20}),
			turn(t(4)),
			tok(t(4), {input: 1000, cached: 200, output: 50, reasoning: 20}, {input: 1000, cached: 200, output: 50, reasoning: 20}),
			tok(t(9), {input: 2500, cached: 1100, output: 80, reasoning: 30}, {input: 1500, cached: 900, output: 30, reasoning: 10}),
		]);
		const s = scanHome(home);
		assert.deepEqual(
			[s.totals.calls, s.totals.inputTokens, s.totals.cacheReadTokens, s.totals.outputTokens, s.totals.reasoningTokens],
			[2, 2500 - 1100, 1100, 80, 30],
		);
		assert.equal(s.sessions[0]!.sessionId, ID);
		assert.equal(s.sessions[0]!.project, '/home/u/codexproj');
	});

	it('without last_token_usage uses the delta of totals, and a decrease starts a new epoch, never negative', () => {
		const home = tempHome();
		write(codexPath(home, FILE), [
			meta(ID, t(0)),
			turn(t(1)),
			tok(t(2), {input: 100, output: 10}),
			tok(t(3), {input: 300, cached: 50, output: 25}),
			// Compaction: totals drop; last_token_usage is the call.
			tok(t(4), {input: 120, output: 5}, {input: 120, output: 5}),
			// Decrease with no last: clamp each class at zero.
			tok(t(5), {input: 100, output: 9}),
		]);
		const s = scanHome(home);
		// 100/10, 200(50 cached)/15, 120/5, then 0 in / 4 out.
		assert.deepEqual([s.totals.calls, s.totals.inputTokens + s.totals.cacheReadTokens, s.totals.cacheReadTokens, s.totals.outputTokens], [4, 420, 50, 34]);
	});

	it('ignores zero deltas (fill_to_context_window)', () => {
		const home = tempHome();
		write(codexPath(home, FILE), [meta(ID, t(0)), turn(t(1)), tok(t(2), {input: 10, output: 1}, {input: 10, output: 1}), tok(t(3), {input: 10, output: 2}, {input: 0, output: 0})]);
		const s = scanHome(home);
		assert.equal(s.totals.calls, 1);
	});

	it('skips a fork\'s replayed parent burst and dedupes against the parent globally', () => {
		const home = tempHome();
		const parent = '019c0000-0000-7000-8000-00000000000a';
		const child = '019c0000-0000-7000-8000-00000000000b';
		const u1 = {input: 1000, cached: 0, output: 10};
		const u2 = {input: 2200, cached: 900, output: 30};
		write(codexPath(home, `rollout-2026-02-23T10-00-00-${parent}.jsonl`), [meta(parent, t(0)), turn(t(1)), tok(t(2), u1, u1), tok(t(8), u2, {input: 1200, cached: 900, output: 20})]);
		const forkAt = t(100);
		write(codexPath(home, `rollout-2026-02-23T10-01-40-${child}.jsonl`), [
			meta(child, forkAt, {forked_from_id: parent}),
			meta(parent, t(0)),
			// The replay, re-timestamped within a second of the fork.
			tok(forkAt, u1, u1),
			tok(forkAt, u2, {input: 1200, cached: 900, output: 20}),
			turn(t(110)),
			tok(t(115), {input: 4000, cached: 2000, output: 50}, {input: 1800, cached: 1100, output: 20}),
		]);
		const s = scanHome(home);
		assert.equal(s.totals.calls, 3);
		assert.equal(s.totals.outputTokens, 50);
		const c = s.sessions.find(x => x.sessionId === child)!;
		assert.equal(c.calls, 1);
	});

	it('skips the replayed burst even when the parent rollout is gone', () => {
		const home = tempHome();
		const child = '019c0000-0000-7000-8000-00000000000c';
		const forkAt = t(100);
		write(codexPath(home, `rollout-2026-02-23T10-01-40-${child}.jsonl`), [
			meta(child, forkAt, {source: {subagent: {thread_spawn: {parent_thread_id: 'gone', depth: 1}}}}),
			tok(forkAt, {input: 1000, output: 10}, {input: 1000, output: 10}),
			tok(forkAt, {input: 2200, output: 30}, {input: 1200, output: 20}),
			turn(t(110)),
			tok(t(115), {input: 4000, output: 50}, {input: 1800, output: 20}),
		]);
		const s = scanHome(home);
		assert.deepEqual([s.totals.calls, s.totals.outputTokens], [1, 20]);
	});

	it('the same rollout in sessions/ and archived_sessions/ counts once', () => {
		const home = tempHome();
		const lines = [meta(ID, t(0)), turn(t(1)), tok(t(2), {input: 10, output: 1}, {input: 10, output: 1})];
		write(codexPath(home, FILE), lines);
		write(codexPath(home, FILE, true), lines);
		const s = scanHome(home);
		assert.equal(s.totals.calls, 1);
		assert.equal(s.health.files, 1);
	});

	it('archived-only rollouts are read', () => {
		const home = tempHome();
		write(codexPath(home, FILE, true), [meta(ID, t(0)), turn(t(1)), tok(t(2), {input: 10, output: 1}, {input: 10, output: 1})]);
		assert.equal(scanHome(home).totals.calls, 1);
	});

	it('takes the model from the latest turn_context and flags a guessed one', () => {
		const home = tempHome();
		write(codexPath(home, FILE), [
			meta(ID, t(0)),
			tok(t(1), {input: 10, output: 1}, {input: 10, output: 1}),
			turn(t(2), 'gpt-5.2-codex'),
			tok(t(3), {input: 30, output: 2}, {input: 20, output: 1}),
		]);
		const s = scanHome(home);
		const guessed = s.models.find(m => m.model === 'gpt-5')!;
		assert.equal(guessed.calls, 1);
		assert.equal(guessed.estimated, true);
		assert.equal(s.models.find(m => m.model === 'gpt-5.2-codex')!.estimated, false);
		assert.ok(s.health.estimatedCalls >= 1);
	});

	it('subtracts cache writes (GPT-5.6+) from fresh input', () => {
		const home = tempHome();
		write(codexPath(home, FILE), [meta(ID, t(0)), turn(t(1)), tok(t(2), {input: 1000, cached: 300, cacheWrite: 200, output: 5}, {input: 1000, cached: 300, cacheWrite: 200, output: 5})]);
		const s = scanHome(home);
		assert.deepEqual([s.totals.inputTokens, s.totals.cacheReadTokens, s.totals.cacheWriteTokens], [500, 300, 200]);
	});

	it('keeps the latest rate-limit windows per session (nested and flat shapes)', () => {
		const home = tempHome();
		write(codexPath(home, FILE), [
			meta(ID, t(0)),
			turn(t(1)),
			tok(t(2), null, null, {primary_used_percent: 5, primary_window_minutes: 300}),
			tok(t(3), {input: 10, output: 1}, {input: 10, output: 1}, {primary: {used_percent: 19, window_minutes: 300, resets_at: 1771864834}, secondary: {used_percent: 6, window_minutes: 10080, resets_in_seconds: 60}}),
		]);
		const r = scanHome(home).sessions[0]!.rateLimits!;
		assert.deepEqual(r.primary, {usedPercent: 19, windowMinutes: 300, resetsAt: 1771864834000});
		assert.equal(r.secondary!.resetsAt, Date.parse(t(3)) + 60_000);
	});
});

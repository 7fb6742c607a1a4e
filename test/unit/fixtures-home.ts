// The real session files in ../shared/fixtures/home against the independently computed
// totals of ../shared/README.md.
import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {FIXTURE_HOME, runCli, scanHome, sharedAvailable} from '../helpers/home.js';

const skip = !sharedAvailable() && 'needs ../shared (required when CI=true)';

describe('fixture home (real Claude Code and Codex files)', {skip}, () => {
	const snap = skip ? undefined! : scanHome(FIXTURE_HOME);
	const tool = (id: string) => snap.tools.find(t => t.tool === id)!;

	it('Claude Code totals equal the README table (both roots, subagents, agent_progress)', () => {
		const c = tool('claude-code');
		assert.deepEqual(
			[c.calls, c.inputTokens, c.outputTokens, c.cacheReadTokens, c.cacheWriteTokens],
			[60, 2433, 5937, 1_916_871, 215_400],
		);
	});

	it('Codex totals equal the README table (sessions + archived)', () => {
		const c = tool('codex');
		// README: fresh input 1,098,068 (16,303,298 incl. cached), cached 15,205,230.
		assert.equal(c.inputTokens + c.cacheReadTokens, 16_303_298);
		assert.deepEqual(
			[c.calls, c.inputTokens, c.outputTokens, c.cacheReadTokens, c.cacheWriteTokens, c.reasoningTokens],
			[220, 1_098_068, 102_155, 15_205_230, 0, 49_832],
		);
	});

	it('hand check: Claude session 55604662 is five streamed lines of one message', () => {
		// The file holds 5 assistant lines, all msg …pYiiQa / req …fa6e1V with identical usage:
		// input 3, output 13, cache read 11,515, cache write 13,835 (all 1h). One call, first line's time.
		const s = snap.sessions.find(x => x.sessionId === '55604662-cf2a-4331-851a-ec234028f8ca')!;
		assert.deepEqual(
			[s.calls, s.inputTokens, s.outputTokens, s.cacheReadTokens, s.cacheWriteTokens, s.firstAt, s.models],
			[1, 3, 13, 11_515, 13_835, '2026-02-10T21:11:59.186Z', ['claude-opus-4-6']],
		);
		// Opus 4.6 on 2026-02-10, 25,353 input < 200k so base rates ($/MTok): input 5, cache read 0.5,
		// 1h write 10, output 25 → 3×5 + 11,515×0.5 + 13,835×10 + 13×25 = 144,447.5 / 1e6.
		assert.equal(s.costUSD, 0.144448);
		assert.equal(s.project, '/home/marco/projects/spotter');
	});

	it('hand check: Codex rollout 019c8bfe has 6 calls among 12 token_count events', () => {
		// 1 event has info:null, 5 re-emit the previous totals; the 6 distinct ones have
		// last_token_usage summing to the final total 298,373 in / 238,848 cached / 1,123 out / 483 reasoning.
		const s = snap.sessions.find(x => x.sessionId === '019c8bfe-ec25-79e0-97d7-bda6a9c575ff')!;
		assert.deepEqual(
			[s.calls, s.inputTokens, s.cacheReadTokens, s.outputTokens, s.reasoningTokens, s.models],
			[6, 298_373 - 238_848, 238_848, 1123, 483, ['gpt-5.3-codex']],
		);
		// gpt-5.3-codex: 59,525×1.75 + 238,848×0.175 + 1,123×14 = 161,689.15 / 1e6.
		assert.equal(s.costUSD, 0.161689);
		assert.deepEqual(s.rateLimits?.primary?.windowMinutes, 300);
	});

	it('the vct file holding two sessionIds yields two sessions', () => {
		const ids = snap.sessions.filter(s => s.project === '/home/wei/repo/claude-code').map(s => s.sessionId);
		assert.equal(ids.length, 2);
	});

	it('a model with no public price is listed as unpriced, never $0 silently', () => {
		const u = snap.health.unpricedModels.find(m => m.model === 'aide-gpt-5');
		assert.deepEqual(u, {model: 'aide-gpt-5', tool: 'codex', calls: 19});
		const m = snap.models.find(x => x.model === 'aide-gpt-5')!;
		assert.equal(m.unpricedCalls, 19);
		assert.equal(m.estimated, true);
	});

	it('a file without cwd falls back to its project folder', () => {
		assert.ok(snap.projects.some(p => p.project === 'project-alpha'));
	});

	it('--once --json on HOME=fixtures prints the documented schema', async () => {
		const r = await runCli(['--once', '--json'], {HOME: FIXTURE_HOME});
		assert.equal(r.code, 0, r.stderr);
		const doc = JSON.parse(r.stdout);
		assert.equal(doc.version, 1);
		for (const k of ['generatedAt', 'now', 'totals', 'tools', 'projects', 'models', 'activities', 'sessions', 'health']) assert.ok(k in doc, k);
		for (const k of ['calls', 'inputTokens', 'outputTokens', 'cacheReadTokens', 'cacheWriteTokens', 'reasoningTokens', 'costUSD', 'cacheHitRate']) assert.equal(typeof doc.totals[k], 'number', k);
		for (const k of ['tool', 'sessionId', 'project', 'models', 'firstAt', 'lastAt', 'apiErrors']) assert.ok(k in doc.sessions[0], k);
		for (const k of ['files', 'bytes', 'linesSkipped', 'unpricedModels', 'errors']) assert.ok(k in doc.health, k);
		// Every store in the fixture home: 60 + 220 + 10 Gemini + 6 OpenCode + 6 Copilot + 2 Qwen + 1 Cursor.
		assert.equal(doc.totals.calls, 305);
	});
});

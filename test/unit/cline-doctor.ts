import assert from 'node:assert/strict';
import path from 'node:path';
import {after, describe, it} from 'node:test';
import {Engine} from '../../src/engine.js';
import {FIXTURE_HOME, runCli, scanHome, sharedAvailable, tempHome, write} from '../helpers/home.js';
import {waitFor} from '../helpers/wait.js';

const task = (home: string, editor: string, ext: string, id: string) => path.join(home, '.config', editor, 'User', 'globalStorage', ext, 'tasks', id, 'ui_messages.json');
const req = (ts: number, info: Record<string, unknown> | null, model?: string) => ({
	ts, type: 'say', say: 'api_req_started',
	text: JSON.stringify({request: '<task>…</task>', ...(info ?? {})}),
	...(model ? {modelInfo: {providerId: 'anthropic', modelId: model, mode: 'act'}} : {}),
});

describe('Cline, Roo Code, Kilo Code', () => {
	it('one call per finished api_req_started; stored cost preferred; tokensIn read per extension and protocol', () => {
		const home = tempHome();
		write(task(home, 'Code', 'saoudrizwan.claude-dev', '1760000000000'), JSON.stringify([
			{ts: 1760000000500, type: 'say', say: 'text', text: 'hello'},
			// Cline, Anthropic: tokensIn is raw input without cache.
			req(1760000001000, {tokensIn: 1200, tokensOut: 80, cacheWrites: 0, cacheReads: 900, cost: 0.0041, apiProtocol: 'anthropic'}, 'claude-sonnet-4-5'),
			// In flight: no tokens yet.
			req(1760000002000, null),
			// OpenAI protocol: input includes cached tokens.
			req(1760000003000, {tokensIn: 1000, tokensOut: 10, cacheWrites: 0, cacheReads: 400, cost: 0.002, apiProtocol: 'openai'}, 'gpt-5'),
		]));
		write(task(home, 'VSCodium', 'rooveterinaryinc.roo-cline', 'a1b2'), JSON.stringify([
			// Roo (newer): tokensIn includes cache reads and writes for Anthropic.
			req(1760000004000, {tokensIn: 5000, tokensOut: 50, cacheWrites: 1000, cacheReads: 3500, cost: 0.01, apiProtocol: 'anthropic'}, 'claude-sonnet-4-5'),
		]));
		write(task(home, 'Code', 'kilocode.kilo-code', 'k1'), JSON.stringify([req(1760000005000, {tokensIn: 30, tokensOut: 3, cacheWrites: 0, cacheReads: 0, apiProtocol: 'anthropic'}, 'claude-sonnet-4-5')]));
		write(path.join(home, '.config', 'Code', 'User', 'globalStorage', 'saoudrizwan.claude-dev', 'state', 'taskHistory.json'), JSON.stringify([{id: '1760000000000', cwdOnTaskInitialization: '/home/u/clineproj'}]));
		const s = scanHome(home);
		const t = (id: string) => s.tools.find(x => x.tool === id)!;
		assert.deepEqual([t('cline').calls, t('cline').inputTokens, t('cline').cacheReadTokens, t('cline').outputTokens], [2, 1200 + 600, 1300, 90]);
		assert.equal(t('cline').costUSD, 0.0061);
		assert.deepEqual([t('roo-code').calls, t('roo-code').inputTokens, t('roo-code').cacheReadTokens, t('roo-code').cacheWriteTokens, t('roo-code').costUSD], [1, 500, 3500, 1000, 0.01]);
		// No stored cost: priced from the public rates.
		assert.ok(t('kilo-code').costUSD > 0);
		assert.ok(s.projects.some(p => p.project === '/home/u/clineproj'));
	});

	it('an entry updated in place (same ts) is upserted when the file is rewritten', async () => {
		const home = tempHome();
		const file = task(home, 'Code', 'saoudrizwan.claude-dev', '42');
		write(file, JSON.stringify([req(1760000001000, null)]));
		const e = new Engine({env: {home, env: {HOME: home}, platform: process.platform}});
		engines.push(e);
		e.discover();
		await e.startLive(() => {}, {sweepMs: 60_000, fullSweepMs: 60_000});
		await e.backfill();
		const cline = () => e.snapshot({now: Date.parse('2030-01-01T00:00:00Z')}).tools.find(x => x.tool === 'cline');
		assert.equal(cline(), undefined);
		write(file, JSON.stringify([req(1760000001000, {tokensIn: 100, tokensOut: 5, cacheWrites: 0, cacheReads: 0, cost: 0.001, apiProtocol: 'anthropic'}, 'claude-sonnet-4-5')]));
		await waitFor(() => cline()?.calls === 1, 'the finished request');
		write(file, JSON.stringify([req(1760000001000, {tokensIn: 100, tokensOut: 9, cacheWrites: 0, cacheReads: 0, cost: 0.002, apiProtocol: 'anthropic'}, 'claude-sonnet-4-5'), req(1760000009000, {tokensIn: 7, tokensOut: 1, cacheWrites: 0, cacheReads: 0, cost: 0.0001, apiProtocol: 'anthropic'}, 'claude-sonnet-4-5')]));
		await waitFor(() => cline()?.calls === 2, 'the rewritten file');
		assert.equal(cline()!.outputTokens, 10);
	});
});

const engines: Engine[] = [];
after(async () => Promise.all(engines.map(e => e.close())));


describe('burntop doctor', () => {
	it('on the fixture home: every tool with its paths, calls, unpriced models and live status; exit 0', {skip: !sharedAvailable() && 'needs ../shared'}, async () => {
		const r = await runCli(['doctor'], {HOME: FIXTURE_HOME});
		assert.equal(r.code, 0, r.stdout);
		for (const [tool, calls] of [['claude-code', 60], ['codex', 220], ['gemini-cli', 10], ['opencode', 6], ['copilot-cli', 6], ['qwen-code', 2], ['cursor', 1]] as const) {
			assert.match(r.stdout, new RegExp(`${tool}\\n(  .*\\n)*?  calls parsed: ${calls}\\b`), tool);
		}

		assert.match(r.stdout, /✓ .*\.claude\/projects {2}\(default\) {2}6 files/);
		assert.match(r.stdout, /unpriced models: aide-gpt-5 \(19 calls\)/);
		assert.match(r.stdout, /unpriced models: cursor-auto \(1 call\) —/);
		assert.match(r.stdout, /kilo-cli\n.*not found/);
		assert.match(r.stdout, /live: watching/);
		assert.match(r.stdout, /Everything found parsed cleanly\./);
	});

	it('exits 1 and names the reason when lines were skipped; honours env overrides', async () => {
		const home = tempHome();
		const dir = path.join(home, 'custom-codex');
		write(path.join(dir, 'sessions', '2026', '01', '01', 'rollout-x.jsonl'), '{"timestamp":"2026-01-01T00:00:00Z","type":"event_msg","payload":{"type":"token_count","info":{"last_token_usage":{"input_tokens":5,"output_tokens":1}}}}\n{"type":"token_count" broken\n');
		const r = await runCli(['doctor'], {HOME: home, CODEX_HOME: dir});
		assert.equal(r.code, 1);
		assert.match(r.stdout, new RegExp(`✓ ${dir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/sessions {2}\\(\\$CODEX_HOME\\) {2}1 file`));
		assert.match(r.stdout, /lines skipped: 1 — invalid JSON \(1\)/);
		assert.match(r.stdout, /Some input could not be used/);
	});

	it('rejects an unknown command', async () => {
		const r = await runCli(['doctr'], {HOME: tempHome()});
		assert.equal(r.code, 2);
		assert.match(r.stderr, /unknown command "doctr"/);
	});
});

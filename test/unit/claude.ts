import assert from 'node:assert/strict';
import path from 'node:path';
import {describe, it} from 'node:test';
import {claudeAssistant as a, claudePath, claudeUser, scanHome, tempHome, write} from '../helpers/home.js';
import {firstLine} from '../../src/ingest/claude-user.js';
import {rng} from '../helpers/corpus.js';

const T0 = '2026-03-01T10:00:00.000Z';
const T1 = '2026-03-01T10:00:01.000Z';
const T2 = '2026-03-01T10:00:02.000Z';

describe('Claude Code dedupe rules', () => {
	it('streamed lines of one message count once: largest output, first timestamp, union of tools', () => {
		const home = tempHome();
		write(claudePath(home, '-p', 's1.jsonl'), [
			a({id: 'm1', ts: T0, output: 2, cacheRead: 100, tools: [{name: 'Read'}]}),
			a({id: 'm1', ts: T1, output: 9, cacheRead: 100, tools: [{name: 'Edit'}]}),
			a({id: 'm1', ts: T2, output: 5, cacheRead: 100, tools: [{name: 'Bash', input: {command: 'ls'}}]}),
		]);
		const s = scanHome(home);
		assert.deepEqual([s.totals.calls, s.totals.outputTokens, s.totals.cacheReadTokens], [1, 9, 100]);
		assert.equal(s.sessions[0]!.firstAt, T0);
		// Edit among the streamed blocks makes it coding even though the kept line was Read-less.
		assert.equal(s.activities[0]!.activity, 'coding');
	});

	it('lines one after another with the same message id and another request id, or none, are other calls (keys made once per message)', () => {
		const home = tempHome();
		write(claudePath(home, '-p', 's1.jsonl'), [
			a({id: 'm1', ts: T0, output: 2, requestId: 'r1'}),
			a({id: 'm1', ts: T0, output: 4, requestId: 'r1'}),
			a({id: 'm1', ts: T1, output: 8, requestId: 'r2'}),
			a({id: 'm1', ts: T1, output: 16, requestId: null}),
			a({id: 'm2', ts: T2, output: 32, requestId: 'r1'}),
			a({id: 'm1', ts: T2, output: 64, requestId: 'r1'}),
		]);
		const s = scanHome(home);
		// m1:r1 (largest 64), m1:r2, m1 alone, m2:r1.
		assert.deepEqual([s.totals.calls, s.totals.outputTokens], [4, 64 + 8 + 16 + 32]);
	});

	it('a resumed session replaying old lines in a new file is not counted twice', () => {
		const home = tempHome();
		write(claudePath(home, '-p', 'old.jsonl'), [a({id: 'm1', ts: T0, output: 7, sessionId: 'old'}), a({id: 'm2', ts: T1, output: 3, sessionId: 'old'})]);
		write(claudePath(home, '-p', 'new.jsonl'), [
			a({id: 'm1', ts: T0, output: 7, sessionId: 'new'}),
			a({id: 'm2', ts: T1, output: 3, sessionId: 'new'}),
			a({id: 'm3', ts: T2, output: 4, sessionId: 'new'}),
		]);
		const s = scanHome(home);
		assert.deepEqual([s.totals.calls, s.totals.outputTokens], [3, 14]);
	});

	it('subagent files count, and agent_progress copies in the parent do not double them', () => {
		const home = tempHome();
		const sub = a({id: 'sa1', ts: T1, output: 11, sidechain: true, model: 'claude-haiku-4-5-20251001'});
		write(claudePath(home, '-p', 'parent.jsonl'), [
			a({id: 'p1', ts: T0, output: 5, tools: [{name: 'Task', input: {subagent_type: 'x'}}]}),
			{type: 'progress', sessionId: 'sess-1', cwd: '/home/u/proj', timestamp: T1, data: {type: 'agent_progress', agentId: 'a1', message: {type: 'assistant', timestamp: T1, requestId: 'req-sa1', uuid: 'x', message: (sub as any).message}}},
			// A subagent call seen only in the parent's progress lines still counts.
			{type: 'progress', sessionId: 'sess-1', cwd: '/home/u/proj', timestamp: T2, data: {type: 'agent_progress', agentId: 'a1', message: {type: 'assistant', timestamp: T2, requestId: 'req-sa2', uuid: 'y', message: (a({id: 'sa2', ts: T2, output: 6}) as any).message}}},
		]);
		write(claudePath(home, '-p', path.join('sess-1', 'subagents', 'agent-a1.jsonl')), [sub]);
		const s = scanHome(home);
		assert.deepEqual([s.totals.calls, s.totals.outputTokens], [3, 22]);
		assert.equal(s.sessions.length, 1);
		assert.ok(s.activities.some(x => x.activity === 'delegation'));
	});

	it('without requestId (gateways) the key is message.id alone', () => {
		const home = tempHome();
		write(claudePath(home, '-p', 's.jsonl'), [
			a({id: 'g1', requestId: null, ts: T0, output: 1, model: 'kimi-k2.5'}),
			a({id: 'g1', requestId: null, ts: T1, output: 8, model: 'kimi-k2.5'}),
			a({id: 'g2', requestId: null, ts: T2, output: 2, model: 'kimi-k2.5'}),
		]);
		const s = scanHome(home);
		assert.deepEqual([s.totals.calls, s.totals.outputTokens], [2, 10]);
		assert.equal(s.totals.unpricedCalls, 0);
	});

	it('a /btw sidechain replay (same message.id, new requestId) folds into the parent call', () => {
		const home = tempHome();
		write(claudePath(home, '-p', 's.jsonl'), [
			a({id: 'm1', requestId: 'r1', ts: T0, output: 4}),
			a({id: 'm1', requestId: 'r-btw', ts: T1, output: 4, sidechain: true}),
		]);
		// Order reversed in another file: the non-sidechain copy replaces the sidechain one.
		write(claudePath(home, '-p', 't.jsonl'), [
			a({id: 'm2', requestId: 'r-btw2', ts: T1, output: 6, sidechain: true}),
			a({id: 'm2', requestId: 'r2', ts: T2, output: 6}),
		]);
		const s = scanHome(home);
		assert.deepEqual([s.totals.calls, s.totals.outputTokens], [2, 10]);
	});

	it('API errors and <synthetic> lines are not billed; errors are counted per session once', () => {
		const home = tempHome();
		const err = {type: 'assistant', isApiErrorMessage: true, sessionId: 'sess-1', cwd: '/p', uuid: 'e1', timestamp: T1, message: {model: '<synthetic>', id: 'x', role: 'assistant', content: [{type: 'text', text: 'API Error: 529 overloaded'}], usage: {input_tokens: 0, output_tokens: 0}}};
		const synthetic = {type: 'assistant', sessionId: 'sess-1', cwd: '/p', uuid: 's1', timestamp: T1, message: {model: '<synthetic>', id: 'y', role: 'assistant', content: [{type: 'text', text: 'No response requested.'}], usage: {input_tokens: 0, output_tokens: 0}}};
		write(claudePath(home, '-p', 's.jsonl'), [a({id: 'm1', ts: T0, output: 3}), err, synthetic, {type: 'system', subtype: 'api_error', sessionId: 'sess-1', uuid: 'e2', timestamp: T2, content: 'Overloaded, retrying'}]);
		write(claudePath(home, '-p', 'replay.jsonl'), [err]);
		const s = scanHome(home);
		assert.equal(s.totals.calls, 1);
		assert.equal(s.sessions[0]!.apiErrors, 2);
		assert.deepEqual(s.models.map(m => m.model), ['claude-sonnet-4-5-20250929']);
	});

	it('splits cache writes into 5m and 1h and counts web searches', () => {
		const home = tempHome();
		write(claudePath(home, '-p', 's.jsonl'), [a({id: 'm1', ts: T0, input: 10, output: 100, cacheWrite: 3000, cache1h: 1000, cacheRead: 0, webSearches: 2, model: 'claude-sonnet-4-5-20250929'})]);
		const s = scanHome(home);
		// Sonnet 4.5 $/MTok: input 3, 5m write 3.75, 1h write 6, output 15; web search $10/1k.
		const expected = (10 * 3 + 2000 * 3.75 + 1000 * 6 + 100 * 15) / 1e6 + 2 * 0.01;
		assert.equal(s.totals.cacheWriteTokens, 3000);
		assert.ok(Math.abs(s.totals.costUSD - expected) < 1e-6, `${s.totals.costUSD} vs ${expected}`);
	});

	it('honours CLAUDE_CONFIG_DIR as a comma list of config dirs or projects/ dirs', () => {
		const home = tempHome();
		const one = path.join(home, 'cfg1');
		const two = path.join(home, 'cfg2', 'projects');
		write(path.join(one, 'projects', '-p', 'a.jsonl'), [a({id: 'm1', ts: T0, output: 1})]);
		write(path.join(two, '-q', 'b.jsonl'), [a({id: 'm2', ts: T0, output: 2})]);
		write(claudePath(home, '-ignored', 'c.jsonl'), [a({id: 'm3', ts: T0, output: 4})]);
		const s = scanHome(home, {CLAUDE_CONFIG_DIR: `${one},${two}`});
		assert.deepEqual([s.totals.calls, s.totals.outputTokens], [2, 3]);
	});

	it('uses the prompt of the turn to tell debugging from coding', () => {
		const home = tempHome();
		write(claudePath(home, '-p', 's.jsonl'), [
			claudeUser('fix the crash when saving', {ts: T0, uuid: 'u1'}),
			a({id: 'm1', ts: T1, output: 3, tools: [{name: 'Edit'}]}),
			claudeUser('add error handling to the upload form', {ts: '2026-03-01T11:00:00.000Z', uuid: 'u2'}),
			a({id: 'm2', ts: '2026-03-01T11:00:01.000Z', output: 3, tools: [{name: 'Edit'}]}),
		]);
		const s = scanHome(home);
		assert.deepEqual(s.activities.map(x => x.activity).sort(), ['coding', 'debugging']);
	});
});

describe('Claude Code thinking tokens', () => {
	it('output_tokens_details.thinking_tokens fills reasoning; output and cost are unchanged (thinking is inside output)', () => {
		const withThinking = (id: string, output: number, thinking: unknown) => {
			const l = a({id, ts: T0, output, input: 10}) as {message: {usage: Record<string, unknown>}};
			l.message.usage['output_tokens_details'] = {thinking_tokens: thinking};
			return l;
		};
		const home = tempHome();
		write(claudePath(home, '-p', 's.jsonl'), [withThinking('t1', 900, 700), withThinking('t2', 50, 80), a({id: 't3', ts: T1, output: 40})]);
		const s = scanHome(home);
		assert.deepEqual([s.totals.calls, s.totals.outputTokens, s.totals.reasoningTokens], [3, 990, 750], 'capped at the output it is part of');
		const plain = tempHome();
		write(claudePath(plain, '-p', 's.jsonl'), [a({id: 't1', ts: T0, output: 900, input: 10}), a({id: 't2', ts: T0, output: 50, input: 10}), a({id: 't3', ts: T1, output: 40})]);
		assert.equal(scanHome(plain).totals.costUSD, s.totals.costUSD);
	});
});

describe('a parked parser state', () => {
	it('holds what reading changed, not what the file path gives (Claude Code and Codex)', async () => {
		const v8 = await import('node:v8');
		const {claudeStore} = await import('../../src/ingest/claude.js');
		const {codexStore} = await import('../../src/ingest/codex.js');
		const home = tempHome();
		const root = path.join(home, '.claude', 'projects');
		for (const [store, file] of [
			[claudeStore, {path: path.join(root, '-some-long-project-folder', 'session-0123456789.jsonl'), root, priority: 0}],
			[codexStore, {path: path.join(home, '.codex', 'sessions', '2026', '03', '01', 'rollout-2026-03-01T10-00-00-0123.jsonl'), root: path.join(home, '.codex', 'sessions'), priority: 0}],
		] as const) {
			const p = store.createParser(file);
			const state = v8.serialize(p);
			assert.ok(!state.includes(Buffer.from(file.path)) && !state.includes(Buffer.from(file.root)), `${store.tool}: no path in ${state.length} bytes`);
			// Restored the way the reader and the index restore it, the parser still knows its file.
			const back = Object.assign(store.createParser(file), v8.deserialize(state));
			const events: Array<{file?: string; sessionId: string}> = [];
			const line = store.tool === 'claude-code'
				? {type: 'assistant', timestamp: '2026-03-01T10:00:00Z', message: {id: 'm1', model: 'claude-sonnet-4-5', usage: {input_tokens: 1, output_tokens: 2}}}
				: {type: 'event_msg', timestamp: '2026-03-01T10:00:00Z', payload: {type: 'token_count', info: {total_token_usage: {input_tokens: 5, cached_input_tokens: 0, output_tokens: 2}, last_token_usage: {input_tokens: 5, cached_input_tokens: 0, output_tokens: 2}}}};
			back.line(line, (e: unknown) => events.push(e as never), () => {});
			if (store.tool === 'claude-code') {
				assert.equal(events[0]?.file, file.path);
				assert.equal(events[0]?.sessionId, 'session-0123456789');
			}
		}
	});
});

describe('a failed tool result\'s first line', () => {
	it('equals the first line of split(\'\\n\') with anything but white space, on random texts', () => {
		const r = rng(77);
		const parts = ['', ' ', '\t', '\r', '\u00a0', '\u2028', '\n', '\n\n', 'Error: x', 'a', '  b  ', '\r\n', 'é😀'];
		for (let i = 0; i < 20_000; i++) {
			const text = Array.from({length: Math.floor(r() * 8)}, () => parts[Math.floor(r() * parts.length)]!).join('');
			assert.equal(firstLine(text), text.split('\n').find(l => l.trim()) ?? '', JSON.stringify(text));
		}
	});
});


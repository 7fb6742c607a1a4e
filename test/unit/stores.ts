// Gemini CLI, Qwen Code and Copilot CLI: real fixture totals, each store's quirks on fixtures of
// our own, and live updates while watching.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import {after, describe, it} from 'node:test';
import Database from 'better-sqlite3';
import {Engine} from '../../src/engine.js';
import {append, FIXTURE_HOME, scanHome, sharedAvailable, tempHome, write} from '../helpers/home.js';
import {waitFor} from '../helpers/wait.js';

const skip = !sharedAvailable() && 'needs ../shared (required when CI=true)';
const tool = (home: string, id: string, env: Record<string, string> = {}) => scanHome(home, env).tools.find(t => t.tool === id);
const row = (t: ReturnType<typeof tool>) => t && [t.calls, t.inputTokens, t.outputTokens, t.cacheReadTokens, t.cacheWriteTokens, t.reasoningTokens];

describe('real fixtures (../shared/README.md totals)', {skip}, () => {
	const snap = skip ? undefined! : scanHome(FIXTURE_HOME);
	const t = (id: string) => row(snap.tools.find(x => x.tool === id));

	it('Gemini CLI: 6 calls in the JSONL (5 ids re-appended), 3 legacy, 1 synthetic; thoughts billed as output', () => {
		// fresh = Σ(input − cached) = 153,635 + 36,522 + 700; output 11,519 + 13,877 thoughts.
		assert.deepEqual(t('gemini-cli'), [10, 190_857, 25_396, 89_577, 0, 13_877]);
	});

	it('Copilot CLI: modelMetrics of session.shutdown, input less cache reads', () => {
		// 6 requests; input 186,809 includes 151,738 cache reads → 35,071 fresh.
		assert.deepEqual(t('copilot-cli'), [6, 35_071, 2848, 151_738, 0, 0]);
		assert.equal(snap.tools.find(x => x.tool === 'copilot-cli')!.estimated, true);
	});

	it('Qwen Code: telemetry copies not counted, cached inside the prompt count', () => {
		// 500 + (600 − 50) fresh; 20 + 5 output; the ui_telemetry lines repeat both calls.
		assert.deepEqual(t('qwen-code'), [2, 1050, 25, 50, 0, 0]);
		assert.ok(snap.health.unpricedModels.some(u => u.model === 'coder-model' && u.tool === 'qwen-code'));
	});
});

const T = (s: number) => new Date(Date.parse('2026-04-23T12:00:00Z') + s * 1000).toISOString();
const gem = (id: string, s: number, tokens?: Record<string, number>, model = 'gemini-2.5-pro') => ({id, timestamp: T(s), type: 'gemini', content: '…', model, ...(tokens ? {tokens} : {})});
const chats = (home: string, f: string) => path.join(home, '.gemini', 'tmp', 'myproj', 'chats', f);

describe('Gemini CLI quirks', () => {
	it('a message re-appended with the same id counts once, with its last tokens; $rewindTo keeps billed calls', () => {
		const home = tempHome();
		write(chats(home, 'session-a.jsonl'), [
			{sessionId: 'S1', projectHash: 'h', startTime: T(0), lastUpdated: T(0), kind: 'main'},
			gem('m1', 1),
			{$set: {lastUpdated: T(1)}},
			gem('m1', 1, {input: 1000, output: 10, cached: 400, thoughts: 50, tool: 0, total: 1060}),
			gem('m1', 1, {input: 1000, output: 12, cached: 400, thoughts: 50, tool: 0, total: 1062}),
			gem('m2', 2, {input: 2000, output: 20, cached: 0, thoughts: 0, tool: 0, total: 2020}),
			{$rewindTo: 'm1'},
		]);
		assert.deepEqual(row(tool(home, 'gemini-cli')), [2, 600 + 2000, 62 + 20, 400, 0, 50]);
	});

	it('a legacy .json and its .jsonl conversion hold the same messages: counted once', () => {
		const home = tempHome();
		const messages = [gem('m1', 1, {input: 100, output: 5, cached: 0, thoughts: 0, tool: 0, total: 105}), gem('m2', 2, {input: 200, output: 7, cached: 50, thoughts: 3, tool: 0, total: 210})];
		write(chats(home, 'session-b.json'), JSON.stringify({sessionId: 'S2', projectHash: 'h', messages}));
		write(chats(home, 'session-b.jsonl'), [{sessionId: 'S2', projectHash: 'h', startTime: T(0), lastUpdated: T(0)}, ...messages, gem('m3', 3, {input: 300, output: 9, cached: 0, thoughts: 0, tool: 0, total: 309})]);
		assert.deepEqual(row(tool(home, 'gemini-cli')), [3, 100 + 150 + 300, 5 + 10 + 9, 50, 0, 3]);
	});

	it('a half-written legacy file is counted as unreadable, not crashed on; the project comes from .project_root', () => {
		const home = tempHome();
		write(chats(home, 'session-c.json'), '{"sessionId":"S3","messages":[{"id":"m1","type":"gemini","tok');
		write(chats(home, 'session-d.json'), JSON.stringify({sessionId: 'S4', messages: [gem('m1', 1, {input: 10, output: 1, cached: 0, thoughts: 0, tool: 0, total: 11})]}));
		write(path.join(home, '.gemini', 'tmp', 'myproj', '.project_root'), '/home/u/real-project\n');
		const s = scanHome(home);
		assert.equal(s.tools.find(t => t.tool === 'gemini-cli')!.calls, 1);
		assert.ok(s.health.errors.some(e => e.file.endsWith('session-c.json') && /invalid JSON file/.test(e.reason)));
		assert.equal(s.projects.find(p => p.calls === 1)!.project, '/home/u/real-project');
	});

	it('honours GEMINI_CLI_HOME', () => {
		const home = tempHome();
		const other = path.join(home, 'elsewhere');
		write(path.join(other, '.gemini', 'tmp', 'p', 'chats', 'session-x.jsonl'), [{sessionId: 'S5'}, gem('m1', 1, {input: 10, output: 1, cached: 0, thoughts: 0, tool: 0, total: 11})]);
		assert.equal(tool(home, 'gemini-cli', {GEMINI_CLI_HOME: other})?.calls, 1);
	});
});

const qwenLine = (uuid: string, s: number, u: Record<string, number>, type = 'assistant') => ({uuid, sessionId: 'Q1', timestamp: T(s), type, cwd: '/tmp/q', model: 'qwen3-coder-plus', usageMetadata: u});

describe('Qwen Code quirks', () => {
	it('thoughts counted once whether reported inside or beside candidates', () => {
		const home = tempHome();
		write(path.join(home, '.qwen', 'projects', '-tmp-q', 'chats', 'Q1.jsonl'), [
			// Beside: total = prompt + candidates + thoughts.
			qwenLine('a', 1, {promptTokenCount: 100, candidatesTokenCount: 10, thoughtsTokenCount: 5, totalTokenCount: 115, cachedContentTokenCount: 20}),
			// Inside (OpenAI-compatible path): total = prompt + candidates.
			qwenLine('b', 2, {promptTokenCount: 100, candidatesTokenCount: 10, thoughtsTokenCount: 5, totalTokenCount: 110, cachedContentTokenCount: 0}),
			{uuid: 'c', sessionId: 'Q1', timestamp: T(2), type: 'system', subtype: 'ui_telemetry', systemPayload: {uiEvent: {'event.name': 'qwen-code.api_response', input_token_count: 100, output_token_count: 10}}},
		]);
		assert.deepEqual(row(tool(home, 'qwen-code')), [2, 80 + 100, 15 + 10, 20, 0, 10]);
	});
});

const shutdown = (s: number, m: Record<string, [number, number, number, number]>) => ({
	type: 'session.shutdown', id: `sd${s}`, timestamp: T(s),
	data: {totalPremiumRequests: 1, modelMetrics: Object.fromEntries(Object.entries(m).map(([model, [count, input, output, read]]) => [model, {requests: {count, cost: 1}, usage: {inputTokens: input, outputTokens: output, cacheReadTokens: read, cacheWriteTokens: 0, reasoningTokens: 0}}]))},
});

describe('Copilot CLI quirks', () => {
	it('a resumed leg\'s cumulative shutdown replaces the earlier one; a compaction reset starts a new epoch', () => {
		const home = tempHome();
		write(path.join(home, '.copilot', 'session-state', 'C1', 'events.jsonl'), [
			{type: 'session.start', timestamp: T(0), data: {sessionId: 'C1', context: {cwd: '/home/u/c'}}},
			shutdown(10, {'claude-sonnet-4.5': [3, 3000, 30, 1000]}),
			{type: 'session.resume', timestamp: T(20), data: {}},
			shutdown(30, {'claude-sonnet-4.5': [5, 5000, 50, 2000]}),
			// Compaction reset the counters: this leg is new usage.
			shutdown(40, {'claude-sonnet-4.5': [2, 700, 9, 100]}),
		]);
		assert.deepEqual(row(tool(home, 'copilot-cli')), [5 + 2, 3000 + 600, 59, 2100, 0, 0]);
	});
});

function sessionStore(home: string, rows: Array<[number, string, string, number, number, number, number]>): void {
	const dir = path.join(home, '.copilot');
	fs.mkdirSync(dir, {recursive: true});
	const db = new Database(path.join(dir, 'session-store.db'));
	db.pragma('journal_mode = WAL');
	db.exec(`CREATE TABLE sessions (id TEXT PRIMARY KEY, cwd TEXT, repository TEXT, branch TEXT, created_at TEXT, updated_at TEXT);
		CREATE TABLE assistant_usage_events (id INTEGER PRIMARY KEY, session_id TEXT, turn_index INTEGER, model TEXT, input_tokens INTEGER, output_tokens INTEGER,
			cache_read_tokens INTEGER, cache_write_tokens INTEGER, reasoning_tokens INTEGER, total_nano_aiu INTEGER, request_multiplier REAL, created_at TEXT);`);
	db.prepare('INSERT INTO sessions VALUES (?, ?, NULL, NULL, ?, ?)').run('C1', '/home/u/c', T(0), T(0));
	for (const [id, sid, model, input, output, read, mult] of rows) {
		db.prepare('INSERT INTO assistant_usage_events VALUES (?, ?, 0, ?, ?, ?, ?, 0, 0, 0, ?, ?)').run(id, sid, model, input, output, read, mult, T(id));
	}

	db.close();
}

describe('Copilot session-store.db', () => {
	for (const order of ['database first', 'events first'] as const) {
		it(`per-call rows supersede the shutdown summary of the same session (${order}); other sessions keep theirs`, () => {
			const home = tempHome();
			const events = [
				{type: 'session.start', timestamp: T(0), data: {sessionId: 'C1', context: {cwd: '/home/u/c'}}},
				shutdown(50, {'claude-sonnet-4.5': [3, 3000, 30, 1000]}),
			];
			write(path.join(home, '.copilot', 'session-state', 'C1', 'events.jsonl'), events);
			write(path.join(home, '.copilot', 'session-state', 'C2', 'events.jsonl'), [{type: 'session.start', timestamp: T(0), data: {sessionId: 'C2', context: {cwd: '/x'}}}, shutdown(60, {'gpt-5': [2, 200, 20, 0]})]);
			sessionStore(home, [[1, 'C1', 'claude-sonnet-4.5', 1200, 10, 400, 1], [2, 'C1', 'claude-sonnet-4.5', 1000, 12, 600, 1], [3, 'C1', 'claude-sonnet-4.5', 800, 8, 0, 1]]);
			const e = new Engine({env: {home, env: {HOME: home}, platform: process.platform}});
			engines.push(e);
			e.discover();
			const files = [...e.reader.files.values()];
			const db = files.filter(f => f.file.path.endsWith('.db'));
			const jsonl = files.filter(f => !f.file.path.endsWith('.db'));
			for (const f of order === 'database first' ? [...db, ...jsonl] : [...jsonl, ...db]) e.reader.read(f, true);
			const snap = e.snapshot({now: Date.parse('2030-01-01T00:00:00Z')});
			const c1 = snap.sessions.find(x => x.sessionId === 'C1')!;
			// Rows: input 3,000 less 1,000 cache read; output 30. The summary (3 requests, same totals by chance) is not added.
			assert.deepEqual([c1.calls, c1.inputTokens, c1.cacheReadTokens, c1.outputTokens, c1.premiumRequests], [3, 2000, 1000, 30, 3]);
			const c2 = snap.sessions.find(x => x.sessionId === 'C2')!;
			assert.deepEqual([c2.calls, c2.inputTokens, c2.premiumRequests], [2, 200, 1]);
			assert.equal(snap.tools.find(t => t.tool === 'copilot-cli')!.calls, 5);
		});
	}
});

const engines: Engine[] = [];
after(async () => Promise.all(engines.map(e => e.close())));


describe('live updates for every new store', () => {
	it('Gemini JSONL append, Gemini legacy rewrite, Qwen append and Copilot shutdown are seen while watching', async () => {
		const home = tempHome();
		for (const d of [['.gemini', 'tmp', 'p', 'chats'], ['.qwen', 'projects', '-q', 'chats'], ['.copilot', 'session-state', 'C9']]) fs.mkdirSync(path.join(home, ...d), {recursive: true});
		const e = new Engine({env: {home, env: {HOME: home}, platform: process.platform}});
		engines.push(e);
		e.discover();
		await e.startLive(() => {}, {sweepMs: 60_000, fullSweepMs: 60_000});
		await e.backfill();
		const calls = (id: string) => e.snapshot({now: Date.parse('2030-01-01T00:00:00Z')}).tools.find(t => t.tool === id)?.calls ?? 0;

		const gj = path.join(home, '.gemini', 'tmp', 'p', 'chats', 'session-live.jsonl');
		write(gj, [{sessionId: 'G1'}, gem('m1', 1)]);
		await new Promise(r => setTimeout(r, 100));
		append(gj, [gem('m1', 1, {input: 10, output: 1, cached: 0, thoughts: 0, tool: 0, total: 11})]);
		await waitFor(() => calls('gemini-cli') === 1, 'the Gemini JSONL call');

		const legacy = path.join(home, '.gemini', 'tmp', 'p', 'chats', 'session-old.json');
		write(legacy, JSON.stringify({sessionId: 'G2', messages: [gem('x1', 1, {input: 10, output: 1, cached: 0, thoughts: 0, tool: 0, total: 11})]}));
		await waitFor(() => calls('gemini-cli') === 2, 'the legacy file');
		write(legacy, JSON.stringify({sessionId: 'G2', messages: [gem('x1', 1, {input: 10, output: 1, cached: 0, thoughts: 0, tool: 0, total: 11}), gem('x2', 2, {input: 20, output: 2, cached: 0, thoughts: 0, tool: 0, total: 22})]}));
		await waitFor(() => calls('gemini-cli') === 3, 'the rewritten legacy file');

		const q = path.join(home, '.qwen', 'projects', '-q', 'chats', 'Q9.jsonl');
		write(q, [qwenLine('a', 1, {promptTokenCount: 10, candidatesTokenCount: 1, thoughtsTokenCount: 0, totalTokenCount: 11, cachedContentTokenCount: 0})]);
		await waitFor(() => calls('qwen-code') === 1, 'the Qwen call');

		const c = path.join(home, '.copilot', 'session-state', 'C9', 'events.jsonl');
		write(c, [{type: 'session.start', timestamp: T(0), data: {sessionId: 'C9', context: {cwd: '/c'}}}]);
		await new Promise(r => setTimeout(r, 100));
		append(c, [shutdown(5, {'gpt-5': [4, 400, 40, 0]})]);
		await waitFor(() => calls('copilot-cli') === 4, 'the Copilot shutdown');
	});
});

describe('discovery', () => {
	it('names every file as path.join would, also under a root written with extra separators and dots', async () => {
		const {discoverStore} = await import('../../src/ingest/discover.js');
		const {claudeStore} = await import('../../src/ingest/claude.js');
		const home = tempHome();
		const projects = path.join(home, 'cfg', 'projects');
		write(path.join(projects, '-p', 'a.jsonl'), '{}');
		write(path.join(projects, '-p', 's1', 'subagents', 'agent-1.jsonl'), '{}');
		write(path.join(home, 'elsewhere', 'b.jsonl'), '{}');
		write(path.join(home, 'elsewhere', 's2', 'c.jsonl'), '{}');
		fs.symlinkSync(path.join(home, 'elsewhere'), path.join(projects, 'linked'));
		for (const dir of [path.join(home, 'cfg'), `${home}//cfg/./`, `${home}/x/../cfg//`]) {
			const found = discoverStore(claudeStore, {home, env: {CLAUDE_CONFIG_DIR: dir}, platform: process.platform}).files.map(f => f.path).sort();
			const root = path.basename(dir) === 'projects' ? dir : path.join(dir, 'projects');
			const want = ['-p/a.jsonl', '-p/s1/subagents/agent-1.jsonl', 'linked/b.jsonl', 'linked/s2/c.jsonl'].map(f => path.join(root, f)).sort();
			assert.deepEqual(found, want, dir);
			assert.ok(found.every(f => f === path.normalize(f)));
		}
	});
});

// `burntop statusline`: Claude Code's statusLine JSON in, one line out; the session's figures
// equal the full snapshot's, the loop mark shows, and it works with no index at all.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import {Writable} from 'node:stream';
import {describe, it} from 'node:test';
import {lookSession} from '../src/quick.js';
import {runStatusline} from '../src/commands/statusline.js';
import {makeStatus, writeStatus} from '../src/status-file.js';
import {FIXTURE_HOME, runCli, sharedAvailable, tempHome} from './helpers/home.js';
import * as sc from './helpers/scenarios.js';

class Capture extends Writable {
	text = '';
	override _write(chunk: Buffer, _e: BufferEncoding, cb: () => void): void {
		this.text += chunk.toString();
		cb();
	}
}

function run(argv: string[], env: Record<string, string>, input: unknown, now: number, refresh?: () => void): {code: number; out: string; err: string} {
	const stdout = new Capture();
	const stderr = new Capture();
	const code = runStatusline({argv, env: {XDG_CACHE_HOME: tempHome('burntop-sl-cache-'), ...env}, stdout, stderr, input: typeof input === 'string' ? input : JSON.stringify(input), clock: () => now, refresh});
	return {code, out: stdout.text, err: stderr.text};
}

// The shape Claude Code sends (documented statusLine input; 1.0.x and 2.x add fields, never remove these).
function claudeInput(sessionId: string, transcript: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
	return {
		hook_event_name: 'Status', session_id: sessionId, transcript_path: transcript, cwd: '/home/u/proj',
		model: {id: 'claude-opus-4-6', display_name: 'Opus 4.6'}, workspace: {current_dir: '/home/u/proj', project_dir: '/home/u/proj'},
		version: '2.1.39', output_style: {name: 'default'}, cost: {total_cost_usd: 0.5, total_duration_ms: 1000}, ...extra,
	};
}

const SPOTTER = '491e126e-1e71-469c-ade2-fcc8af567c74';

describe('statusline on the fixture home', {skip: !sharedAvailable() && 'needs ../shared (required when CI=true)'}, () => {
	const transcript = path.join(FIXTURE_HOME, '.claude', 'projects', '-home-marco-projects-spotter', `${SPOTTER}.jsonl`);

	it('the session\'s spend and calls equal the full snapshot\'s session row', async () => {
		const snap = JSON.parse((await runCli(['--once', '--json', '--no-cache', '--now', '2030-01-01T00:00:00Z'], {HOME: FIXTURE_HOME})).stdout);
		const row = snap.sessions.find((s: {sessionId: string}) => s.sessionId === SPOTTER);
		const look = lookSession({env: {home: FIXTURE_HOME, env: {HOME: FIXTURE_HOME}, platform: process.platform}, tool: 'claude-code', sessionId: SPOTTER, transcript, now: Date.parse('2030-01-01T00:00:00Z')})!;
		assert.equal(look.calls, row.calls);
		assert.equal(Math.round(look.spentUSD * 1e6) / 1e6, row.costUSD);
		const r = run(['--format', '{session_usd}|{calls}|{model}'], {HOME: FIXTURE_HOME}, claudeInput(SPOTTER, transcript), Date.parse('2030-01-01T00:00:00Z'));
		assert.equal(r.code, 0);
		assert.equal(r.out, `≈$${row.costUSD.toFixed(2)}|${row.calls}|Opus 4.6\n`);
	});

	it('reads the statusLine JSON of Claude Code 1.0.x and 2.x (with its context window)', () => {
		const now = Date.parse('2030-01-01T00:00:00Z');
		// 1.0.80's fields, as tools built for it test with; 2.x adds context_window.
		const v1 = {cwd: '/home/marco/projects/spotter', session_id: SPOTTER, transcript_path: transcript, version: '1.0.80', exceeds_200k_tokens: false, model: {id: 'claude-opus-4-6', display_name: 'Opus'}, workspace: {current_dir: '/home/marco/projects/spotter', project_dir: '/home/marco/projects/spotter'}, output_style: {name: 'default'}, cost: {total_cost_usd: 6, total_duration_ms: 60000, total_api_duration_ms: 20000, total_lines_added: 200, total_lines_removed: 50}};
		const v2 = {...v1, version: '2.1.39', context_window: {context_window_size: 200_000, current_usage: {input_tokens: 1, cache_read_input_tokens: 43_700, cache_creation_input_tokens: 111, output_tokens: 1}}};
		assert.equal(run(['--format', '{model} {context}'], {HOME: FIXTURE_HOME}, v1, now).out, 'Opus 43.9k\n');
		assert.equal(run(['--format', '{model} {context}'], {HOME: FIXTURE_HOME}, v2, now).out, 'Opus 43.9k (22%)\n');
	});

	it('--session finds a Codex session by its id without stdin', () => {
		const r = run(['--session', '019c8a4c', '--tool', 'codex', '--format', '{calls}'], {HOME: FIXTURE_HOME}, '', Date.parse('2030-01-01T00:00:00Z'));
		assert.equal(r.out, '81\n');
	});
});

describe('statusline', () => {
	it('marks a looping session, in red unless NO_COLOR', () => {
		const home = tempHome();
		const sid = sc.repeatedCommand(home);
		const transcript = path.join(sc.scenarioPath(home, 'etl'), `${sid}.jsonl`);
		const plain = run([], {HOME: home, NO_COLOR: '1'}, claudeInput(sid, transcript), sc.NOW);
		assert.match(plain.out, /^⚠ loop \(.*npm test.*\) Opus 4\.6 · \$\d+\.\d\d session · ctx 30\.5k · \$\d+\.\d\d\/min\n$/);
		assert.doesNotMatch(plain.out, /\u001B/);
		const red = run([], {HOME: home}, claudeInput(sid, transcript), sc.NOW);
		assert.match(red.out, /^\u001B\[31m⚠ loop/);
		const healthy = tempHome();
		const ok = sc.humanDriven(healthy);
		const calm = run([], {HOME: healthy}, claudeInput(ok, path.join(sc.scenarioPath(healthy, 'human'), `${ok}.jsonl`)), sc.NOW);
		assert.ok(fs.existsSync(path.join(sc.scenarioPath(healthy, 'human'), `${ok}.jsonl`)), 'scenario file');
		assert.doesNotMatch(calm.out, /⚠/);
	});

	it('today\'s spend and budgets come from status.json: shown when it is today\'s, with its age when old; a refresh at most once a minute', () => {
		const home = tempHome();
		const sid = sc.humanDriven(home);
		const transcript = path.join(sc.scenarioPath(home, 'human'), `${sid}.jsonl`);
		const cache = tempHome('burntop-sl-status-');
		const env = {HOME: home, XDG_CACHE_HOME: cache, NO_COLOR: '1'};
		let refreshes = 0;
		const none = run([], env, claudeInput(sid, transcript), sc.NOW, () => refreshes++);
		assert.doesNotMatch(none.out, /today/, 'no status yet: no figure for today');
		assert.equal(refreshes, 1, 'a background refresh was asked for');
		run([], env, claudeInput(sid, transcript), sc.NOW + 10_000, () => refreshes++);
		assert.equal(refreshes, 1, 'not again within a minute');
		const day = new Date(sc.NOW);
		const local = `${day.getFullYear()}-${String(day.getMonth() + 1).padStart(2, '0')}-${String(day.getDate()).padStart(2, '0')}`;
		writeStatus(path.join(cache, 'burntop'), makeStatus(sc.NOW - 20 * 60_000, local, 12.4, 0.05, [], [{id: 'b', label: 'day $10', level: 'over', text: 'over', period: 'day', budgetUSD: 10, spentUSD: 12.4, fraction: 1.24, periodStart: '', periodEnd: ''}]));
		const fresh = run([], env, claudeInput(sid, transcript), sc.NOW, () => refreshes++);
		assert.match(fresh.out, /^⚠ budget day \$10 .* · \$12\.40 today \(20m ago\)\n$/);
		const tomorrow = run([], env, claudeInput(sid, transcript), sc.NOW + 86_400_000, () => refreshes++);
		assert.doesNotMatch(tomorrow.out, /today/, 'yesterday\'s figure is not today\'s');
	});

	it('bad or hostile input: a message, still a line, never a control sequence', () => {
		const home = tempHome();
		const bad = run([], {HOME: home}, '{not json', sc.NOW);
		assert.equal(bad.code, 0);
		assert.match(bad.err, /not JSON/);
		assert.equal(bad.out, 'no session found\n');
		const evil = run(['--format', '{model}'], {HOME: home}, {session_id: 'x', model: {display_name: 'Opus\u001B]0;pwned\u0007'}}, sc.NOW);
		assert.equal(evil.out, 'Opus␛]0;pwned␇\n');
		const missing = run([], {HOME: home}, {session_id: 'x', transcript_path: '/dev/zero'}, sc.NOW);
		assert.equal(missing.out, 'no session found\n', 'a device is not a transcript');
		const flag = run(['--colour'], {HOME: home}, '', sc.NOW);
		assert.equal(flag.code, 2);
		assert.match(flag.err, /unknown option --colour/);
	});

	it('the bundled command answers from a pipe and from a terminal-less run with no stdin', async () => {
		const {spawnSync} = await import('node:child_process');
		const cli = path.resolve(import.meta.dirname, '..', 'dist', 'burntop.mjs');
		if (!fs.existsSync(cli)) return;
		const home = tempHome();
		const sid = sc.humanDriven(home);
		const transcript = path.join(sc.scenarioPath(home, 'human'), `${sid}.jsonl`);
		const env = {...process.env, HOME: home, XDG_CACHE_HOME: tempHome('burntop-sl-bin-'), NO_COLOR: '1'};
		const r = spawnSync(process.execPath, [cli, 'statusline', '--no-refresh'], {input: JSON.stringify(claudeInput(sid, transcript)), env, encoding: 'utf8', timeout: 10_000});
		assert.equal(r.status, 0, r.stderr);
		assert.match(r.stdout, /^Opus 4\.6 · \$\d+\.\d\d session · ctx /);
	});
});

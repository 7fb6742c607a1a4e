// `burntop hook` (Claude Code PreToolUse): blocks a looping session with a reason the agent
// reads, allows a healthy one silently, respects a recent prompt and a blocking budget.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import {Writable} from 'node:stream';
import {describe, it} from 'node:test';
import {runHook} from '../src/commands/hook.js';
import {makeStatus, writeStatus} from '../src/status-file.js';
import {tempHome} from './helpers/home.js';
import * as sc from './helpers/scenarios.js';

class Capture extends Writable {
	text = '';
	override _write(chunk: Buffer, _e: BufferEncoding, cb: () => void): void {
		this.text += chunk.toString();
		cb();
	}
}

async function hook(home: string, input: unknown, env: Record<string, string> = {}): Promise<{code: number; out: string; err: string}> {
	const stdout = new Capture();
	const stderr = new Capture();
	const code = await runHook({argv: [], env: {HOME: home, XDG_CACHE_HOME: path.join(home, '.cache'), XDG_STATE_HOME: path.join(home, '.state'), ...env}, stdout, stderr, input: typeof input === 'string' ? input : JSON.stringify(input), clock: () => sc.NOW});
	return {code, out: stdout.text, err: stderr.text};
}

function pre(home: string, name: string, sid: string): Record<string, unknown> {
	return {session_id: sid, transcript_path: path.join(sc.scenarioPath(home, name), `${sid}.jsonl`), cwd: `/home/u/${name}`, hook_event_name: 'PreToolUse', tool_name: 'Bash', tool_input: {command: 'npm test'}};
}

function config(home: string, c: unknown): void {
	fs.mkdirSync(path.join(home, '.config', 'burntop'), {recursive: true});
	fs.writeFileSync(path.join(home, '.config', 'burntop', 'config.json'), JSON.stringify(c));
}

describe('burntop hook', () => {
	it('blocks the looping session with what repeated, how often, what it cost, and "ask the user"; logs it', async () => {
		const home = tempHome();
		const sid = sc.repeatedCommand(home);
		const r = await hook(home, pre(home, 'etl', sid));
		assert.equal(r.code, 2, 'exit 2: Claude Code blocks the call and gives the agent stderr');
		assert.equal(r.out, '');
		assert.match(r.err, /runaway loop \(burntop loop score 6\)/);
		assert.match(r.err, /npm test -- --runInBand/);
		assert.match(r.err, /run 14× in 9 min/);
		assert.match(r.err, /spent \$\d+\.\d\d .* \$\d+\.\d\d an hour/);
		assert.match(r.err, /ask how to proceed/);
		const log = fs.readFileSync(path.join(home, '.state', 'burntop', 'alerts.log'), 'utf8').trim().split('\n').map(l => JSON.parse(l));
		assert.deepEqual(log.map(l => [l.kind, l.action, l.sessionId, l.loopScore]), [['hook', 'blocked', sid, 6]]);
		assert.doesNotMatch(JSON.stringify(log), /runInBand/, 'the log holds no session content');
	});

	it('allows a healthy busy session silently', async () => {
		const home = tempHome();
		const sid = sc.humanDriven(home);
		const r = await hook(home, pre(home, 'human', sid));
		assert.deepEqual(r, {code: 0, out: '', err: ''});
	});

	it('below guard.hookScore, or with a prompt typed within guard.promptGraceMinutes, it allows', async () => {
		const home = tempHome();
		const sid = sc.repeatedError(home); // score 3
		assert.equal((await hook(home, pre(home, 'build', sid))).code, 0, 'score 3 < the default 4');
		config(home, {guard: {hookScore: 3}});
		assert.equal((await hook(home, pre(home, 'build', sid))).code, 2);
		// The prompt was typed 30 minutes before NOW.
		config(home, {guard: {hookScore: 3, promptGraceMinutes: 45}});
		assert.equal((await hook(home, pre(home, 'build', sid))).code, 0, 'the user is there');
	});

	it('a budget with "action": "block" that is over blocks any session while its period lasts', async () => {
		const home = tempHome();
		const sid = sc.humanDriven(home);
		const over = {id: 'day:*:*', label: 'daily', level: 'over' as const, text: 'over budget: $61.20 of $50.00 today', action: 'block' as const, period: 'day' as const, budgetUSD: 50, spentUSD: 61.2, fraction: 1.2, periodStart: new Date(sc.NOW - 3_600_000).toISOString(), periodEnd: new Date(sc.NOW + 3_600_000).toISOString()};
		writeStatus(path.join(home, '.cache', 'burntop'), makeStatus(sc.NOW, '2026-03-10', 61.2, 0.2, [], [over]));
		const r = await hook(home, pre(home, 'human', sid));
		assert.equal(r.code, 2);
		assert.match(r.err, /The daily budget is over \(over budget: \$61\.20 of \$50\.00 today\)/);
		writeStatus(path.join(home, '.cache', 'burntop'), makeStatus(sc.NOW, '2026-03-10', 61.2, 0.2, [], [{...over, action: undefined}]));
		assert.equal((await hook(home, pre(home, 'human', sid))).code, 0, 'an alert-only budget never blocks');
		writeStatus(path.join(home, '.cache', 'burntop'), makeStatus(sc.NOW, '2026-03-10', 61.2, 0.2, [], [{...over, periodEnd: new Date(sc.NOW - 1).toISOString()}]));
		assert.equal((await hook(home, pre(home, 'human', sid))).code, 0, 'a past period does not block');
	});

	it('bad input fails open with a message for the user (exit 1), never a block', async () => {
		const home = tempHome();
		const r = await hook(home, 'not json');
		assert.equal(r.code, 1);
		assert.match(r.err, /no hook JSON on stdin/);
		config(home, {guard: {hookScore: 'high'}});
		const c = await hook(home, {session_id: 'x'});
		assert.equal(c.code, 1);
		assert.match(c.err, /guard\.hookScore must be a positive number/);
		const gone = await hook(tempHome(), {session_id: 'x', transcript_path: '/nonexistent/x.jsonl'});
		assert.deepEqual(gone, {code: 0, out: '', err: ''}, 'an unknown session is allowed');
	});
});

// The overnight guard with real processes: stand-in agents named `claude` write looping or
// healthy transcripts and stay running; `burntop --watch --json --guard` must stop only the
// looping one it can identify, leave the others, and log every decision.
import assert from 'node:assert/strict';
import {spawn, type ChildProcess} from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {after, describe, it} from 'node:test';
import {Guard, type GuardDeps} from '../src/guard.js';
import {GUARD_DEFAULTS} from '../src/config.js';
import type {LiveSnapshot} from '../src/engine.js';
import type {Alert} from '../src/alerts.js';
import type {SessionState} from '../src/core/aggregate.js';
import {standInAgent} from './helpers/agent.js';
import {tempHome} from './helpers/home.js';
import {waitFor} from './helpers/wait.js';

const CLI = path.resolve(import.meta.dirname, '..', 'dist', 'burntop.mjs');
const linux = process.platform === 'linux';
const children: ChildProcess[] = [];
after(() => {
	for (const c of children) c.kill('SIGKILL');
});

type World = {home: string; agent: string; run: (name: string, mode: string, opts?: {hold?: boolean; ignoreInt?: boolean; cwd?: string}) => Promise<{file: string; proc: ChildProcess; cwd: string}>};

function world(guard: Record<string, unknown>): World {
	const home = fs.realpathSync(tempHome('burntop-guard-'));
	const agent = standInAgent(home);
	fs.mkdirSync(path.join(home, '.config', 'burntop'), {recursive: true});
	fs.writeFileSync(path.join(home, '.config', 'burntop', 'config.json'), JSON.stringify({guard, alerts: {bell: false, desktop: false}}));
	let n = 0;
	const run = async (name: string, mode: string, o: {hold?: boolean; ignoreInt?: boolean; cwd?: string} = {}) => {
		const cwd = o.cwd ?? path.join(home, 'work', name);
		fs.mkdirSync(cwd, {recursive: true});
		const dir = path.join(home, '.claude', 'projects', cwd.replace(/[^a-zA-Z0-9]/g, '-'));
		fs.mkdirSync(dir, {recursive: true});
		const file = path.join(dir, `${name}-${++n}.jsonl`);
		const proc = spawn(agent, [file, mode, o.hold === false ? '0' : '1', o.ignoreInt ? '1' : '0'], {cwd, stdio: 'ignore'});
		children.push(proc);
		await waitFor(() => fs.existsSync(`${file}.ready`), `${name} started`, 10_000);
		return {file, proc, cwd};
	};

	return {home, agent, run};
}

function watch(w: World, flag: string): ChildProcess {
	const env = {...process.env, HOME: w.home, XDG_STATE_HOME: path.join(w.home, '.state'), XDG_CACHE_HOME: path.join(w.home, '.cache'), CLAUDE_CONFIG_DIR: '', CODEX_HOME: ''};
	const c = spawn(process.execPath, [CLI, '--watch', '--json', flag, '--interval', '200', '--no-cache'], {env, stdio: ['ignore', 'ignore', 'pipe']});
	children.push(c);
	return c;
}

function decisions(w: World): Array<Record<string, unknown>> {
	const f = path.join(w.home, '.state', 'burntop', 'alerts.log');
	if (!fs.existsSync(f)) return [];
	// Whole lines only: the watcher may be between creating the file and writing its line.
	const text = fs.readFileSync(f, 'utf8');
	const whole = text.slice(0, text.lastIndexOf('\n') + 1);
	return whole.split('\n').filter(Boolean).map(l => JSON.parse(l) as Record<string, unknown>).filter(l => l['kind'] === 'guard');
}

const exited = (p: ChildProcess) => p.exitCode !== null || p.signalCode !== null;

describe('the guard, with real processes', {skip: (!linux && 'the process checks read /proc') || (!fs.existsSync(CLI) && 'needs the bundled CLI (npm run build)')}, () => {
	it('stops the looping agent it can identify; leaves a healthy one, one with a recent prompt, and refuses when two match', async () => {
		const w = world({score: 3, forMinutes: 0, graceSeconds: 1});
		const loop = await w.run('loop', 'loop');
		const busy = await w.run('busy', 'busy');
		const prompted = await w.run('prompted', 'prompted');
		// Two agents in one folder, neither holding the transcript open: no way to tell them apart.
		const twinA = await w.run('twins', 'loop', {hold: false});
		const twinB = await w.run('twins-other', 'busy', {hold: false, cwd: twinA.cwd});
		const g = watch(w, '--guard');
		await waitFor(() => fs.existsSync(`${loop.file}.SIGINT`), 'the loop got SIGINT', 30_000);
		await waitFor(() => decisions(w).length >= 3, 'three decisions logged', 10_000);
		const d = decisions(w);
		const of = (file: string) => d.filter(x => x['sessionId'] === path.basename(file, '.jsonl'));
		assert.deepEqual(of(loop.file).map(x => [x['guardAction'], x['pid']]), [['stopped', loop.proc.pid]]);
		assert.match(String(of(prompted.file)[0]?.['guardReason']), /a prompt was typed 1 min ago/);
		assert.equal(of(prompted.file)[0]?.['guardAction'], 'skipped');
		assert.match(String(of(twinA.file)[0]?.['guardReason']), /2 processes match it \(PIDs \d+, \d+\): not guessing/);
		assert.equal(of(busy.file).length, 0, 'a healthy session is not a candidate at all');
		await waitFor(() => exited(loop.proc), 'the loop exited', 5000);
		for (const p of [busy, prompted, twinA, twinB]) assert.equal(exited(p.proc), false, `${path.basename(p.file)} still runs`);
		assert.doesNotMatch(fs.readFileSync(path.join(w.home, '.state', 'burntop', 'alerts.log'), 'utf8'), /runInBand|FAIL test/, 'the log keeps no session content');
		g.kill('SIGTERM');
	});

	it('SIGTERM after the grace period when SIGINT is ignored; --guard=dry only logs', async () => {
		const w = world({score: 3, forMinutes: 0, graceSeconds: 1});
		const stubborn = await w.run('stubborn', 'loop', {ignoreInt: true});
		const g = watch(w, '--guard');
		await waitFor(() => fs.existsSync(`${stubborn.file}.SIGTERM`), 'SIGTERM after the grace period', 30_000);
		assert.ok(fs.existsSync(`${stubborn.file}.ignored`), 'SIGINT came first');
		// The decision is logged right after the signal: the agent may see the signal first.
		await waitFor(() => decisions(w).length >= 2, 'the SIGTERM decision logged', 10_000);
		assert.deepEqual(decisions(w).map(x => x['guardAction']), ['stopped', 'stopped']);
		assert.match(String(decisions(w)[1]!['guardReason']), /ignored SIGINT for 1 s: sent SIGTERM/);
		g.kill('SIGTERM');

		const dry = world({score: 3, forMinutes: 0});
		const loop = await dry.run('loop', 'loop');
		const d = watch(dry, '--guard=dry');
		await waitFor(() => decisions(dry).length >= 1, 'a dry-run decision', 30_000);
		assert.equal(decisions(dry)[0]!['guardAction'], 'would-stop');
		await new Promise(r => setTimeout(r, 500));
		assert.equal(exited(loop.proc), false, 'dry run: nothing was sent');
		assert.ok(!fs.existsSync(`${loop.file}.SIGINT`));
		d.kill('SIGTERM');
	});
});

describe('the guard\'s rules', () => {
	const NOW = Date.parse('2026-03-10T03:00:00Z');
	function setup(cfg: Partial<typeof GUARD_DEFAULTS> = {}) {
		const alerts: Alert[] = [];
		const signals: string[] = [];
		let t = NOW;
		const timers: Array<() => void> = [];
		const proc = {pid: 42, uid: 1, command: 'claude', cwd: '/p', startedAt: NOW - 3_600_000, agent: 'claude-code'};
		let running = true;
		const deps: GuardDeps = {
			find: () => ({process: proc, candidates: [proc]}),
			signal: (_p, sig) => {
				signals.push(sig);
				return {ok: true, signal: sig};
			},
			running: () => running,
			alert: a => alerts.push(a),
			clock: () => t,
			later: fn => timers.push(fn),
		};
		const guard = new Guard({...GUARD_DEFAULTS, ...cfg}, 'on', deps);
		const session = {key: 'claude-code:s1', tool: 'claude-code', sessionId: 's1', project: '/p', firstAt: NOW - 600_000, prompts: new Map<string, number>(), cwds: new Set<string>(), files: new Set<string>()} as unknown as SessionState;
		const live = (score: number) => ({suggestions: score ? [{key: 'claude-code:s1', tool: 'claude-code', sessionId: 's1', project: '/p', score, reasons: [{kind: 'repeated-command', weight: 3, text: 'x'}], projectedUSDPerHour: 5, burnUSD: 1, advice: '', files: [], lastAt: ''}] : [], budgets: [], burn: {sessions: []}}) as unknown as LiveSnapshot;
		return {guard, alerts, signals, timers, session, live, tick: (ms: number) => (t += ms), stop: () => (running = false)};
	}

	it('acts only after the score has held for forMinutes, then not again within the hour', () => {
		const s = setup({score: 5, forMinutes: 10});
		assert.deepEqual(s.guard.check(s.live(6), () => s.session), []);
		s.tick(9 * 60_000);
		assert.deepEqual(s.guard.check(s.live(6), () => s.session), []);
		s.tick(60_000);
		assert.deepEqual(s.guard.check(s.live(6), () => s.session).map(d => d.action), ['stopped']);
		assert.deepEqual(s.signals, ['SIGINT']);
		s.stop();
		s.timers[0]!();
		assert.deepEqual(s.signals, ['SIGINT'], 'it ended: no SIGTERM');
		s.tick(30 * 60_000);
		assert.deepEqual(s.guard.check(s.live(6), () => s.session), [], 'once an hour');
	});

	it('a score that drops resets the clock; below the score nothing happens', () => {
		const s = setup({score: 5, forMinutes: 10});
		s.guard.check(s.live(6), () => s.session);
		s.tick(8 * 60_000);
		s.guard.check(s.live(4), () => s.session);
		s.tick(5 * 60_000);
		assert.deepEqual(s.guard.check(s.live(6), () => s.session), [], 'flagged again just now');
		assert.deepEqual(s.alerts, []);
	});
});

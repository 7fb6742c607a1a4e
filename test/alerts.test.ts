import assert from 'node:assert/strict';
import {spawn} from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {describe, it} from 'node:test';
import {builtCli} from './helpers/built-cli.js';
import {ALERT_DEFAULTS, Alerter, type AlertOutputs} from '../src/alerts.js';
import {status} from '../src/core/budgets.js';
import type {LiveSnapshot} from '../src/engine.js';
import {claudeAssistant as a, claudePath, runCli, tempHome, write} from './helpers/home.js';

const ROOT = path.resolve(import.meta.dirname, '..');

function fakeOutputs() {
	const got = {bells: 0, notes: [] as string[], commands: [] as string[], log: [] as string[]};
	const out: AlertOutputs = {bell: () => got.bells++, notify: t => got.notes.push(t), command: j => got.commands.push(j), log: l => got.log.push(l)};
	return {got, out};
}

const DAYB = {start: Date.parse('2026-03-10T00:00:00Z'), end: Date.parse('2026-03-11T00:00:00Z')};
const live = (o: {flagged?: string[]; perMin?: number; today?: number; bounds?: {start: number; end: number}; now?: number}): LiveSnapshot => ({
	budgets: o.today === undefined ? [] : [status({period: 'day', usd: 100}, o.today, o.bounds ?? DAYB, o.now ?? DAYB.start + 10 * 3_600_000)],
	suggestions: (o.flagged ?? []).map(id => ({tool: 'claude-code', sessionId: id, project: `/p/${id}`, key: `claude-code:${id}`, score: 3, reasons: [{kind: 'repeated-command', text: '`npm test` run 9×', evidence: '', weight: 3}], burnUSD: 1, projectedUSDPerHour: 42, advice: '', files: [], lastAt: ''})),
	burn: {windows: {'5m': {usdPerMin: o.perMin ?? 0}}, spentTodayUSD: o.today ?? 0},
} as unknown as LiveSnapshot);

describe('alerts', () => {
	it('alert when a session enters the loop list: bell, desktop, command with JSON, log', () => {
		let now = 0;
		const {got, out} = fakeOutputs();
		const al = new Alerter({...ALERT_DEFAULTS}, out, () => now);
		assert.equal(al.check(live({})).length, 0);
		const sent = al.check(live({flagged: ['s1']}));
		assert.equal(sent.length, 1);
		assert.equal(got.bells, 1);
		assert.deepEqual(got.notes, ['burntop: possible runaway loop in /p/s1']);
		const json = JSON.parse(got.commands[0]!);
		assert.equal(json.kind, 'loop');
		assert.equal(json.sessionId, 's1');
		assert.equal(json.projectedUSDPerHour, 42);
		assert.equal(got.log.length, 1);
		// Still in the list: no new alert. Leaves and comes back within 30 min: rate-limited.
		now += 60_000;
		assert.equal(al.check(live({flagged: ['s1']})).length, 0);
		assert.equal(al.check(live({})).length, 0);
		assert.equal(al.check(live({flagged: ['s1']})).length, 0);
		now += 31 * 60_000;
		al.check(live({}));
		assert.equal(al.check(live({flagged: ['s1']})).length, 1);
	});

	it('$/hour alerts are rate-limited; a budget alerts once at 80% and once at 100% per period', () => {
		let now = Date.parse('2026-03-10T10:00:00Z');
		const {got, out} = fakeOutputs();
		const al = new Alerter({...ALERT_DEFAULTS, usdPerHour: 30, bell: false, desktop: false}, out, () => now);
		assert.equal(al.check(live({perMin: 0.4, today: 50})).length, 0);
		let sent = al.check(live({perMin: 0.6, today: 85}));
		assert.deepEqual(sent.map(x => x.kind), ['rate', 'budget']);
		assert.equal(sent[1]!.title, 'burntop: 85% of the daily budget spent');
		assert.equal(sent[1]!.spentUSD, 85);
		assert.equal(sent[1]!.projectedUSD, 204, '$85 in 10 of 24 hours');
		assert.equal(got.bells, 0);
		assert.equal(got.notes.length, 0);
		now += 10 * 60_000;
		assert.deepEqual(al.check(live({perMin: 0.6, today: 120})).map(x => x.title), ['burntop: daily budget exceeded (120%)']);
		now += 21 * 60_000;
		sent = al.check(live({perMin: 0.6, today: 140}));
		assert.deepEqual(sent.map(x => x.kind), ['rate'], 'the $/hour alert repeats after 30 min; the budget does not');
		const next = {start: DAYB.end, end: DAYB.end + 86_400_000};
		now += 24 * 3_600_000;
		assert.deepEqual(al.check(live({today: 101, bounds: next, now: next.start + 3_600_000})).map(x => x.title), ['burntop: daily budget exceeded (101%)'], 'a new day is a new period');
	});

	it('--alert-cmd is validated', async () => {
		const home = tempHome();
		const missing = await runCli(['--watch', '--json', '--alert-cmd', 'no-such-program-xyz --flag'], {HOME: home, PATH: process.env['PATH']});
		assert.equal(missing.code, 2);
		assert.match(missing.stderr, /no-such-program-xyz not found on PATH/);
		const empty = await runCli(['--watch', '--json', '--alert-cmd', ' '], {HOME: home});
		assert.match(empty.stderr, /--alert-cmd is empty/);
	});

	it('a live loop runs --alert-cmd with the alert on stdin and writes the alert log', async ctx => {
		// The bundled CLI, as users run it.
		const cli = builtCli(ctx);
		if (!cli) return;
		const home = tempHome();
		const now = Date.now();
		const lines = [];
		for (let i = 0; i < 8; i++) lines.push(a({id: `l${i}`, ts: new Date(now - (8 - i) * 30_000).toISOString(), output: 300, cacheRead: 50_000, sessionId: 'loop', cwd: '/home/u/etl', tools: [{name: 'Bash', input: {command: 'npm test'}}]}));
		write(claudePath(home, '-home-u-etl', 'loop.jsonl'), lines);
		const out = path.join(home, 'alert.json');
		const child = spawn(process.execPath, [cli, '--watch', '--json', '--alert-cmd', `tee ${out}`], {
			cwd: ROOT,
			env: {...process.env, HOME: home, XDG_STATE_HOME: path.join(home, 'state'), CLAUDE_CONFIG_DIR: '', CODEX_HOME: ''},
			stdio: ['ignore', 'ignore', 'pipe'],
		});
		let stderr = '';
		child.stderr.on('data', d => (stderr += d));
		const t = Date.now();
		while (!fs.existsSync(out) || fs.readFileSync(out, 'utf8').length === 0) {
			if (Date.now() - t > 15_000) throw new Error(`no alert; stderr: ${stderr}`);
			await new Promise(r => setTimeout(r, 50));
		}

		child.kill('SIGTERM');
		await new Promise(r => child.on('exit', r));
		const alert = JSON.parse(fs.readFileSync(out, 'utf8'));
		assert.equal(alert.kind, 'loop');
		assert.equal(alert.sessionId, 'loop');
		assert.match(alert.message, /`npm test` run 8×/);
		const log = fs.readFileSync(path.join(home, 'state', 'burntop', 'alerts.log'), 'utf8').trim().split('\n');
		assert.equal(JSON.parse(log[0]!).sessionId, 'loop');
		assert.ok(JSON.parse(log[0]!).reasonKinds.includes('repeated-command'));
		// Session content stays on screen: the log has no command text.
		assert.doesNotMatch(log.join('\n'), /npm test/);
		assert.ok(stderr.includes('\u0007'), 'bell on stderr in --watch mode');
	});
});

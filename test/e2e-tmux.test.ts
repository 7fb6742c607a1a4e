// End to end in a real terminal (named e2e-… so that it starts early: docs/development.md):
// `burntop --demo` in tmux at 100×30, keys through every tab
// and into a session, asserting on capture-pane text and that the numbers move.
import assert from 'node:assert/strict';
import {execFileSync, spawnSync} from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {after, describe, it} from 'node:test';
import {builtCli} from './helpers/built-cli.js';

const ROOT = path.resolve(import.meta.dirname, '..');
const hasTmux = spawnSync('tmux', ['-V']).status === 0;
if (!hasTmux && process.env['CI'] === 'true') throw new Error('tmux is required for the end-to-end test in CI');
const SOCKET = `burntop-test-${process.pid}`;
const tmux = (...args: string[]) => execFileSync('tmux', ['-L', SOCKET, ...args], {encoding: 'utf8'});
const screen = () => tmux('capture-pane', '-t', 'bt', '-p');
const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));

async function waitScreen(re: RegExp, what: string, ms = 20_000): Promise<string> {
	const t = Date.now();
	for (;;) {
		const s = screen();
		if (re.test(s)) return s;
		if (Date.now() - t > ms) throw new Error(`timed out waiting for ${what}; screen:\n${s}`);
		await sleep(100);
	}
}

async function key(k: string, re: RegExp, what: string): Promise<string> {
	tmux('send-keys', '-t', 'bt', k);
	return waitScreen(re, what);
}

describe('tmux end to end (burntop --demo at 100×30)', {skip: !hasTmux && 'tmux not installed'}, () => {
	after(() => {
		spawnSync('tmux', ['-L', SOCKET, 'kill-server']);
	});

	it('shows live data, moves numbers, walks every tab and a session', async ctx => {
		// The bundle, as `npm start` runs it (from source, tsx took seconds to start under load).
		const cli = builtCli(ctx);
		if (!cli) return;
		// Ink prints only the final frame under CI=true: the monitor itself runs without it.
		const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'burntop-tmux-tmp-'));
		const cmd = `env -u CI TERM=xterm-256color TMPDIR=${tmp} ${process.execPath} ${cli} --demo`;
		tmux('new-session', '-d', '-s', 'bt', '-x', '100', '-y', '30', '-c', ROOT, cmd);
		const first = await waitScreen(/active [1-9]/, 'live data');
		// The demo's looping agent starts with the demo: it must be on the Loops tab within 10 s.
		const loopStart = Date.now();
		tmux('send-keys', '-t', 'bt', '4');
		const loops = await waitScreen(/`npm test -- --runInBand` run \d+×/, 'the looping sample on the Loops tab', 10_000);
		assert.ok(Date.now() - loopStart <= 10_000);
		assert.match(loops, /l-pipeline/);
		// Only the looping sample: the other two demo agents are healthy.
		assert.doesNotMatch(loops, /\/home\/demo\/(api|webapp)/);
		assert.match(loops, /→ Stop the agent \(x\)/);
		tmux('send-keys', '-t', 'bt', '1');
		assert.match(first, /\$ per minute, last 60 min/);
		assert.match(first, /\/home\/demo\/etl-pipeline/);
		assert.ok(first.trimEnd().split('\n').length <= 30);
		const today = (s: string) => /today \$([\d,.]+)/.exec(s)?.[1];
		const t0 = today(first);
		await waitScreen(new RegExp(`today \\$(?!${t0!.replace(/[.$]/g, '\\$&')}\\b)`), 'today to move');

		let s = await key('2', /by project \(b\)/, 'projects tab');
		assert.match(s, /\/home\/demo\/webapp/);
		s = await key('b', /by model/, 'model breakdown');
		assert.match(s, /gpt-5\.3-codex/);
		s = await key('3', /cache hit rate per hour/, 'cache tab');
		s = await key('4', /possible runaway loops/, 'loops tab');
		s = await key('1', /\$ per minute/, 'live tab');
		s = await key('Enter', /session .*\(Esc back\)/, 'a session');
		assert.match(s, /context per call/);
		s = await key('Escape', /\$ per minute/, 'back to live');
		s = await key('?', /Keys \(\? or Esc closes\)/, 'help');
		tmux('send-keys', '-t', 'bt', 'Escape');
		await sleep(300);
		tmux('send-keys', '-t', 'bt', 'q');
		const t = Date.now();
		while (spawnSync('tmux', ['-L', SOCKET, 'has-session', '-t', 'bt']).status === 0) {
			if (Date.now() - t > 5000) throw new Error('q did not quit');
			await sleep(100);
		}

		assert.deepEqual(fs.readdirSync(tmp).filter(f => f.startsWith('burntop-demo-')), [], 'the demo folder is removed on q');
	});

	it('SIGHUP (terminal closed) and SIGTERM end the monitor with exit status 0', async ctx => {
		const cli = builtCli(ctx);
		if (!cli) return;
		// Each signal in a session of its own, side by side (the two monitors mostly wait).
		await Promise.all((['SIGHUP', 'SIGTERM'] as const).map(async sig => {
			const name = `sig${sig}`;
			const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'burntop-tmux-tmp-'));
			const cmd = `echo BEFORE-BURNTOP; env -u CI TERM=xterm-256color TMPDIR=${tmp} ${process.execPath} ${cli} --demo; echo EXIT=$?; sleep 30`;
			tmux('new-session', '-d', '-s', name, '-x', '100', '-y', '30', '-c', ROOT, cmd);
			const shell = Number(tmux('list-panes', '-t', name, '-F', '#{pane_pid}').trim());
			const t = Date.now();
			let pid = 0;
			while (!pid || !/burntop/.test(tmux('capture-pane', '-t', name, '-p'))) {
				if (Date.now() - t > 20_000) throw new Error('the monitor did not start');
				pid = Number(spawnSync('pgrep', ['-P', String(shell)], {encoding: 'utf8'}).stdout.trim().split('\n')[0] || 0);
				await sleep(100);
			}

			process.kill(pid, sig);
			const start = Date.now();
			while (!/EXIT=/.test(tmux('capture-pane', '-t', name, '-p'))) {
				if (Date.now() - start > 5000) throw new Error(`${sig} did not end the monitor`);
				await sleep(100);
			}

			const after = tmux('capture-pane', '-t', name, '-p');
			assert.match(after, /EXIT=0/, sig);
			// The alternate screen: the shell's screen comes back as it was, no frame left over.
			assert.match(after, /BEFORE-BURNTOP\nEXIT=0/, sig);
			assert.doesNotMatch(after, /today \$/, sig);
			assert.deepEqual(fs.readdirSync(tmp).filter(f => f.startsWith('burntop-demo-')), [], `the demo folder is removed on ${sig}`);
			spawnSync('tmux', ['-L', SOCKET, 'kill-session', '-t', name]);
		}));
	});
});

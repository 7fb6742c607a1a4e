// `burntop --watch --json` as a real process: NDJSON on stdout, a line per change, clean exit on signals.
import assert from 'node:assert/strict';
import {spawn} from 'node:child_process';
import path from 'node:path';
import {describe, it} from 'node:test';
import {builtCli} from './helpers/built-cli.js';
import {append, claudeAssistant as a, claudePath, tempHome, write} from './helpers/home.js';

const ROOT = path.resolve(import.meta.dirname, '..');

/** The bundled CLI as users run it (from source, tsx's loader thread can race a signal at exit). */
function start(cli: string, home: string, args: string[]) {
	const child = spawn(process.execPath, [cli, '--watch', '--json', ...args], {
		cwd: ROOT,
		env: {...process.env, HOME: home, CLAUDE_CONFIG_DIR: '', CODEX_HOME: ''},
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	const lines: any[] = [];
	let buf = '';
	let stderr = '';
	child.stdout.on('data', d => {
		buf += d;
		let i;
		while ((i = buf.indexOf('\n')) !== -1) {
			lines.push(JSON.parse(buf.slice(0, i)));
			buf = buf.slice(i + 1);
		}
	});
	child.stderr.on('data', d => (stderr += d));
	const exited = new Promise<number | null>(resolve => child.on('exit', code => resolve(code)));
	return {child, lines, exited, stderr: () => stderr};
}

async function waitFor(cond: () => boolean, what: string, ms = 15_000): Promise<void> {
	const t = Date.now();
	while (!cond()) {
		if (Date.now() - t > ms) throw new Error(`timed out waiting for ${what}`);
		await new Promise(r => setTimeout(r, 20));
	}
}

describe('--watch --json', () => {
	it('streams a snapshot with a burn section per change and exits 0 on SIGTERM', async t => {
		const cli = builtCli(t);
		if (!cli) return;
		const home = tempHome();
		const now = Date.now();
		const file = write(claudePath(home, '-p', 's.jsonl'), [a({id: 'm1', ts: new Date(now - 60_000).toISOString(), output: 1000})]);
		const w = start(cli, home, ['--interval', '100']);
		await waitFor(() => w.lines.some(l => l.totals.calls === 1 && l.progress.done), 'the first snapshot');
		const first = w.lines.at(-1);
		assert.equal(first.version, 1);
		for (const k of ['windows', 'trend', 'projection', 'perMinute', 'sessions', 'byTool']) assert.ok(k in first.burn, k);
		assert.ok(first.burn.windows['5m'].usd > 0);
		const count = w.lines.length;
		append(file, [a({id: 'm2', ts: new Date().toISOString(), output: 500})]);
		await waitFor(() => w.lines.at(-1).totals.calls === 2, 'the appended call');
		assert.equal(w.lines.at(-1).totals.outputTokens, 1500);
		// Nothing changes: no new lines (only on change).
		const settled = w.lines.length;
		await new Promise(r => setTimeout(r, 400));
		assert.equal(w.lines.length, settled);
		assert.ok(settled > count);
		w.child.kill('SIGTERM');
		assert.equal(await w.exited, 0, w.stderr());
	});

	it('keeps running on a home with no agent history yet, until a signal', async t => {
		// No store folder, so no watcher: the process once ended by itself after its first line (exit 13).
		const cli = builtCli(t);
		if (!cli) return;
		const w = start(cli, tempHome(), ['--interval', '100']);
		await waitFor(() => w.lines.length > 0, 'the first line');
		assert.equal(w.lines[0].totals.calls, 0);
		let exited: number | null | undefined;
		void w.exited.then(code => (exited = code));
		await new Promise(r => setTimeout(r, 1500));
		assert.equal(exited, undefined, `ended by itself: ${w.stderr()}`);
		w.child.kill('SIGTERM');
		assert.equal(await w.exited, 0, w.stderr());
	});

	it('exits 0 on SIGHUP (terminal closed) too', async t => {
		const cli = builtCli(t);
		if (!cli) return;
		const home = tempHome();
		write(claudePath(home, '-p', 's.jsonl'), [a({id: 'm1', ts: new Date().toISOString(), output: 10})]);
		const w = start(cli, home, ['--interval', '100']);
		await waitFor(() => w.lines.length > 0, 'the first line');
		w.child.kill('SIGHUP');
		assert.equal(await w.exited, 0, w.stderr());
	});

	it('refuses --watch without --json and a bad --interval', async () => {
		const home = tempHome();
		const {runCli} = await import('./helpers/home.js');
		const r = await runCli(['--watch'], {HOME: home});
		assert.equal(r.code, 2);
		assert.match(r.stderr, /--watch --json/);
		const i = await runCli(['--watch', '--json', '--interval', '5'], {HOME: home});
		assert.equal(i.code, 2);
		assert.match(i.stderr, /--interval/);
	});
});

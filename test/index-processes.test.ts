// The index with real burntop processes side by side, as users run them: a `--watch --json`
// monitor open while `--check`, `export` and `doctor` run from cron, and runs killed (-9) while
// they save. The numbers a warm start shows are those of a cold scan, every time.
import assert from 'node:assert/strict';
import {spawn, spawnSync, type ChildProcess} from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {after, describe, it} from 'node:test';
import {generate} from '../bench/generate.js';
import {builtCli} from './helpers/built-cli.js';
import {rng} from './helpers/corpus.js';
import {append, claudeAssistant, FIXTURE_HOME, sharedAvailable, tempHome} from './helpers/home.js';
import {waitFor} from './helpers/wait.js';

const children: ChildProcess[] = [];
after(() => {
	for (const c of children) c.kill('SIGKILL');
});

type Sums = string;

function sums(cli: string, env: NodeJS.ProcessEnv, extra: string[] = []): Sums {
	const r = spawnSync(process.execPath, [cli, '--once', '--json', ...extra], {encoding: 'utf8', env});
	assert.equal(r.status, 0, r.stderr);
	const s = JSON.parse(r.stdout) as {tools: Array<{tool: string; calls: number; inputTokens: number; outputTokens: number; cacheReadTokens: number; cacheWriteTokens: number; costUSD: number}>};
	return s.tools.map(t => [t.tool, t.calls, t.inputTokens, t.outputTokens, t.cacheReadTokens, t.cacheWriteTokens, t.costUSD].join(' ')).sort().join('; ');
}

function envFor(home: string, cache: string): NodeJS.ProcessEnv {
	return {...process.env, HOME: home, XDG_CACHE_HOME: cache, CLAUDE_CONFIG_DIR: '', CODEX_HOME: '', CI: 'true'};
}

describe('index with burntop processes side by side', () => {
	it('the fixture home: warm starts, a monitor beside --check, export and doctor, the home restored with new inodes', async t => {
		const cli = builtCli(t);
		if (!cli || !sharedAvailable()) return;
		const root = tempHome('burntop-procs-');
		const home = path.join(root, 'home');
		fs.cpSync(FIXTURE_HOME, home, {recursive: true});
		const cache = path.join(root, 'cache');
		const env = envFor(home, cache);
		const cold = () => sums(cli, env, ['--no-cache']);
		const want = cold();
		for (let i = 0; i < 3; i++) assert.equal(sums(cli, env), want, `warm start ${i + 1}`);

		// A monitor in a side terminal (its JSON feed), then one Claude Code call appended.
		const watch = spawn(process.execPath, [cli, '--watch', '--json', '--interval', '100'], {env, stdio: ['ignore', 'pipe', 'pipe']});
		children.push(watch);
		let lines = 0;
		watch.stdout!.on('data', (d: Buffer) => (lines += d.toString().split('\n').length - 1));
		await waitFor(() => lines > 0, 'the monitor\'s first line', 20_000);
		const transcript = path.join(home, '.claude', 'projects', '-home-u-side', 'side-1.jsonl');
		fs.mkdirSync(path.dirname(transcript), {recursive: true});
		append(transcript, [claudeAssistant({id: 'msg_side_1', ts: '2026-12-01T10:00:00.000Z', sessionId: 'side-1', cwd: '/home/u/side', input: 12, output: 345, cacheRead: 6789, cacheWrite: 10})]);
		const withCall = cold();
		assert.notEqual(withCall, want);
		// cron's --check, an export and doctor while the monitor runs.
		for (const argv of [['--check'], ['export', '--format', 'csv'], ['doctor']]) {
			const r = spawnSync(process.execPath, [cli, ...argv], {encoding: 'utf8', env});
			assert.ok(r.status === 0 || r.status === 1, `${argv.join(' ')}: ${r.stderr}`);
		}

		assert.equal(sums(cli, env), withCall, 'beside the monitor');
		await new Promise(r => setTimeout(r, 300));
		watch.kill('SIGTERM');
		await new Promise(r => watch.once('exit', r));
		assert.equal(sums(cli, env), withCall, 'after the monitor quit (it saved its own view)');
		assert.equal(sums(cli, env), withCall, 'and again');

		// The same home restored with new inodes.
		fs.cpSync(home, `${home}.new`, {recursive: true, preserveTimestamps: true});
		fs.rmSync(home, {recursive: true});
		fs.renameSync(`${home}.new`, home);
		assert.equal(sums(cli, env), withCall, 'new inodes');
		assert.equal(sums(cli, env), withCall, 'new inodes, again');

		// An index file that only grows by what changed: the log is folded in after each save.
		const wal = path.join(cache, 'burntop', 'index.sqlite-wal');
		assert.ok(!fs.existsSync(wal) || fs.statSync(wal).size <= 1024 * 1024, 'the -wal file stays small');
	});

	it('runs killed (-9) while they read or save leave an index that gives the cold numbers', async t => {
		const cli = builtCli(t);
		if (!cli) return;
		const dir = tempHome('burntop-kill-');
		generate(dir, 6, 4);
		const home = path.join(dir, 'home');
		const cache = path.join(dir, 'cache');
		const env = envFor(home, cache);
		sums(cli, env); // The index as a first run leaves it.
		const r = rng(4242);
		let killed = 0;
		for (let i = 0; i < 4; i++) {
			// Something new each round, so the killed run has reading and a save to do.
			const f = path.join(home, '.claude', 'projects', '-home-u-kill', `kill-${i}.jsonl`);
			fs.mkdirSync(path.dirname(f), {recursive: true});
			append(f, Array.from({length: 50}, (_, k) => claudeAssistant({id: `msg_k${i}_${k}`, ts: new Date(Date.parse('2026-11-01T00:00:00Z') + (i * 50 + k) * 60_000).toISOString(), sessionId: `kill-${i}`, cwd: '/home/u/kill', input: 10 + k, output: 100 + k, cacheRead: 1000 * k, cacheWrite: 5})));
			const want = sums(cli, env, ['--no-cache']);
			// How long such a run takes here (a throwaway copy of the index), to kill inside it.
			const probe = path.join(dir, `probe-${i}`);
			fs.cpSync(cache, probe, {recursive: true});
			const t0 = performance.now();
			sums(cli, {...env, XDG_CACHE_HOME: probe});
			const took = performance.now() - t0;
			const child = spawn(process.execPath, [cli, '--once', '--json'], {env, stdio: 'ignore'});
			children.push(child);
			const delay = Math.floor(took * (0.5 + 0.5 * r()));
			const exited = new Promise<number | null>(resolve => child.once('exit', code => resolve(code)));
			const timer = setTimeout(() => child.kill('SIGKILL'), delay);
			const code = await exited;
			clearTimeout(timer);
			if (code === null) killed++;
			assert.equal(sums(cli, env), want, `after run ${i + 1} (killed after ${delay} ms: ${code === null})`);
		}

		assert.ok(killed >= 1, `${killed} runs were killed`);
	});
});

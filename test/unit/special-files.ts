// Files an unpacked tarball or a hostile folder can hold where burntop reads: FIFOs (opening one
// waits for a writer forever), links to /dev/zero (never ends), folders named like session
// files. In the cold scan, the project attribution (.git/config, a .git file) and the live
// watcher: never a hang or a memory blow-up, the good calls counted, each skip reported.
import assert from 'node:assert/strict';
import {execFileSync, spawn, spawnSync} from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {after, describe, it} from 'node:test';
import {builtCli} from '../helpers/built-cli.js';
import {append, claudeAssistant, claudePath, tempHome, write} from '../helpers/home.js';
import {waitFor} from '../helpers/wait.js';

const children: Array<ReturnType<typeof spawn>> = [];
after(() => {
	for (const c of children) c.kill('SIGKILL');
});

const fifo = (p: string) => {
	fs.mkdirSync(path.dirname(p), {recursive: true});
	execFileSync('mkfifo', [p]);
};

const zero = (p: string) => {
	fs.mkdirSync(path.dirname(p), {recursive: true});
	fs.symlinkSync('/dev/zero', p);
};

/** A home with one good call and every kind of special file where burntop looks. */
function hostileHome(): {home: string; repo: string} {
	const home = tempHome('burntop-special-');
	// A repository whose .git/config is a FIFO, and a worktree whose .git file points at /dev/zero.
	const repo = path.join(home, 'work', 'repo');
	fs.mkdirSync(path.join(repo, '.git'), {recursive: true});
	fifo(path.join(repo, '.git', 'config'));
	fs.writeFileSync(path.join(repo, '.git', 'HEAD'), 'ref: refs/heads/main\n');
	const wt = path.join(home, 'work', 'wt');
	fs.mkdirSync(wt, {recursive: true});
	zero(path.join(wt, '.git'));
	write(claudePath(home, '-work-repo', 'good.jsonl'), [
		claudeAssistant({id: 'msg_good', ts: '2026-11-30T10:00:00.000Z', sessionId: 'good', cwd: repo, input: 11, output: 222}),
		claudeAssistant({id: 'msg_wt', ts: '2026-11-30T10:01:00.000Z', sessionId: 'good', cwd: wt, input: 1, output: 3}),
	]);
	fifo(claudePath(home, '-work-repo', 'fifo.jsonl'));
	zero(claudePath(home, '-work-repo', 'zero.jsonl'));
	fs.mkdirSync(claudePath(home, '-work-repo', 'folder.jsonl'), {recursive: true});
	// Gemini whole-file JSON as a link to /dev/zero, OpenCode legacy part as a FIFO, Cursor workspace.json as a FIFO.
	zero(path.join(home, '.gemini', 'tmp', 'abc', 'chats', 'session-x.json'));
	fifo(path.join(home, '.local', 'share', 'opencode', 'storage', 'part', 'msg_1', 'prt_1.json'));
	write(path.join(home, '.local', 'share', 'opencode', 'storage', 'message', 'proj', 'msg_1.json'), JSON.stringify({id: 'msg_1', sessionID: 'ses_1', role: 'assistant', modelID: 'claude-sonnet-4-5', time: {created: Date.parse('2026-11-30T10:00:00Z')}, tokens: {input: 5, output: 6, reasoning: 0, cache: {read: 0, write: 0}}}));
	fifo(path.join(home, '.config', 'Cursor', 'User', 'workspaceStorage', 'w1', 'workspace.json'));
	fs.mkdirSync(path.join(home, '.config', 'Cursor', 'User', 'globalStorage'), {recursive: true});
	fifo(path.join(home, '.config', 'Cursor', 'User', 'globalStorage', 'state.vscdb'));
	return {home, repo};
}

describe('special files where burntop reads', () => {
	it('a cold scan (with project attribution) finishes within seconds, counts the good calls, reports each skip', t => {
		const cli = builtCli(t);
		if (!cli) return;
		const {home} = hostileHome();
		const env = {...process.env, HOME: home, CLAUDE_CONFIG_DIR: '', CODEX_HOME: '', XDG_CACHE_HOME: tempHome()};
		const t0 = performance.now();
		const r = spawnSync(process.execPath, [cli, '--once', '--json'], {env, encoding: 'utf8', timeout: 20_000});
		assert.equal(r.error, undefined, `no hang (${((performance.now() - t0) / 1000).toFixed(1)} s)`);
		assert.equal(r.status, 0, r.stderr);
		const s = JSON.parse(r.stdout);
		const claude = s.tools.find((x: {tool: string}) => x.tool === 'claude-code');
		assert.deepEqual([claude.calls, claude.outputTokens], [2, 225]);
		const reasons = s.health.errors.map((e: {file: string; reason: string}) => `${path.basename(e.file)}: ${e.reason}`).join('\n');
		assert.match(reasons, /fifo\.jsonl: cannot read: a FIFO, not a regular file/);
		assert.match(reasons, /zero\.jsonl: cannot read: a device, not a regular file/);
		assert.match(reasons, /session-x\.json: cannot read: a device, not a regular file/);
		assert.ok(performance.now() - t0 < 15_000);
		// The same home through doctor, and export: no hang either.
		for (const argv of [['doctor'], ['export', '--format', 'csv']]) {
			const run: {error?: Error; status: number | null; stderr: string} = spawnSync(process.execPath, [cli, ...argv], {env, encoding: 'utf8', timeout: 20_000});
			assert.equal(run.error, undefined, argv.join(' '));
			assert.ok(run.status === 0 || run.status === 1, `${argv.join(' ')}: ${run.stderr}`);
		}
	});

	it('live: a FIFO or a /dev/zero link appearing as a session file does not stall the watcher', async t => {
		const cli = builtCli(t);
		if (!cli) return;
		const {home} = hostileHome();
		const env = {...process.env, HOME: home, CLAUDE_CONFIG_DIR: '', CODEX_HOME: '', XDG_CACHE_HOME: tempHome()};
		const watch = spawn(process.execPath, [cli, '--watch', '--json', '--interval', '100'], {env, stdio: ['ignore', 'pipe', 'pipe']});
		children.push(watch);
		let last: {totals: {calls: number}} | undefined;
		let buf = '';
		watch.stdout!.on('data', (d: Buffer) => {
			buf += d.toString();
			let i;
			while ((i = buf.indexOf('\n')) !== -1) {
				last = JSON.parse(buf.slice(0, i));
				buf = buf.slice(i + 1);
			}
		});
		await waitFor(() => last !== undefined, 'the first line', 20_000);
		const before = last!.totals.calls;
		// New special files while watching, then a good call after them.
		fifo(claudePath(home, '-work-live', 'live-fifo.jsonl'));
		zero(claudePath(home, '-work-live', 'live-zero.jsonl'));
		zero(path.join(home, '.gemini', 'tmp', 'abc', 'chats', 'session-y.json'));
		await new Promise(r => setTimeout(r, 500));
		append(claudePath(home, '-work-live', 'live-good.jsonl'), [claudeAssistant({id: 'msg_live', ts: new Date().toISOString(), sessionId: 'live', output: 9})]);
		await waitFor(() => last!.totals.calls === before + 1, 'the good call after the special files', 20_000);
		const rss = Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${watch.pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
		assert.ok(rss < 400, `RSS ${rss.toFixed(0)} MB`);
		watch.kill('SIGTERM');
		const code = await new Promise(r => watch.once('exit', r));
		assert.equal(code, 0, 'SIGTERM ends it cleanly (the main thread is not blocked)');
	});
});

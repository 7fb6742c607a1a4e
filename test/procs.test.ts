// The kill action against real processes started by the test.
import assert from 'node:assert/strict';
import {spawn, type ChildProcess} from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {after, describe, it} from 'node:test';
import {agentOf, findAgentProcess, holdsOpen, listAgents, signalAgent} from '../src/procs.js';
import {tempHome} from './helpers/home.js';

const linux = process.platform === 'linux';
const children: ChildProcess[] = [];
after(() => children.forEach(c => c.kill('SIGKILL')));

/** A fake agent: a script called `claude` running in its own project folder. */
function fakeAgent(opts: {uid?: number} = {}): {child: ChildProcess; cwd: string} {
	const cwd = tempHome('burntop-agent-');
	fs.chmodSync(cwd, 0o755);
	const script = path.join(cwd, 'claude');
	fs.writeFileSync(script, 'process.on("SIGINT", () => process.exit(130)); setInterval(() => {}, 1000);\n');
	fs.chmodSync(script, 0o755);
	const child = spawn(process.execPath, [script], {cwd, stdio: 'ignore', ...(opts.uid === undefined ? {} : {uid: opts.uid, gid: opts.uid})});
	children.push(child);
	return {child, cwd};
}

async function waitFor<T>(f: () => T | undefined, what: string): Promise<T> {
	const t = Date.now();
	for (;;) {
		const v = f();
		if (v) return v;
		if (Date.now() - t > 5000) throw new Error(`timed out: ${what}`);
		await new Promise(r => setTimeout(r, 20));
	}
}

describe('kill: finding and signalling the agent process', {skip: !linux && 'needs /proc'}, () => {
	it('finds the agent by cwd, refuses without confirmation, sends SIGINT when confirmed, and it is gone', async () => {
		const {child, cwd} = fakeAgent();
		const exited = new Promise<string>(r => child.on('exit', (code, sig) => r(sig ?? String(code))));
		const p = await waitFor(() => findAgentProcess({tool: 'claude-code', project: cwd, firstAt: Date.now() + 1000}).process, 'the agent process');
		assert.equal(p.pid, child.pid);
		assert.match(p.command, /claude$/);
		assert.deepEqual(signalAgent(p, 'SIGINT', false), {ok: false, reason: 'not confirmed'});
		assert.ok(listAgents().some(x => x.pid === child.pid), 'still running after a refused kill');
		assert.deepEqual(signalAgent(p, 'SIGINT', true), {ok: true, signal: 'SIGINT'});
		// Its SIGINT handler exits 130; before the handler is installed SIGINT ends it directly.
		assert.ok(['130', 'SIGINT'].includes(await exited));
		assert.ok(!listAgents().some(x => x.pid === child.pid));
		assert.match((signalAgent(p, 'SIGTERM', true) as {reason: string}).reason, /no longer running/);
	});

	it('does not match a process in another folder or one started after the session', async () => {
		const {cwd} = fakeAgent();
		await waitFor(() => findAgentProcess({tool: 'claude-code', project: cwd, firstAt: Date.now() + 1000}).process, 'the agent');
		assert.equal(findAgentProcess({tool: 'claude-code', project: '/somewhere/else', firstAt: Date.now()}).process, undefined);
		assert.equal(findAgentProcess({tool: 'claude-code', project: cwd, firstAt: Date.now() - 60 * 60_000}).process, undefined);
		assert.equal(findAgentProcess({tool: 'codex', project: cwd, firstAt: Date.now() + 1000}).process, undefined, 'a Claude Code process is not a Codex session\'s');
	});

	it('refuses a process of another user, even as root', {skip: process.getuid?.() !== 0 && 'needs root to start a process as another user'}, async () => {
		const {child} = fakeAgent({uid: 65534});
		await waitFor(() => fs.existsSync(`/proc/${child.pid}/status`) || undefined, 'the other user process');
		// It is not listed as ours…
		assert.ok(!listAgents().some(x => x.pid === child.pid));
		// …and a forged record for it is refused before any signal.
		const forged = {pid: child.pid!, uid: 65534, command: 'claude', cwd: '/', startedAt: Date.now(), agent: 'claude-code'};
		assert.match((signalAgent(forged, 'SIGINT', true) as {reason: string}).reason, /another user/);
		assert.equal(child.exitCode, null);
	});
});

describe('matching a session to its agent process', () => {
	const list = [
		{pid: 11, uid: 1, command: 'claude', cwd: '/r/shop/services/api', startedAt: 1000, agent: 'claude-code'},
		{pid: 12, uid: 1, command: 'claude', cwd: '/elsewhere', startedAt: 1000, agent: 'claude-code'},
		{pid: 13, uid: 1, command: 'codex', cwd: '/r/shop', startedAt: 9_999_999, agent: 'codex'},
		{pid: 14, uid: 1, command: 'codex', cwd: '/r/shop', startedAt: 500, agent: 'codex'},
	];
	it('finds an agent running in a subfolder or worktree of the project, of the session\'s own tool', () => {
		assert.equal(findAgentProcess({tool: 'claude-code', project: '/r/shop', cwds: ['/r/shop/services/api'], firstAt: 2000}, list).process?.pid, 11);
		assert.equal(findAgentProcess({tool: 'claude-code', project: '/r/shop', firstAt: 2000}, list).process, undefined, 'not without the session’s folders; the codex processes are another tool');
		assert.equal(findAgentProcess({tool: 'codex', project: '/r/shop', firstAt: 2000}, list).process?.pid, 14, '13 started after the session');
	});

	it('two candidates: none chosen, both listed; the one holding the session file open wins', () => {
		const two = [...list, {pid: 15, uid: 1, command: 'codex resume', cwd: '/r/shop', startedAt: 600, agent: 'codex'}];
		const none = () => false;
		const q = {tool: 'codex', project: '/r/shop', firstAt: 2000, files: ['/h/.codex/sessions/r.jsonl']};
		assert.deepEqual(findAgentProcess(q, two, none), {candidates: [two[3], two[4]]});
		assert.equal(findAgentProcess(q, two, pid => pid === 15).process?.pid, 15);
		assert.equal(findAgentProcess(q, two, () => true).process, undefined, 'both hold it: still no guess');
	});

	it('knows an agent by its executable, never by a path in its arguments', () => {
		assert.equal(agentOf(['/usr/local/bin/claude', '--resume']), 'claude-code');
		assert.equal(agentOf(['node', '/usr/lib/node_modules/@anthropic-ai/claude-code/cli.js']), 'claude-code');
		assert.equal(agentOf(['node', '--no-warnings', '/opt/codex.js']), 'codex');
		assert.equal(agentOf(['codex', 'exec', 'fix it']), 'codex');
		assert.equal(agentOf(['tail', '-f', '/home/u/.codex/sessions/codex']), undefined);
		assert.equal(agentOf(['vim', '/home/u/claude']), undefined);
		assert.equal(agentOf(['bash', '-c', 'claude']), undefined);
		assert.equal(agentOf(['gemini']), 'gemini-cli');
	});
});

describe('open files', {skip: !linux && 'needs /proc'}, () => {
	it('sees a process holding a session file open, by its real path', async () => {
		const dir = tempHome('burntop-holds-');
		const file = path.join(dir, 'rollout.jsonl');
		fs.writeFileSync(file, '');
		const child = spawn(process.execPath, ['-e', `require('fs').openSync(${JSON.stringify(file)}, 'r'); setInterval(() => {}, 1000); console.log('open')`], {stdio: ['ignore', 'pipe', 'ignore']});
		children.push(child);
		await new Promise(r => child.stdout!.once('data', r));
		assert.equal(holdsOpen(child.pid!, [file]), true);
		assert.equal(holdsOpen(child.pid!, [path.join(dir, 'other.jsonl')]), false);
		fs.symlinkSync(dir, `${dir}-link`);
		assert.equal(holdsOpen(child.pid!, [path.join(`${dir}-link`, 'rollout.jsonl')]), true, 'through a linked folder');
	});
});

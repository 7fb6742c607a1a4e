// The kill action against real processes started by the test.
import assert from 'node:assert/strict';
import {spawn, type ChildProcess} from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {after, describe, it} from 'node:test';
import {findAgentProcess, listAgents, signalAgent} from '../src/procs.js';
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
		const p = await waitFor(() => findAgentProcess({project: cwd, firstAt: Date.now() + 1000}), 'the agent process');
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
		await waitFor(() => findAgentProcess({project: cwd, firstAt: Date.now() + 1000}), 'the agent');
		assert.equal(findAgentProcess({project: '/somewhere/else', firstAt: Date.now()}), undefined);
		assert.equal(findAgentProcess({project: cwd, firstAt: Date.now() - 60 * 60_000}), undefined);
	});

	it('refuses a process of another user, even as root', {skip: process.getuid?.() !== 0 && 'needs root to start a process as another user'}, async () => {
		const {child} = fakeAgent({uid: 65534});
		await waitFor(() => fs.existsSync(`/proc/${child.pid}/status`) || undefined, 'the other user process');
		// It is not listed as ours…
		assert.ok(!listAgents().some(x => x.pid === child.pid));
		// …and a forged record for it is refused before any signal.
		const forged = {pid: child.pid!, uid: 65534, command: 'claude', cwd: '/', startedAt: Date.now()};
		assert.match((signalAgent(forged, 'SIGINT', true) as {reason: string}).reason, /another user/);
		assert.equal(child.exitCode, null);
	});
});

describe('matching a session to its agent process', () => {
	const list = [
		{pid: 11, uid: 1, command: 'claude', cwd: '/r/shop/services/api', startedAt: 1000},
		{pid: 12, uid: 1, command: 'claude', cwd: '/elsewhere', startedAt: 1000},
		{pid: 13, uid: 1, command: 'codex', cwd: '/r/shop', startedAt: 9_999_999},
	];
	it('finds an agent running in a subfolder or worktree of the project', () => {
		assert.equal(findAgentProcess({project: '/r/shop', cwds: ['/r/shop/services/api'], firstAt: 2000}, list)?.pid, 11);
		assert.equal(findAgentProcess({project: '/r/shop', firstAt: 2000}, list), undefined, 'not without the session’s folders; 13 started after the session');
	});
});

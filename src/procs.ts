// Finding and stopping the agent process behind a session. Only the user's own processes,
// only after confirmation; a PID is re-checked (owner and start time) right before a signal
// so a reused PID is never hit.
import fs from 'node:fs';
import path from 'node:path';
import {childProcess} from './child-process.js';

export type AgentProcess = {pid: number; uid: number; command: string; cwd: string; startedAt: number};

/** Command lines of the supported agents. */
const AGENT = /(^|[\/\s])(claude|codex|gemini|opencode|copilot|qwen|kilo|cursor-agent)(\.js|\.mjs|\.cjs)?(\s|$)|@anthropic-ai\/claude-code|@openai\/codex/i;

export type Finder = (q: {tool: string; project: string; firstAt: number}) => AgentProcess | undefined;

function bootTime(): number {
	const m = /^btime (\d+)$/m.exec(fs.readFileSync('/proc/stat', 'utf8'));
	return m ? Number(m[1]) * 1000 : 0;
}

/** Processes of this user from /proc (Linux). */
export function listLinux(procRoot = '/proc', myUid = process.getuid?.() ?? -1): AgentProcess[] {
	const out: AgentProcess[] = [];
	const boot = bootTime();
	const hz = 100;
	for (const name of fs.readdirSync(procRoot)) {
		if (!/^\d+$/.test(name)) continue;
		const pid = Number(name);
		try {
			const status = fs.readFileSync(path.join(procRoot, name, 'status'), 'utf8');
			const uid = Number(/^Uid:\s+(\d+)/m.exec(status)?.[1] ?? -1);
			if (uid !== myUid) continue;
			const command = fs.readFileSync(path.join(procRoot, name, 'cmdline'), 'utf8').split('\0').filter(Boolean).join(' ');
			if (!AGENT.test(command)) continue;
			const cwd = fs.readlinkSync(path.join(procRoot, name, 'cwd'));
			const stat = fs.readFileSync(path.join(procRoot, name, 'stat'), 'utf8');
			const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
			const startedAt = boot + (Number(fields[19]) / hz) * 1000;
			out.push({pid, uid, command, cwd, startedAt});
		} catch {
			// Gone, or not ours to read: skip.
		}
	}

	return out;
}

/** macOS: ps for owner, start and command; lsof for the working directory. */
export function listDarwin(myUid = process.getuid?.() ?? -1): AgentProcess[] {
	const out: AgentProcess[] = [];
	let ps = '';
	try {
		ps = childProcess().execFileSync('ps', ['-axo', 'pid=,uid=,lstart=,command='], {encoding: 'utf8', timeout: 2000});
	} catch {
		return out;
	}

	for (const line of ps.split('\n')) {
		const m = /^\s*(\d+)\s+(\d+)\s+(\w{3} \w{3}\s+\d+ [\d:]+ \d{4})\s+(.*)$/.exec(line);
		if (!m || Number(m[2]) !== myUid || !AGENT.test(m[4]!)) continue;
		let cwd = '';
		try {
			cwd = /^n(.*)$/m.exec(childProcess().execFileSync('lsof', ['-a', '-p', m[1]!, '-d', 'cwd', '-Fn'], {encoding: 'utf8', timeout: 2000}))?.[1] ?? '';
		} catch {}

		out.push({pid: Number(m[1]), uid: Number(m[2]), command: m[4]!, cwd, startedAt: Date.parse(m[3]!)});
	}

	return out;
}

export function listAgents(): AgentProcess[] {
	if (process.platform === 'linux') return listLinux();
	if (process.platform === 'darwin') return listDarwin();
	return [];
}

/** The agent process of a session: same working directory, started before its first call. */
export function findAgentProcess(q: {project: string; cwds?: readonly string[]; firstAt: number}, list: AgentProcess[] = listAgents()): AgentProcess | undefined {
	const slack = 5 * 60_000;
	// The project is the repository root; the agent may run in a subfolder or worktree of it.
	const candidates = list.filter(p => (p.cwd === q.project || q.cwds?.includes(p.cwd)) && p.startedAt <= q.firstAt + slack);
	// The most recently started one that predates the session is the likeliest owner.
	return candidates.sort((a, b) => b.startedAt - a.startedAt)[0];
}

export type KillResult = {ok: true; signal: NodeJS.Signals} | {ok: false; reason: string};

/** Signal a process found earlier, after confirmation, if it is still the same one and ours. */
export function signalAgent(p: AgentProcess, signal: 'SIGINT' | 'SIGTERM', confirmed: boolean, current: () => AgentProcess[] = listAgents): KillResult {
	if (!confirmed) return {ok: false, reason: 'not confirmed'};
	const myUid = process.getuid?.() ?? -1;
	if (p.uid !== myUid) return {ok: false, reason: `process ${p.pid} belongs to another user`};
	const now = current().find(x => x.pid === p.pid);
	if (!now) return {ok: false, reason: `process ${p.pid} is no longer running`};
	if (now.uid !== myUid) return {ok: false, reason: `process ${p.pid} belongs to another user`};
	if (Math.abs(now.startedAt - p.startedAt) > 2000) return {ok: false, reason: `PID ${p.pid} now belongs to another process`};
	try {
		process.kill(p.pid, signal);
		return {ok: true, signal};
	} catch (error) {
		return {ok: false, reason: (error as Error).message};
	}
}

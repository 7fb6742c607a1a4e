// Finding and stopping the agent process behind a session. Only the user's own processes,
// only after confirmation; a PID is re-checked (owner and start time) right before a signal
// so a reused PID is never hit.
import fs from 'node:fs';
import path from 'node:path';
import {childProcess} from './child-process.js';

export type AgentProcess = {pid: number; uid: number; command: string; cwd: string; startedAt: number; /** The tool its executable is. */ agent: string};

/** Each tool's executables (a name, or a package path for a script run by node). */
const AGENTS: ReadonlyArray<[string, RegExp]> = [
	['claude-code', /^claude$|@anthropic-ai[\/\\]claude-code/],
	['codex', /^codex$|@openai[\/\\]codex/],
	['gemini-cli', /^gemini$|@google[\/\\]gemini-cli/],
	['opencode', /^opencode$/],
	['kilo-cli', /^kilo$/],
	['copilot-cli', /^copilot$|@github[\/\\]copilot/],
	['qwen-code', /^qwen$|@qwen-code[\/\\]/],
	['cursor', /^cursor-agent$/],
];
const RUNTIMES = /^(node|nodejs|bun|deno|npx)$/;

/**
 * Which agent a command line runs, by its executable (for node, bun or deno: the script it
 * runs), or undefined: `tail -f …/codex` or an editor with a session file open is not an agent.
 */
export function agentOf(argv: readonly string[]): string | undefined {
	const base = (s: string) => path.basename(s).replace(/\.(js|mjs|cjs)$/, '');
	const match = (s: string) => AGENTS.find(([, re]) => re.test(base(s)) || re.test(s))?.[0];
	const exe = argv[0] ?? '';
	if (RUNTIMES.test(base(exe))) {
		const script = argv.slice(1).find(a => !a.startsWith('-'));
		return script ? match(script) : undefined;
	}

	return match(exe);
}

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
			const argv = fs.readFileSync(path.join(procRoot, name, 'cmdline'), 'utf8').split('\0').filter(Boolean);
			const agent = agentOf(argv);
			if (!agent) continue;
			const command = argv.join(' ');
			const cwd = fs.readlinkSync(path.join(procRoot, name, 'cwd'));
			const stat = fs.readFileSync(path.join(procRoot, name, 'stat'), 'utf8');
			const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
			const startedAt = boot + (Number(fields[19]) / hz) * 1000;
			out.push({pid, uid, command, cwd, startedAt, agent});
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
		// ps joins argv with spaces: a path with spaces in the executable is not recognised (no guess).
		const agent = m ? agentOf(m[4]!.split(' ')) : undefined;
		if (!m || Number(m[2]) !== myUid || !agent) continue;
		let cwd = '';
		try {
			cwd = /^n(.*)$/m.exec(childProcess().execFileSync('lsof', ['-a', '-p', m[1]!, '-d', 'cwd', '-Fn'], {encoding: 'utf8', timeout: 2000}))?.[1] ?? '';
		} catch {}

		out.push({pid: Number(m[1]), uid: Number(m[2]), command: m[4]!, cwd, startedAt: Date.parse(m[3]!), agent});
	}

	return out;
}

export function listAgents(): AgentProcess[] {
	if (process.platform === 'linux') return listLinux();
	if (process.platform === 'darwin') return listDarwin();
	return [];
}

export type ProcessQuery = {tool: string; project: string; cwds?: readonly string[]; firstAt: number; files?: readonly string[]};

/** The process of a session, when exactly one fits; otherwise every candidate (none chosen). */
export type Found = {process?: AgentProcess; candidates: AgentProcess[]};

/**
 * The agent process of a session: the session's tool by its executable, in its folder (or a
 * subfolder or worktree the session ran in), started before its first call. Where the system
 * shows open files (Linux), one holding the session's file wins. Never a guess between two.
 */
export function findAgentProcess(q: ProcessQuery, list: AgentProcess[] = listAgents(), holds: (pid: number, files: readonly string[]) => boolean = holdsOpen): Found {
	const slack = 5 * 60_000;
	const candidates = list.filter(p => p.agent === q.tool && (p.cwd === q.project || q.cwds?.includes(p.cwd)) && p.startedAt <= q.firstAt + slack);
	if (candidates.length > 1 && q.files?.length) {
		const holding = candidates.filter(p => holds(p.pid, q.files!));
		if (holding.length === 1) return {process: holding[0], candidates};
		if (holding.length > 1) return {candidates: holding};
	}

	return candidates.length === 1 ? {process: candidates[0], candidates} : {candidates};
}

/** Does the process hold one of these files open (/proc/PID/fd on Linux; false elsewhere)? */
export function holdsOpen(pid: number, files: readonly string[], procRoot = '/proc'): boolean {
	if (process.platform !== 'linux') return false;
	const wanted = new Set(files.flatMap(f => {
		try {
			return [f, fs.realpathSync(f)];
		} catch {
			return [f];
		}
	}));
	try {
		const dir = path.join(procRoot, String(pid), 'fd');
		for (const fd of fs.readdirSync(dir)) {
			try {
				if (wanted.has(fs.readlinkSync(path.join(dir, fd)))) return true;
			} catch {}
		}
	} catch {}

	return false;
}

/** The same process as found earlier: a reused PID has another start time. */
function sameStart(a: AgentProcess, b: AgentProcess): boolean {
	return Math.abs(a.startedAt - b.startedAt) <= 2000;
}

/** Is this process (same PID and start) still running? */
export function stillRunning(p: AgentProcess, current: () => AgentProcess[] = listAgents): boolean {
	return current().some(x => x.pid === p.pid && sameStart(x, p));
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
	if (!sameStart(now, p)) return {ok: false, reason: `PID ${p.pid} now belongs to another process`};
	try {
		process.kill(p.pid, signal);
		return {ok: true, signal};
	} catch (error) {
		return {ok: false, reason: (error as Error).message};
	}
}

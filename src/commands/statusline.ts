// `burntop statusline`: one short line for Claude Code's statusLine (or a tmux/starship/i3 bar).
// Claude Code runs it often, so it loads only this, reads its own session's transcript and the
// status.json other burntop runs leave, and never scans the history.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {configPath, loadConfig} from '../config.js';
import {localDate} from '../core/time.js';
import {terminalSafe} from '../core/terminal-safe.js';
import {cacheDir} from '../ingest/cache-dir.js';
import {keepIn, lookSession, type SessionLook} from '../quick.js';
import {loadPriceMemo, savePriceMemo} from '../price-memo.js';
import {readStatus, type Status} from '../status-file.js';
import {tokens, usd} from '../report/format.js';
import type {ToolId} from '../core/types.js';

export type QuickIo = {
	argv: string[];
	env: Record<string, string | undefined>;
	stdout: NodeJS.WritableStream;
	stderr: NodeJS.WritableStream;
	/** Claude Code's JSON (undefined: nothing was piped in). */
	input?: string;
	clock?: () => number;
	/** Starts a background `burntop --once` to bring status.json up to date (never inline). */
	refresh?: () => void;
};

export const STATUSLINE_HELP = `Usage: burntop statusline [--format TEXT] [--session ID] [--tool TOOL] [--no-refresh]

Reads Claude Code's statusLine JSON on stdin and prints one line: this session's spend and
context, today's spend (all tools), $/min now, and a mark when the session looks like a loop or
a budget is over. Fields for --format: {session_usd} {context} {today_usd} {usd_per_min}
{calls} {model} {flag} {loop_score} {today_age}.`;

/** Parse `--name value` / `--name=value` flags; unknown ones are an error. */
export function quickFlags(argv: readonly string[], known: readonly string[], booleans: readonly string[]): Record<string, string | true> | string {
	const out: Record<string, string | true> = {};
	for (let i = 0; i < argv.length; i++) {
		const a = argv[i]!;
		if (!a.startsWith('--')) return `unexpected argument "${a}"`;
		const [name, inline] = a.slice(2).split(/=(.*)/s, 2) as [string, string | undefined];
		if (booleans.includes(name)) {
			out[name] = true;
			continue;
		}

		if (!known.includes(name)) return `unknown option --${name}`;
		const v = inline ?? argv[++i];
		if (v === undefined) return `--${name} needs a value`;
		out[name] = v;
	}

	return out;
}

type ClaudeInput = {session_id?: unknown; transcript_path?: unknown; cwd?: unknown; model?: {id?: unknown; display_name?: unknown}; context_window?: {context_window_size?: unknown}};

/** Age as "5m" / "2h". */
function age(ms: number): string {
	const m = Math.max(0, Math.round(ms / 60_000));
	return m < 60 ? `${m}m` : `${Math.round(m / 60)}h`;
}

/** How old status.json may be before a background run refreshes it. */
const STALE_MS = 60_000;

export function runStatusline(io: QuickIo): number {
	const f = quickFlags(io.argv, ['format', 'session', 'tool'], ['no-refresh', 'help']);
	if (typeof f === 'string') {
		io.stderr.write(`burntop statusline: ${f}\n${STATUSLINE_HELP}\n`);
		return 2;
	}

	if (f['help']) {
		io.stdout.write(`${STATUSLINE_HELP}\n`);
		return 0;
	}

	const now = (io.clock ?? Date.now)();
	const home = io.env['HOME'] || os.homedir();
	let input: ClaudeInput = {};
	if (io.input?.trim()) {
		try {
			const v = JSON.parse(io.input) as unknown;
			if (v && typeof v === 'object') input = v as ClaudeInput;
		} catch {
			io.stderr.write('burntop statusline: the input on stdin is not JSON (Claude Code sends its statusLine JSON)\n');
		}
	}

	const tool = (typeof f['tool'] === 'string' ? f['tool'] : 'claude-code') as ToolId;
	const sessionId = typeof f['session'] === 'string' ? f['session'] : typeof input.session_id === 'string' ? input.session_id : undefined;
	const transcript = typeof f['session'] === 'string' ? undefined : typeof input.transcript_path === 'string' ? input.transcript_path : undefined;
	let config;
	try {
		config = loadConfig(configPath(home, io.env));
	} catch {
		config = undefined;
	}

	const folder = cacheDir(home, io.env, process.platform);
	loadPriceMemo(folder);
	let look: SessionLook | undefined;
	try {
		look = sessionId || transcript ? lookSession({env: {home, env: io.env, platform: process.platform}, tool, sessionId, transcript, now, loops: config?.loops, pricing: {aliases: config?.aliases, overrides: config?.prices}, ...keepIn(folder, config)}) : undefined;
	} catch {
		look = undefined;
	}

	savePriceMemo(folder);
	const status = readStatus(folder);
	if (!f['no-refresh'] && io.refresh && (!status || now - status.at > STALE_MS)) startRefresh(folder, now, io.refresh);
	io.stdout.write(line(look, status, input, now, typeof f['format'] === 'string' ? f['format'] : undefined, io.env['NO_COLOR'] === undefined || io.env['NO_COLOR'] === '') + '\n');
	return 0;
}

/** One background refresh a minute at most, however many status lines ask. */
function startRefresh(folder: string, now: number, refresh: () => void): void {
	const marker = path.join(folder, '.statusline-refresh');
	try {
		if (now - fs.statSync(marker).mtimeMs < STALE_MS) return;
	} catch {
		// None yet.
	}

	try {
		fs.mkdirSync(folder, {recursive: true, mode: 0o700});
		fs.writeFileSync(marker, '', {mode: 0o600});
		fs.utimesSync(marker, now / 1000, now / 1000);
		refresh();
	} catch {
		// A read-only cache folder: the line shows what it has.
	}
}

export function line(look: SessionLook | undefined, status: Status | undefined, input: ClaudeInput, now: number, format: string | undefined, color: boolean): string {
	const today = status && status.day === localDate(now) ? status : undefined;
	const flagged = look?.loop ?? undefined;
	const statusFlag = look && status?.flagged.find(x => x.key === `${look.tool}:${look.sessionId}`);
	const over = status?.budgets.filter(b => b.level === 'over') ?? [];
	// Text from files and from stdin is data: shown as pictures of control characters, never run.
	const reason = flagged?.reasons[0]?.text;
	const marks = terminalSafe([flagged || statusFlag ? `⚠ loop${reason ? ` (${reason.length > 48 ? `${reason.slice(0, 47)}…` : reason})` : ''}` : '', over.length ? `⚠ budget ${over[0]!.label}` : ''].filter(Boolean).join(' '));
	const model = terminalSafe(typeof input.model?.display_name === 'string' ? input.model.display_name : typeof input.model?.id === 'string' ? input.model.id : '');
	const fields: Record<string, string> = {
		session_usd: look ? usd(look.spentUSD, look.estimated) : '',
		// Claude Code 2.x says how large the model's window is: the share of it in use.
		context: look ? `${tokens(look.contextTokens)}${typeof input.context_window?.context_window_size === 'number' && input.context_window.context_window_size > 0 ? ` (${Math.round((100 * look.contextTokens) / input.context_window.context_window_size)}%)` : ''}` : '',
		today_usd: today ? usd(today.todayUSD) : '',
		today_age: today ? age(now - today.at) : '',
		usd_per_min: look ? `${usd(look.usdPerMin)}/min` : '',
		calls: look ? String(look.calls) : '',
		model,
		flag: marks,
		loop_score: flagged ? String(flagged.score) : '',
	};
	if (format !== undefined) return terminalSafe(format).replace(/\{([a-z_]+)\}/g, (m, k: string) => fields[k] ?? m);
	const parts: string[] = [];
	if (model) parts.push(model);
	if (look) parts.push(`${fields['session_usd']} session`, `ctx ${fields['context']}`, fields['usd_per_min']!);
	else parts.push('no session found');
	if (today) parts.push(`${fields['today_usd']} today${now - today.at > 10 * 60_000 ? ` (${fields['today_age']} ago)` : ''}`);
	const text = parts.join(' · ');
	if (!marks) return text;
	return color ? `\u001B[31m${marks}\u001B[0m ${text}` : `${marks} ${text}`;
}

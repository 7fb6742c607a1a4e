// `burntop hook`: a Claude Code PreToolUse hook that tells a looping agent to stop. It reads the
// hook's JSON, looks at this session alone (its own transcript; budgets from status.json) and
// either allows silently (exit 0) or blocks the tool call the way Claude Code hooks do: exit 2
// with the reason on stderr, which the agent reads. It fails open: a hook that cannot decide
// lets the call through and says why on stderr (exit 1, shown to the user, not the agent).
import {usd} from '../core/format.js';
import os from 'node:os';
import {alertLogPath, appendLog} from '../alerts.js';
import {configPath, ConfigError, loadConfig} from '../config.js';
import {terminalSafe} from '../core/terminal-safe.js';
import {cacheDir} from '../ingest/cache-dir.js';
import {keepIn, lookSession} from '../quick.js';
import {loadPriceMemo, savePriceMemo} from '../price-memo.js';
import {quickFlags, type QuickIo} from './statusline.js';
import {readStatus} from '../status-file.js';
import type {ToolId} from '../core/types.js';

export const HOOK_HELP = `Usage: burntop hook [--tool TOOL]

A Claude Code PreToolUse hook: blocks the agent's next tool call when its session looks like a
runaway loop (loop score ≥ guard.hookScore in the config) or a budget with "action": "block" is
over, and tells the agent why. Otherwise it allows silently.`;

type HookInput = {session_id?: unknown; transcript_path?: unknown; cwd?: unknown; hook_event_name?: unknown; tool_name?: unknown};

const MIN = 60_000;

export async function runHook(io: QuickIo): Promise<number> {
	const f = quickFlags(io.argv, ['tool'], ['help']);
	if (typeof f === 'string') {
		io.stderr.write(`burntop hook: ${f}\n${HOOK_HELP}\n`);
		return 1;
	}

	if (f['help']) {
		io.stdout.write(`${HOOK_HELP}\n`);
		return 0;
	}

	let input: HookInput;
	try {
		input = JSON.parse(io.input ?? '') as HookInput;
		if (!input || typeof input !== 'object') throw new Error('not an object');
	} catch {
		io.stderr.write('burntop hook: no hook JSON on stdin (Claude Code sends it to PreToolUse hooks); allowing\n');
		return 1;
	}

	const now = (io.clock ?? Date.now)();
	const home = io.env['HOME'] || os.homedir();
	let config;
	try {
		config = loadConfig(configPath(home, io.env));
	} catch (error) {
		io.stderr.write(`burntop hook: ${error instanceof ConfigError ? error.message : String(error)}; allowing\n`);
		return 1;
	}

	const tool = (typeof f['tool'] === 'string' ? f['tool'] : 'claude-code') as ToolId;
	const sessionId = typeof input.session_id === 'string' ? input.session_id : undefined;
	const transcript = typeof input.transcript_path === 'string' ? input.transcript_path : undefined;
	const folder = cacheDir(home, io.env, process.platform);
	loadPriceMemo(folder);
	let look;
	try {
		look = lookSession({env: {home, env: io.env, platform: process.platform}, tool, sessionId, transcript, now, loops: config.loops, pricing: {aliases: config.aliases, overrides: config.prices}, ...keepIn(folder, config)});
	} catch (error) {
		io.stderr.write(`burntop hook: could not read the session (${(error as Error).message}); allowing\n`);
		return 1;
	}

	savePriceMemo(folder);
	const reasons: string[] = [];

	// A budget that blocks: as status.json (any burntop run) last saw it, in its period still.
	const status = readStatus(folder);
	for (const b of status?.budgets ?? []) {
		if (b.action === 'block' && b.level === 'over' && Date.parse(b.periodEnd) > now) reasons.push(`The ${b.label} budget is over (${b.text}).`);
	}

	const g = config.guard;
	const loop = look?.loop;
	const typedRecently = look?.lastPromptAt !== undefined && now - look.lastPromptAt < g.promptGraceMinutes * MIN;
	if (loop && loop.score >= g.hookScore && !typedRecently) {
		const what = loop.reasons.map(r => r.text).join('; ');
		reasons.push(`This session looks like a runaway loop (burntop loop score ${loop.score}): ${what}. It spent ${usd(loop.burnUSD)} in that time and is on course for ${usd(loop.projectedUSDPerHour)} an hour.`);
	}

	if (reasons.length === 0) return 0;
	const message = `burntop: ${reasons.join(' ')} Stop here: do not run more tools. Tell the user what you were trying, what keeps failing, and ask how to proceed.`;
	io.stderr.write(`${terminalSafe(message)}\n`);
	appendLog(alertLogPath(home, io.env), JSON.stringify({kind: 'hook', at: new Date(now).toISOString(), tool, sessionId: look?.sessionId ?? sessionId, action: 'blocked', toolName: typeof input.tool_name === 'string' ? input.tool_name : undefined, loopScore: loop?.score}));
	return 2;
}

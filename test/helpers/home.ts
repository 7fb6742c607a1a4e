// Temp homes with synthetic sessions in the real on-disk formats, and an in-process CLI runner.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {Writable} from 'node:stream';
import {Engine} from '../../src/engine.js';
import {main} from '../../src/main.js';
import type {Snapshot} from '../../src/core/snapshot.js';

export function tempHome(prefix = 'burntop-test-'): string {
	return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export function write(file: string, lines: ReadonlyArray<unknown> | string): string {
	fs.mkdirSync(path.dirname(file), {recursive: true});
	const text = typeof lines === 'string' ? lines : lines.map(l => (typeof l === 'string' ? l : JSON.stringify(l)) + '\n').join('');
	fs.writeFileSync(file, text);
	return file;
}

export function append(file: string, lines: ReadonlyArray<unknown>): void {
	fs.appendFileSync(file, lines.map(l => (typeof l === 'string' ? l : JSON.stringify(l)) + '\n').join(''));
}

export type ClaudeCall = {
	id: string;
	requestId?: string | null;
	ts: string;
	model?: string;
	input?: number;
	output?: number;
	cacheRead?: number;
	cacheWrite?: number;
	cache1h?: number;
	sessionId?: string;
	cwd?: string;
	sidechain?: boolean;
	tools?: Array<{name: string; input?: unknown}>;
	webSearches?: number;
	speed?: 'fast';
	uuid?: string;
};

/** One assistant line as Claude Code 2.1 writes it (one content block per line). */
export function claudeAssistant(c: ClaudeCall): Record<string, unknown> {
	const cacheWrite = c.cacheWrite ?? 0;
	const usage: Record<string, unknown> = {
		input_tokens: c.input ?? 3,
		cache_creation_input_tokens: cacheWrite,
		cache_read_input_tokens: c.cacheRead ?? 0,
		cache_creation: {ephemeral_5m_input_tokens: cacheWrite - (c.cache1h ?? 0), ephemeral_1h_input_tokens: c.cache1h ?? 0},
		output_tokens: c.output ?? 1,
		service_tier: 'standard',
	};
	if (c.webSearches !== undefined) usage['server_tool_use'] = {web_search_requests: c.webSearches, web_fetch_requests: 0};
	if (c.speed) usage['speed'] = c.speed;
	return {
		parentUuid: null,
		isSidechain: c.sidechain ?? false,
		userType: 'external',
		cwd: c.cwd ?? '/home/u/proj',
		sessionId: c.sessionId ?? 'sess-1',
		version: '2.1.38',
		type: 'assistant',
		uuid: c.uuid ?? `u-${c.id}-${c.output ?? 1}-${Math.random().toString(36).slice(2, 8)}`,
		timestamp: c.ts,
		...(c.requestId === null ? {} : {requestId: c.requestId ?? `req-${c.id}`}),
		message: {
			model: c.model ?? 'claude-sonnet-4-5-20250929',
			id: c.id,
			type: 'message',
			role: 'assistant',
			content: (c.tools ?? [{name: 'Read', input: {file_path: '/x'}}]).map((t, i) => ({type: 'tool_use', id: `toolu_${c.id}_${i}`, name: t.name, input: t.input ?? {}})),
			stop_reason: null,
			usage,
		},
	};
}

export function claudeUser(text: string, opts: {ts: string; sessionId?: string; cwd?: string; uuid?: string}): Record<string, unknown> {
	return {
		type: 'user',
		cwd: opts.cwd ?? '/home/u/proj',
		sessionId: opts.sessionId ?? 'sess-1',
		uuid: opts.uuid ?? `user-${opts.ts}`,
		timestamp: opts.ts,
		message: {role: 'user', content: text},
	};
}

export type CodexUsage = {input: number; cached?: number; output: number; reasoning?: number; cacheWrite?: number};

function usage(u: CodexUsage): Record<string, number> {
	return {
		input_tokens: u.input,
		cached_input_tokens: u.cached ?? 0,
		output_tokens: u.output,
		reasoning_output_tokens: u.reasoning ?? 0,
		total_tokens: u.input + u.output,
		...(u.cacheWrite === undefined ? {} : {cache_write_input_tokens: u.cacheWrite}),
	};
}

export function codexMeta(id: string, ts: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
	return {timestamp: ts, type: 'session_meta', payload: {id, timestamp: ts, cwd: '/home/u/codexproj', originator: 'codex_cli_rs', cli_version: '0.104.0', ...extra}};
}

export function codexTurn(ts: string, model = 'gpt-5.3-codex'): Record<string, unknown> {
	return {timestamp: ts, type: 'turn_context', payload: {turn_id: `t-${ts}`, cwd: '/home/u/codexproj', model}};
}

export function codexTokens(ts: string, total: CodexUsage | null, last?: CodexUsage | null, rateLimits?: unknown): Record<string, unknown> {
	const info = total === null && last === null
		? null
		: {
			...(total ? {total_token_usage: usage(total)} : {}),
			...(last ? {last_token_usage: usage(last)} : {}),
			model_context_window: 258400,
		};
	return {timestamp: ts, type: 'event_msg', payload: {type: 'token_count', info, ...(rateLimits ? {rate_limits: rateLimits} : {})}};
}

export function codexPath(home: string, name: string, archived = false): string {
	return archived
		? path.join(home, '.codex', 'archived_sessions', name)
		: path.join(home, '.codex', 'sessions', '2026', '02', '23', name);
}

export function claudePath(home: string, project: string, file: string): string {
	return path.join(home, '.claude', 'projects', project, file);
}

/** Cold scan a home with the real engine. */
export function scanHome(home: string, env: Record<string, string | undefined> = {}, now = Date.parse('2030-01-01T00:00:00Z')): Snapshot {
	const engine = new Engine({env: {home, env: {HOME: home, ...env}, platform: process.platform}});
	engine.discover();
	engine.scanAll();
	return engine.snapshot({now}, now);
}

class Capture extends Writable {
	text = '';
	override _write(chunk: Buffer, _enc: BufferEncoding, cb: () => void): void {
		this.text += chunk.toString();
		cb();
	}
}

/** Run the real CLI in-process. */
export async function runCli(argv: string[], env: Record<string, string | undefined>, clock?: () => number): Promise<{code: number; stdout: string; stderr: string}> {
	const stdout = new Capture();
	const stderr = new Capture();
	// burntop's index goes to a fresh cache folder unless the test names one (never into a fixture home).
	const code = await main({argv, env: {XDG_CACHE_HOME: tempHome('burntop-cache-'), ...env}, stdout, stderr, clock});
	return {code, stdout: stdout.text, stderr: stderr.text};
}

/** ../shared, required in CI. */
export const SHARED = path.resolve(import.meta.dirname, '..', '..', '..', 'shared');
export const FIXTURE_HOME = path.join(SHARED, 'fixtures', 'home');

export function sharedAvailable(): boolean {
	const ok = fs.existsSync(FIXTURE_HOME);
	if (!ok && process.env['CI'] === 'true') throw new Error(`../shared is missing at ${SHARED}: CI must run with shared/ beside the project`);
	return ok;
}

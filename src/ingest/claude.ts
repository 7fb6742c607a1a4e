// Claude Code transcripts: ~/.claude/projects/<encoded-cwd>/<session>.jsonl (+ subagents/).
// Rules: ../shared/reference/session-formats.md §1.
import path from 'node:path';
import {NO_NAMES, type EmitFn} from '../core/types.js';
import {asNumber, asString, isRecord, parseTime, relativeParts, truncate} from './util.js';
import type {JsonlStore, LineParser, Root, SessionFile, SkipFn, StoreEnv} from './types.js';
import {blockOutput, unrecordedOutput} from './claude-output.js';
import {keyOf, LAST} from './claude-keys.js';
import {CALL, type CallFields, callFromTape} from './claude-tape.js';
import {USER, type UserFields, userFromRecord, userFromTape} from './claude-user.js';
import type {JsonTape} from './json-tape.js';

export {blockOutput, unrecordedOutput} from './claude-output.js';

export const claudeStore: JsonlStore = {
	tool: 'claude-code',
	kind: 'jsonl',
	roots: claudeRoots,
	accepts: p => p.endsWith('.jsonl'),
	// Billable lines carry "usage" (agent_progress embeds one too). The others find API errors
	// and typed user prompts (for activity) without parsing the large tool-result lines.
	markers: ['"usage"', '"isApiErrorMessage"', '"api_error"', {prefix: '"role":"user","content":', then: ['"', '[{"type":"text"']}, '"is_error":true'],
	createParser: (file, context) => new ClaudeParser(file, context?.resultsSince),
};

export function claudeRoots({home, env}: StoreEnv): Root[] {
	const configured = env['CLAUDE_CONFIG_DIR'];
	if (configured && configured.trim()) {
		return configured
			.split(',')
			.map(s => s.trim())
			.filter(Boolean)
			.map(dir => ({
				path: path.basename(dir) === 'projects' ? dir : path.join(dir, 'projects'),
				origin: '$CLAUDE_CONFIG_DIR',
			}));
	}

	const xdg = env['XDG_CONFIG_HOME'] || path.join(home, '.config');
	return [
		{path: path.join(home, '.claude', 'projects'), origin: 'default'},
		{path: path.join(xdg, 'claude', 'projects'), origin: 'default (XDG)'},
	];
}

/**
 * Tools and Bash commands of one message so far, in order, each once (arrays: a message has a few;
 * Sets cost ~10× the memory and outlive the scan in the parser's state), and the output its
 * content blocks hold, estimated (`lines`: the lines counted, so a copy of a line adds nothing).
 */
type Pending = {tools: string[]; commands: string[]; content: number; lines: string[]};

type SessionState = {prompt?: string; turnId?: string};

/** Messages whose tools are remembered after a file was read to its end. */
const PENDING_AFTER_END = 4;

// Fields derived from the file are #private: a parked or saved parser state (v8.serialize) holds
// only what reading changed (~30% less per finished file).
class ClaudeParser implements LineParser {
	readonly #file: SessionFile;
	readonly #fileSession: string;
	readonly #folderProject: string;
	/** Tools seen per message key in this file: streamed lines carry one content block each. */
	private readonly pending = new Map<string, Pending>();
	private readonly sessions = new Map<string, SessionState>();
	private lastSession?: string;

	/** Failed tool results before this time are read without their text (ParserContext). */
	readonly #resultsSince: number;

	constructor(file: SessionFile, resultsSince = Number.NEGATIVE_INFINITY) {
		this.#file = file;
		this.#resultsSince = resultsSince;
		const rel = relativeParts(file);
		this.#folderProject = rel.length > 1 ? rel[0]! : path.basename(file.root);
		// <project>/<session>/subagents/agent-x.jsonl → <session>; <project>/<session>.jsonl → <session>.
		const sub = rel.indexOf('subagents');
		this.#fileSession =
			sub > 0 ? rel[sub - 1]! : rel.length > 2 ? rel[rel.length - 2]! : path.basename(file.path, '.jsonl');
	}

	line(record: unknown, emit: EmitFn, skip: SkipFn): void {
		if (!isRecord(record)) return skip('not a JSON object');
		const type = record['type'];
		if (type === 'assistant' || (type === undefined && isRecord(record['message']) && record['message']['role'] === 'assistant')) {
			this.assistant(record, record, emit, skip);
		} else if (type === 'progress') {
			const data = record['data'];
			if (isRecord(data) && data['type'] === 'agent_progress' && isRecord(data['message']) && data['message']['type'] === 'assistant') {
				// A subagent's call streamed into the parent file; same key as in its own file.
				this.assistant(data['message'], record, emit, skip, true);
			}
		} else if (type === 'user') {
			if (userFromRecord(record, USER, this.#resultsSince)) this.user(USER, emit);
		} else if (type === 'system' && record['subtype'] === 'api_error') {
			this.error(record, record, emit, textOf(record['content']) ?? asString(record['error']) ?? 'API error');
		}
	}

	/** Streamed lines of one message are adjacent: once the file is read to its end, only its last messages can get more. */
	settle(): void {
		for (const k of this.pending.keys()) {
			if (this.pending.size <= PENDING_AFTER_END) break;
			this.pending.delete(k);
		}

		// The turn state of the session the file ended in is what a new line continues.
		for (const k of this.sessions.keys()) if (k !== this.lastSession) this.sessions.delete(k);
	}

	private session(r: Record<string, unknown>, outer: Record<string, unknown>): string {
		return asString(r['sessionId']) ?? asString(outer['sessionId']) ?? this.#fileSession;
	}

	private project(r: Record<string, unknown>, outer: Record<string, unknown>): string {
		return asString(r['cwd']) ?? asString(outer['cwd']) ?? this.#folderProject;
	}

	private user(u: UserFields, emit: EmitFn): void {
		const sessionId = u.sessionId ?? this.#fileSession;
		const ts = u.ts;
		if (u.results) {
			if (ts === undefined) return;
			for (let i = 0; i < u.errors; i++) {
				emit({kind: 'tool-result', tool: 'claude-code', sessionId, ts, dedupeKey: `claude-res:${u.uuid ?? ts}:${u.errorToolUse[i] ?? ''}`, hash: u.errorHash[i]!, text: u.errorLine[i]!, error: true});
			}

			return;
		}

		const text = u.prompt;
		if (u.notPrompt || !text || text.startsWith('[Request interrupted')) return;
		const state = this.state(sessionId);
		state.prompt = truncate(text, 400);
		state.turnId = u.uuid ?? state.turnId;
		if (ts !== undefined) emit({kind: 'prompt', tool: 'claude-code', sessionId, ts, dedupeKey: `claude-prompt:${u.uuid ?? ts}`});
	}

	private state(sessionId: string): SessionState {
		this.lastSession = sessionId;
		let s = this.sessions.get(sessionId);
		if (!s) {
			s = {};
			this.sessions.set(sessionId, s);
		}

		return s;
	}

	private error(r: Record<string, unknown>, outer: Record<string, unknown>, emit: EmitFn, text: string): void {
		const ts = parseTime(r['timestamp']) ?? parseTime(outer['timestamp']);
		if (ts === undefined) return;
		emit({
			kind: 'error',
			tool: 'claude-code',
			sessionId: this.session(r, outer),
			project: this.project(r, outer),
			ts,
			dedupeKey: `claude-err:${asString(r['uuid']) ?? `${this.#file.path}:${ts}`}`,
			text: truncate(text, 300),
		});
	}

	/** A line read from its tape (json-tape.ts): false leaves it to JSON.parse and line(). */
	tape(t: JsonTape, emit: EmitFn): boolean {
		if (callFromTape(t, CALL)) this.usage(CALL, emit);
		else if (userFromTape(t, USER, this.#resultsSince)) this.user(USER, emit);
		else return false;
		return true;
	}

	private assistant(r: Record<string, unknown>, outer: Record<string, unknown>, emit: EmitFn, skip: SkipFn, embedded = false): void {
		const message = r['message'];
		if (!isRecord(message)) return;
		const model = asString(message['model']);
		if (r['isApiErrorMessage'] === true) {
			this.error(r, outer, emit, textOf(message['content']) ?? 'API error');
			return;
		}

		const usage = message['usage'];
		if (!isRecord(usage)) return;
		if (model === '<synthetic>') return; // Local placeholder, never billed.
		const ts = parseTime(r['timestamp']) ?? parseTime(outer['timestamp']);
		if (ts === undefined) return skip('usage line without a valid timestamp');
		const c = CALL;
		c.model = model;
		c.id = asString(message['id']);
		c.requestId = asString(r['requestId']);
		c.uuid = asString(r['uuid']);
		c.sessionId = asString(r['sessionId']) ?? asString(outer['sessionId']);
		c.cwd = asString(r['cwd']) ?? asString(outer['cwd']);
		c.ts = ts;
		c.input = asNumber(usage['input_tokens']);
		c.cacheRead = asNumber(usage['cache_read_input_tokens']);
		c.cacheCreation = asNumber(usage['cache_creation_input_tokens']);
		const split = usage['cache_creation'];
		c.oneHour = isRecord(split) ? asNumber(split['ephemeral_1h_input_tokens']) : undefined;
		c.output = asNumber(usage['output_tokens']);
		const details = usage['output_tokens_details'];
		c.thinking = isRecord(details) ? asNumber(details['thinking_tokens']) : undefined;
		const server = usage['server_tool_use'];
		c.webSearches = isRecord(server) ? asNumber(server['web_search_requests']) : 0;
		c.fast = usage['speed'] === 'fast';
		c.sidechain = r['isSidechain'] === true || outer['isSidechain'] === true || embedded;
		const reported = r['costUSD'] ?? outer['costUSD'];
		c.reportedCostUSD = typeof reported === 'number' ? reported : undefined;
		c.blocks = 0;
		const content = message['content'];
		if (Array.isArray(content)) {
			for (const block of content) {
				if (!isRecord(block)) continue;
				const b = c.blocks++;
				c.blockOutput[b] = blockOutput(block);
				let tool: string | undefined;
				let command: string | undefined;
				if (block['type'] === 'tool_use') {
					tool = asString(block['name']);
					const input = block['input'];
					if (tool === 'Bash' && isRecord(input)) command = asString(input['command']);
				}

				c.blockTool[b] = tool;
				c.blockCommand[b] = command;
			}
		}

		this.usage(c, emit);
	}

	private usage(c: CallFields, emit: EmitFn): void {
		const {id, requestId, ts} = c;
		const key = id ? keyOf(id, requestId) : `claude:noid:${c.uuid ?? `${this.#file.path}:${ts}`}`;

		const pending = this.collectTools(key, c);
		const cacheWriteTotal = c.cacheCreation;
		let cacheWrite1h = 0;
		let cacheWrite5m = cacheWriteTotal;
		if (c.oneHour !== undefined) {
			cacheWrite1h = Math.min(c.oneHour, cacheWriteTotal);
			cacheWrite5m = cacheWriteTotal - cacheWrite1h;
		}

		const output = c.output;
		const unrecorded = unrecordedOutput(output, pending.content);
		const sessionId = c.sessionId ?? this.#fileSession;
		const state = this.state(sessionId);
		emit({
			kind: 'usage',
			tool: 'claude-code',
			sessionId,
			project: c.cwd ?? this.#folderProject,
			model: c.model ?? 'unknown',
			ts,
			input: c.input,
			cacheRead: c.cacheRead,
			cacheWrite5m,
			cacheWrite1h,
			output,
			// Claude Code 2.1.2xx: the thinking part of the output (already inside output_tokens, billed at its rate).
			reasoning: c.thinking === undefined ? 0 : Math.min(c.thinking, output),
			// Always both fields, so every event of this parser has one shape.
			unrecorded,
			estimated: unrecorded > 0,
			webSearches: c.webSearches,
			reportedCostUSD: c.reportedCostUSD,
			dedupeKey: key,
			replace: 'max-output',
			altKey: id ? LAST.altKey : undefined,
			sidechain: c.sidechain,
			fast: c.fast,
			tools: copyOf(pending.tools),
			commands: copyOf(pending.commands),
			prompt: state.prompt,
			turnId: state.turnId,
			file: this.#file.path,
		});
	}

	/** The message's tools, commands and content so far, with this line's added; a copy of a line (agent progress, same uuid) adds no content. */
	private collectTools(key: string, c: CallFields): Pending {
		let p = this.pending.get(key);
		if (!p) {
			p = {tools: NONE, commands: NONE, content: 0, lines: NONE};
			this.pending.set(key, p);
			// Streamed lines of one message are adjacent; a short memory is enough.
			if (this.pending.size > 256) this.pending.delete(this.pending.keys().next().value!);
		}

		const line = c.uuid;
		const counted = line !== undefined && p.lines.includes(line);
		if (!counted && line !== undefined) p.lines = added(p.lines, line);
		for (let b = 0; b < c.blocks; b++) {
			if (!counted) p.content += c.blockOutput[b]!;
			const name = c.blockTool[b];
			if (!name) continue;
			if (!p.tools.includes(name)) p.tools = added(p.tools, name);
			const cmd = c.blockCommand[b];
			if (cmd) {
				const trimmed = truncate(cmd.trim(), 200);
				if (!p.commands.includes(trimmed)) p.commands = added(p.commands, trimmed);
			}
		}

		return p;
	}
}

/** A message's empty list, shared until its first item. */
const NONE = Object.freeze([]) as unknown as string[];

/**
 * `list` with `item` at its end, as a new array (of just that length up to four items): a pending list is never
 * changed in place, so each event can hold the list as it was then without a copy (copyOf),
 * and no list reserves the 17 slots a push grows an array to (~16 MB a GB of garbage together).
 */
function added(list: readonly string[], item: string): string[] {
	// Literals for the short lists messages have (exact and packed; concat took the generic path, ~300 ns).
	switch (list.length) {
		case 0:
			return [item];
		case 1:
			return [list[0]!, item];
		case 2:
			return [list[0]!, list[1]!, item];
		case 3:
			return [list[0]!, list[1]!, list[2]!, item];
		default: {
			const out = list.slice();
			out.push(item);
			return out;
		}
	}
}

/** The names so far, as the event keeps them: the pending list itself, which later lines replace and never change (added). */
function copyOf(names: string[]): readonly string[] {
	return names.length === 0 ? NO_NAMES : names;
}

function textOf(content: unknown): string | undefined {
	if (typeof content === 'string') return content;
	if (Array.isArray(content)) {
		const t = content.find(b => isRecord(b) && b['type'] === 'text');
		if (t && isRecord(t)) return asString(t['text']);
	}

	return undefined;
}

// Codex rollouts: $CODEX_HOME/sessions/YYYY/MM/DD/rollout-*.jsonl and archived_sessions/.
// Rules: ../shared/reference/session-formats.md §2.
import path from 'node:path';
import type {EmitFn, RateLimitWindow} from '../core/types.js';
import {asNumber, asString, isRecord, parseTime, relativeParts, splitInput, truncate} from './util.js';
import type {JsonlStore, LineParser, Root, SessionFile, SkipFn, StoreEnv} from './types.js';
import {commandOf} from './codex-command.js';
import {codexLineFromTape, LINE, NOTHING, SESSION_META, TOKEN_COUNT, TOKENS, type TokenCount, TOOL_CALL, TURN_CONTEXT, USER_MESSAGE, type Usage, WEB_SEARCH} from './codex-tape.js';
import type {JsonTape} from './json-tape.js';

/** Never called: the tape path takes no line the parser would skip. */
const NO_SKIP: SkipFn = reason => {
	throw new Error(`codex tape: a line to skip was taken (${reason})`);
};

/** Model assumed for rollouts that never name one (flagged as guessed). */
export const CODEX_FALLBACK_MODEL = 'gpt-5';

export const codexStore: JsonlStore = {
	tool: 'codex',
	kind: 'jsonl',
	roots: codexRoots,
	accepts: p => p.endsWith('.jsonl'),
	// Every useful record names its kind right after `"type":"` (compact JSON): one pass.
	markers: [{
		prefix: '"type":"',
		then: ['token_count"', 'turn_context"', 'session_meta"', 'user_message"', 'function_call",', 'custom_tool_call",', 'local_shell_call"', 'web_search_call"', 'error"', 'stream_error"'],
	}],
	// The same rollout can sit in sessions/ and archived_sessions/: count it once.
	identity: file => path.basename(file.path),
	createParser: file => new CodexParser(file),
};

export function codexRoots({home, env}: StoreEnv): Root[] {
	const configured = env['CODEX_HOME'];
	const homes = configured && configured.trim()
		? configured.split(',').map(s => s.trim()).filter(Boolean)
		: [path.join(home, '.codex')];
	const origin = configured ? '$CODEX_HOME' : 'default';
	return homes.flatMap(dir => [
		{path: path.join(dir, 'sessions'), origin, priority: 0},
		{path: path.join(dir, 'archived_sessions'), origin, priority: 1},
	]);
}

function tokenCountOf(p: Record<string, unknown>, ts: number | undefined, f: TokenCount): TokenCount {
	f.ts = ts;
	f.primary = f.secondary = undefined;
	const limits = p['rate_limits'];
	if (ts !== undefined && isRecord(limits)) {
		f.primary = rateWindow(limits['primary'], ts) ?? flatWindow(limits['primary_used_percent'], limits['primary_window_minutes']);
		f.secondary = rateWindow(limits['secondary'], ts) ?? flatWindow(limits['secondary_used_percent'], limits['secondary_window_minutes']);
	}

	const info = p['info'];
	const o = isRecord(info) ? info : undefined;
	f.info = o !== undefined;
	f.total = o && readUsage(o['total_token_usage']);
	f.last = o && readUsage(o['last_token_usage']);
	f.model = o && asString(o['model']);
	return f;
}

/** A rate-limit window object: its use, length and reset (a time, or seconds after `ts`). */
function rateWindow(w: unknown, ts: number): RateLimitWindow | undefined {
	if (!isRecord(w) || typeof w['used_percent'] !== 'number') return undefined;
	const resetsAt = parseTime(w['resets_at']) ?? (typeof w['resets_in_seconds'] === 'number' ? ts + w['resets_in_seconds'] * 1000 : undefined);
	return {usedPercent: w['used_percent'], windowMinutes: asNumber(w['window_minutes']), resetsAt};
}

/** Older rollouts: the window as flat fields beside it. */
function flatWindow(usedPercent: unknown, windowMinutes: unknown): RateLimitWindow | undefined {
	return typeof usedPercent === 'number' ? {usedPercent, windowMinutes: asNumber(windowMinutes)} : undefined;
}

function readUsage(v: unknown): Usage | undefined {
	if (!isRecord(v)) return undefined;
	return {
		input: asNumber(v['input_tokens']),
		cached: asNumber(v['cached_input_tokens']),
		cacheWrite: asNumber(v['cache_write_input_tokens']),
		output: asNumber(v['output_tokens']),
		reasoning: asNumber(v['reasoning_output_tokens']),
	};
}

function sameUsage(a: Usage, b: Usage): boolean {
	return a.input === b.input && a.cached === b.cached && a.cacheWrite === b.cacheWrite && a.output === b.output && a.reasoning === b.reasoning;
}

function tuple(u: Usage): string {
	return `${u.input}/${u.cached}/${u.cacheWrite}/${u.output}/${u.reasoning}`;
}

class CodexParser implements LineParser {
	private sessionId: string;
	private cwd?: string;
	private model?: string;
	private metaSeen = false;
	/** Forks and spawned subagents replay the parent's history first. */
	private parent?: string;
	private forkAt?: number;
	private burstSecond?: number;
	private inBurst = false;
	private prevTotal?: Usage;
	private tools = new Set<string>();
	private commands = new Set<string>();
	private prompt?: string;
	private turnId?: string;
	/** Derived from the file: #private, so not in a saved parser state. */
	readonly #folderProject: string;
	readonly #file: SessionFile;

	constructor(file: SessionFile) {
		this.#file = file;
		const base = path.basename(file.path, '.jsonl');
		const uuid = /([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i.exec(base);
		this.sessionId = uuid ? uuid[1]! : base;
		const first = relativeParts(file)[0] ?? '';
		this.#folderProject = /^\d{4}$/.test(first) || first.endsWith('.jsonl') ? 'unknown' : first;
	}

	tape(t: JsonTape, emit: EmitFn): boolean {
		switch (codexLineFromTape(t, TOKENS, !this.metaSeen)) {
			case TOKEN_COUNT:
				// The reader passes no skip: codexLineFromTape leaves every line the parser would skip to JSON.parse.
				this.tokenCount(TOKENS, emit, NO_SKIP);
				return true;
			case TURN_CONTEXT:
				this.turnContext(LINE.model, LINE.cwd, LINE.turnId);
				return true;
			case SESSION_META:
				this.sessionMeta(LINE.id, LINE.cwd, LINE.parent, LINE.forkAt);
				return true;
			case TOOL_CALL:
				this.toolCall(LINE.name, LINE.command);
				return true;
			case WEB_SEARCH:
				this.tools.add('web_search');
				return true;
			case USER_MESSAGE:
				this.userMessage(LINE.text, LINE.ts, emit);
				return true;
			case NOTHING:
				return true;
			default:
				return false;
		}
	}

	line(record: unknown, emit: EmitFn, skip: SkipFn): void {
		if (!isRecord(record)) return skip('not a JSON object');
		const payload = record['payload'];
		if (!isRecord(payload)) return;
		const ts = parseTime(record['timestamp']);
		switch (record['type']) {
			case 'session_meta':
				return this.meta(payload, ts);
			case 'turn_context':
				return this.turnContext(asString(payload['model']), asString(payload['cwd']), asString(payload['turn_id']));

			case 'response_item':
				return this.item(payload);
			case 'event_msg':
				return this.event(payload, ts, emit, skip);
			default:
		}
	}

	private meta(p: Record<string, unknown>, ts: number | undefined): void {
		if (this.metaSeen) return;
		const source = p['source'];
		const spawn = isRecord(source) && isRecord(source['subagent']) ? source['subagent']['thread_spawn'] : undefined;
		const parent = asString(p['forked_from_id']) ?? (isRecord(spawn) ? asString(spawn['parent_thread_id']) : undefined);
		this.sessionMeta(asString(p['id']), asString(p['cwd']), parent, parent ? parseTime(p['timestamp']) ?? ts : undefined);
	}

	/** The rollout's first session_meta (from its record or its tape): its id, folder, and the parent a fork or subagent replays first. */
	sessionMeta(id: string | undefined, cwd: string | undefined, parent: string | undefined, forkAt: number | undefined): void {
		if (this.metaSeen) return;
		this.metaSeen = true;
		this.sessionId = id ?? this.sessionId;
		this.cwd = cwd ?? this.cwd;
		this.parent = parent;
		if (this.parent) {
			this.forkAt = forkAt;
			this.inBurst = true;
		}
	}

	private item(p: Record<string, unknown>): void {
		const type = p['type'];
		if (type === 'function_call' || type === 'custom_tool_call' || type === 'local_shell_call') {
			this.toolCall(asString(p['name']) ?? String(type), commandOf(p));
		} else if (type === 'web_search_call') {
			this.tools.add('web_search');
		}
	}

	/** A tool call of the turn (from its record or its tape): its name and shell command, if any. */
	toolCall(name: string, cmd: string | undefined): void {
		this.tools.add(name);
		if (cmd) this.commands.add(truncate(cmd, 200));
	}

	/** A user_message (from its record or its tape): the turn's prompt, and a prompt event outside a fork's replayed burst. */
	userMessage(text: string | undefined, ts: number | undefined, emit: EmitFn): void {
		if (text) this.prompt = truncate(text, 400);
		if (ts !== undefined && !this.inBurst) emit({kind: 'prompt', tool: 'codex', sessionId: this.sessionId, ts, dedupeKey: `codex-prompt:${this.sessionId}:${ts}`});
	}

	private event(p: Record<string, unknown>, ts: number | undefined, emit: EmitFn, skip: SkipFn): void {
		const type = p['type'];
		if (type === 'user_message') return this.userMessage(asString(p['message']), ts, emit);

		if (type === 'error' || type === 'stream_error') {
			if (ts === undefined) return;
			emit({
				kind: 'error',
				tool: 'codex',
				sessionId: this.sessionId,
				project: this.project(),
				ts,
				dedupeKey: `codex-err:${this.sessionId}:${ts}`,
				text: truncate(asString(p['message']) ?? String(type), 300),
			});
			return;
		}

		if (type !== 'token_count') return;
		this.tokenCount(tokenCountOf(p, ts, TOKENS), emit, skip);
	}

	/** A `turn_context` line's fields (from its record or its tape). */
	turnContext(model: string | undefined, cwd: string | undefined, turnId: string | undefined): void {
		this.model = model ?? this.model;
		this.cwd ??= cwd;
		this.turnId = turnId ?? this.turnId;
	}

	/** A `token_count` event: its rate limits, then its call unless it repeats the last one or belongs to a fork's replayed burst. */
	tokenCount(f: TokenCount, emit: EmitFn, skip: SkipFn): void {
		const ts = f.ts;
		if (ts !== undefined && (f.primary || f.secondary)) emit({kind: 'rate-limit', tool: 'codex', sessionId: this.sessionId, ts, primary: f.primary, secondary: f.secondary});
		if (!f.info) return; // Rate-limit-only event.
		if (ts === undefined) return skip('token_count without a valid timestamp');

		const total = f.total;
		const last = f.last;
		if (total && this.prevTotal && sameUsage(total, this.prevTotal)) return; // Re-emitted totals.

		if (this.inBurst) {
			// The replayed parent burst is re-timestamped within about a second of the fork.
			const second = Math.floor(ts / 1000);
			this.burstSecond ??= second;
			const nearFork = this.forkAt === undefined || ts - this.forkAt < 5000;
			if (second === this.burstSecond && nearFork) {
				if (total) this.prevTotal = total;
				return;
			}

			this.inBurst = false;
		}

		let delta: Usage | undefined = last;
		if (!delta && total) {
			const prev = this.prevTotal;
			delta = prev
				? {
					input: Math.max(0, total.input - prev.input),
					cached: Math.max(0, total.cached - prev.cached),
					cacheWrite: Math.max(0, total.cacheWrite - prev.cacheWrite),
					output: Math.max(0, total.output - prev.output),
					reasoning: Math.max(0, total.reasoning - prev.reasoning),
				}
				: total;
		}

		if (total) this.prevTotal = total;
		if (!delta) return skip('token_count without usage');
		if (delta.input === 0 && delta.cached === 0 && delta.output === 0) return;

		const model = f.model ?? this.model;
		const owner = this.parent ?? this.sessionId;
		// Named, not spread into the literal (a spread there is a slower generic copy, once per call).
		const split = splitInput(delta.input, delta.cached, delta.cacheWrite);
		emit({
			kind: 'usage',
			tool: 'codex',
			sessionId: this.sessionId,
			project: this.project(),
			model: model ?? CODEX_FALLBACK_MODEL,
			modelGuessed: model === undefined,
			ts,
			input: split.input,
			cacheRead: split.cacheRead,
			cacheWrite5m: split.cacheWrite5m,
			cacheWrite1h: 0,
			output: delta.output,
			reasoning: delta.reasoning,
			webSearches: 0,
			dedupeKey: total ? `codex:${owner}:${tuple(total)}` : `codex:${this.sessionId}:${ts}:${tuple(delta)}`,
			replace: 'first',
			tools: [...this.tools],
			commands: [...this.commands],
			prompt: this.prompt,
			turnId: this.turnId,
			file: this.#file.path,
		});
		this.tools = new Set();
		this.commands = new Set();
	}

	private project(): string {
		return this.cwd ?? this.#folderProject;
	}
}

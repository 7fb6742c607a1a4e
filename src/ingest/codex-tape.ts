// Codex's rollout lines read from their tape (json-tape.ts) instead of a parsed record: token
// counts, turn contexts, session_meta, tool calls, web searches and user messages, with the
// fields CodexParser uses, each as its JSON path reads it (the last of a repeated key, asString,
// asNumber, parseTime, `typeof … === 'number'`). Any other line, or one with something read
// differently here (an escaped key or type, object arguments, a line the parser would skip), is
// left to JSON.parse.
import type {RateLimitWindow} from '../core/types.js';
import {commandOf} from './codex-command.js';
import {bytesOf, Interned, type JsonTape, NONE, NULL, NUMBER, OBJECT, STRING} from './json-tape.js';
import {countAt, fields, found, names, NameSet, path, stringAt, timeAt} from './json-tape-fields.js';

export type Usage = {input: number; cached: number; cacheWrite: number; output: number; reasoning: number};

/** What a `token_count` event says, as the parser reads it (from the parsed record, or from the line's tape: codex-tape.ts). */
export type TokenCount = {
	ts: number | undefined;
	/** payload.rate_limits' windows (read only when the line has a time). */
	primary: RateLimitWindow | undefined;
	secondary: RateLimitWindow | undefined;
	/** payload.info is an object (else the event carries rate limits only). */
	info: boolean;
	total: Usage | undefined;
	last: Usage | undefined;
	model: string | undefined;
};

/** The one token count being read (lines are read one at a time on a thread). */
export const TOKENS: TokenCount = {ts: undefined, primary: undefined, secondary: undefined, info: false, total: undefined, last: undefined, model: undefined};

const V_EVENT_MSG = bytesOf('event_msg');
const V_TURN_CONTEXT = bytesOf('turn_context');
const V_SESSION_META = bytesOf('session_meta');
const V_RESPONSE_ITEM = bytesOf('response_item');
const V_TOKEN_COUNT = bytesOf('token_count');
const V_USER_MESSAGE = bytesOf('user_message');
const V_WEB_SEARCH_CALL = bytesOf('web_search_call');
/** Response items that are tool calls (their type is the tool's name when they have none). */
const CALL_TYPES = ['function_call', 'custom_tool_call', 'local_shell_call'].map(t => ({text: t, bytes: bytesOf(t)}));

// Paths from the line (top-level `type` and `timestamp` are Claude Code's nodes too: the tape has 31).
const TYPE = path('type');
const TIMESTAMP = path('timestamp');
const PAYLOAD = path('payload');
const PAYLOAD_TYPE = path('payload', 'type');
const INFO = path('payload', 'info');
const LIMITS = path('payload', 'rate_limits');
// Objects below those, read by name.
const TURN = names('model', 'cwd', 'turn_id');
const INFO_FIELDS = names('total_token_usage', 'last_token_usage', 'model');
const USAGE = names('input_tokens', 'cached_input_tokens', 'cache_write_input_tokens', 'output_tokens', 'reasoning_output_tokens');
const LIMIT_FIELDS = names('primary', 'secondary', 'primary_used_percent', 'primary_window_minutes', 'secondary_used_percent', 'secondary_window_minutes');
const WINDOW = names('used_percent', 'window_minutes', 'resets_at', 'resets_in_seconds');
const META = names('id', 'cwd', 'forked_from_id', 'source', 'timestamp');
const SUBAGENT = names('subagent');
const THREAD_SPAWN = names('thread_spawn');
const PARENT = names('parent_thread_id');
const ITEM = names('name', 'arguments', 'input', 'action');
const MESSAGE = names('message');
const NAMES = new NameSet([TURN, INFO_FIELDS, USAGE, LIMIT_FIELDS, WINDOW, META, SUBAGENT, THREAD_SPAWN, PARENT, ITEM, MESSAGE], [TYPE, TIMESTAMP, PAYLOAD, PAYLOAD_TYPE, INFO, LIMITS]);
/** The strings that repeat line after line. */
const FOLDER = new Interned();
const MODEL = new Interned();
const INFO_MODEL = new Interned();

/**
 * What a line is, read from its tape (its fields in `f` or LINE), or OTHER: JSON.parse's. NOTHING:
 * a line the parser reads and does nothing with (a session_meta after the first, a response
 * item or event it does not use).
 */
export const OTHER = 0;
export const TOKEN_COUNT = 1;
export const TURN_CONTEXT = 2;
export const SESSION_META = 3;
export const TOOL_CALL = 4;
export const WEB_SEARCH = 5;
export const USER_MESSAGE = 6;
export const NOTHING = 7;

/** The fields of the last line read that is not a token count, as the JSON path reads them (asString, parseTime, commandOf). */
export const LINE: {
	ts: number | undefined;
	model: string | undefined;
	cwd: string | undefined;
	turnId: string | undefined;
	id: string | undefined;
	parent: string | undefined;
	forkAt: number | undefined;
	name: string;
	command: string | undefined;
	text: string | undefined;
} = {ts: undefined, model: undefined, cwd: undefined, turnId: undefined, id: undefined, parent: undefined, forkAt: undefined, name: '', command: undefined, text: undefined};

/** `wantsMeta`: whether the parser still reads a session_meta (else the line is NOTHING, unread). */
export function codexLineFromTape(t: JsonTape, f: TokenCount, wantsMeta: boolean): number {
	if (!NAMES.ready(t) || !t.pathsRead() || t.kind(0) !== OBJECT) return OTHER;
	const payload = t.entry(PAYLOAD.node);
	if (t.kind(payload) !== OBJECT) return OTHER;
	const type = t.entry(TYPE.node);
	if (t.is(type, V_TURN_CONTEXT)) {
		if (!fields(t, payload, TURN)) return OTHER;
		LINE.model = stringAt(t, found[0]!, MODEL);
		LINE.cwd = stringAt(t, found[1]!, FOLDER);
		LINE.turnId = stringAt(t, found[2]!);
		return TURN_CONTEXT;
	}

	if (t.is(type, V_SESSION_META)) return wantsMeta ? metaFrom(t, payload) : NOTHING;
	if (t.is(type, V_RESPONSE_ITEM)) return itemFrom(t, payload);
	if (!t.is(type, V_EVENT_MSG)) return OTHER;
	const payloadType = t.entry(PAYLOAD_TYPE.node);
	if (t.is(payloadType, V_USER_MESSAGE)) {
		if (!fields(t, payload, MESSAGE)) return OTHER;
		LINE.text = stringAt(t, found[0]!);
		LINE.ts = timeAt(t, t.entry(TIMESTAMP.node));
		return USER_MESSAGE;
	}

	if (!t.is(payloadType, V_TOKEN_COUNT)) return OTHER;
	const ts = timeAt(t, t.entry(TIMESTAMP.node));
	f.ts = ts;
	f.primary = f.secondary = undefined;
	const limits = t.entry(LIMITS.node);
	if (ts !== undefined && t.kind(limits) === OBJECT) {
		if (!fields(t, limits, LIMIT_FIELDS)) return OTHER;
		// fields() fills one shared list: take every entry before reading the windows.
		const secondary = found[1]!;
		const pUsed = found[2]!;
		const pMinutes = found[3]!;
		const sUsed = found[4]!;
		const sMinutes = found[5]!;
		const p = windowFrom(t, found[0]!, ts);
		const s = windowFrom(t, secondary, ts);
		if (p === false || s === false) return OTHER;
		f.primary = p ?? flatFrom(t, pUsed, pMinutes);
		f.secondary = s ?? flatFrom(t, sUsed, sMinutes);
	}

	const info = t.entry(INFO.node);
	f.info = t.kind(info) === OBJECT;
	f.total = f.last = f.model = undefined;
	if (f.info) {
		// The parser skips these (with a reason): the JSON path says so.
		if (ts === undefined || !fields(t, info, INFO_FIELDS)) return OTHER;
		const last = found[1]!;
		const model = found[2]!;
		const a = usageFrom(t, found[0]!);
		const b = usageFrom(t, last);
		if (a === false || b === false || (!a && !b)) return OTHER;
		f.total = a;
		f.last = b;
		f.model = stringAt(t, model, INFO_MODEL);
	}

	return TOKEN_COUNT;
}

/** rateWindow() of the value at e; false: left to JSON.parse. */
function windowFrom(t: JsonTape, e: number, ts: number): RateLimitWindow | undefined | false {
	if (t.kind(e) !== OBJECT) return undefined;
	if (!fields(t, e, WINDOW)) return false;
	const used = found[0]!;
	if (t.kind(used) !== NUMBER) return undefined;
	const resetsIn = found[3]!;
	const resetsAt = timeAt(t, found[2]!) ?? (t.kind(resetsIn) === NUMBER ? ts + t.number(resetsIn) * 1000 : undefined);
	return {usedPercent: t.number(used), windowMinutes: countAt(t, found[1]!), resetsAt};
}

/** flatWindow() of the entries at `used` and `minutes`. */
function flatFrom(t: JsonTape, used: number, minutes: number): RateLimitWindow | undefined {
	return t.kind(used) === NUMBER ? {usedPercent: t.number(used), windowMinutes: countAt(t, minutes)} : undefined;
}

/** readUsage() of the value at e; false: left to JSON.parse. */
function usageFrom(t: JsonTape, e: number): Usage | undefined | false {
	if (t.kind(e) !== OBJECT) return undefined;
	if (!fields(t, e, USAGE)) return false;
	return {input: countAt(t, found[0]!), cached: countAt(t, found[1]!), cacheWrite: countAt(t, found[2]!), output: countAt(t, found[3]!), reasoning: countAt(t, found[4]!)};
}

/** A session_meta's fields (the parser's meta()); OTHER when one of its objects has an escaped key. */
function metaFrom(t: JsonTape, payload: number): number {
	if (!fields(t, payload, META)) return OTHER;
	const forkedFrom = found[2]!;
	const source = found[3]!;
	const metaTs = found[4]!;
	LINE.id = stringAt(t, found[0]!);
	LINE.cwd = stringAt(t, found[1]!, FOLDER);
	let spawn = NONE;
	if (t.kind(source) === OBJECT) {
		if (!fields(t, source, SUBAGENT)) return OTHER;
		const subagent = found[0]!;
		if (t.kind(subagent) === OBJECT) {
			if (!fields(t, subagent, THREAD_SPAWN)) return OTHER;
			spawn = found[0]!;
		}
	}

	let parent = stringAt(t, forkedFrom);
	if (parent === undefined && t.kind(spawn) === OBJECT) {
		if (!fields(t, spawn, PARENT)) return OTHER;
		parent = stringAt(t, found[0]!);
	}

	LINE.parent = parent;
	LINE.forkAt = parent ? (timeAt(t, metaTs) ?? timeAt(t, t.entry(TIMESTAMP.node))) : undefined;
	return SESSION_META;
}

/** A response item: a tool call's name and command, a web search, or nothing the parser reads. */
function itemFrom(t: JsonTape, payload: number): number {
	const type = t.entry(PAYLOAD_TYPE.node);
	if (t.is(type, V_WEB_SEARCH_CALL)) return WEB_SEARCH;
	const call = CALL_TYPES.find(c => t.is(type, c.bytes));
	if (!call) {
		// An escaped type might still be one of them: JSON.parse decides.
		return t.kind(type) === STRING && t.escaped(type) ? OTHER : NOTHING;
	}

	if (!fields(t, payload, ITEM)) return OTHER;
	const name = found[0]!;
	// commandOf's `arguments ?? input ?? action`: the first that is neither absent nor null.
	let args = NONE;
	for (let k = 1; k <= 3 && args === NONE; k++) if (t.kind(found[k]!) !== 0 && t.kind(found[k]!) !== NULL) args = found[k]!;
	const kind = t.kind(args);
	// An object or array of arguments (a local shell action): JSON.parse's.
	if (kind !== 0 && kind !== STRING) return OTHER;
	LINE.name = stringAt(t, name) ?? call.text;
	LINE.command = kind === STRING ? commandOf({type: call.text, arguments: t.text(args)}) : undefined;
	return TOOL_CALL;
}


// Codex's `token_count` and `turn_context` lines read from their tape (json-tape.ts) instead of a
// parsed record: the fields CodexParser uses, each as its JSON path reads it (the last of a
// repeated key, asString, asNumber, parseTime, `typeof … === 'number'`). Any other line, or one
// with something read differently here (an escaped key or type, a line the parser would skip),
// is left to JSON.parse.
import type {RateLimitWindow} from '../core/types.js';
import {countAt, fields, found, Interned, type JsonTape, NameSet, names, NONE, NUMBER, OBJECT, path, stringAt, timeAt} from './json-tape.js';

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

const bytes = (s: string) => Uint8Array.from(Buffer.from(s, 'latin1'));
const V_EVENT_MSG = bytes('event_msg');
const V_TURN_CONTEXT = bytes('turn_context');
const V_TOKEN_COUNT = bytes('token_count');

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
const NAMES = new NameSet([TURN, INFO_FIELDS, USAGE, LIMIT_FIELDS, WINDOW], [TYPE, TIMESTAMP, PAYLOAD, PAYLOAD_TYPE, INFO, LIMITS]);
/** The strings that repeat line after line. */
const FOLDER = new Interned();
const MODEL = new Interned();
const INFO_MODEL = new Interned();

/** What a line is, read from its tape: a token count (filled into `f`), a turn context (its fields in TURN_FIELDS), or neither (JSON.parse's). */
export const OTHER = 0;
export const TOKEN_COUNT = 1;
export const TURN_CONTEXT = 2;

/** A turn_context's fields, as asString reads them. */
export const TURN_FIELDS: {model: string | undefined; cwd: string | undefined; turnId: string | undefined} = {model: undefined, cwd: undefined, turnId: undefined};

export function codexLineFromTape(t: JsonTape, f: TokenCount): number {
	if (!NAMES.ready(t) || !t.pathsRead() || t.kind(0) !== OBJECT) return OTHER;
	const payload = t.entry(PAYLOAD.node);
	if (t.kind(payload) !== OBJECT) return OTHER;
	const type = t.entry(TYPE.node);
	if (t.is(type, V_TURN_CONTEXT)) {
		if (!fields(t, payload, TURN)) return OTHER;
		TURN_FIELDS.model = stringAt(t, found[0]!, MODEL);
		TURN_FIELDS.cwd = stringAt(t, found[1]!, FOLDER);
		TURN_FIELDS.turnId = stringAt(t, found[2]!);
		return TURN_CONTEXT;
	}

	if (!t.is(type, V_EVENT_MSG) || !t.is(t.entry(PAYLOAD_TYPE.node), V_TOKEN_COUNT)) return OTHER;
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
	if (e === NONE || t.kind(e) !== OBJECT) return undefined;
	if (!fields(t, e, USAGE)) return false;
	return {input: countAt(t, found[0]!), cached: countAt(t, found[1]!), cacheWrite: countAt(t, found[2]!), output: countAt(t, found[3]!), reasoning: countAt(t, found[4]!)};
}

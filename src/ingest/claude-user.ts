// Claude Code's user lines (failed tool results, typed prompts): their fields read from the parsed
// record or from the line's tape (json-tape.ts) into one struct, which ClaudeParser then uses the
// same way. Tool-result lines are large (the output twice: in the block and in toolUseResult);
// from the tape only a failed result's text is decoded, no object is built.
import {ARRAY, bytesOf, FALSE, Interned, type JsonTape, NONE, NULL, NUMBER, OBJECT, STRING, TRUE} from './json-tape.js';
import {blockFields, fields, found, names, NameSet, path, stringAt, timeAt} from './json-tape-fields.js';
import {asString, isRecord, parseTime, truncate} from './util.js';

/** One user line's fields as ClaudeParser uses them (before its file's fallbacks). */
export type UserFields = {
	ts: number | undefined;
	sessionId: string | undefined;
	uuid: string | undefined;
	/** message.content is an array with a tool_result block: a tool-result line, never a prompt. */
	results: boolean;
	/** Failed results (is_error true): their text's hash (hashText), first line (160 units at most) and tool_use_id; hash and line '' before `since` (not read). */
	errors: number;
	errorHash: string[];
	errorLine: string[];
	errorToolUse: Array<string | undefined>;
	/** isMeta is true or toolUseResult is there: not a typed prompt. */
	notPrompt: boolean;
	/** The prompt's text (string content, or its text blocks joined); undefined when content is neither. */
	prompt: string | undefined;
};

/** The one user line being read (lines are read one at a time on a thread). */
export const USER: UserFields = {ts: undefined, sessionId: undefined, uuid: undefined, results: false, errors: 0, errorHash: [], errorLine: [], errorToolUse: [], notPrompt: false, prompt: undefined};

/** Fill `u` from a parsed user line (failed results before `since`: no text); false when its message is not an object (nothing to read). */
export function userFromRecord(r: Record<string, unknown>, u: UserFields, since: number): boolean {
	const message = r['message'];
	if (!isRecord(message)) return false;
	const content = message['content'];
	u.ts = parseTime(r['timestamp']);
	u.sessionId = asString(r['sessionId']);
	u.uuid = asString(r['uuid']);
	u.errors = 0;
	u.results = Array.isArray(content) && content.some(b => isRecord(b) && b['type'] === 'tool_result');
	if (u.results) {
		const read = readsText(u.ts, since);
		for (const b of content as unknown[]) {
			if (!isRecord(b) || b['type'] !== 'tool_result' || b['is_error'] !== true) continue;
			const text = read ? resultText(b['content']) : '';
			u.errorHash[u.errors] = read ? hashText(text) : '';
			u.errorLine[u.errors] = firstLineOf(text, true, LINE_UNITS)!;
			u.errorToolUse[u.errors++] = asString(b['tool_use_id']);
		}

		return true;
	}

	u.notPrompt = r['isMeta'] === true || r['toolUseResult'] !== undefined;
	u.prompt = undefined;
	if (typeof content === 'string') u.prompt = content;
	else if (Array.isArray(content)) {
		u.prompt = content
			.filter(b => isRecord(b) && b['type'] === 'text')
			.map(b => String((b as Record<string, unknown>)['text'] ?? ''))
			.join('\n');
	}

	return true;
}

/**
 * Whether a failed result's text is read: not for one before `since` (no loop window reaches it;
 * ~85 ms a GB of generated history in decoding and hashing), nor without a time (never used).
 */
function readsText(ts: number | undefined, since: number): boolean {
	return ts !== undefined && ts >= since;
}

/** What hashText reads of a text, and what is kept of its first line. */
const HASH_UNITS = 4000;
const LINE_UNITS = 160;

function resultText(content: unknown): string {
	if (typeof content === 'string') return content;
	if (Array.isArray(content)) return content.map(b => (isRecord(b) && typeof b['text'] === 'string' ? b['text'] : '')).join('\n');
	return '';
}

const V_USER = bytesOf('user');
const V_TOOL_RESULT = bytesOf('tool_result');
const V_TEXT = bytesOf('text');

const ROOT = names('isMeta', 'toolUseResult');
const BLOCK = names('type', 'is_error', 'content', 'tool_use_id', 'text');
const TYPE = path('type');
const MESSAGE = path('message');
const CONTENT = path('message', 'content');
const TIMESTAMP = path('timestamp');
const SESSION_ID = path('sessionId');
const UUID = path('uuid');
const NAMES = new NameSet([ROOT, BLOCK], [TYPE, MESSAGE, CONTENT, TIMESTAMP, SESSION_ID, UUID]);
const SESSION = new Interned();

/**
 * Fill `u` from a `"type":"user"` line's tape: true when it was read exactly as
 * userFromRecord() reads the parsed line, false to leave the line to JSON.parse.
 */
export function userFromTape(t: JsonTape, u: UserFields, since: number): boolean {
	if (!NAMES.ready(t) || !t.pathsRead() || t.kind(0) !== OBJECT) return false;
	if (!t.is(t.entry(TYPE.node), V_USER) || t.kind(t.entry(MESSAGE.node)) !== OBJECT) return false;
	u.ts = timeAt(t, t.entry(TIMESTAMP.node));
	u.sessionId = stringAt(t, t.entry(SESSION_ID.node), SESSION);
	u.uuid = stringAt(t, t.entry(UUID.node));
	u.errors = 0;
	u.results = false;
	const content = t.entry(CONTENT.node);
	if (t.kind(content) === ARRAY) {
		const read = readsText(u.ts, since);
		const stop = t.next(content);
		for (let e = content + 1; e < stop; e = t.next(e)) {
			if (t.kind(e) !== OBJECT) continue;
			if (!blockFields(t, e, BLOCK)) return false;
			const type = found[0]!;
			if (!t.is(type, V_TOOL_RESULT)) continue;
			u.results = true;
			if (t.kind(found[1]!) !== TRUE) continue;
			const id = found[3]!;
			if (!read) {
				u.errorHash[u.errors] = '';
				u.errorLine[u.errors] = '';
			} else if (!resultAt(t, found[2]!, u)) return false;
			u.errorToolUse[u.errors++] = stringAt(t, id);
		}
	}

	if (u.results) return true;
	if (!fields(t, 0, ROOT)) return false;
	u.notPrompt = t.kind(found[0]!) === TRUE || found[1] !== NONE;
	u.prompt = undefined;
	const kind = t.kind(content);
	if (kind === STRING) u.prompt = t.text(content);
	else if (kind === ARRAY) {
		let text = '';
		let first = true;
		const stop = t.next(content);
		for (let e = content + 1; e < stop; e = t.next(e)) {
			if (t.kind(e) !== OBJECT) continue;
			if (!blockFields(t, e, BLOCK)) return false;
			const type = found[0]!;
			if (!t.is(type, V_TEXT)) continue;
			const part = textAt(t, found[4]!);
			if (part === undefined) return false;
			text = first ? part : `${text}\n${part}`;
			first = false;
		}

		u.prompt = text;
	}

	return true;
}

/** String(b.text ?? '') of the value at e; undefined (left to JSON.parse) for an object or array. */
function textAt(t: JsonTape, e: number): string | undefined {
	switch (t.kind(e)) {
		case STRING:
			return t.text(e);
		case NUMBER:
			return String(t.number(e));
		case TRUE:
			return 'true';
		case FALSE:
			return 'false';
		case NULL:
		case 0:
			return '';
		default:
			return undefined;
	}
}

/**
 * A failed result's hash and first line from the value at e into u (at u.errors). A long ASCII
 * text is decoded only as far as both need: results run to tens of KB, and escaped ones went
 * through JSON.parse whole (~40 MB a GB of strings). False: left to JSON.parse.
 */
function resultAt(t: JsonTape, e: number, u: UserFields): boolean {
	let text: string | undefined;
	if (t.kind(e) === STRING && t.units(e) > HASH_UNITS) {
		const prefix = t.textPrefix(e, HASH_UNITS);
		const line = prefix === undefined ? undefined : firstLineOf(prefix, false, LINE_UNITS);
		if (line !== undefined) {
			u.errorHash[u.errors] = hashText(prefix!);
			u.errorLine[u.errors] = line;
			return true;
		}

		text = t.text(e);
	} else {
		text = resultTextAt(t, e);
		if (text === undefined) return false;
	}

	u.errorHash[u.errors] = hashText(text);
	u.errorLine[u.errors] = firstLineOf(text, true, LINE_UNITS)!;
	return true;
}

/**
 * resultText() of the value at e. Its blocks lie deeper than keys are numbered, so their `text`
 * key is found by its bytes (the last one, as JSON.parse keeps); undefined when a key is escaped.
 */
function resultTextAt(t: JsonTape, e: number): string | undefined {
	const kind = t.kind(e);
	if (kind === STRING) return t.text(e);
	if (kind !== ARRAY) return '';
	let text = '';
	const stop = t.next(e);
	for (let b = e + 1, n = 0; b < stop; b = t.next(b), n++) {
		let part = '';
		if (t.kind(b) === OBJECT) {
			let value = NONE;
			const end = t.next(b);
			for (let k = b + 1; k < end; k = t.next(k + 1)) {
				if (t.escaped(k)) return undefined;
				if (t.is(k, V_TEXT)) value = k + 1;
			}

			if (t.kind(value) === STRING) part = t.text(value);
		}

		text = n === 0 ? part : `${text}\n${part}`;
	}

	return text;
}

/** The first line with anything but white space in it ('' when none). */
export function firstLine(text: string): string {
	return firstLineOf(text, true, Number.POSITIVE_INFINITY)!;
}

/**
 * firstLine() of `s`, its first `max` units, found without splitting the whole text (results run
 * to 30 KB). `whole` false: `s` is only the text's start, and undefined when that does not decide
 * it (the line it cuts is blank so far or shorter than `max`).
 */
function firstLineOf(s: string, whole: boolean, max: number): string | undefined {
	for (let start = 0; start < s.length; ) {
		let end = s.indexOf('\n', start);
		if (end === -1) {
			if (!whole) return s.length - start >= max && s.slice(start).trim() ? s.slice(start, start + max) : undefined;
			end = s.length;
		}

		const line = s.slice(start, end);
		if (line.trim()) return truncate(line, max);
		start = end + 1;
	}

	return whole ? '' : undefined;
}

/**
 * FNV-1a of the text with volatile parts blanked (times, durations, hex ids, temp paths), so
 * "same error, new timestamp" matches while "34 failing" → "12 failing" (progress) does not.
 */
export function hashText(text: string): string {
	const norm = text
		.slice(0, HASH_UNITS)
		.replace(/\d{4}-\d{2}-\d{2}[T ][\d:.]+Z?/g, '#')
		.replace(/\b\d+(\.\d+)?\s?(ms|s|sec|secs|seconds|m|min)\b/g, '#')
		.replace(/0x[0-9a-f]+|\b[0-9a-f]{12,}\b/gi, '#')
		.replace(/\/tmp\/\S+/g, '#');
	let h = 0x811c9dc5;
	for (let i = 0; i < norm.length; i++) {
		h ^= norm.charCodeAt(i);
		h = Math.imul(h, 0x01000193);
	}

	return (h >>> 0).toString(16);
}

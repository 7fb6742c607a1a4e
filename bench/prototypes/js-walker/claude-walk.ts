// THROWAWAY PROTOTYPE (issue 16), not part of burntop: measured no faster than JSON.parse, see
// BENCHMARKS.md "Session 12". What ClaudeParser needs from a billable line, two ways with one
// result (check.ts):
// read from a parsed record, and walked from the line's bytes (json-walk.ts) without parsing it.
// The walk takes `"type":"assistant"` lines, most of the bytes a cold scan parses; any other line,
// and anything it does not take exactly as JSON.parse would, is undefined: the record way does it.
import {asNumber, asString, isRecord, parseTime, truncate} from '../../../src/ingest/util.js';
import {blockOutput, textOutput, toolUseOutput} from '../../../src/ingest/claude-output.js';
import {byteAt, codeOf, keyCode, CLOSE_BRACE, CLOSE_BRACKET, cur, FAIL, keyIs, MAX_DEPTH, nextMember, num, numberValue, OPEN_BRACE, OPEN_BRACKET, openContainer, QUOTE, readKey, skipValue, str, stringValue, walkLiteral, walkNumber, walkString, ws} from './json-walk.js';

/** A content block: the output it holds (estimated), its tool and its shell command. */
export type BlockInfo = {output: number; tool?: string; command?: string};

/** An assistant line's fields, each as ClaudeParser.assistant() reads it (undefined: absent, empty or not a string). */
export type AssistantFields = {
	model?: string;
	id?: string;
	/** message.usage is an object (no call without one). */
	usage: boolean;
	input: number;
	cacheRead: number;
	cacheCreation: number;
	/** cache_creation.ephemeral_1h_input_tokens; undefined when cache_creation is not an object. */
	oneHour?: number;
	output: number;
	/** output_tokens_details.thinking_tokens; undefined when the details are not an object. */
	thinking?: number;
	webSearches: number;
	fast: boolean;
	ts?: number;
	requestId?: string;
	uuid?: string;
	sessionId?: string;
	cwd?: string;
	reportedCostUSD?: number;
	sidechain: boolean;
	/** message.content's object blocks, in order; undefined when content is not an array. */
	blocks?: BlockInfo[];
};

// ---- from a parsed record ----

export function blockInfo(block: Record<string, unknown>): BlockInfo {
	const output = blockOutput(block);
	if (block['type'] !== 'tool_use') return {output};
	const tool = asString(block['name']);
	const input = block['input'];
	const cmd = tool === 'Bash' && isRecord(input) ? asString(input['command']) : undefined;
	return {output, tool, command: cmd ? truncate(cmd.trim(), 200) : undefined};
}

/** `r`: the assistant record (a progress line's embedded message, or the line itself); `outer`: the line. */
export function assistantFromRecord(message: Record<string, unknown>, r: Record<string, unknown>, outer: Record<string, unknown>, embedded: boolean): AssistantFields {
	const usage = message['usage'];
	const u = isRecord(usage) ? usage : {};
	const split = u['cache_creation'];
	const details = u['output_tokens_details'];
	const server = u['server_tool_use'];
	const content = message['content'];
	const reported = r['costUSD'] ?? outer['costUSD'];
	return {
		model: asString(message['model']),
		id: asString(message['id']),
		usage: isRecord(usage),
		input: asNumber(u['input_tokens']),
		cacheRead: asNumber(u['cache_read_input_tokens']),
		cacheCreation: asNumber(u['cache_creation_input_tokens']),
		oneHour: isRecord(split) ? asNumber(split['ephemeral_1h_input_tokens']) : undefined,
		output: asNumber(u['output_tokens']),
		thinking: isRecord(details) ? asNumber(details['thinking_tokens']) : undefined,
		webSearches: isRecord(server) ? asNumber(server['web_search_requests']) : 0,
		fast: u['speed'] === 'fast',
		ts: parseTime(r['timestamp']) ?? parseTime(outer['timestamp']),
		requestId: asString(r['requestId']),
		uuid: asString(r['uuid']),
		sessionId: asString(r['sessionId']) ?? asString(outer['sessionId']),
		cwd: asString(r['cwd']) ?? asString(outer['cwd']),
		reportedCostUSD: typeof reported === 'number' ? reported : undefined,
		sidechain: r['isSidechain'] === true || outer['isSidechain'] === true || embedded,
		blocks: Array.isArray(content) ? content.filter(isRecord).map(blockInfo) : undefined,
	};
}

// ---- from the bytes ----

/** A key to match: its bytes and codeOf() them. */
type Key = {bytes: Buffer; code: number};
const key = (s: string): Key => ({bytes: Buffer.from(s), code: codeOf(Buffer.from(s))});
/** Whether the key in `str` (whose keyCode() is `kc`) is `k`. */
const is = (buf: Buffer, kc: number, k: Key) => kc === k.code && keyIs(buf, k.bytes);
const K = {
	type: key('type'),
	message: key('message'),
	timestamp: key('timestamp'),
	sessionId: key('sessionId'),
	cwd: key('cwd'),
	requestId: key('requestId'),
	uuid: key('uuid'),
	isSidechain: key('isSidechain'),
	isApiErrorMessage: key('isApiErrorMessage'),
	costUSD: key('costUSD'),
	model: key('model'),
	id: key('id'),
	usage: key('usage'),
	content: key('content'),
	input_tokens: key('input_tokens'),
	cache_read_input_tokens: key('cache_read_input_tokens'),
	cache_creation_input_tokens: key('cache_creation_input_tokens'),
	output_tokens: key('output_tokens'),
	cache_creation: key('cache_creation'),
	ephemeral_1h_input_tokens: key('ephemeral_1h_input_tokens'),
	output_tokens_details: key('output_tokens_details'),
	thinking_tokens: key('thinking_tokens'),
	server_tool_use: key('server_tool_use'),
	web_search_requests: key('web_search_requests'),
	speed: key('speed'),
	text: key('text'),
	thinking: key('thinking'),
	name: key('name'),
	input: key('input'),
	command: key('command'),
};
const ASSISTANT = Buffer.from('assistant');
const TEXT = Buffer.from('text');
const THINKING = Buffer.from('thinking');
const TOOL_USE = Buffer.from('tool_use');
const FAST = Buffer.from('fast');

/** The string value in `str` equals `word` (no escapes). */
function valueIs(buf: Buffer, word: Buffer): boolean {
	return !str.escaped && keyIs(buf, word);
}

/** Whether a member seen before is seen again (bit `b` of `seen`); FAIL then: JSON.parse keeps the last, this walk the first. */
let seen = 0;
function first(b: number): boolean {
	if (seen & b) return false;
	seen |= b;
	return true;
}

/** A string value at i, as asString() reads it (into `text`): the position after it. Not a string: stepped over, `text` undefined. */
let text: string | undefined;
function stringAt(buf: Buffer, i: number, end: number): number {
	if (byteAt(buf, i, end) !== QUOTE) {
		text = undefined;
		return skipValue(buf, i, end, 1);
	}

	const j = walkString(buf, i, end);
	text = j !== FAIL && str.end > str.start ? stringValue(buf) : undefined;
	return j;
}

/** A token count at i, as asNumber() reads a number or null (into `count`); a string or anything else is FAIL. */
let count = 0;
function countAt(buf: Buffer, i: number, end: number): number {
	const c = byteAt(buf, i, end);
	if (c === 0x6e) {
		count = 0;
		const j = walkLiteral(buf, i, end);
		return j - i === 4 ? j : FAIL;
	}

	const j = walkNumber(buf, i, end);
	if (j !== FAIL) count = Math.round(numberValue(buf));
	return j;
}

/** One count inside the object at i (`name`, into `sub`: 0 when absent), or undefined when the value is not an object. */
let sub: number | undefined;
function subCount(buf: Buffer, i: number, end: number, name: Key): number {
	if (byteAt(buf, i, end) !== OPEN_BRACE) {
		sub = undefined;
		return skipValue(buf, i, end, 2);
	}

	sub = 0;
	let had = false;
	i = openContainer(buf, i, end, CLOSE_BRACE);
	while (!cur.closed) {
		i = readKey(buf, i, end);
		if (i === FAIL) return FAIL;
		if (is(buf, keyCode(buf), name)) {
			if (had) return FAIL;
			had = true;
			i = countAt(buf, i, end);
			sub = count;
		} else {
			i = skipValue(buf, i, end, 3);
		}

		if (i === FAIL) return FAIL;
		i = nextMember(buf, i, end, CLOSE_BRACE);
		if (i === FAIL) return FAIL;
	}

	return i;
}

function walkUsage(buf: Buffer, i: number, end: number, f: AssistantFields): number {
	let had = 0;
	i = openContainer(buf, i, end, CLOSE_BRACE);
	while (!cur.closed) {
		i = readKey(buf, i, end);
		if (i === FAIL) return FAIL;
		const kc = keyCode(buf);
		if (is(buf, kc, K.input_tokens)) {
			if (had & 1) return FAIL;
			had |= 1;
			i = countAt(buf, i, end);
			f.input = count;
		} else if (is(buf, kc, K.cache_read_input_tokens)) {
			if (had & 2) return FAIL;
			had |= 2;
			i = countAt(buf, i, end);
			f.cacheRead = count;
		} else if (is(buf, kc, K.cache_creation_input_tokens)) {
			if (had & 4) return FAIL;
			had |= 4;
			i = countAt(buf, i, end);
			f.cacheCreation = count;
		} else if (is(buf, kc, K.output_tokens)) {
			if (had & 8) return FAIL;
			had |= 8;
			i = countAt(buf, i, end);
			f.output = count;
		} else if (is(buf, kc, K.cache_creation)) {
			if (had & 16) return FAIL;
			had |= 16;
			i = subCount(buf, i, end, K.ephemeral_1h_input_tokens);
			f.oneHour = sub;
		} else if (is(buf, kc, K.output_tokens_details)) {
			if (had & 32) return FAIL;
			had |= 32;
			i = subCount(buf, i, end, K.thinking_tokens);
			f.thinking = sub;
		} else if (is(buf, kc, K.server_tool_use)) {
			if (had & 64) return FAIL;
			had |= 64;
			i = subCount(buf, i, end, K.web_search_requests);
			f.webSearches = sub ?? 0;
		} else if (is(buf, kc, K.speed)) {
			if (had & 128) return FAIL;
			had |= 128;
			if (byteAt(buf, i, end) === QUOTE) {
				i = walkString(buf, i, end);
				if (str.escaped) return FAIL;
				f.fast = i !== FAIL && valueIs(buf, FAST);
			} else {
				i = skipValue(buf, i, end, 2);
			}
		} else {
			i = skipValue(buf, i, end, 2);
		}

		if (i === FAIL) return FAIL;
		i = nextMember(buf, i, end, CLOSE_BRACE);
		if (i === FAIL) return FAIL;
	}

	return i;
}

// jsonSize() (claude-output.ts) from the bytes: a duplicate key is FAIL (for-in sees it once).
let size = 0;
const KEY_SPANS = new Int32Array(2 * 1024);
let keyTop = 0;
const MAX_KEYS = 64;
/** input.command of a tool call, while its input is walked. */
let command: string | undefined;

function sameBytes(buf: Buffer, a: number, aEnd: number, b: number, bEnd: number): boolean {
	if (aEnd - a !== bEnd - b) return false;
	for (let k = 0; k < aEnd - a; k++) if (buf[a + k] !== buf[b + k]) return false;
	return true;
}

function sizeValue(buf: Buffer, p: number, end: number, depth: number, top: boolean): number {
	const c = byteAt(buf, p, end);
	if (c === QUOTE) {
		const i = walkString(buf, p, end);
		size += str.units + 2;
		return i;
	}

	if (c === OPEN_BRACKET || c === OPEN_BRACE) {
		if (depth >= MAX_DEPTH) return FAIL;
		size += 2;
		if (c === OPEN_BRACKET) {
			let i = openContainer(buf, p, end, CLOSE_BRACKET);
			while (!cur.closed) {
				i = sizeValue(buf, i, end, depth + 1, false);
				if (i === FAIL) return FAIL;
				size += 1;
				i = nextMember(buf, i, end, CLOSE_BRACKET);
				if (i === FAIL) return FAIL;
			}

			return i;
		}

		const base = keyTop;
		let i = openContainer(buf, p, end, CLOSE_BRACE);
		while (!cur.closed) {
			i = readKey(buf, i, end);
			if (i === FAIL) return FAIL;
			const kc = keyCode(buf);
			const ks = str.start;
			const ke = str.end;
			if (keyTop - base >= 2 * MAX_KEYS || keyTop + 2 > KEY_SPANS.length) return FAIL;
			for (let k = base; k < keyTop; k += 2) if (sameBytes(buf, KEY_SPANS[k]!, KEY_SPANS[k + 1]!, ks, ke)) return FAIL;
			KEY_SPANS[keyTop++] = ks;
			KEY_SPANS[keyTop++] = ke;
			size += str.units + 4;
			if (top && byteAt(buf, i, end) === QUOTE && is(buf, kc, K.command)) {
				i = walkString(buf, i, end);
				if (i === FAIL) return FAIL;
				size += str.units + 2;
				command = str.end > str.start ? stringValue(buf) : undefined;
			} else {
				i = sizeValue(buf, i, end, depth + 1, false);
			}

			if (i === FAIL) return FAIL;
			i = nextMember(buf, i, end, CLOSE_BRACE);
			if (i === FAIL) return FAIL;
		}

		keyTop = base;
		return i;
	}

	if (c === 0x2d || (c >= 0x30 && c <= 0x39)) {
		const i = walkNumber(buf, p, end);
		if (i !== FAIL) size += num.simple ? i - p : String(numberValue(buf)).length;
		return i;
	}

	const i = walkLiteral(buf, p, end);
	// true 4, false 5, null 4: each as long as its text.
	if (i !== FAIL) size += i - p;
	return i;
}

const enum Kind {
	Other,
	Text,
	Thinking,
	ToolUse,
}

/** One element of message.content; an object's BlockInfo is pushed to `blocks`. */
function walkBlock(buf: Buffer, p: number, end: number, blocks: BlockInfo[]): number {
	if (byteAt(buf, p, end) !== OPEN_BRACE) return skipValue(buf, p, end, 3);
	let kind = Kind.Other;
	let textUnits = -1;
	let thinkingUnits = -1;
	let name: string | undefined;
	let nameUnits = 0;
	let inputSize = 0;
	let cmd: string | undefined;
	let had = 0;
	let i = openContainer(buf, p, end, CLOSE_BRACE);
	while (!cur.closed) {
		i = readKey(buf, i, end);
		if (i === FAIL) return FAIL;
		const kc = keyCode(buf);
		const c = byteAt(buf, i, end);
		if (is(buf, kc, K.type)) {
			if (had & 1) return FAIL;
			had |= 1;
			if (c === QUOTE) {
				i = walkString(buf, i, end);
				if (i === FAIL || str.escaped) return FAIL;
				kind = keyIs(buf, TEXT) ? Kind.Text : keyIs(buf, THINKING) ? Kind.Thinking : keyIs(buf, TOOL_USE) ? Kind.ToolUse : Kind.Other;
			} else {
				i = skipValue(buf, i, end, 4);
			}
		} else if (is(buf, kc, K.text) || is(buf, kc, K.thinking)) {
			const isText = is(buf, kc, K.text);
			const b = isText ? 2 : 4;
			if (had & b) return FAIL;
			had |= b;
			if (c === QUOTE) {
				i = walkString(buf, i, end);
				if (isText) textUnits = str.units;
				else thinkingUnits = str.units;
			} else {
				i = skipValue(buf, i, end, 4);
			}
		} else if (is(buf, kc, K.name)) {
			if (had & 8) return FAIL;
			had |= 8;
			if (c === QUOTE) {
				i = walkString(buf, i, end);
				nameUnits = str.units;
				name = i !== FAIL && str.units > 0 ? stringValue(buf) : undefined;
			} else if (c === 0x6e) {
				// null (the only literal starting with n): String(null ?? '') is ''.
				i = walkLiteral(buf, i, end);
			} else {
				return FAIL;
			}
		} else if (is(buf, kc, K.input)) {
			if (had & 16) return FAIL;
			had |= 16;
			size = 0;
			command = undefined;
			keyTop = 0;
			i = sizeValue(buf, i, end, 4, c === OPEN_BRACE);
			inputSize = size;
			cmd = command;
		} else {
			i = skipValue(buf, i, end, 4);
		}

		if (i === FAIL) return FAIL;
		i = nextMember(buf, i, end, CLOSE_BRACE);
		if (i === FAIL) return FAIL;
	}

	let output = 0;
	if (kind === Kind.Text) output = textUnits >= 0 ? textOutput(textUnits) : 0;
	else if (kind === Kind.Thinking) output = thinkingUnits >= 0 ? textOutput(thinkingUnits) : 0;
	else if (kind === Kind.ToolUse) output = toolUseOutput(inputSize, nameUnits);
	if (kind !== Kind.ToolUse) blocks.push({output});
	else blocks.push({output, tool: name, command: name === 'Bash' && cmd ? truncate(cmd.trim(), 200) : undefined});
	return i;
}

function walkMessage(buf: Buffer, i: number, end: number, f: AssistantFields): number {
	let had = 0;
	i = openContainer(buf, i, end, CLOSE_BRACE);
	while (!cur.closed) {
		i = readKey(buf, i, end);
		if (i === FAIL) return FAIL;
		const kc = keyCode(buf);
		const c = byteAt(buf, i, end);
		if (is(buf, kc, K.model)) {
			if (had & 1) return FAIL;
			had |= 1;
			i = stringAt(buf, i, end);
			f.model = text;
		} else if (is(buf, kc, K.id)) {
			if (had & 2) return FAIL;
			had |= 2;
			i = stringAt(buf, i, end);
			f.id = text;
		} else if (is(buf, kc, K.usage)) {
			if (had & 4) return FAIL;
			had |= 4;
			f.usage = c === OPEN_BRACE;
			i = f.usage ? walkUsage(buf, i, end, f) : skipValue(buf, i, end, 2);
		} else if (is(buf, kc, K.content)) {
			if (had & 8) return FAIL;
			had |= 8;
			if (c === OPEN_BRACKET) {
				const blocks: BlockInfo[] = [];
				i = openContainer(buf, i, end, CLOSE_BRACKET);
				while (!cur.closed) {
					i = walkBlock(buf, i, end, blocks);
					if (i === FAIL) return FAIL;
					i = nextMember(buf, i, end, CLOSE_BRACKET);
					if (i === FAIL) return FAIL;
				}

				f.blocks = blocks;
			} else {
				i = skipValue(buf, i, end, 2);
			}
		} else {
			i = skipValue(buf, i, end, 2);
		}

		if (i === FAIL) return FAIL;
		i = nextMember(buf, i, end, CLOSE_BRACE);
		if (i === FAIL) return FAIL;
	}

	return i;
}

/**
 * The fields of the `"type":"assistant"` line in buf[start, end) (start at its `{`), or undefined
 * when the line is anything else or the walk cannot take it exactly (then JSON.parse does).
 */
export function assistantFromBytes(buf: Buffer, start: number, end: number): AssistantFields | undefined {
	// Every field present, in the record way's order: one object shape for both ways.
	const f: AssistantFields = {model: undefined, id: undefined, usage: false, input: 0, cacheRead: 0, cacheCreation: 0, oneHour: undefined, output: 0, thinking: undefined, webSearches: 0, fast: false, ts: undefined, requestId: undefined, uuid: undefined, sessionId: undefined, cwd: undefined, reportedCostUSD: undefined, sidechain: false, blocks: undefined};
	let assistant = false;
	let message = false;
	let timestamp: unknown;
	let reported: number | undefined;
	seen = 0;
	if (byteAt(buf, start, end) !== OPEN_BRACE) return undefined;
	let i = openContainer(buf, start, end, CLOSE_BRACE);
	while (!cur.closed) {
		i = readKey(buf, i, end);
		if (i === FAIL) return undefined;
		const kc = keyCode(buf);
		const c = byteAt(buf, i, end);
		if (is(buf, kc, K.type)) {
			if (!first(1) || c !== QUOTE) return undefined;
			i = walkString(buf, i, end);
			if (i === FAIL || !valueIs(buf, ASSISTANT)) return undefined;
			assistant = true;
		} else if (is(buf, kc, K.message)) {
			if (!first(2) || c !== OPEN_BRACE) return undefined;
			i = walkMessage(buf, i, end, f);
			message = true;
		} else if (is(buf, kc, K.timestamp)) {
			if (!first(4)) return undefined;
			if (c === QUOTE) {
				i = stringAt(buf, i, end);
				timestamp = text;
			} else if (c === 0x2d || (c >= 0x30 && c <= 0x39)) {
				i = walkNumber(buf, i, end);
				if (i !== FAIL) timestamp = numberValue(buf);
			} else {
				i = skipValue(buf, i, end, 1);
			}
		} else if (is(buf, kc, K.sessionId)) {
			if (!first(8)) return undefined;
			i = stringAt(buf, i, end);
			f.sessionId = text;
		} else if (is(buf, kc, K.cwd)) {
			if (!first(16)) return undefined;
			i = stringAt(buf, i, end);
			f.cwd = text;
		} else if (is(buf, kc, K.requestId)) {
			if (!first(32)) return undefined;
			i = stringAt(buf, i, end);
			f.requestId = text;
		} else if (is(buf, kc, K.uuid)) {
			if (!first(64)) return undefined;
			i = stringAt(buf, i, end);
			f.uuid = text;
		} else if (is(buf, kc, K.isSidechain) || is(buf, kc, K.isApiErrorMessage)) {
			const sidechain = is(buf, kc, K.isSidechain);
			if (!first(sidechain ? 128 : 256)) return undefined;
			const j = skipValue(buf, i, end, 1);
			const isTrue = j - i === 4 && c === 0x74;
			// An API error line is the record way's (its text is read).
			if (!sidechain && isTrue) return undefined;
			if (sidechain) f.sidechain = isTrue;
			i = j;
		} else if (is(buf, kc, K.costUSD)) {
			if (!first(512)) return undefined;
			if (c === 0x2d || (c >= 0x30 && c <= 0x39)) {
				i = walkNumber(buf, i, end);
				if (i !== FAIL) reported = numberValue(buf);
			} else {
				i = skipValue(buf, i, end, 1);
			}
		} else {
			i = skipValue(buf, i, end, 1);
		}

		if (i === FAIL) return undefined;
		i = nextMember(buf, i, end, CLOSE_BRACE);
		if (i === FAIL) return undefined;
	}

	if (!assistant || !message || ws(buf, i, end) !== end) return undefined;
	f.ts = parseTime(timestamp);
	f.reportedCostUSD = reported;
	return f;
}

// THROWAWAY PROTOTYPE (issue 16), not part of burntop: measured no faster than JSON.parse in a
// scan, see BENCHMARKS.md "Session 14". Claude Code's assistant lines read from their bytes: one
// pass checks the whole line as JSON.parse would (control bytes in strings, escapes, number
// grammar, literals, nothing after the value; also valid UTF-8) and keeps only what ClaudeParser
// needs: spans of a few strings, token counts read in place, and per content block the output it
// holds (string lengths in UTF-16 units, as `.length` counts them). A line it does not take
// exactly as the JSON path would is left to JSON.parse (`read` is false).
//   npx tsx bench/prototypes/claude-walk/bench.ts <projects folder> [rounds]
import {jsonSize, textOutput, toolUseOutput} from '../../../src/ingest/claude-output.js';
import {asNumber, asString, isRecord, parseTime} from '../../../src/ingest/util.js';

const FAIL = -1;
/** Deeper nesting is left to JSON.parse. */
const MAX_DEPTH = 64;
/** An object of tool input with more keys is left to JSON.parse (repeated keys are looked for pairwise). */
const MAX_KEYS = 64;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const MINUS = 0x2d;

/** The last string walked: its content had a backslash / a byte over 0x7f. */
const ESCAPED = 1;
const NON_ASCII = 2;

const bytes = (s: string) => Uint8Array.from(Buffer.from(s, 'latin1'));
// Keys read, by level.
const K_TYPE = bytes('type');
const K_MESSAGE = bytes('message');
const K_TIMESTAMP = bytes('timestamp');
const K_SESSION = bytes('sessionId');
const K_CWD = bytes('cwd');
const K_REQUEST = bytes('requestId');
const K_UUID = bytes('uuid');
const K_SIDECHAIN = bytes('isSidechain');
const K_API_ERROR = bytes('isApiErrorMessage');
const K_COST = bytes('costUSD');
const K_MODEL = bytes('model');
const K_ID = bytes('id');
const K_USAGE = bytes('usage');
const K_CONTENT = bytes('content');
const K_INPUT_TOKENS = bytes('input_tokens');
const K_CACHE_READ = bytes('cache_read_input_tokens');
const K_CACHE_CREATION_TOKENS = bytes('cache_creation_input_tokens');
const K_OUTPUT_TOKENS = bytes('output_tokens');
const K_CACHE_CREATION = bytes('cache_creation');
const K_ONE_HOUR = bytes('ephemeral_1h_input_tokens');
const K_SERVER = bytes('server_tool_use');
const K_WEB_SEARCH = bytes('web_search_requests');
const K_DETAILS = bytes('output_tokens_details');
const K_THINKING_TOKENS = bytes('thinking_tokens');
const K_SPEED = bytes('speed');
const K_TEXT = bytes('text');
const K_THINKING = bytes('thinking');
const K_NAME = bytes('name');
const K_INPUT = bytes('input');
const K_COMMAND = bytes('command');
// Values compared.
const V_ASSISTANT = bytes('assistant');
const V_FAST = bytes('fast');
const V_TOOL_USE = bytes('tool_use');
const V_TRUE = bytes('true');
const V_FALSE = bytes('false');
const V_NULL = bytes('null');

/** Block types that hold output. */
const OTHER = 0;
const TEXT = 1;
const THINKING = 2;
const TOOL_USE = 3;

type Slicing = {latin1Slice(start: number, end: number): string; utf8Slice(start: number, end: number): string};
/** Buffer's own decoders, without toString()'s argument handling. */
const direct = typeof (Buffer.prototype as unknown as Partial<Slicing>).latin1Slice === 'function' && typeof (Buffer.prototype as unknown as Partial<Slicing>).utf8Slice === 'function';

/** A string value kept from one line to the next while its bytes stay the same (a file's session, folder and model). */
class Interned {
	private bytes = new Uint8Array(64);
	private length = -1;
	value: string | undefined;

	/** The string of buf[start, end) if it is the one held. */
	get(buf: Uint8Array, start: number, end: number): string | undefined {
		const n = end - start;
		if (n !== this.length) return undefined;
		const b = this.bytes;
		for (let k = 0; k < n; k++) if (b[k] !== buf[start + k]) return undefined;
		return this.value;
	}

	set(buf: Uint8Array, start: number, end: number, value: string): void {
		const n = end - start;
		if (n > this.bytes.length) this.bytes = new Uint8Array(n * 2);
		this.bytes.set(buf.subarray(start, end));
		this.length = n;
		this.value = value;
	}
}

/**
 * One assistant call as ClaudeParser reads it, from a parsed record (`fromRecord`) or from a
 * line's bytes (`read`); one instance is filled again for every line.
 */
export class ClaudeCall {
	model: string | undefined;
	id: string | undefined;
	requestId: string | undefined;
	uuid: string | undefined;
	sessionId: string | undefined;
	cwd: string | undefined;
	ts = 0;
	input = 0;
	cacheRead = 0;
	cacheCreation = 0;
	/** usage.cache_creation.ephemeral_1h_input_tokens; undefined when cache_creation is not an object. */
	oneHour: number | undefined;
	output = 0;
	/** usage.output_tokens_details.thinking_tokens; undefined when the details are not an object. */
	thinking: number | undefined;
	webSearches = 0;
	fast = false;
	sidechain = false;
	reportedCostUSD: number | undefined;
	/** Object blocks of message.content, in order: the output each holds, its tool (tool_use) and Bash command. */
	blocks = 0;
	readonly blockOutput: number[] = [];
	readonly blockTool: Array<string | undefined> = [];
	readonly blockCommand: Array<string | undefined> = [];

	// The walk's state.
	private buf: Buffer = Buffer.alloc(0);
	private end = 0;
	/** The string last walked: content span, flags, length in UTF-16 units. */
	private sStart = 0;
	private sEnd = 0;
	private sFlags = 0;
	private sUnits = 0;
	/** The number last walked is an integer of at most 15 digits, not -0 (its value in nValue). */
	private nSimple = false;
	private nValue = 0;
	/** jsonSize() of the value last walked by sized(). */
	private size = 0;
	/** Key spans of the tool input's objects being walked (a stack), to find repeated keys. */
	private keys = new Int32Array(256);
	private keyTop = 0;
	/** The span of a tool input's top-level "command" string (-1: none). */
	private cmdStart = -1;
	private cmdEnd = 0;
	private cmdFlags = 0;
	private readonly session = new Interned();
	private readonly folder = new Interned();
	private readonly modelName = new Interned();
	private readonly toolBytes: Uint8Array[] = [];
	private readonly toolStrings: string[] = [];

	/** A parsed assistant record (r: the call's record, outer: the line; `ts` already read). */
	fromRecord(message: Record<string, unknown>, usage: Record<string, unknown>, r: Record<string, unknown>, outer: Record<string, unknown>, embedded: boolean, ts: number): void {
		this.model = asString(message['model']);
		this.id = asString(message['id']);
		this.requestId = asString(r['requestId']);
		this.uuid = asString(r['uuid']);
		this.sessionId = asString(r['sessionId']) ?? asString(outer['sessionId']);
		this.cwd = asString(r['cwd']) ?? asString(outer['cwd']);
		this.ts = ts;
		this.input = asNumber(usage['input_tokens']);
		this.cacheRead = asNumber(usage['cache_read_input_tokens']);
		this.cacheCreation = asNumber(usage['cache_creation_input_tokens']);
		const split = usage['cache_creation'];
		this.oneHour = isRecord(split) ? asNumber(split['ephemeral_1h_input_tokens']) : undefined;
		this.output = asNumber(usage['output_tokens']);
		const details = usage['output_tokens_details'];
		this.thinking = isRecord(details) ? asNumber(details['thinking_tokens']) : undefined;
		const server = usage['server_tool_use'];
		this.webSearches = isRecord(server) ? asNumber(server['web_search_requests']) : 0;
		this.fast = usage['speed'] === 'fast';
		this.sidechain = r['isSidechain'] === true || outer['isSidechain'] === true || embedded;
		const reported = r['costUSD'] ?? outer['costUSD'];
		this.reportedCostUSD = typeof reported === 'number' ? reported : undefined;
		this.blocks = 0;
		const content = message['content'];
		if (!Array.isArray(content)) return;
		for (const block of content) {
			if (!isRecord(block)) continue;
			const b = this.blocks++;
			const type = block['type'];
			let output = 0;
			let tool: string | undefined;
			let command: string | undefined;
			if (type === 'text') output = typeof block['text'] === 'string' ? textOutput(block['text'].length) : 0;
			else if (type === 'thinking') output = typeof block['thinking'] === 'string' ? textOutput(block['thinking'].length) : 0;
			else if (type === 'tool_use') {
				output = toolUseOutput(jsonSize(block['input']), String(block['name'] ?? '').length);
				tool = asString(block['name']);
				const input = block['input'];
				if (tool === 'Bash' && isRecord(input)) command = asString(input['command']);
			}

			this.blockOutput[b] = output;
			this.blockTool[b] = tool;
			this.blockCommand[b] = command;
		}
	}

	/**
	 * Fill this from a line's bytes buf[start, end) (starting at its `{`). True: a top-level
	 * `"type":"assistant"` line with a usage object, not an API error or a local placeholder, with
	 * a valid timestamp, read exactly as the JSON path reads it. False: leave it to JSON.parse.
	 */
	read(buf: Buffer, start: number, end: number): boolean {
		this.buf = buf;
		this.end = end;
		this.blocks = 0;
		this.keyTop = 0;
		let type = false;
		let message = false;
		let seen = 0;
		let tsStart = -1;
		let tsEnd = 0;
		let sessionStart = -1;
		let sessionEnd = 0;
		let sessionFlags = 0;
		let cwdStart = -1;
		let cwdEnd = 0;
		let cwdFlags = 0;
		let requestStart = -1;
		let requestEnd = 0;
		let requestFlags = 0;
		let uuidStart = -1;
		let uuidEnd = 0;
		let uuidFlags = 0;
		this.sidechain = false;
		this.reportedCostUSD = undefined;
		this.usageSeen = false;
		this.modelStart = -1;
		this.idStart = -1;
		let i = this.ws(start + 1);
		if (buf[start] !== OPEN_BRACE || i >= end) return false;
		if (buf[i] === CLOSE_BRACE) return false;
		for (;;) {
			if (buf[i] !== QUOTE) return false;
			const ks = i + 1;
			i = this.str(i);
			if (i === FAIL || (this.sFlags & ESCAPED) !== 0) return false;
			const ke = this.sEnd;
			i = this.ws(i);
			if (i >= end || buf[i] !== COLON) return false;
			i = this.ws(i + 1);
			if (i >= end) return false;
			const c = buf[i]!;
			let bit = 0;
			switch (ke - ks) {
				case 3:
					if (eq(buf, ks, K_CWD)) {
						bit = 1;
						if (c === QUOTE) {
							i = this.str(i);
							cwdStart = this.sStart;
							cwdEnd = this.sEnd;
							cwdFlags = this.sFlags;
						} else {
							cwdStart = -1;
							i = this.skip(i, 1);
						}
					} else i = this.skip(i, 1);
					break;
				case 4:
					if (eq(buf, ks, K_TYPE)) {
						bit = 2;
						// Another type is another kind of line: JSON.parse's, and early.
						if (c !== QUOTE) return false;
						i = this.str(i);
						if (i === FAIL || this.sFlags !== 0 || !this.spanIs(V_ASSISTANT)) return false;
						type = true;
					} else if (eq(buf, ks, K_UUID)) {
						bit = 4;
						if (c === QUOTE) {
							i = this.str(i);
							uuidStart = this.sStart;
							uuidEnd = this.sEnd;
							uuidFlags = this.sFlags;
						} else {
							uuidStart = -1;
							i = this.skip(i, 1);
						}
					} else i = this.skip(i, 1);
					break;
				case 7:
					if (eq(buf, ks, K_MESSAGE)) {
						bit = 8;
						if (c !== OPEN_BRACE) return false;
						i = this.message(i);
						message = true;
					} else if (eq(buf, ks, K_COST)) {
						bit = 16;
						if (c === MINUS || (c >= 0x30 && c <= 0x39)) {
							const from = i;
							i = this.num(i);
							if (i !== FAIL) this.reportedCostUSD = this.nSimple ? this.nValue : Number(this.latin1(from, i));
						} else {
							this.reportedCostUSD = undefined;
							i = this.skip(i, 1);
						}
					} else i = this.skip(i, 1);
					break;
				case 9:
					if (eq(buf, ks, K_TIMESTAMP)) {
						bit = 32;
						// Epoch numbers and other forms are rare: JSON.parse's.
						if (c !== QUOTE) return false;
						i = this.str(i);
						if (this.sFlags !== 0) return false;
						tsStart = this.sStart;
						tsEnd = this.sEnd;
					} else if (eq(buf, ks, K_SESSION)) {
						bit = 64;
						if (c === QUOTE) {
							i = this.str(i);
							sessionStart = this.sStart;
							sessionEnd = this.sEnd;
							sessionFlags = this.sFlags;
						} else {
							sessionStart = -1;
							i = this.skip(i, 1);
						}
					} else if (eq(buf, ks, K_REQUEST)) {
						bit = 128;
						if (c === QUOTE) {
							i = this.str(i);
							requestStart = this.sStart;
							requestEnd = this.sEnd;
							requestFlags = this.sFlags;
						} else {
							requestStart = -1;
							i = this.skip(i, 1);
						}
					} else i = this.skip(i, 1);
					break;
				case 11:
					if (eq(buf, ks, K_SIDECHAIN)) {
						bit = 256;
						const from = i;
						i = this.skip(i, 1);
						this.sidechain = i === from + 4 && eq(buf, from, V_TRUE);
					} else i = this.skip(i, 1);
					break;
				case 17:
					if (eq(buf, ks, K_API_ERROR)) {
						bit = 512;
						// An API error is an error event: JSON.parse's.
						if (c === 0x74) return false;
						i = this.skip(i, 1);
					} else i = this.skip(i, 1);
					break;
				default:
					i = this.skip(i, 1);
			}

			if (i === FAIL || (seen & bit) !== 0) return false;
			seen |= bit;
			i = this.ws(i);
			if (i >= end) return false;
			if (buf[i] === COMMA) {
				i = this.ws(i + 1);
				continue;
			}

			if (buf[i] !== CLOSE_BRACE) return false;
			break;
		}

		if (this.ws(i + 1) !== end || !type || !message || !this.usageSeen || tsStart === -1) return false;
		const ts = parseTime(this.latin1(tsStart, tsEnd));
		if (ts === undefined) return false;
		this.ts = ts;
		this.model = this.modelStart === -1 ? undefined : this.interned(this.modelName, this.modelStart, this.modelEnd, this.modelFlags);
		// A local placeholder, never billed: JSON.parse's way drops it.
		if (this.model === '<synthetic>') return false;
		this.id = this.idStart === -1 ? undefined : this.text(this.idStart, this.idEnd, this.idFlags);
		this.sessionId = sessionStart === -1 ? undefined : this.interned(this.session, sessionStart, sessionEnd, sessionFlags);
		this.cwd = cwdStart === -1 ? undefined : this.interned(this.folder, cwdStart, cwdEnd, cwdFlags);
		this.requestId = requestStart === -1 ? undefined : this.text(requestStart, requestEnd, requestFlags);
		this.uuid = uuidStart === -1 ? undefined : this.text(uuidStart, uuidEnd, uuidFlags);
		return this.finishBlocks();
	}

	// message's own fields, filled by message().
	private usageSeen = false;
	private modelStart = -1;
	private modelEnd = 0;
	private modelFlags = 0;
	private idStart = -1;
	private idEnd = 0;
	private idFlags = 0;
	/** Per block until finishBlocks(): its type, string lengths, name span, input size, command span. */
	private bType: number[] = [];
	private bUnits: number[] = [];
	private bNameStart: number[] = [];
	private bNameEnd: number[] = [];
	private bNameFlags: number[] = [];
	private bInput: number[] = [];
	private bCmdStart: number[] = [];
	private bCmdEnd: number[] = [];
	private bCmdFlags: number[] = [];

	/** The message object at i: model, id, usage and content. */
	private message(i: number): number {
		const buf = this.buf;
		const end = this.end;
		let seen = 0;
		this.input = 0;
		this.cacheRead = 0;
		this.cacheCreation = 0;
		this.oneHour = undefined;
		this.output = 0;
		this.thinking = undefined;
		this.webSearches = 0;
		this.fast = false;
		i = this.ws(i + 1);
		if (i >= end) return FAIL;
		if (buf[i] === CLOSE_BRACE) return i + 1;
		for (;;) {
			if (buf[i] !== QUOTE) return FAIL;
			const ks = i + 1;
			i = this.str(i);
			if (i === FAIL || (this.sFlags & ESCAPED) !== 0) return FAIL;
			const n = this.sEnd - ks;
			i = this.ws(i);
			if (i >= end || buf[i] !== COLON) return FAIL;
			i = this.ws(i + 1);
			if (i >= end) return FAIL;
			const c = buf[i]!;
			let bit = 0;
			if (n === 5 && eq(buf, ks, K_MODEL)) {
				bit = 1;
				if (c === QUOTE) {
					i = this.str(i);
					this.modelStart = this.sStart;
					this.modelEnd = this.sEnd;
					this.modelFlags = this.sFlags;
				} else {
					this.modelStart = -1;
					i = this.skip(i, 2);
				}
			} else if (n === 2 && eq(buf, ks, K_ID)) {
				bit = 2;
				if (c === QUOTE) {
					i = this.str(i);
					this.idStart = this.sStart;
					this.idEnd = this.sEnd;
					this.idFlags = this.sFlags;
				} else {
					this.idStart = -1;
					i = this.skip(i, 2);
				}
			} else if (n === 5 && eq(buf, ks, K_USAGE)) {
				bit = 4;
				// Not an object: no call (JSON.parse's way says so).
				if (c !== OPEN_BRACE) return FAIL;
				i = this.usage(i);
				this.usageSeen = true;
			} else if (n === 7 && eq(buf, ks, K_CONTENT)) {
				bit = 8;
				i = c === OPEN_BRACKET ? this.content(i) : this.skip(i, 2);
			} else {
				i = this.skip(i, 2);
			}

			if (i === FAIL || (seen & bit) !== 0) return FAIL;
			seen |= bit;
			i = this.ws(i);
			if (i >= end) return FAIL;
			if (buf[i] === COMMA) {
				i = this.ws(i + 1);
				continue;
			}

			return buf[i] === CLOSE_BRACE ? i + 1 : FAIL;
		}
	}

	/** message.usage at i. */
	private usage(i: number): number {
		const buf = this.buf;
		const end = this.end;
		let seen = 0;
		i = this.ws(i + 1);
		if (i >= end) return FAIL;
		if (buf[i] === CLOSE_BRACE) return i + 1;
		for (;;) {
			if (buf[i] !== QUOTE) return FAIL;
			const ks = i + 1;
			i = this.str(i);
			if (i === FAIL || (this.sFlags & ESCAPED) !== 0) return FAIL;
			const n = this.sEnd - ks;
			i = this.ws(i);
			if (i >= end || buf[i] !== COLON) return FAIL;
			i = this.ws(i + 1);
			if (i >= end) return FAIL;
			let bit = 0;
			if (n === 12 && eq(buf, ks, K_INPUT_TOKENS)) {
				bit = 1;
				i = this.count(i);
				this.input = this.nValue;
			} else if (n === 23 && eq(buf, ks, K_CACHE_READ)) {
				bit = 2;
				i = this.count(i);
				this.cacheRead = this.nValue;
			} else if (n === 27 && eq(buf, ks, K_CACHE_CREATION_TOKENS)) {
				bit = 4;
				i = this.count(i);
				this.cacheCreation = this.nValue;
			} else if (n === 13 && eq(buf, ks, K_OUTPUT_TOKENS)) {
				bit = 8;
				i = this.count(i);
				this.output = this.nValue;
			} else if (n === 14 && eq(buf, ks, K_CACHE_CREATION)) {
				bit = 16;
				i = this.subCount(i, K_ONE_HOUR);
				this.oneHour = this.subValue;
			} else if (n === 15 && eq(buf, ks, K_SERVER)) {
				bit = 32;
				i = this.subCount(i, K_WEB_SEARCH);
				this.webSearches = this.subValue ?? 0;
			} else if (n === 21 && eq(buf, ks, K_DETAILS)) {
				bit = 64;
				i = this.subCount(i, K_THINKING_TOKENS);
				this.thinking = this.subValue;
			} else if (n === 5 && eq(buf, ks, K_SPEED)) {
				bit = 128;
				if (buf[i] === QUOTE) {
					i = this.str(i);
					if (i !== FAIL && (this.sFlags & ESCAPED) !== 0) return FAIL;
					this.fast = this.spanIs(V_FAST);
				} else {
					i = this.skip(i, 3);
				}
			} else {
				i = this.skip(i, 3);
			}

			if (i === FAIL || (seen & bit) !== 0) return FAIL;
			seen |= bit;
			i = this.ws(i);
			if (i >= end) return FAIL;
			if (buf[i] === COMMA) {
				i = this.ws(i + 1);
				continue;
			}

			return buf[i] === CLOSE_BRACE ? i + 1 : FAIL;
		}
	}

	/** A token count as asNumber() reads it, into nValue: an integer or null; anything else is JSON.parse's. */
	private count(i: number): number {
		const c = this.buf[i]!;
		if (c === 0x6e) {
			this.nValue = 0;
			return this.literal(i, V_NULL);
		}

		i = this.num(i);
		return i !== FAIL && this.nSimple ? i : FAIL;
	}

	private subValue: number | undefined;

	/** An object holding one count (`name`) at i, into subValue (0 when absent); undefined when the value is no object. */
	private subCount(i: number, name: Uint8Array): number {
		const buf = this.buf;
		const end = this.end;
		if (buf[i] !== OPEN_BRACE) {
			this.subValue = undefined;
			return this.skip(i, 3);
		}

		let value = 0;
		let had = false;
		i = this.ws(i + 1);
		if (i >= end) return FAIL;
		if (buf[i] === CLOSE_BRACE) {
			this.subValue = 0;
			return i + 1;
		}

		for (;;) {
			if (buf[i] !== QUOTE) return FAIL;
			const ks = i + 1;
			i = this.str(i);
			if (i === FAIL || (this.sFlags & ESCAPED) !== 0) return FAIL;
			const n = this.sEnd - ks;
			i = this.ws(i);
			if (i >= end || buf[i] !== COLON) return FAIL;
			i = this.ws(i + 1);
			if (i >= end) return FAIL;
			if (n === name.length && eq(buf, ks, name)) {
				if (had) return FAIL;
				had = true;
				i = this.count(i);
				value = this.nValue;
			} else {
				i = this.skip(i, 4);
			}

			if (i === FAIL) return FAIL;
			i = this.ws(i);
			if (i >= end) return FAIL;
			if (buf[i] === COMMA) {
				i = this.ws(i + 1);
				continue;
			}

			if (buf[i] !== CLOSE_BRACE) return FAIL;
			this.subValue = value;
			return i + 1;
		}
	}

	/** message.content, an array at i: each object block's type, lengths, name, input size and command. */
	private content(i: number): number {
		const buf = this.buf;
		const end = this.end;
		i = this.ws(i + 1);
		if (i >= end) return FAIL;
		if (buf[i] === CLOSE_BRACKET) return i + 1;
		for (;;) {
			i = buf[i] === OPEN_BRACE ? this.block(i) : this.skip(i, 3);
			if (i === FAIL) return FAIL;
			i = this.ws(i);
			if (i >= end) return FAIL;
			if (buf[i] === COMMA) {
				i = this.ws(i + 1);
				if (i >= end) return FAIL;
				continue;
			}

			return buf[i] === CLOSE_BRACKET ? i + 1 : FAIL;
		}
	}

	/** One content block (an object at i). */
	private block(i: number): number {
		const buf = this.buf;
		const end = this.end;
		const b = this.blocks++;
		let seen = 0;
		let type = OTHER;
		let text = -1;
		let thinking = -1;
		let nameStart = -1;
		let nameEnd = 0;
		let nameFlags = 0;
		/** 0: no name or null; 1: a string; 2: something else (String() of it: JSON.parse's). */
		let nameKind = 0;
		let input = 0;
		this.cmdStart = -1;
		let cmdStart = -1;
		let cmdEnd = 0;
		let cmdFlags = 0;
		i = this.ws(i + 1);
		if (i >= end) return FAIL;
		if (buf[i] !== CLOSE_BRACE) {
			for (;;) {
				if (buf[i] !== QUOTE) return FAIL;
				const ks = i + 1;
				i = this.str(i);
				if (i === FAIL || (this.sFlags & ESCAPED) !== 0) return FAIL;
				const n = this.sEnd - ks;
				i = this.ws(i);
				if (i >= end || buf[i] !== COLON) return FAIL;
				i = this.ws(i + 1);
				if (i >= end) return FAIL;
				const c = buf[i]!;
				let bit = 0;
				if (n === 4 && eq(buf, ks, K_TYPE)) {
					bit = 1;
					if (c === QUOTE) {
						i = this.str(i);
						if (i !== FAIL && (this.sFlags & ESCAPED) !== 0) return FAIL;
						type = this.sEnd - this.sStart === 4 && eq(buf, this.sStart, K_TEXT) ? TEXT : this.spanIs(K_THINKING) ? THINKING : this.spanIs(V_TOOL_USE) ? TOOL_USE : OTHER;
					} else {
						type = OTHER;
						i = this.skip(i, 4);
					}
				} else if (n === 4 && eq(buf, ks, K_TEXT)) {
					bit = 2;
					if (c === QUOTE) {
						i = this.str(i);
						text = this.sUnits;
					} else {
						text = -1;
						i = this.skip(i, 4);
					}
				} else if (n === 8 && eq(buf, ks, K_THINKING)) {
					bit = 4;
					if (c === QUOTE) {
						i = this.str(i);
						thinking = this.sUnits;
					} else {
						thinking = -1;
						i = this.skip(i, 4);
					}
				} else if (n === 4 && eq(buf, ks, K_NAME)) {
					bit = 8;
					if (c === QUOTE) {
						i = this.str(i);
						nameKind = 1;
						nameStart = this.sStart;
						nameEnd = this.sEnd;
						nameFlags = this.sFlags;
					} else {
						const from = i;
						i = this.skip(i, 4);
						nameKind = i === from + 4 && eq(buf, from, V_NULL) ? 0 : 2;
					}
				} else if (n === 5 && eq(buf, ks, K_INPUT)) {
					bit = 16;
					this.keyTop = 0;
					i = this.sized(i, 4, true);
					input = this.size;
					cmdStart = this.cmdStart;
					cmdEnd = this.cmdEnd;
					cmdFlags = this.cmdFlags;
				} else {
					i = this.skip(i, 4);
				}

				if (i === FAIL || (seen & bit) !== 0) return FAIL;
				seen |= bit;
				i = this.ws(i);
				if (i >= end) return FAIL;
				if (buf[i] === COMMA) {
					i = this.ws(i + 1);
					continue;
				}

				if (buf[i] !== CLOSE_BRACE) return FAIL;
				break;
			}
		}

		if (type === TOOL_USE && nameKind === 2) return FAIL;
		this.bType[b] = type;
		this.bUnits[b] = type === TEXT ? text : type === THINKING ? thinking : -1;
		this.bNameStart[b] = nameKind === 1 ? nameStart : -1;
		this.bNameEnd[b] = nameEnd;
		this.bNameFlags[b] = nameFlags;
		this.bInput[b] = input;
		this.bCmdStart[b] = cmdStart;
		this.bCmdEnd[b] = cmdEnd;
		this.bCmdFlags[b] = cmdFlags;
		return i + 1;
	}

	/** Each block's output, tool and command from what block() kept (after the whole line was checked). */
	private finishBlocks(): boolean {
		for (let b = 0; b < this.blocks; b++) {
			const type = this.bType[b]!;
			let output = 0;
			let tool: string | undefined;
			let command: string | undefined;
			if (type === TEXT || type === THINKING) {
				const units = this.bUnits[b]!;
				output = units >= 0 ? textOutput(units) : 0;
			} else if (type === TOOL_USE) {
				const s = this.bNameStart[b]!;
				const name = s === -1 ? '' : this.toolName(s, this.bNameEnd[b]!, this.bNameFlags[b]!);
				output = toolUseOutput(this.bInput[b]!, name.length);
				tool = name === '' ? undefined : name;
				const cs = this.bCmdStart[b]!;
				if (tool === 'Bash' && cs !== -1) {
					const cmd = this.text(cs, this.bCmdEnd[b]!, this.bCmdFlags[b]!);
					command = cmd === '' ? undefined : cmd;
				}
			}

			this.blockOutput[b] = output;
			this.blockTool[b] = tool;
			this.blockCommand[b] = command;
		}

		return true;
	}

	/**
	 * The value at i as blockOutput's jsonSize() measures the parsed value, into `size`. `top`:
	 * the tool input itself (its "command" string is kept). Repeated keys in an object: FAIL
	 * (JSON.parse keeps the last value, under the first key's place).
	 */
	private sized(i: number, depth: number, top: boolean): number {
		const buf = this.buf;
		const end = this.end;
		const c = buf[i]!;
		if (c === QUOTE) {
			i = this.str(i);
			this.size = this.sUnits + 2;
			return i;
		}

		if (c === OPEN_BRACE) {
			if (depth > MAX_DEPTH) return FAIL;
			const base = this.keyTop;
			let size = 2;
			i = this.ws(i + 1);
			if (i >= end) return FAIL;
			if (buf[i] === CLOSE_BRACE) {
				this.size = size;
				return i + 1;
			}

			for (;;) {
				if (buf[i] !== QUOTE) return FAIL;
				const ks = i + 1;
				i = this.str(i);
				if (i === FAIL || (this.sFlags & ESCAPED) !== 0) return FAIL;
				const ke = this.sEnd;
				const units = this.sUnits;
				if (!this.newKey(base, ks, ke)) return FAIL;
				i = this.ws(i);
				if (i >= end || buf[i] !== COLON) return FAIL;
				i = this.ws(i + 1);
				if (i >= end) return FAIL;
				const isCommand = top && ke - ks === 7 && buf[i] === QUOTE && eq(buf, ks, K_COMMAND);
				i = this.sized(i, depth + 1, false);
				if (i === FAIL) return FAIL;
				if (isCommand) {
					this.cmdStart = this.sStart;
					this.cmdEnd = this.sEnd;
					this.cmdFlags = this.sFlags;
				}

				size += units + 4 + this.size;
				i = this.ws(i);
				if (i >= end) return FAIL;
				if (buf[i] === COMMA) {
					i = this.ws(i + 1);
					continue;
				}

				if (buf[i] !== CLOSE_BRACE) return FAIL;
				this.keyTop = base;
				this.size = size;
				return i + 1;
			}
		}

		if (c === OPEN_BRACKET) {
			if (depth > MAX_DEPTH) return FAIL;
			let size = 2;
			i = this.ws(i + 1);
			if (i >= end) return FAIL;
			if (buf[i] === CLOSE_BRACKET) {
				this.size = size;
				return i + 1;
			}

			for (;;) {
				i = this.sized(i, depth + 1, false);
				if (i === FAIL) return FAIL;
				size += this.size + 1;
				i = this.ws(i);
				if (i >= end) return FAIL;
				if (buf[i] === COMMA) {
					i = this.ws(i + 1);
					if (i >= end) return FAIL;
					continue;
				}

				if (buf[i] !== CLOSE_BRACKET) return FAIL;
				this.size = size;
				return i + 1;
			}
		}

		if (c === MINUS || (c >= 0x30 && c <= 0x39)) {
			const from = i;
			i = this.num(i);
			if (i === FAIL) return FAIL;
			// String(value).length: the literal's own length for a plain integer.
			this.size = this.nSimple && (buf[from] !== MINUS || this.nValue !== 0) ? i - from : String(Number(this.latin1(from, i))).length;
			return i;
		}

		if (c === 0x74) {
			this.size = 4;
			return this.literal(i, V_TRUE);
		}

		if (c === 0x66) {
			this.size = 5;
			return this.literal(i, V_FALSE);
		}

		if (c === 0x6e) {
			this.size = 4;
			return this.literal(i, V_NULL);
		}

		return FAIL;
	}

	/** Whether the key buf[ks, ke) is not one of the object's keys so far (keys[base, keyTop)); it is added. */
	private newKey(base: number, ks: number, ke: number): boolean {
		const buf = this.buf;
		const n = ke - ks;
		const keys = this.keys;
		if (this.keyTop + 2 > keys.length || (this.keyTop - base) / 2 >= MAX_KEYS) return false;
		for (let k = base; k < this.keyTop; k += 2) {
			const s = keys[k]!;
			if (keys[k + 1]! - s !== n) continue;
			let same = true;
			for (let j = 0; j < n; j++) {
				if (buf[s + j] !== buf[ks + j]) {
					same = false;
					break;
				}
			}

			if (same) return false;
		}

		keys[this.keyTop++] = ks;
		keys[this.keyTop++] = ke;
		return true;
	}

	/** Any JSON value at i, checked and stepped over. */
	private skip(i: number, depth: number): number {
		const buf = this.buf;
		const end = this.end;
		const c = buf[i]!;
		if (c === QUOTE) return this.str(i);
		if (c === OPEN_BRACE) {
			if (depth > MAX_DEPTH) return FAIL;
			i = this.ws(i + 1);
			if (i >= end) return FAIL;
			if (buf[i] === CLOSE_BRACE) return i + 1;
			for (;;) {
				if (buf[i] !== QUOTE) return FAIL;
				i = this.str(i);
				if (i === FAIL) return FAIL;
				i = this.ws(i);
				if (i >= end || buf[i] !== COLON) return FAIL;
				i = this.ws(i + 1);
				if (i >= end) return FAIL;
				i = this.skip(i, depth + 1);
				if (i === FAIL) return FAIL;
				i = this.ws(i);
				if (i >= end) return FAIL;
				if (buf[i] === COMMA) {
					i = this.ws(i + 1);
					continue;
				}

				return buf[i] === CLOSE_BRACE ? i + 1 : FAIL;
			}
		}

		if (c === OPEN_BRACKET) {
			if (depth > MAX_DEPTH) return FAIL;
			i = this.ws(i + 1);
			if (i >= end) return FAIL;
			if (buf[i] === CLOSE_BRACKET) return i + 1;
			for (;;) {
				i = this.skip(i, depth + 1);
				if (i === FAIL) return FAIL;
				i = this.ws(i);
				if (i >= end) return FAIL;
				if (buf[i] === COMMA) {
					i = this.ws(i + 1);
					if (i >= end) return FAIL;
					continue;
				}

				return buf[i] === CLOSE_BRACKET ? i + 1 : FAIL;
			}
		}

		if (c === MINUS || (c >= 0x30 && c <= 0x39)) return this.num(i);
		if (c === 0x74) return this.literal(i, V_TRUE);
		if (c === 0x66) return this.literal(i, V_FALSE);
		if (c === 0x6e) return this.literal(i, V_NULL);
		return FAIL;
	}

	/** The string at the quote at i, checked: the position after its closing quote (sStart, sEnd, sFlags, sUnits), or FAIL. */
	private str(i: number): number {
		const buf = this.buf;
		const end = this.end;
		let p = i + 1;
		let extra = 0;
		let flags = 0;
		for (;;) {
			let c = 0;
			// The run of plain ASCII: most of a line's bytes.
			while (p < end) {
				c = buf[p]!;
				if (c < 0x20 || c === QUOTE || c === BACKSLASH || c >= 0x80) break;
				p++;
			}

			if (p >= end) return FAIL;
			if (c === QUOTE) {
				this.sStart = i + 1;
				this.sEnd = p;
				this.sFlags = flags;
				this.sUnits = p - i - 1 - extra;
				return p + 1;
			}

			if (c === BACKSLASH) {
				flags |= ESCAPED;
				if (p + 1 >= end) return FAIL;
				const e = buf[p + 1]!;
				if (e === 0x75) {
					// \uXXXX is one UTF-16 unit (a surrogate pair is two escapes, two units).
					if (p + 5 >= end || !isHex(buf[p + 2]!) || !isHex(buf[p + 3]!) || !isHex(buf[p + 4]!) || !isHex(buf[p + 5]!)) return FAIL;
					p += 6;
					extra += 5;
				} else if (e === QUOTE || e === BACKSLASH || e === 0x2f || e === 0x62 || e === 0x66 || e === 0x6e || e === 0x72 || e === 0x74) {
					p += 2;
					extra += 1;
				} else {
					return FAIL;
				}

				continue;
			}

			if (c < 0x20) return FAIL;

			// UTF-8 (Unicode's table 3-7); anything else is decoded to U+FFFD by the JSON path: its.
			flags |= NON_ASCII;
			let n = 0;
			if (c >= 0xc2 && c <= 0xdf) n = p + 1 < end && isCont(buf[p + 1]!) ? 2 : 0;
			else if (c >= 0xe0 && c <= 0xef) {
				if (p + 2 < end) {
					const d = buf[p + 1]!;
					const ok = c === 0xe0 ? d >= 0xa0 && d <= 0xbf : c === 0xed ? d >= 0x80 && d <= 0x9f : isCont(d);
					n = ok && isCont(buf[p + 2]!) ? 3 : 0;
				}
			} else if (c >= 0xf0 && c <= 0xf4 && p + 3 < end) {
				const d = buf[p + 1]!;
				const ok = c === 0xf0 ? d >= 0x90 && d <= 0xbf : c === 0xf4 ? d >= 0x80 && d <= 0x8f : isCont(d);
				n = ok && isCont(buf[p + 2]!) && isCont(buf[p + 3]!) ? 4 : 0;
			}

			if (n === 0) return FAIL;
			p += n;
			// Bytes past the first: n - 1 for one UTF-16 unit, n - 2 for a surrogate pair.
			extra += n === 4 ? 2 : n - 1;
		}
	}

	/** The number at i (JSON's grammar): the position after it (nSimple, nValue), or FAIL. */
	private num(i: number): number {
		const buf = this.buf;
		const end = this.end;
		let c = buf[i]!;
		const negative = c === MINUS;
		if (negative) {
			i++;
			if (i >= end) return FAIL;
			c = buf[i]!;
		}

		let value = 0;
		let digits = 0;
		if (c === 0x30) {
			i++;
			digits = 1;
		} else if (c > 0x30 && c <= 0x39) {
			while (i < end) {
				c = buf[i]!;
				if (c < 0x30 || c > 0x39) break;
				value = value * 10 + (c - 0x30);
				digits++;
				i++;
			}
		} else {
			return FAIL;
		}

		let simple = digits <= 15 && !(negative && value === 0);
		if (i < end && buf[i] === 0x2e) {
			i++;
			const f = i;
			while (i < end && buf[i]! >= 0x30 && buf[i]! <= 0x39) i++;
			if (i === f) return FAIL;
			simple = false;
		}

		if (i < end && (buf[i] === 0x65 || buf[i] === 0x45)) {
			i++;
			if (i < end && (buf[i] === 0x2b || buf[i] === MINUS)) i++;
			const f = i;
			while (i < end && buf[i]! >= 0x30 && buf[i]! <= 0x39) i++;
			if (i === f) return FAIL;
			simple = false;
		}

		this.nSimple = simple;
		this.nValue = negative ? -value : value;
		return i;
	}

	/** The literal `word` at i: the position after it, or FAIL. */
	private literal(i: number, word: Uint8Array): number {
		if (i + word.length > this.end || !eq(this.buf, i, word)) return FAIL;
		return i + word.length;
	}

	/** The first position at or after i that is not JSON whitespace. */
	private ws(i: number): number {
		const buf = this.buf;
		const end = this.end;
		while (i < end) {
			const c = buf[i]!;
			if (c !== 0x20 && c !== 0x09 && c !== 0x0d && c !== 0x0a) break;
			i++;
		}

		return i;
	}

	/** Whether the string last walked is exactly `word`. */
	private spanIs(word: Uint8Array): boolean {
		return this.sEnd - this.sStart === word.length && eq(this.buf, this.sStart, word);
	}

	private latin1(start: number, end: number): string {
		return direct ? (this.buf as unknown as Slicing).latin1Slice(start, end) : this.buf.toString('latin1', start, end);
	}

	/** A string value as asString() reads it: undefined when empty. */
	private text(start: number, end: number, flags: number): string | undefined {
		if (end === start) return undefined;
		if ((flags & ESCAPED) !== 0) return asString(JSON.parse(this.buf.toString('utf8', start - 1, end + 1)));
		if ((flags & NON_ASCII) !== 0) return direct ? (this.buf as unknown as Slicing).utf8Slice(start, end) : this.buf.toString('utf8', start, end);
		return this.latin1(start, end);
	}

	/** text(), the same string as the last line's when the bytes are the same (no string per line). */
	private interned(cache: Interned, start: number, end: number, flags: number): string | undefined {
		if ((flags & ESCAPED) !== 0 || end === start) return this.text(start, end, flags);
		const held = cache.get(this.buf, start, end);
		if (held !== undefined) return held;
		const s = this.text(start, end, flags)!;
		cache.set(this.buf, start, end, s);
		return s;
	}

	/** A tool's name: the few names a history uses are made once. */
	private toolName(start: number, end: number, flags: number): string {
		const n = end - start;
		if ((flags & ESCAPED) !== 0 || n > 64) return this.text(start, end, flags) ?? '';
		const buf = this.buf;
		const names = this.toolBytes;
		for (let t = 0; t < names.length; t++) {
			const b = names[t]!;
			if (b.length === n && b[0] === buf[start] && eq(buf, start, b)) return this.toolStrings[t]!;
		}

		const s = this.text(start, end, flags) ?? '';
		if (names.length < 256) {
			names.push(buf.slice(start, end));
			this.toolStrings.push(s);
		}

		return s;
	}
}

function eq(buf: Uint8Array, at: number, word: Uint8Array): boolean {
	for (let k = 0; k < word.length; k++) if (buf[at + k] !== word[k]) return false;
	return true;
}

function isHex(c: number): boolean {
	return (c >= 0x30 && c <= 0x39) || ((c | 0x20) >= 0x61 && (c | 0x20) <= 0x66);
}

function isCont(c: number): boolean {
	return c >= 0x80 && c <= 0xbf;
}
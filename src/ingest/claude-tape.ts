// Claude Code's assistant lines read from their tape (json-tape.ts) instead of a parsed record:
// the fields ClaudeParser uses, each as its JSON path reads it (the last of a repeated key,
// asString, asNumber, blockOutput). Any other line, or one with something that path reads in
// a way not mirrored here (an escaped key, an API error, no timestamp), is left to JSON.parse.
import {textOutput, toolUseOutput} from './claude-output.js';
import {ARRAY, countAt, fields, found, Interned, type JsonTape, NameSet, names, type Names, NULL, NUMBER, OBJECT, STRING, stringAt, timeAt, TRUE} from './json-tape.js';

/** One assistant call's fields as ClaudeParser uses them (before its file's fallbacks). */
export type CallFields = {
	model: string | undefined;
	id: string | undefined;
	requestId: string | undefined;
	uuid: string | undefined;
	sessionId: string | undefined;
	cwd: string | undefined;
	ts: number;
	input: number;
	cacheRead: number;
	cacheCreation: number;
	/** usage.cache_creation.ephemeral_1h_input_tokens; undefined when cache_creation is not an object. */
	oneHour: number | undefined;
	output: number;
	/** usage.output_tokens_details.thinking_tokens; undefined when the details are not an object. */
	thinking: number | undefined;
	webSearches: number;
	fast: boolean;
	sidechain: boolean;
	reportedCostUSD: number | undefined;
	/** Object blocks of message.content: the output each holds; for tool_use its tool and its Bash command. */
	blocks: number;
	blockOutput: number[];
	blockTool: Array<string | undefined>;
	blockCommand: Array<string | undefined>;
};

/** The one call being read (lines are read one at a time on a thread; never part of a parser's saved state). */
export const CALL: CallFields = {
	model: undefined,
	id: undefined,
	requestId: undefined,
	uuid: undefined,
	sessionId: undefined,
	cwd: undefined,
	ts: 0,
	input: 0,
	cacheRead: 0,
	cacheCreation: 0,
	oneHour: undefined,
	output: 0,
	thinking: undefined,
	webSearches: 0,
	fast: false,
	sidechain: false,
	reportedCostUSD: undefined,
	blocks: 0,
	blockOutput: [],
	blockTool: [],
	blockCommand: [],
};

const bytes = (s: string) => Uint8Array.from(Buffer.from(s, 'latin1'));
const V_ASSISTANT = bytes('assistant');
const V_FAST = bytes('fast');
const V_TEXT = bytes('text');
const V_THINKING = bytes('thinking');
const V_TOOL_USE = bytes('tool_use');

const LINE = names('type', 'message', 'timestamp', 'sessionId', 'cwd', 'requestId', 'uuid', 'isSidechain', 'isApiErrorMessage', 'costUSD');
const MESSAGE = names('model', 'id', 'usage', 'content');
const USAGE = names('input_tokens', 'cache_read_input_tokens', 'cache_creation_input_tokens', 'cache_creation', 'output_tokens', 'output_tokens_details', 'server_tool_use', 'speed');
const BLOCK = names('type', 'text', 'thinking', 'name', 'input');
const ONE_HOUR = names('ephemeral_1h_input_tokens');
const THINKING_TOKENS = names('thinking_tokens');
const WEB_SEARCH = names('web_search_requests');
const COMMAND = names('command');
const NAMES = new NameSet([LINE, MESSAGE, USAGE, BLOCK, ONE_HOUR, THINKING_TOKENS, WEB_SEARCH, COMMAND]);
/** The strings that repeat line after line. */
const SESSION = new Interned();
const FOLDER = new Interned();
const MODEL = new Interned();

/** asNumber() of the one field in `name` of the object at e, or undefined when e is not an object (NaN: an escaped key). */
function countIn(t: JsonTape, e: number, name: Names): number | undefined {
	if (t.kind(e) !== OBJECT) return undefined;
	return fields(t, e, name) ? countAt(t, found[0]!) : Number.NaN;
}

/**
 * Fill `c` from a Claude Code `"type":"assistant"` line with a usage object: true when it was
 * read exactly as ClaudeParser's JSON path reads it, false to leave the line to that path.
 */
export function callFromTape(t: JsonTape, c: CallFields): boolean {
	if (!NAMES.ready(t) || t.kind(0) !== OBJECT || !fields(t, 0, LINE)) return false;
	const type = found[0]!;
	const message = found[1]!;
	if (!t.is(type, V_ASSISTANT) || t.kind(message) !== OBJECT || t.kind(found[8]!) === TRUE) return false;
	const tsAt = found[2]!;
	const sessionAt = found[3]!;
	const cwdAt = found[4]!;
	const requestAt = found[5]!;
	const uuidAt = found[6]!;
	const sidechainAt = found[7]!;
	const costAt = found[9]!;
	if (!fields(t, message, MESSAGE)) return false;
	const modelAt = found[0]!;
	const idAt = found[1]!;
	const usage = found[2]!;
	const content = found[3]!;
	if (t.kind(usage) !== OBJECT) return false;
	const model = stringAt(t, modelAt, MODEL);
	if (model === '<synthetic>') return false;
	const ts = timeAt(t, tsAt);
	if (ts === undefined) return false;
	c.model = model;
	c.id = stringAt(t, idAt);
	c.requestId = stringAt(t, requestAt);
	c.uuid = stringAt(t, uuidAt);
	c.sessionId = stringAt(t, sessionAt, SESSION);
	c.cwd = stringAt(t, cwdAt, FOLDER);
	c.ts = ts;
	c.sidechain = t.kind(sidechainAt) === TRUE;
	c.reportedCostUSD = t.kind(costAt) === NUMBER ? t.number(costAt) : undefined;
	if (!fields(t, usage, USAGE)) return false;
	c.input = countAt(t, found[0]!);
	c.cacheRead = countAt(t, found[1]!);
	c.cacheCreation = countAt(t, found[2]!);
	const split = found[3]!;
	c.output = countAt(t, found[4]!);
	const details = found[5]!;
	const server = found[6]!;
	const speed = found[7]!;
	c.fast = t.is(speed, V_FAST) || (t.kind(speed) === STRING && t.escaped(speed) && t.text(speed) === 'fast');
	c.oneHour = countIn(t, split, ONE_HOUR);
	c.thinking = countIn(t, details, THINKING_TOKENS);
	c.webSearches = countIn(t, server, WEB_SEARCH) ?? 0;
	if (Number.isNaN(c.oneHour) || Number.isNaN(c.thinking) || Number.isNaN(c.webSearches)) return false;
	c.blocks = 0;
	return t.kind(content) !== ARRAY || blocksFromTape(t, content, c);
}

/** message.content's object blocks into c; false to leave the line to JSON.parse. */
function blocksFromTape(t: JsonTape, content: number, c: CallFields): boolean {
	const stop = t.next(content);
	for (let e = content + 1; e < stop; e = t.next(e)) {
		if (t.kind(e) !== OBJECT) continue;
		if (!fields(t, e, BLOCK)) return false;
		const type = found[0]!;
		if (t.kind(type) === STRING && t.escaped(type)) return false;
		let output = 0;
		let tool: string | undefined;
		let command: string | undefined;
		if (t.is(type, V_TEXT)) {
			if (t.kind(found[1]!) === STRING) output = textOutput(t.units(found[1]!));
		} else if (t.is(type, V_THINKING)) {
			if (t.kind(found[2]!) === STRING) output = textOutput(t.units(found[2]!));
		} else if (t.is(type, V_TOOL_USE)) {
			const name = found[3]!;
			const input = found[4]!;
			const nameKind = t.kind(name);
			// String(name ?? ''): anything but a string, null or nothing is JSON.parse's.
			if (nameKind !== STRING && nameKind !== NULL && nameKind !== 0) return false;
			const size = t.jsonSize(input);
			if (Number.isNaN(size)) return false;
			output = toolUseOutput(size, nameKind === STRING ? t.units(name) : 0);
			tool = stringAt(t, name);
			if (tool === 'Bash' && t.kind(input) === OBJECT) {
				if (!fields(t, input, COMMAND)) return false;
				command = stringAt(t, found[0]!);
			}
		}

		const b = c.blocks++;
		c.blockOutput[b] = output;
		c.blockTool[b] = tool;
		c.blockCommand[b] = command;
	}

	return true;
}

// Claude Code's assistant lines read from their tape (json-tape.ts) instead of a parsed record:
// the fields ClaudeParser uses, each as its JSON path reads it (the last of a repeated key,
// asString, asNumber, blockOutput). Any other line, or one with something that path reads in
// a way not mirrored here (an escaped key, an API error, no timestamp), is left to JSON.parse.
import {textOutput, toolUseOutput} from './claude-output.js';
import {ARRAY, bytesOf, Interned, type JsonTape, NULL, NUMBER, OBJECT, STRING, TRUE} from './json-tape.js';
import {blockFields, countAt, fields, found, names, NameSet, path, type Path, stringAt, timeAt} from './json-tape-fields.js';

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

const V_ASSISTANT = bytesOf('assistant');
const V_FAST = bytesOf('fast');
const V_TEXT = bytesOf('text');
const V_THINKING = bytesOf('thinking');
const V_TOOL_USE = bytesOf('tool_use');

const BLOCK = names('type', 'text', 'thinking', 'name', 'input');
const COMMAND = names('command');
// The fields of the line, its message and the message's usage, taken where the tape found them.
const TYPE = path('type');
const MESSAGE = path('message');
const TIMESTAMP = path('timestamp');
const SESSION_ID = path('sessionId');
const CWD = path('cwd');
const REQUEST_ID = path('requestId');
const UUID = path('uuid');
const SIDECHAIN = path('isSidechain');
const API_ERROR = path('isApiErrorMessage');
const COST = path('costUSD');
const MODEL_ID = path('message', 'model');
const ID = path('message', 'id');
const USAGE = path('message', 'usage');
const CONTENT = path('message', 'content');
const INPUT_TOKENS = path('message', 'usage', 'input_tokens');
const CACHE_READ = path('message', 'usage', 'cache_read_input_tokens');
const CACHE_CREATION_TOKENS = path('message', 'usage', 'cache_creation_input_tokens');
const CACHE_CREATION = path('message', 'usage', 'cache_creation');
const ONE_HOUR = path('message', 'usage', 'cache_creation', 'ephemeral_1h_input_tokens');
const OUTPUT_TOKENS = path('message', 'usage', 'output_tokens');
const DETAILS = path('message', 'usage', 'output_tokens_details');
const THINKING_TOKENS = path('message', 'usage', 'output_tokens_details', 'thinking_tokens');
const SERVER = path('message', 'usage', 'server_tool_use');
const WEB_SEARCH = path('message', 'usage', 'server_tool_use', 'web_search_requests');
const SPEED = path('message', 'usage', 'speed');
const NAMES = new NameSet([BLOCK, COMMAND], [TYPE, MESSAGE, TIMESTAMP, SESSION_ID, CWD, REQUEST_ID, UUID, SIDECHAIN, API_ERROR, COST, MODEL_ID, ID, USAGE, CONTENT, INPUT_TOKENS, CACHE_READ, CACHE_CREATION_TOKENS, CACHE_CREATION, ONE_HOUR, OUTPUT_TOKENS, DETAILS, THINKING_TOKENS, SERVER, WEB_SEARCH, SPEED]);
/** The strings that repeat line after line. */
const SESSION = new Interned();
const FOLDER = new Interned();
const MODEL = new Interned();
// A message's streamed lines repeat its ids: the same strings, so its keys are made once (claude.ts keyOf).
const MESSAGE_ID = new Interned();
const REQUEST = new Interned();

/** asNumber() of the value at `field` when `object` is an object, else undefined (as the JSON path reads a nested count). */
function countIn(t: JsonTape, object: Path, field: Path): number | undefined {
	return t.kind(t.entry(object.node)) === OBJECT ? countAt(t, t.entry(field.node)) : undefined;
}

/**
 * Fill `c` from a Claude Code `"type":"assistant"` line with a usage object: true when it was
 * read exactly as ClaudeParser's JSON path reads it, false to leave the line to that path.
 */
export function callFromTape(t: JsonTape, c: CallFields): boolean {
	if (!NAMES.ready(t) || !t.pathsRead() || t.kind(0) !== OBJECT) return false;
	if (!t.is(t.entry(TYPE.node), V_ASSISTANT) || t.kind(t.entry(MESSAGE.node)) !== OBJECT || t.kind(t.entry(API_ERROR.node)) === TRUE || t.kind(t.entry(USAGE.node)) !== OBJECT) return false;
	const model = stringAt(t, t.entry(MODEL_ID.node), MODEL);
	if (model === '<synthetic>') return false;
	const ts = timeAt(t, t.entry(TIMESTAMP.node));
	if (ts === undefined) return false;
	c.model = model;
	c.id = stringAt(t, t.entry(ID.node), MESSAGE_ID);
	c.requestId = stringAt(t, t.entry(REQUEST_ID.node), REQUEST);
	c.uuid = stringAt(t, t.entry(UUID.node));
	c.sessionId = stringAt(t, t.entry(SESSION_ID.node), SESSION);
	c.cwd = stringAt(t, t.entry(CWD.node), FOLDER);
	c.ts = ts;
	c.sidechain = t.kind(t.entry(SIDECHAIN.node)) === TRUE;
	const cost = t.entry(COST.node);
	c.reportedCostUSD = t.kind(cost) === NUMBER ? t.number(cost) : undefined;
	c.input = countAt(t, t.entry(INPUT_TOKENS.node));
	c.cacheRead = countAt(t, t.entry(CACHE_READ.node));
	c.cacheCreation = countAt(t, t.entry(CACHE_CREATION_TOKENS.node));
	c.output = countAt(t, t.entry(OUTPUT_TOKENS.node));
	const speed = t.entry(SPEED.node);
	c.fast = t.is(speed, V_FAST) || (t.kind(speed) === STRING && t.escaped(speed) && t.text(speed) === 'fast');
	c.oneHour = countIn(t, CACHE_CREATION, ONE_HOUR);
	c.thinking = countIn(t, DETAILS, THINKING_TOKENS);
	c.webSearches = countIn(t, SERVER, WEB_SEARCH) ?? 0;
	c.blocks = 0;
	const content = t.entry(CONTENT.node);
	return t.kind(content) !== ARRAY || blocksFromTape(t, content, c);
}

/** message.content's object blocks into c; false to leave the line to JSON.parse. */
function blocksFromTape(t: JsonTape, content: number, c: CallFields): boolean {
	const stop = t.next(content);
	for (let e = content + 1; e < stop; e = t.next(e)) {
		if (t.kind(e) !== OBJECT) continue;
		if (!blockFields(t, e, BLOCK)) return false;
		const type = found[0]!;
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

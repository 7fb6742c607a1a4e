// The byte path against JSON.parse (issue 16): the WebAssembly tape accepts exactly the lines
// JSON.parse accepts and describes the same value, and Claude Code's parser gives the same
// events from a line's tape as from its parsed record, on the shared fixtures, a generated
// history, tricky lines and random mutations of them.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import {describe, it} from 'node:test';
import {generate} from '../../bench/generate.js';
import {jsonSize} from '../../src/ingest/claude-output.js';
import {claudeStore} from '../../src/ingest/claude.js';
import {codexStore} from '../../src/ingest/codex.js';
import {ARRAY, FALSE, type JsonTape, MAX_KEYS, NULL, NUMBER, OBJECT, STRING, TRUE} from '../../src/ingest/json-tape.js';
import {wasmScanner} from '../../src/ingest/marker-scan.js';
import type {JsonlStore, LineParser} from '../../src/ingest/types.js';
import type {UsageEvent} from '../../src/core/types.js';
import {rng} from '../helpers/corpus.js';
import {FIXTURE_HOME, claudeAssistant, codexMeta, codexTokens, codexTurn, sharedAvailable, tempHome} from '../helpers/home.js';

function tapeOf(line: Buffer): JsonTape | null {
	const scanner = wasmScanner();
	assert.ok(scanner, 'WebAssembly SIMD unavailable');
	const block = scanner.block;
	block.set(line);
	// Stale bytes after the line must not matter.
	block.fill(0x22, line.length, line.length + 64);
	return scanner.tape(block.subarray(0, line.length), 0, line.length);
}

/** The value a tape describes, built as JSON.parse builds it (a repeated key keeps its first place and last value); `repeats` counts repeated or escaped keys, `wide` objects of more than MAX_KEYS keys. */
function valueOf(t: JsonTape, e: number, seen: {repeats: number; wide: number}): unknown {
	switch (t.kind(e)) {
		case OBJECT: {
			const entries: Array<[string, unknown]> = [];
			for (let k = e + 1; k < t.next(e); k = t.next(k + 1)) {
				assert.equal(t.kind(k), STRING);
				if (t.escaped(k)) seen.repeats++;
				entries.push([t.text(k), valueOf(t, k + 1, seen)]);
			}

			assert.equal(entries.length, t.children(e));
			const o = Object.fromEntries(entries);
			seen.repeats += entries.length - Object.keys(o).length;
			if (entries.length > MAX_KEYS) seen.wide++;
			return o;
		}

		case ARRAY: {
			const out: unknown[] = [];
			for (let k = e + 1; k < t.next(e); k = t.next(k)) out.push(valueOf(t, k, seen));
			assert.equal(out.length, t.children(e));
			return out;
		}

		case STRING: {
			const s = t.text(e);
			assert.equal(s.length, t.units(e), `UTF-16 length of ${JSON.stringify(s)}`);
			return s;
		}

		case NUMBER:
			return t.number(e);
		case TRUE:
			return true;
		case FALSE:
			return false;
		case NULL:
			return null;
		default:
			throw new Error(`entry ${e}: kind ${t.kind(e)}`);
	}
}

/** Valid UTF-8 (else Node decodes U+FFFD, which the tape leaves to JSON.parse) and nesting of at most 64. */
function tapeable(line: Buffer): boolean {
	if (!Buffer.from(line.toString('utf8'), 'utf8').equals(line)) return false;
	let depth = 0;
	let max = 0;
	let inString = false;
	for (let i = 0; i < line.length; i++) {
		const c = line[i]!;
		if (inString) {
			if (c === 0x5c) i++;
			else if (c === 0x22) inString = false;
		} else if (c === 0x22) inString = true;
		else if (c === 0x7b || c === 0x5b) max = Math.max(max, ++depth);
		else if (c === 0x7d || c === 0x5d) depth--;
	}

	return max <= 64;
}

/** One line both ways; returns whether JSON.parse took it. */
function same(line: Buffer): boolean {
	let parsed: unknown;
	let valid = true;
	try {
		parsed = JSON.parse(line.toString('utf8'));
	} catch {
		valid = false;
	}

	const t = tapeOf(line);
	const shown = JSON.stringify(line.toString('latin1').slice(0, 300));
	if (!valid) {
		assert.equal(t, null, `tape took a line JSON.parse refuses: ${shown}`);
		return false;
	}

	if (!t) {
		assert.ok(!tapeable(line), `tape refused a line JSON.parse takes: ${shown}`);
		return true;
	}

	const seen = {repeats: 0, wide: 0};
	assert.deepStrictEqual(valueOf(t, 0, seen), parsed, shown);
	assert.equal(t.next(0), t.count);
	const size = t.jsonSize(0);
	if (Number.isNaN(size)) assert.ok(seen.repeats > 0 || seen.wide > 0, `jsonSize refused a line with no repeated or escaped key and no wide object: ${shown}`);
	else assert.equal(size, jsonSize(parsed), shown);
	return true;
}

/** Paths followed by the tape in the random lines, and where JSON.parse's value has them. */
// The stores' own paths: a thread's tape holds 31 nodes, and the stores use 29 of them.
const PATHS = [['type'], ['message'], ['message', 'usage'], ['payload', 'type'], ['message', 'usage', 'cache_creation', 'ephemeral_1h_input_tokens']];

function valueAt(v: unknown, keys: readonly string[]): unknown {
	for (const k of keys) {
		if (typeof v !== 'object' || v === null || Array.isArray(v) || !Object.hasOwn(v, k)) return undefined;
		v = (v as Record<string, unknown>)[k];
	}

	return v;
}

/** Each path's entry is JSON.parse's value there (when the tape says its paths were read exactly; else a key on the way is repeated or escaped). Paths are numbered before the line is read. */
function samePaths(t: JsonTape, nodes: readonly number[], parsed: unknown): void {
	const seen = {repeats: 0, wide: 0};
	const whole = valueOf(t, 0, seen);
	if (!t.pathsRead()) {
		assert.ok(seen.repeats > 0, `paths refused on a line with no repeated or escaped key: ${JSON.stringify(whole)}`);
		return;
	}

	for (const [k, keys] of PATHS.entries()) {
		const e = t.entry(nodes[k]!);
		const want = valueAt(parsed, keys);
		if (want === undefined) assert.equal(e, -1, keys.join('.'));
		else assert.deepStrictEqual(valueOf(t, e, {repeats: 0, wide: 0}), want, keys.join('.'));
	}
}

function* linesOf(file: string): Generator<Buffer> {
	const data = fs.readFileSync(file);
	for (let s = 0; s < data.length; ) {
		let nl = data.indexOf(10, s);
		if (nl < 0) nl = data.length;
		if (nl > s) yield data.subarray(s, nl);
		s = nl + 1;
	}
}

function jsonlFiles(root: string): string[] {
	return (fs.readdirSync(root, {recursive: true}) as string[]).map(f => path.join(root, f)).filter(f => f.endsWith('.jsonl') && fs.statSync(f).isFile()).sort();
}

/** Lines JSON.parse must be matched on; each is also tried cut short and with a byte changed. */
const TRICKY = [
	'{}',
	'[]',
	'{"a":[],"b":{},"c":[{}],"d":[[[]]]}',
	'  {"a" : 1 , "b" :\t[ 1 ,2 ] }\r',
	'{"a":"\\"\\\\\\/\\b\\f\\n\\r\\t\\u0041\\u00e9\\ud83d\\ude00\\ud800"}',
	'{"typ\\u0065":"assistant","type":"user"}',
	'{"type":"user","type":"assistant","message":{"type":"x"}}',
	'{"a":1,"a":2,"b":{"c":1,"c":"x"}}',
	'{"n":[0,-0,1.5,-2.25e3,1E+2,1e-7,123456789012345,1234567890123456,99999999999999999999,0.1]}',
	'{"n":"1200","m":"1e2","o":" 7 ","p":"x1"}',
	'{"s":"é€😀 ✓ 日本語","k":"\u0001"}',
	'{"s":"tab\tin string"}',
	'{"bad":"\\x"}',
	'{"bad":"\\u12g4"}',
	'{"a":01}',
	'{"a":1.}',
	'{"a":.5}',
	'{"a":-}',
	'{"a":1e}',
	'{"a":tru}',
	'{"a":nul}',
	'{"a":true,}',
	'{"a":[1,]}',
	'{"a" 1}',
	'{"a":1}}',
	'{"a":1} x',
	'\ufeff{"a":1}',
	'{"__proto__":{"x":1},"constructor":1}',
	'"just a string"',
	'42',
	`{"deep":${'['.repeat(70)}${']'.repeat(70)}}`,
	`{"deep":${'['.repeat(63)}${']'.repeat(63)}}`,
	JSON.stringify(Object.fromEntries(Array.from({length: 64}, (_, k) => [`k${k}`, k]))),
	JSON.stringify({wide: Object.fromEntries(Array.from({length: 65}, (_, k) => [`k${k}`, k]))}),
];

describe('JSON tape', () => {
	it('takes exactly the tricky lines JSON.parse takes, cut short and with changed bytes too', () => {
		const r = rng(16);
		let valid = 0;
		for (const text of TRICKY) {
			const line = Buffer.from(text);
			if (same(line)) valid++;
			for (let cut = 0; cut < line.length; cut++) same(line.subarray(0, cut));
			for (let k = 0; k < 40; k++) {
				const b = Buffer.from(line);
				b[Math.floor(r() * b.length)] = [0x22, 0x5c, 0x7b, 0x7d, 0x5b, 0x5d, 0x2c, 0x3a, 0x20, 0x01, 0x80, 0xc3, 0xff, 0x65, 0x2e, 0x2d, 0x30, 0x75][Math.floor(r() * 18)]!;
				same(b);
			}
		}

		assert.ok(valid >= 14, `${valid} valid tricky lines`);
		// Bytes that are not UTF-8 inside a string: JSON.parse takes the U+FFFD, the tape leaves it.
		assert.equal(tapeOf(Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0x22, 0x7d])), null);
		assert.equal(same(Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0x22, 0x7d])), true);
	});

	it('matches JSON.parse on random values, spacing, escapes and mutations (seeded)', () => {
		const r = rng(1616);
		const pick = <T>(a: readonly T[]): T => a[Math.floor(r() * a.length)]!;
		const chars = ['a', 'b', '"', '\\', '/', '\n', '\t', '\u0001', 'é', '€', '😀', '\ud800', 'x', ' ', '{', '}', ':', ','];
		const str = () => Array.from({length: Math.floor(r() * 8)}, () => pick(chars)).join('');
		const value = (d: number): unknown => {
			const x = r();
			if (d > 3 || x < 0.3) return pick([str, () => Math.floor(r() * 1e6) - 5000, () => r() * 100, () => true, () => false, () => null, () => 1e21, () => -0, () => 123456789012345678])();
			if (x < 0.65) return Object.fromEntries(Array.from({length: Math.floor(r() * 4)}, () => [pick(['type', 'message', 'usage', 'payload', 'cache_creation', 'ephemeral_1h_input_tokens', 'x', str()]), value(d + 1)]));
			return Array.from({length: Math.floor(r() * 4)}, () => value(d + 1));
		};

		let taken = 0;
		let pathsRead = 0;
		const nodes = PATHS.map(keys => tapeOf(Buffer.from('{}'))!.path(keys));
		for (let i = 0; i < 20000; i++) {
			let text = JSON.stringify(value(0));
			if (r() < 0.3) text = text.replace(/,/g, () => pick([',', ' ,', ', ', ',\t', ',\r']));
			if (r() < 0.2) text = text.replace(/a/g, () => pick(['a', '\\u0061', '\\u00E9']));
			if (r() < 0.1) text = text.replace(/"x":/g, '"x":1,"x":');
			// A repeated object on a path: what was in the first must not show through.
			if (r() < 0.1) text = text.replace(/"usage":/g, '"usage":{"type":"first","x":1},"usage":');
			let line = Buffer.from(text);
			const m = r();
			if (m < 0.15) line = line.subarray(0, Math.floor(r() * line.length));
			else if (m < 0.3) {
				const k = Math.floor(r() * line.length);
				line = Buffer.concat([line.subarray(0, k), Buffer.from(pick(['\\', '"', '\\u12', '0', '-', 'e', '\xff', 'é', ' ', '.5']), pick(['utf8', 'latin1'] as const)), line.subarray(k)]);
			}

			if (same(line)) taken++;
			const t = tapeOf(line);
			if (t) {
				samePaths(t, nodes, JSON.parse(line.toString('utf8')));
				if (t.pathsRead()) pathsRead++;
			}
		}

		assert.ok(taken > 10000, `${taken} of 20000 lines valid`);
		assert.ok(pathsRead > 0.8 * taken, `paths read on ${pathsRead} of ${taken} lines`);
	});

	it('matches JSON.parse on every line of the shared fixtures', t => {
		if (!sharedAvailable()) return t.skip('../shared not here');
		let lines = 0;
		for (const file of jsonlFiles(FIXTURE_HOME)) {
			for (const line of linesOf(file)) {
				same(line);
				lines++;
			}
		}

		assert.ok(lines > 2000, `${lines} lines`);
	});
});

/** The events a parser gives for `lines`, with the tape path (as the reader uses it) or JSON.parse only. */
function events(lines: readonly Buffer[], useTape: boolean, store: JsonlStore = claudeStore, resultsSince = Number.NEGATIVE_INFINITY): {events: unknown[]; taped: number} {
	const parser: LineParser = store === claudeStore
		? claudeStore.createParser({path: '/h/.claude/projects/p/s.jsonl', root: '/h/.claude/projects', priority: 0}, {resultsSince})
		: store.createParser({path: '/h/.codex/sessions/2026/02/23/rollout-2026-02-23T10-00-00-019c0000-0000-7000-8000-000000000001.jsonl', root: '/h/.codex/sessions', priority: 0});
	const skip = (reason: string) => out.push(`skip: ${reason}`);
	const out: unknown[] = [];
	const emit = (e: unknown) => out.push(e);
	let taped = 0;
	for (const line of lines) {
		if (useTape) {
			const t = tapeOf(line);
			if (t && parser.tape!(t, emit as never)) {
				taped++;
				continue;
			}
		}

		let record: unknown;
		try {
			record = JSON.parse(line.toString('utf8'));
		} catch {
			out.push('invalid');
			continue;
		}

		parser.line(record, emit as never, skip);
	}

	return {events: out, taped};
}

/** Lines of Claude Code calls (assistant with usage, not a placeholder or an API error): the ones the tape should take. */
function billable(lines: readonly Buffer[]): number {
	let n = 0;
	for (const line of lines) {
		try {
			const r = JSON.parse(line.toString('utf8')) as {type?: unknown; isApiErrorMessage?: unknown; message?: {usage?: unknown; model?: unknown}};
			if (r.type === 'assistant' && r.message?.usage && r.message.model !== '<synthetic>' && r.isApiErrorMessage !== true) n++;
		} catch {}
	}

	return n;
}

function sameEvents(lines: readonly Buffer[], what: string, store: JsonlStore = claudeStore, resultsSince?: number): number {
	const a = events(lines, true, store, resultsSince);
	const b = events(lines, false, store, resultsSince);
	assert.deepStrictEqual(a.events, b.events, what);
	return a.taped;
}

/** sameEvents() file by file: lines taken from the tape, and lines of calls (Claude Code) or token counts and turn contexts (Codex). */
function sameEventsIn(files: readonly string[], store: JsonlStore = claudeStore): {taped: number; calls: number} {
	let taped = 0;
	let calls = 0;
	for (const file of files) {
		const lines = [...linesOf(file)];
		taped += sameEvents(lines, file, store);
		calls += store === claudeStore ? billable(lines) : codexTaken(lines);
	}

	return {taped, calls};
}

/** Codex lines the tape should take: token counts with a time and usage (or none at all), and turn contexts. */
function codexTaken(lines: readonly Buffer[]): number {
	let n = 0;
	for (const line of lines) {
		try {
			const r = JSON.parse(line.toString('utf8')) as {type?: unknown; timestamp?: unknown; payload?: {type?: unknown; info?: {total_token_usage?: unknown; last_token_usage?: unknown} | null}};
			if (r.type === 'turn_context') n++;
			else if (r.type === 'event_msg' && r.payload?.type === 'token_count') {
				const info = r.payload.info;
				if (!info || (typeof r.timestamp === 'string' && (info.total_token_usage || info.last_token_usage))) n++;
			}
		} catch {}
	}

	return n;
}

/** 30 copies of a line cut short or with one byte changed to a JSON-significant one. */
function mutationsOf(line: Buffer, r: () => number): Buffer[] {
	const mutated: Buffer[] = [];
	for (let k = 0; k < 30; k++) {
		const b = Buffer.from(line);
		const at = Math.floor(r() * b.length);
		if (k % 3 === 0) mutated.push(b.subarray(0, at));
		else {
			b[at] = [0x22, 0x5c, 0x7b, 0x7d, 0x2c, 0x3a, 0x31, 0x20, 0x80, 0x65][k % 10]!;
			mutated.push(b);
		}
	}

	return mutated;
}

/** Assistant lines that vary every field the parser reads, in the ways the JSON path reads them. */
function trickyAssistantLines(): string[] {
	const base = claudeAssistant({id: 'msg_1', ts: '2026-11-02T10:00:00.000Z', input: 10, output: 500, cacheRead: 2000, cacheWrite: 300, cache1h: 100, webSearches: 2, tools: [{name: 'Bash', input: {command: '  ls -la "x"\\n ', timeout: 120000}}, {name: 'Read', input: {file_path: '/tmp/é', limit: 1.5}}]});
	const json = JSON.stringify(base);
	const variants: string[] = [json];
	const edit = (f: (o: Record<string, any>) => void) => {
		const o = structuredClone(base) as Record<string, any>;
		f(o);
		variants.push(JSON.stringify(o));
	};

	edit(o => (o['message'].model = 'claude-\\"odd\\"-model'));
	edit(o => (o['message'].model = '<synthetic>'));
	edit(o => (o['message'].model = 42));
	edit(o => delete o['message'].id);
	edit(o => (o['sessionId'] = 'séssion "quoted"'));
	edit(o => (o['cwd'] = ''));
	edit(o => (o['timestamp'] = 1762077600));
	edit(o => (o['timestamp'] = 'yesterday'));
	edit(o => delete o['timestamp']);
	edit(o => (o['isSidechain'] = true));
	edit(o => (o['isApiErrorMessage'] = true));
	edit(o => (o['costUSD'] = 0.0123));
	edit(o => (o['message'].usage.output_tokens = '750'));
	edit(o => (o['message'].usage.output_tokens = 1.6));
	edit(o => (o['message'].usage.input_tokens = null));
	edit(o => (o['message'].usage.input_tokens = 'many'));
	edit(o => (o['message'].usage.input_tokens = -5));
	edit(o => (o['message'].usage.cache_creation = null));
	edit(o => (o['message'].usage.output_tokens_details = {thinking_tokens: 9999}));
	edit(o => (o['message'].usage.speed = 'fast'));
	edit(o => (o['message'].usage = 'none'));
	edit(o => (o['message'].content = 'plain text'));
	edit(o => o['message'].content.push({type: 'text', text: 'Done ✓ 😀\n'.repeat(50)}, {type: 'thinking', thinking: 'hmm '.repeat(300), signature: 'x'}, 7, null, {type: 'tool_use', name: null, input: [1, {a: null}]}, {type: 'tool_use', name: 5}));
	edit(o => o['message'].content.push({type: 'tool_use', name: 'Bash', input: {command: 'a', command2: 'b', nested: {command: 'c'}}}));
	edit(o => o['message'].content.push({type: 'tool_use', name: 'Write', input: Object.fromEntries(Array.from({length: 70}, (_, k) => [`k${k}`, 'v']))}));
	edit(o => (o['type'] = 'user'));
	edit(o => {
		o['message'].type = 'assistant';
		o['type'] = 'progress';
	});
	// Raw edits the object model cannot write: repeated and escaped keys, spacing, CRLF.
	variants.push(json.replace('"output_tokens":500', '"output_tokens":500,"output_tokens":40'));
	variants.push(json.replace('"type":"assistant"', '"type":"assistant","type":"user"'));
	variants.push(json.replace('"type":"assistant"', '"type":"user","type":"assistant"'));
	variants.push(json.replace('"type":"assistant"', '"typ\\u0065":"user","type":"assistant"'));
	variants.push(json.replace('"input_tokens":10', '"input_tok\\u0065ns":10'));
	variants.push(json.replace('"command":', '"comm\\u0061nd":'));
	variants.push(json.replace('"file_path":', '"file_path":"a","file_path":'));
	variants.push(json.replace('"limit":1.5', '"limit":1.50e0'));
	variants.push(json.replace(/,/g, ' ,\t') + '\r');
	variants.push(json.replace('"Bash"', '"B\\u0061sh"'));
	// Escaped values the JSON path compares as strings.
	variants.push(json.replace('"service_tier"', '"speed":"f\\u0061st","service_tier"'));
	variants.push(json.replace('"claude-sonnet-4-5-20250929"', '"\\u003csynthetic>"'));
	variants.push(json.replace('"type":"tool_use"', '"type":"tool_\\u0075se"'));
	return variants;
}

/** User lines (failed tool results, prompts) that vary every field the parser reads, each followed by a call that carries the prompt state. */
function trickyUserLines(): string[] {
	const ts = '2026-11-02T10:00:00.000Z';
	const result = {
		type: 'user', uuid: 'u-res', sessionId: 'sess-1', timestamp: ts, cwd: '/home/u/p',
		message: {role: 'user', content: [
			{type: 'tool_result', tool_use_id: 'toolu_1', is_error: true, content: 'Error: exit 1\n  at 2026-11-02T10:00:00Z took 12ms 0xdeadbeef /tmp/x.log'},
			{type: 'tool_result', tool_use_id: 'toolu_2', content: 'fine'},
			{type: 'tool_result', tool_use_id: 'toolu_3', is_error: true, content: [{type: 'text', text: '\n\n  first ✓'}, {type: 'image'}, 'x', {text: 5}, {type: 'text', text: 'second "quoted" \\ line'}]},
		]},
		toolUseResult: {stdout: 'fine', stderr: '', interrupted: false},
	};
	const prompt = {type: 'user', uuid: 'u-prompt', sessionId: 'sess-1', timestamp: ts, message: {role: 'user', content: 'fix the failing test 😀'}};
	const variants: Array<Record<string, any>> = [result, prompt];
	const edit = (base: Record<string, any>, f: (o: Record<string, any>) => void) => {
		const o = structuredClone(base) as Record<string, any>;
		f(o);
		variants.push(o);
	};

	edit(result, o => delete o['timestamp']);
	edit(result, o => (o['timestamp'] = 1762077600));
	edit(result, o => (o['timestamp'] = true));
	edit(result, o => delete o['uuid']);
	edit(result, o => (o['sessionId'] = ''));
	edit(result, o => (o['message'].content[0].is_error = 'true'));
	edit(result, o => (o['message'].content[0].tool_use_id = 42));
	edit(result, o => delete o['message'].content[2].tool_use_id);
	edit(result, o => (o['message'].content[0].content = null));
	edit(result, o => (o['message'].content[0].content = {text: 'an object'}));
	edit(result, o => (o['message'].content[0].content = []));
	edit(result, o => (o['message'].content[0].content = 'x'.repeat(9000) + '\n' + 'deadbeefcafe1234 '.repeat(400)));
	edit(result, o => (o['message'].content = [{type: 'tool_result', tool_use_id: 'toolu_9', is_error: false, content: 'ok'}]));
	edit(result, o => (o['message'].content = [7, null, {type: 'text', text: 'not a result'}, {type: 'tool_result', is_error: true}]));
	edit(result, o => (o['message'] = 'none'));
	edit(result, o => (o['type'] = 'assistant'));
	edit(prompt, o => (o['message'].content = [{type: 'text', text: 'one'}, {type: 'image', source: {}}, {type: 'text', text: 'two'}]));
	edit(prompt, o => (o['message'].content = [{type: 'text', text: 12.5}, {type: 'text'}, {type: 'text', text: null}, {type: 'text', text: false}]));
	edit(prompt, o => (o['message'].content = [{type: 'text', text: {nested: true}}]));
	edit(prompt, o => (o['message'].content = [{type: 'text', text: 'a', text2: 'b'}]));
	edit(prompt, o => (o['message'].content = []));
	edit(prompt, o => (o['message'].content = 42));
	edit(prompt, o => (o['message'].content = ''));
	edit(prompt, o => (o['message'].content = '[Request interrupted by user]'));
	edit(prompt, o => (o['isMeta'] = true));
	edit(prompt, o => (o['isMeta'] = 'true'));
	edit(prompt, o => (o['toolUseResult'] = null));
	edit(prompt, o => delete o['timestamp']);
	edit(prompt, o => delete o['uuid']);
	const json = variants.map(o => JSON.stringify(o));
	const r = JSON.stringify(result);
	const p = JSON.stringify(prompt);
	// Raw edits: repeated and escaped keys at every level, escaped values, spacing, CRLF.
	json.push(r.replace('"is_error":true', '"is_error":true,"is_error":false'));
	json.push(r.replace('"is_error":true', '"is_error":false,"is_error":true'));
	json.push(r.replace('"is_error":true', '"is_\\u0065rror":true'));
	json.push(r.replace('"tool_use_id":"toolu_1"', '"tool_use_id":"toolu_1","tool_use_id":"toolu_1b"'));
	json.push(r.replace('"type":"tool_result"', '"type":"tool_r\\u0065sult"'));
	json.push(r.replace('"type":"text","text":"\\n', '"type":"text","t\\u0065xt":"\\n'));
	json.push(r.replace('"type":"text","text":"\\n', '"type":"text","text":"dropped","text":"\\n'));
	json.push(r.replace('"type":"user"', '"type":"us\\u0065r"'));
	json.push(r.replace('"type":"user"', '"type":"assistant","type":"user"'));
	json.push(r.replace('"uuid":"u-res"', '"uuid":"u-res","uuid":"u-res2"'));
	json.push(r.replace('"toolUseResult"', '"toolUs\\u0065Result"'));
	json.push(p.replace('"content":"fix', '"content":"\\u0066ix'));
	json.push(p.replace('"sessionId"', '"isMeta":true,"isMeta":false,"sessionId"'));
	json.push(p.replace('"sessionId"', '"isM\\u0065ta":true,"sessionId"'));
	json.push(r.replace(/,/g, ' ,\t') + '\r');
	// Each followed by a call, which carries the prompt and turn the line left.
	const call = JSON.stringify(claudeAssistant({id: 'msg_after', ts, output: 9}));
	return json.flatMap(line => [line, call]);
}

describe('Claude Code user lines from their tape', () => {
	it('give the same events as their parsed records: tricky lines, cut short and with changed bytes', () => {
		const lines = trickyUserLines().map(s => Buffer.from(s));
		const users = lines.filter((_, i) => i % 2 === 0);
		// The first user line numbers the tape's names (read by JSON.parse); each other one alone.
		events(users.slice(0, 1), true);
		let taken = 0;
		for (const line of users) taken += events([line], true).taped;
		assert.ok(taken >= 35 && taken < users.length, `${taken} of ${users.length} user lines taken from the tape`);
		sameEvents(lines, 'tricky user lines');
		const r = rng(2121);
		for (const line of users) sameEvents(mutationsOf(line, r), `mutations of ${line.toString().slice(0, 120)}`);
	});

	it('give the same hash and first line for long failed results, decoding only their start (seeded)', () => {
		const r = rng(4242);
		const pieces = ['\n', '\n\n', '   ', '\t', 'word ', 'FAIL src/a.test.ts ', '"quoted" ', 'back\\slash ', '2026-11-02T10:00:00.123Z ', '12ms ', 'deadbeefcafe1234 ', '0xABCDEF ', '/tmp/x/y ', 'é', '😀', '\u0001', '\r\n'];
		const texts: string[] = [];
		for (let k = 0; k < 300; k++) {
			// Around the cut (4,000 units), with long blank starts and long first lines among them.
			const want = 3900 + Math.floor(r() * 400) + (k % 5 === 0 ? 4000 : 0);
			let text = k % 7 === 0 ? ' '.repeat(3990 + Math.floor(r() * 20)) : k % 11 === 0 ? '\n'.repeat(4001) : '';
			const ascii = k % 3 !== 0;
			while (text.length < want) {
				const p = pieces[Math.floor(r() * pieces.length)]!;
				if (ascii && /[^\x00-\x7f]/.test(p)) continue;
				text += k % 13 === 0 ? 'x'.repeat(200) : p;
			}

			texts.push(text);
		}

		const lines = texts.map((text, i) => Buffer.from(JSON.stringify({type: 'user', uuid: `u-${i}`, sessionId: 's', timestamp: '2026-11-02T10:00:00.000Z', message: {role: 'user', content: [{type: 'tool_result', tool_use_id: `t-${i}`, is_error: true, content: text}]}})));
		events(lines.slice(0, 1), true);
		const a = events(lines, true);
		assert.equal(a.taped, lines.length);
		assert.deepStrictEqual(a.events, events(lines, false).events);
		// And the prefix itself is the text's start.
		const scanner = wasmScanner()!;
		for (const text of texts.slice(0, 60)) {
			const line = Buffer.from(JSON.stringify([text]));
			const t = tapeOf(line)!;
			for (const n of [0, 1, 159, 3999, 4000, text.length - 1]) {
				const p = t.textPrefix(1, n);
				if (/[^\x00-\x7f]/.test(text)) assert.equal(p, undefined);
				else assert.equal(p, text.slice(0, n));
			}
		}

		assert.ok(scanner);
	});

	it('read a failed result before the horizon for its time and key only, alike from the tape and parsed', () => {
		const lines = trickyUserLines().map(s => Buffer.from(s));
		// Between the lines' times (2026-11-02) and the numeric one (2025-11-02), and past all of them.
		for (const since of [Date.parse('2026-01-01T00:00:00Z'), Date.parse('2027-01-01T00:00:00Z')]) {
			sameEvents(lines, `tricky user lines, results since ${new Date(since).toISOString()}`, claudeStore, since);
		}

		const first = lines.slice(0, 1);
		events(first, true);
		const read = events(first, true).events as Array<{kind: string; dedupeKey: string; hash: string; text: string}>;
		const old = events(first, true, claudeStore, Date.parse('2027-01-01T00:00:00Z')).events as typeof read;
		assert.deepEqual(old.map(e => e.dedupeKey), read.map(e => e.dedupeKey));
		assert.ok(read.length === 2 && read.every(e => e.hash !== '' && e.text !== ''));
		assert.ok(old.every(e => e.kind === 'tool-result' && e.hash === '' && e.text === ''));
	});

	it('give a failed result\'s text, hash and key, and a prompt that later calls carry', () => {
		const lines = trickyUserLines().slice(0, 4).map(s => Buffer.from(s));
		events(lines.slice(0, 1), true);
		const a = events(lines, true);
		assert.equal(a.taped, 4);
		const results = a.events.filter(e => (e as {kind: string}).kind === 'tool-result') as Array<{dedupeKey: string; text: string; hash: string}>;
		assert.deepEqual(results.map(e => [e.dedupeKey, e.text]), [['claude-res:u-res:toolu_1', 'Error: exit 1'], ['claude-res:u-res:toolu_3', '  first ✓']]);
		const call = a.events.at(-1) as UsageEvent;
		assert.equal(call.prompt, 'fix the failing test 😀');
		assert.equal(call.turnId, 'u-prompt');
	});
});

describe('Claude Code lines from their tape', () => {
	it('give the same events as their parsed records: tricky lines, cut short and with changed bytes', () => {
		const lines = trickyAssistantLines().map(s => Buffer.from(s));
		const taped = sameEvents(lines, 'tricky lines');
		assert.ok(taped >= 15 && taped < lines.length, `${taped} of ${lines.length} taken from the tape`);
		const r = rng(1717);
		for (const line of lines) sameEvents(mutationsOf(line, r), `mutations of ${line.toString().slice(0, 120)}`);
	});

	it('give the same events on every Claude Code file of the shared fixtures', t => {
		if (!sharedAvailable()) return t.skip('../shared not here');
		const {taped, calls} = sameEventsIn(jsonlFiles(FIXTURE_HOME).filter(f => f.includes('claude')));
		// All but the thread's first (read before the tape's names were numbered).
		assert.ok(calls > 80 && taped >= calls - 1, `${taped} of ${calls} call lines taken from the tape`);
	});

	it('give the same events on a generated history', () => {
		const out = tempHome('burntop-tape-');
		generate(out, 2, 16);
		const {taped, calls} = sameEventsIn(jsonlFiles(out).filter(f => f.includes('.claude')));
		assert.ok(calls > 100 && taped >= calls - 1, `${taped} of ${calls} call lines taken from the tape`);
		fs.rmSync(out, {recursive: true, force: true});
	});

	it('take a plain line\'s numbers and keys from its tape', () => {
		const line = Buffer.from(JSON.stringify(claudeAssistant({id: 'msg_x', ts: '2026-11-02T10:00:00.000Z', output: 7})));
		const a = events([line], true);
		assert.equal(a.taped, 1);
		const e = a.events[0] as UsageEvent;
		assert.equal(e.output, 7);
		assert.equal(e.dedupeKey, 'claude:msg_x:req-msg_x');
	});
});

/** A Codex rollout whose lines vary every field the parser reads from token counts and turn contexts, in the ways its JSON path reads them. */
function trickyCodexLines(): string[] {
	const at = (s: number) => new Date(Date.UTC(2026, 1, 23, 10, 0, s)).toISOString();
	const u = (input: number, cached: number, output: number, reasoning = 0) => ({input, cached, output, reasoning});
	const window = {used_percent: 12.5, window_minutes: 300, resets_at: 1771864834};
	const lines: Array<Record<string, unknown>> = [
		codexMeta('019c0000-0000-7000-8000-000000000001', at(0)),
		codexTurn(at(1)),
		codexTokens(at(2), u(100, 20, 5), u(100, 20, 5), {primary: window, secondary: {used_percent: 40, window_minutes: '10080', resets_in_seconds: 3600}}),
		codexTokens(at(3), u(100, 20, 5), u(100, 20, 5)),
		codexTokens(at(4), u(250, 80, 9, 3), null, {primary_used_percent: 13, primary_window_minutes: 299.6, secondary_used_percent: '41'}),
		codexTokens(at(5), null, u(7, 0, 1), {primary_used_percent: 5, primary_window_minutes: 300, secondary_used_percent: 30, secondary_window_minutes: 10080}),
		codexTokens(at(6), null, null, {primary: {used_percent: '12', window_minutes: 300}, secondary: [1]}),
		codexTokens(at(7), u(400, 90, 20), u(150, 10, 11), {primary: {...window, resets_at: '2026-02-23T15:00:00Z'}, secondary: null}),
		{...codexTokens(at(8), u(500, 90, 30), u(100, 0, 10)), timestamp: 'yesterday'},
		{...codexTokens(at(9), u(600, 90, 40), u(100, 0, 10)), timestamp: 1771840809},
		{timestamp: at(10), type: 'event_msg', payload: {type: 'token_count', info: {total_token_usage: {input_tokens: '700', cached_input_tokens: 1.6, output_tokens: null, reasoning_output_tokens: 'many'}, model: 'gpt-5.2-codex'}}},
		{timestamp: at(11), type: 'event_msg', payload: {type: 'token_count', info: {model_context_window: 1}}},
		{timestamp: at(12), type: 'event_msg', payload: {type: 'token_count', info: [], rate_limits: {primary: window}}},
		{timestamp: at(13), type: 'event_msg', payload: {type: 'token_count', info: {last_token_usage: 'none', total_token_usage: {input_tokens: 800, output_tokens: 41}}}},
		{timestamp: at(14), type: 'event_msg', payload: 'token_count'},
		{timestamp: at(15), type: 'turn_context', payload: {turn_id: 7, cwd: '', model: 'gpt-5.1-codex'}},
		{timestamp: at(16), type: 'turn_context', payload: {cwd: '/home/u/other', model: ''}},
		codexTokens(at(17), u(900, 100, 50), u(100, 10, 9)),
		{timestamp: at(18), type: 'event_msg', payload: {type: 'user_message', message: 'go on'}},
		{timestamp: at(19), type: 'response_item', payload: {type: 'function_call', name: 'shell', arguments: JSON.stringify({command: ['bash', '-lc', 'npm test'], workdir: '/x'})}},
		{timestamp: at(19), type: 'response_item', payload: {type: 'function_call', name: 'exec', arguments: JSON.stringify({cmd: 'git status'})}},
		{timestamp: at(19), type: 'response_item', payload: {type: 'custom_tool_call', name: 'apply_patch', input: '*** Begin Patch'}},
		{timestamp: at(19), type: 'response_item', payload: {type: 'function_call', arguments: 'not json'}},
		{timestamp: at(19), type: 'response_item', payload: {type: 'function_call', name: 7, arguments: null, input: JSON.stringify({command: 'ls'})}},
		{timestamp: at(19), type: 'response_item', payload: {type: 'local_shell_call', action: {type: 'exec', command: ['ls', '-la']}}},
		{timestamp: at(19), type: 'response_item', payload: {type: 'custom_tool_call', input: 'no name'}},
		{timestamp: at(19), type: 'response_item', payload: {type: 'function_call', name: 'both', arguments: JSON.stringify({command: 'first'}), input: JSON.stringify({command: 'second'})}},
		{timestamp: at(19), type: 'response_item', payload: {type: 'web_search_call', action: {query: 'x'}}},
		{timestamp: at(19), type: 'response_item', payload: {type: 'message', role: 'assistant', content: [{type: 'output_text', text: '"type":"function_call",'}]}},
		{timestamp: at(19), type: 'event_msg', payload: {type: 'user_message', message: 'please fix "it"\n'.repeat(40)}},
		{timestamp: at(20), type: 'event_msg', payload: {type: 'user_message', message: ''}},
		{timestamp: 'never', type: 'event_msg', payload: {type: 'user_message', message: 42}},
		{timestamp: at(20), type: 'event_msg', payload: {type: 'agent_message', message: 'done'}},
		codexMeta('019c0000-0000-7000-8000-0000000000ff', at(21), {forked_from_id: 'someone-else'}),
		codexTokens(at(22), u(1000, 100, 60), u(100, 0, 10)),
	];
	const json = lines.map(o => JSON.stringify(o));
	const last = json.length - 1;
	const raw = (i: number, from: string, to: string) => json[i]!.replace(from, to);
	// Raw edits the object model cannot write: repeated and escaped keys and values, spacing, CRLF.
	json.push(
		raw(last, '"output_tokens":60', '"output_tokens":60,"output_tokens":61'),
		raw(last, '"type":"token_count"', '"type":"token_count","type":"user_message"'),
		raw(last, '"type":"token_count"', '"type":"user_message","type":"token_count"'),
		raw(last, '"type":"token_count"', '"type":"token_c\u006funt"'),
		raw(last, '"type":"event_msg"', '"type":"event_ms\u0067"'),
		raw(last, '"input_tokens":1000', '"input_t\u006fkens":1000'),
		raw(2, '"used_percent":12.5', '"used_percent":12.5,"used_percent":"x"'),
		raw(2, '"used_percent":12.5', '"us\u0065d_percent":12.5'),
		raw(2, '"window_minutes":300', '"window_minutes":3e2'),
		raw(1, '"model":"gpt-5.3-codex"', '"model":"gpt-5.3-\u0063odex"'),
		raw(1, '"cwd":', '"cwd":"a","cwd":'),
		json[last]!.replace(/,/g, ' ,\t') + '\r',
		raw(last, '"timestamp":"', '"timestamp":"x","timestamp":"'),
	);
	json.push(
		raw(2 + 17, '"type":"function_call"', '"type":"function\\u005fcall"'),
		raw(2 + 17, '"arguments":', '"argum\\u0065nts":'),
	);
	return json;
}

/** A fork's rollout (or a subagent's): its replayed burst, then its own calls; its session_meta in the forms the parser reads. */
function forkCodexLines(meta: Record<string, unknown>): string[] {
	const at = (ms: number) => new Date(Date.UTC(2026, 1, 23, 11, 0, 0) + ms).toISOString();
	const u = (input: number, output: number) => ({input, cached: 0, output, reasoning: 0});
	return [
		{timestamp: at(0), type: 'session_meta', payload: {id: '019c0000-0000-7000-8000-000000000002', timestamp: at(0), cwd: '/home/u/fork', ...meta}},
		codexMeta('parent-id', at(1)),
		codexTurn(at(2)),
		{timestamp: at(100), type: 'event_msg', payload: {type: 'user_message', message: 'replayed'}},
		codexTokens(at(200), u(10, 1), u(10, 1)),
		codexTokens(at(300), u(20, 2), u(10, 1)),
		codexTokens(at(900), u(25, 2), u(5, 1)),
		codexTokens(at(2500), u(30, 3), u(10, 1)),
		{timestamp: at(2600), type: 'event_msg', payload: {type: 'user_message', message: 'own'}},
		codexTokens(at(9000), u(40, 4), u(10, 1)),
	].map(o => JSON.stringify(o));
}

describe('Codex lines from their tape', () => {
	it('give the same events for forks and subagents: every form of their session_meta', () => {
		const metas: Array<Record<string, unknown>> = [
			{forked_from_id: 'parent-id'},
			{forked_from_id: 'parent-id', timestamp: 'bad'},
			// Its own time before the line's: the replayed burst is judged from it.
			{forked_from_id: 'parent-id', timestamp: new Date(Date.UTC(2026, 1, 23, 11, 0, 0) - 4500).toISOString()},
			{source: {subagent: {thread_spawn: {parent_thread_id: 'parent-id', depth: 1}}}},
			{source: {subagent: {thread_spawn: {parent_thread_id: ''}}}},
			{source: {subagent: 'review'}},
			{source: 'cli', forked_from_id: null},
			{forked_from_id: '', source: {subagent: {thread_spawn: {parent_thread_id: 'p2'}}}},
			{id: 5, cwd: ''},
		];
		for (const meta of metas) {
			const lines = forkCodexLines(meta).map(x => Buffer.from(x));
			const taped = sameEvents(lines, JSON.stringify(meta), codexStore);
			assert.ok(taped >= 8, `${taped} of ${lines.length} taken from the tape`);
		}

		// Keys the JSON path reads under an escape: left to it.
		const escaped = forkCodexLines({source: {subagent: {thread_spawn: {parent_thread_id: 'parent-id'}}}});
		escaped[0] = escaped[0]!.replace('"parent_thread_id"', '"parent_thread_\\u0069d"');
		sameEvents(escaped.map(x => Buffer.from(x)), 'escaped key', codexStore);
	});

	it('give the same events as their parsed records, in order: tricky lines, cut short and with changed bytes', () => {
		const lines = trickyCodexLines().map(s => Buffer.from(s));
		const taped = sameEvents(lines, 'tricky lines', codexStore);
		assert.ok(taped >= 15 && taped < lines.length, `${taped} of ${lines.length} taken from the tape`);
		const r = rng(2929);
		for (let round = 0; round < 40; round++) {
			// Every line, one of them (or a few) mutated: the parser's state runs through all of them.
			const mutated = lines.map(line => {
				if (r() > 0.3) return line;
				const b = Buffer.from(line);
				const at = Math.floor(r() * b.length);
				if (r() < 0.3) return b.subarray(0, at);
				b[at] = [0x22, 0x5c, 0x7b, 0x7d, 0x2c, 0x3a, 0x31, 0x20, 0x80, 0x65, 0x6e][Math.floor(r() * 11)]!;
				return b;
			});
			sameEvents(mutated, `mutation round ${round}`, codexStore);
		}
	});

	it('give the same events on every Codex file of the shared fixtures', t => {
		if (!sharedAvailable()) return t.skip('../shared not here');
		const {taped, calls} = sameEventsIn(jsonlFiles(FIXTURE_HOME).filter(f => f.includes('.codex')), codexStore);
		assert.ok(calls > 20 && taped >= calls - 1, `${taped} of ${calls} token count and turn context lines taken from the tape`);
	});

	it('give the same events on a generated history (forks replaying their parent included)', () => {
		const out = tempHome('burntop-codex-tape-');
		generate(out, 2, 17);
		const {taped, calls} = sameEventsIn(jsonlFiles(out).filter(f => f.includes('.codex')), codexStore);
		assert.ok(calls > 100 && taped >= calls - 1, `${taped} of ${calls} token count and turn context lines taken from the tape`);
		fs.rmSync(out, {recursive: true, force: true});
	});
});


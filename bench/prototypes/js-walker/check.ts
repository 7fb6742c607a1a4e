// THROWAWAY PROTOTYPE's check (issue 16): the byte walk of Claude Code lines against JSON.parse.
// On every line of the real fixtures, a generated history, hand-made tricky lines and thousands
// of mutated ones, the walk either hands the line to JSON.parse (undefined) or reads exactly what
// the parsed record gives. Not in npm test (the walk is not part of burntop):
//   node --import tsx --test bench/prototypes/js-walker/check.ts   (WALK_SEED, WALK_MUTATIONS)
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {describe, it} from 'node:test';
import {assistantFromBytes, assistantFromRecord, type AssistantFields} from './claude-walk.js';
import {generate, rng} from '../../generate.js';
import {claudeAssistant, FIXTURE_HOME, sharedAvailable} from '../../../test/helpers/home.js';

const skipShared = !sharedAvailable() && 'needs ../shared (required when CI=true)';

/** What the record way gives for a line, or undefined where the walk must not answer (not an assistant call, not JSON). */
function expected(line: string): AssistantFields | undefined {
	let r: unknown;
	try {
		r = JSON.parse(line);
	} catch {
		return undefined;
	}

	if (typeof r !== 'object' || r === null || Array.isArray(r)) return undefined;
	const rec = r as Record<string, unknown>;
	const message = rec['message'];
	if (rec['type'] !== 'assistant' || typeof message !== 'object' || message === null || Array.isArray(message) || rec['isApiErrorMessage'] === true) return undefined;
	return assistantFromRecord(message as Record<string, unknown>, rec, rec, false);
}

/** The walk of `line` placed inside a larger buffer (bytes before and after it must not matter). */
function walked(line: string): AssistantFields | undefined {
	const body = Buffer.from(line);
	const buf = Buffer.concat([Buffer.from('{"type":"assistant"}\n'), body, Buffer.from('\n"}]}{x')]);
	return assistantFromBytes(buf, 21, 21 + body.length);
}

/** Checks one line; returns whether the walk answered. */
function check(line: string, where: string): boolean {
	const want = expected(line);
	const got = walked(line);
	if (got === undefined) return false;
	assert.ok(want !== undefined, `${where}: the walk read a line JSON.parse does not take as an assistant call: ${JSON.stringify(line.slice(0, 300))}`);
	assert.deepEqual(got, want, `${where}: ${line.slice(0, 300)}`);
	return true;
}

function claudeFiles(dir: string): string[] {
	const out: string[] = [];
	const walk = (d: string) => {
		for (const e of fs.readdirSync(d, {withFileTypes: true})) {
			const p = path.join(d, e.name);
			if (e.isDirectory()) walk(p);
			else if (e.name.endsWith('.jsonl')) out.push(p);
		}
	};

	if (fs.existsSync(dir)) walk(dir);
	return out.sort();
}

function linesOf(file: string): string[] {
	return fs.readFileSync(file, 'utf8').split('\n').filter(l => l.trim() !== '');
}

const FIXTURE_FILES = () => [...claudeFiles(path.join(FIXTURE_HOME, '.claude', 'projects')), ...claudeFiles(path.join(FIXTURE_HOME, '.config', 'claude', 'projects'))];

let generated: string[] | undefined;
/** Claude Code files of a small generated history (bench/generate.ts), made once. */
function generatedFiles(): string[] {
	if (!generated) {
		const out = fs.mkdtempSync(path.join(os.tmpdir(), 'burntop-walk-'));
		generate(out, 8, 7);
		generated = claudeFiles(path.join(out, 'home', '.claude', 'projects'));
	}

	return generated;
}

/** Hand-made lines around one real-shaped call: every case the walk must read or hand over. */
function trickyLines(): string[] {
	const base = claudeAssistant({id: 'msg_1', ts: '2026-03-01T10:00:00.000Z', output: 120, cacheRead: 900, cacheWrite: 50, cache1h: 20, tools: [{name: 'Bash', input: {command: '  npm test  ', timeout: 1.5e3}}], webSearches: 2, speed: 'fast'});
	const json = JSON.stringify(base);
	const m = base['message'] as Record<string, unknown>;
	const withMessage = (patch: Record<string, unknown>) => JSON.stringify({...base, message: {...m, ...patch}});
	const withUsage = (patch: Record<string, unknown>) => withMessage({usage: {...(m['usage'] as object), ...patch}});
	return [
		json,
		json.replace(/,/g, ' ,\t').replace(/:/g, ' :\r\n '),
		'\uFEFF' + json,
		json + '\r',
		json + ' x',
		json.slice(0, -1),
		json.slice(0, json.length / 2),
		// Escapes in every kind of field.
		withMessage({model: 'claude-\\"sonnet\\"\u00e9\u{1F600}', id: 'msg_\\u0041'}),
		JSON.stringify({...base, sessionId: 'a"b\\c\u2028d', cwd: '/home/\u00fc/\u{1F4A9}', uuid: '\u0000\u001f'}),
		json.replace('"model":"', '"model":"\\u00e9\\ud83d\\ude00'),
		json.replace('"type":"assistant"', '"t\\u0079pe":"assistant"'),
		json.replace('"type":"assistant"', '"type":"assist\\u0061nt"'),
		json.replace('"output_tokens":120', '"output\\u005ftokens":120'),
		json.replace('"npm test', '"np\\u006d \\\\ \\/ \\b\\f\\n\\r\\t test'),
		json.replace('"npm test', '"np\\x test'),
		json.replace('"npm test', '"np\\u00zz test'),
		// A nested "type" before the top-level one, and the top-level one missing or another.
		JSON.stringify({message: m, type: 'assistant', timestamp: base['timestamp']}),
		JSON.stringify({data: {type: 'assistant'}, message: m, timestamp: base['timestamp']}),
		JSON.stringify({...base, type: 'user'}),
		JSON.stringify({...base, type: 'progress'}),
		JSON.stringify({...base, type: ['assistant']}),
		// Duplicate keys at every level.
		json.replace('"type":"assistant"', '"type":"assistant","type":"user"'),
		json.replace('"type":"assistant"', '"type":"user","type":"assistant"'),
		json.replace('"output_tokens":120', '"output_tokens":120,"output_tokens":5'),
		json.replace('"message":{', '"message":{"id":"msg_0",'),
		json.replace('"command":', '"command":"x","command":'),
		json.replace('"command":', '"a":1,"a":2,"command":'),
		json.replace('"timeout":1500', '"timeout":{"k":1,"k":[true,false,null]}'),
		json.replace('"name":"Bash"', '"name":"Bash","name":"Read"'),
		// Numbers: floats, exponents, strings, signs, big and bad ones.
		withUsage({output_tokens: 120.5}),
		withUsage({output_tokens: 1.2e2, input_tokens: -0, cache_read_input_tokens: 12345678901234567890}),
		withUsage({output_tokens: '120'}),
		withUsage({output_tokens: null, input_tokens: true}),
		withUsage({output_tokens: -4}),
		json.replace('"output_tokens":120', '"output_tokens":0120'),
		json.replace('"output_tokens":120', '"output_tokens":1.'),
		json.replace('"output_tokens":120', '"output_tokens":1e'),
		json.replace('"output_tokens":120', '"output_tokens":-'),
		json.replace('"output_tokens":120', '"output_tokens":1E+2'),
		JSON.stringify({...base, costUSD: 0.0123}),
		JSON.stringify({...base, costUSD: '0.0123'}),
		JSON.stringify({...base, timestamp: 1772359200}),
		JSON.stringify({...base, timestamp: 1772359200123.5}),
		JSON.stringify({...base, timestamp: null}),
		JSON.stringify({...base, timestamp: 'yesterday'}),
		JSON.stringify({...base, timestamp: '2026-03-01T10:00:00+02:00'}),
		// Shapes the record way reads in its own manner.
		withMessage({usage: null}),
		withMessage({usage: []}),
		withMessage({content: 'plain text'}),
		withMessage({content: [1, 'x', null, [], {type: 'text', text: 'h\u00e9llo \u{1F600}'}, {type: 'thinking', thinking: 'hm'}, {type: 'text', text: 5}]}),
		withMessage({content: [{type: 'tool_use', name: null, input: {command: 'ls'}}, {type: 'tool_use', name: 7}, {type: 'tool_use', name: '', input: 'str'}]}),
		withMessage({content: [{type: 'tool_use', name: 'Bash', input: {command: ['ls']}}, {type: 'tool_use', name: 'Bash', input: {nested: {command: 'ls'}}}, {type: 'tool_use', name: 'Bash'}]}),
		withMessage({content: [{type: 'tool_use', name: 'Write', input: {content: 'x'.repeat(5000), n: [1.5, -0, 1e21, 2e-7, true, false, null, {}, []]}}]}),
		withMessage({model: '<synthetic>'}),
		withMessage({model: '', id: ''}),
		withUsage({cache_creation: null, output_tokens_details: {thinking_tokens: 500}, server_tool_use: 'x'}),
		withUsage({cache_creation: {ephemeral_1h_input_tokens: 999}, output_tokens_details: []}),
		withUsage({speed: 'f\\u0061st'}),
		JSON.stringify({...base, isSidechain: 'true'}),
		JSON.stringify({...base, isApiErrorMessage: true}),
		JSON.stringify({...base, isApiErrorMessage: false}),
		JSON.stringify({...base, message: 'x'}),
		JSON.stringify({...base, __proto__: 1}),
		'[' + json + ']',
		'{}',
		'{"type":"assistant"}',
		`{"type":"assistant","message":${'['.repeat(300)}${']'.repeat(300)}}`,
		json.replace('"npm test', '"\x01npm test'),
	];
}

/** Bytes that break or bend JSON, for mutations. */
const PALETTE = ['"', '\\', 'u', '0', '9', '{', '}', '[', ']', ',', ':', ' ', 'e', 'E', '.', '-', '+', 'n', 't', '\u0000', '\u001f', '\u00e9', '\u{1F600}', '\r'];

function mutate(line: string, r: () => number): string {
	const b = Buffer.from(line);
	const at = Math.floor(r() * b.length);
	const kind = Math.floor(r() * 5);
	const piece = Buffer.from(PALETTE[Math.floor(r() * PALETTE.length)]!);
	if (kind === 0) return Buffer.concat([b.subarray(0, at), piece, b.subarray(at)]).toString('utf8');
	if (kind === 1) return Buffer.concat([b.subarray(0, at), b.subarray(at + 1 + Math.floor(r() * 3))]).toString('utf8');
	if (kind === 2) return Buffer.concat([b.subarray(0, at), piece, b.subarray(at + 1)]).toString('utf8');
	if (kind === 3) {
		// A raw byte flip (may leave invalid UTF-8: read as the reader reads it).
		const c = Buffer.from(b);
		c[at] = Math.floor(r() * 256);
		return c.toString('latin1');
	}

	// A member repeated: duplicate keys somewhere.
	const comma = line.indexOf(',', at);
	const next = comma === -1 ? -1 : line.indexOf(',', comma + 1);
	return comma === -1 || next === -1 ? line : line.slice(0, next) + line.slice(comma, next) + line.slice(next);
}

/** The walk on raw bytes (a latin1 mutation keeps its bytes), checked like check(). */
function checkBytes(bytes: Buffer, where: string): boolean {
	const got = assistantFromBytes(bytes, 0, bytes.length);
	if (got === undefined) return false;
	const want = expected(bytes.toString('utf8'));
	assert.ok(want !== undefined, `${where}: the walk read what JSON.parse does not: ${JSON.stringify(bytes.toString('latin1').slice(0, 300))}`);
	assert.deepEqual(got, want, where);
	return true;
}

describe('Claude Code byte walk', () => {
	it('reads every real assistant line as JSON.parse does, and most of them itself', {skip: skipShared}, () => {
		let calls = 0;
		let walkedCalls = 0;
		for (const file of FIXTURE_FILES()) {
			for (const line of linesOf(file)) {
				const hit = check(line, path.basename(file));
				const want = expected(line);
				if (want?.usage) calls++;
				if (hit && want?.usage) walkedCalls++;
			}
		}

		assert.ok(calls >= 60, `fixture assistant lines with usage: ${calls}`);
		// Only lines the walk cannot take exactly go to JSON.parse: on real lines that is none.
		assert.equal(walkedCalls, calls);
	});

	it('reads every line of a generated history as JSON.parse does', () => {
		let calls = 0;
		let walkedCalls = 0;
		for (const file of generatedFiles()) {
			for (const line of linesOf(file)) {
				if (check(line, path.basename(file))) walkedCalls++;
				if (expected(line)) calls++;
			}
		}

		assert.ok(calls > 300, `generated assistant lines: ${calls}`);
		assert.equal(walkedCalls, calls);
	});

	it('hand-made lines: escapes, nested and duplicate keys, numbers, odd shapes, bad JSON', () => {
		const lines = trickyLines();
		const answered = lines.filter((l, i) => check(l, `tricky line ${i}`)).length;
		// The walk answers the plain ones, hands the rest over, and never differs.
		assert.ok(answered >= 20 && answered < lines.length, `answered ${answered} of ${lines.length}`);
		assert.equal(walked(lines[0]!)!.blocks![0]!.command, 'npm test');
		assert.equal(walked(lines[6]!), undefined);
		// Over-nested: JSON.parse's business.
		assert.equal(walked(lines.at(-2)!), undefined);
	});

	it('mutated lines: the walk never reads what JSON.parse reads differently or rejects', () => {
		const r = rng(Number(process.env.WALK_SEED ?? 2026));
		const seeds = [...trickyLines().slice(0, 2), ...generatedFiles().slice(0, 40).flatMap(f => linesOf(f).filter(l => expected(l)).slice(0, 3))];
		let answered = 0;
		let rejected = 0;
		for (let n = 0; n < Number(process.env.WALK_MUTATIONS ?? 6000); n++) {
			let line = seeds[n % seeds.length]!;
			const times = 1 + Math.floor(r() * 3);
			for (let k = 0; k < times; k++) line = mutate(line, r);
			const bytes = Buffer.from(line, /[^\u0000-\u00ff]/.test(line) ? 'utf8' : 'latin1');
			if (checkBytes(bytes, `mutation ${n}`)) answered++;
			else if (expected(bytes.toString('utf8')) === undefined) rejected++;
		}

		// Both sides are exercised: mutations the walk reads, and ones JSON.parse rejects.
		assert.ok(answered > 300, `answered ${answered}`);
		assert.ok(rejected > 1000, `rejected ${rejected}`);
	});
});

// The bad-input corpus: one generated case per kind of bad input, in every JSONL store's real
// format, read cold and live. Good records around the bad ones must all count; every bad one
// is counted against its file with a reason; nothing throws.
import {ALL_STORES} from '../../src/ingest/stores.js';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import {after, describe, it} from 'node:test';
import {Engine} from '../../src/engine.js';
import {claudeAssistant, claudePath, codexMeta, codexTokens, codexTurn, scanHome, tempHome} from '../helpers/home.js';
import {waitFor} from '../helpers/wait.js';

const T = (s: number) => new Date(Date.parse('2026-03-01T10:00:00Z') + s * 1000).toISOString();
const FUTURE = '2099-01-01T00:00:00.000Z';
const PAST = '2001-01-01T00:00:00.000Z';

type Corpus = {
	file: (home: string) => string;
	/** Lines needed before any call (session metadata). */
	header: string[];
	/** A good call, `n` makes it unique; `ts` and token overrides make it bad. */
	good: (n: number, o?: {ts?: string | null; big?: boolean; strings?: boolean; negative?: boolean}) => string;
	noTimestampReason: string;
};

const claude: Corpus = {
	file: h => path.join(h, '.claude', 'projects', '-p', 's.jsonl'),
	header: [],
	good: (n, o = {}) => {
		const line = claudeAssistant({id: `m${n}`, ts: o.ts ?? T(n), output: o.big ? 5e12 : o.negative ? -(10 + n) : 10 + n, input: 3, cacheRead: 100});
		if (o.ts === null) delete (line as Record<string, unknown>)['timestamp'];
		let s = JSON.stringify(line);
		if (o.strings) s = s.replace('"output_tokens":' + (10 + n), `"output_tokens":"${10 + n}"`).replace('"input_tokens":3', '"input_tokens":"3"');
		return s;
	},
	noTimestampReason: 'usage line without a valid timestamp',
};

let codexTotal = 0;
const codex: Corpus = {
	file: h => path.join(h, '.codex', 'sessions', '2026', '03', '01', 'rollout-2026-03-01T10-00-00-019c0000-0000-7000-8000-0000000000ee.jsonl'),
	header: [JSON.stringify(codexMeta('019c0000-0000-7000-8000-0000000000ee', T(0))), JSON.stringify(codexTurn(T(0)))],
	good: (n, o = {}) => {
		codexTotal += 100 + n;
		const last = {input: 100, output: o.big ? 5e12 : o.negative ? -(10 + n) : 10 + n};
		const line = codexTokens(o.ts ?? T(n), {input: codexTotal, output: 0}, last) as Record<string, unknown>;
		if (o.ts === null) delete line['timestamp'];
		let s = JSON.stringify(line);
		if (o.strings) s = s.replace(`"output_tokens":${10 + n}`, `"output_tokens":"${10 + n}"`);
		return s;
	},
	noTimestampReason: 'token_count without a valid timestamp',
};

const gemini: Corpus = {
	file: h => path.join(h, '.gemini', 'tmp', 'p', 'chats', 'session-x.jsonl'),
	header: [JSON.stringify({sessionId: 'G1', projectHash: 'h', startTime: T(0)})],
	good: (n, o = {}) => {
		const m: Record<string, unknown> = {id: `g${n}`, timestamp: o.ts ?? T(n), type: 'gemini', content: '…', model: 'gemini-2.5-pro', tokens: {input: 100, output: o.big ? 5e12 : o.negative ? -(10 + n) : 10 + n, cached: 0, thoughts: 0, tool: 0}};
		if (o.ts === null) delete m['timestamp'];
		let s = JSON.stringify(m);
		if (o.strings) s = s.replace(`"output":${10 + n}`, `"output":"${10 + n}"`);
		return s;
	},
	noTimestampReason: 'gemini message without id or timestamp',
};

const qwen: Corpus = {
	file: h => path.join(h, '.qwen', 'projects', '-q', 'chats', 'Q.jsonl'),
	header: [],
	good: (n, o = {}) => {
		const m: Record<string, unknown> = {uuid: `q${n}`, sessionId: 'Q', timestamp: o.ts ?? T(n), type: 'assistant', cwd: '/q', model: 'qwen3-coder-plus', usageMetadata: {promptTokenCount: 100, candidatesTokenCount: o.big ? 5e12 : o.negative ? -(10 + n) : 10 + n, totalTokenCount: 0, cachedContentTokenCount: 0}};
		if (o.ts === null) delete m['timestamp'];
		let s = JSON.stringify(m);
		if (o.strings) s = s.replace(`"candidatesTokenCount":${10 + n}`, `"candidatesTokenCount":"${10 + n}"`);
		return s;
	},
	noTimestampReason: 'assistant line without a valid timestamp',
};

const copilot: Corpus = {
	file: h => path.join(h, '.copilot', 'session-state', 'C', 'events.jsonl'),
	header: [JSON.stringify({type: 'session.start', timestamp: T(0), data: {sessionId: 'C', context: {cwd: '/c'}}})],
	good: (n, o = {}) => {
		const m: Record<string, unknown> = {type: 'session.shutdown', id: `s${n}`, timestamp: o.ts ?? T(n), data: {modelMetrics: {[`model-${n}`]: {requests: {count: 1}, usage: {inputTokens: 100, outputTokens: o.big ? 5e12 : o.negative ? -(10 + n) : 10 + n, cacheReadTokens: 0, cacheWriteTokens: 0}}}}};
		if (o.ts === null) delete m['timestamp'];
		let s = JSON.stringify(m);
		if (o.strings) s = s.replace(`"outputTokens":${10 + n}`, `"outputTokens":"${10 + n}"`);
		return s;
	},
	noTimestampReason: 'session.shutdown without a valid timestamp',
};

/** The corpus file: 4 good calls (one with invalid UTF-8 inside a string, one with numbers as strings) among the bad. */
function corpus(c: Corpus): {bytes: Buffer; goodOutput: number} {
	const good1 = c.good(1);
	// Invalid UTF-8 inside a JSON string: decoded with replacement characters, still a record.
	const broken = Buffer.from(c.good(2));
	const at = broken.indexOf(Buffer.from('"model'));
	assert.ok(at > 0, 'every good record names a model');
	const withJunk = Buffer.concat([broken.subarray(0, at), Buffer.from('"junk":"'), Buffer.from([0xff, 0xfe, 0xc3]), Buffer.from('",'), broken.subarray(at)]);
	const binary = Buffer.from(Array.from({length: 200}, (_, i) => (i * 37 + 1) % 256).filter(b => b !== 0x0a && b !== 0x7b && b !== 0x20 && b !== 0x09 && b !== 0x0d));
	const lines: Array<string | Buffer> = [
		...c.header,
		good1,
		c.good(90).slice(0, -5), // Truncated mid-record (a crash mid-write).
		'this line is not JSON, it is a pasted log',
		binary,
		withJunk,
		`{"deep":${'['.repeat(20_000)}${']'.repeat(20_000)},"usage":"x","tokens":1,"token_count":1}`,
		c.good(3, {strings: true}),
		c.good(91, {big: true}),
		c.good(92, {ts: null}),
		'{"type":"hologram","version":"99.0","usage":{"qubits":3},"tokens":{},"token_count":{}}',
		c.good(93, {ts: FUTURE}),
		c.good(94, {ts: PAST}),
		c.good(95, {negative: true}),
		'',
		c.good(4),
	];
	const bytes = Buffer.concat(lines.flatMap(l => [Buffer.isBuffer(l) ? l : Buffer.from(l), Buffer.from('\n')]));
	return {bytes, goodOutput: 11 + 12 + 13 + 14};
}

const EXPECTED_SKIPS = (c: Corpus) => ({
	'invalid JSON': 1,
	'not a JSON object': 2,
	'absurd token count (over 10^9 tokens in one call)': 1,
	[c.noTimestampReason]: 1,
	'timestamp more than a day in the future': 1,
	'timestamp before 2020': 1,
	'negative token count': 1,
});

const stores = {'claude-code': claude, codex, 'gemini-cli': gemini, 'qwen-code': qwen, 'copilot-cli': copilot} as const;
const engines: Engine[] = [];
after(async () => Promise.all(engines.map(e => e.close())));

function skipsOf(e: Engine, file: string): Record<string, number> {
	return Object.fromEntries(e.reader.files.get(file)!.cursor.skips);
}

describe('bad-input corpus, every JSONL parser', () => {
	for (const [tool, c] of Object.entries(stores)) {
		it(`${tool}: good calls all counted, every bad line counted by reason (cold)`, () => {
			codexTotal = 0;
			const home = tempHome();
			const file = c.file(home);
			const {bytes, goodOutput} = corpus(c);
			fs.mkdirSync(path.dirname(file), {recursive: true});
			fs.writeFileSync(file, bytes);
			// A non-JSON file with a .jsonl name and an empty file beside it.
			fs.writeFileSync(path.join(path.dirname(file), 'notes.jsonl'), 'hello\nworld\n');
			fs.writeFileSync(path.join(path.dirname(file), 'empty.jsonl'), '');
			const e = new Engine({env: {home, env: {HOME: home}, platform: process.platform}, clock: () => Date.parse('2026-06-01T00:00:00Z')});
			engines.push(e);
			e.discover();
			e.scanAll();
			const t = e.snapshot({now: Date.parse('2026-06-01T00:00:00Z')}).tools.find(x => x.tool === tool)!;
			assert.deepEqual([t.calls, t.outputTokens], [4, goodOutput]);
			assert.deepEqual(skipsOf(e, file), EXPECTED_SKIPS(c));
			const notes = path.join(path.dirname(file), 'notes.jsonl');
			// Read exactly when the store takes such a name (Codex wants rollout-*.jsonl), and then counted.
			const taken = ALL_STORES.some(s => s.tool === tool && s.accepts(notes));
			assert.equal(e.reader.files.has(notes), taken);
			assert.deepEqual(taken ? skipsOf(e, notes) : {}, taken ? {'not a JSON object': 2} : {});
			const h = e.reader.health();
			assert.equal(h.linesSkipped, Object.values(EXPECTED_SKIPS(c)).reduce((a, b) => a + b, 0) + (taken ? 2 : 0));
		});
	}

	it('the live path: the corpus arriving in pieces gives the same counts and totals', async () => {
		codexTotal = 0;
		const home = tempHome();
		const file = claude.file(home);
		fs.mkdirSync(path.dirname(file), {recursive: true});
		fs.writeFileSync(file, '');
		const e = new Engine({env: {home, env: {HOME: home}, platform: process.platform}, clock: () => Date.parse('2026-06-01T00:00:00Z')});
		engines.push(e);
		e.discover();
		await e.startLive(() => {}, {sweepMs: 300, fullSweepMs: 60_000});
		await e.backfill();
		const {bytes, goodOutput} = corpus(claude);
		for (let i = 0; i < bytes.length; i += 997) {
			fs.appendFileSync(file, bytes.subarray(i, i + 997));
			await new Promise(r => setTimeout(r, 2));
		}

		const calls = () => e.snapshot({now: Date.parse('2026-06-01T00:00:00Z')}).tools.find(x => x.tool === 'claude-code')?.calls;
		await waitFor(() => calls() === 4, 'the four good calls');
		await waitFor(() => JSON.stringify(skipsOf(e, file)) === JSON.stringify(EXPECTED_SKIPS(claude)), 'the skip counts');
		assert.equal(e.snapshot({now: Date.parse('2026-06-01T00:00:00Z')}).totals.outputTokens, goodOutput);
	});

	it('a 100 MB single line is streamed past, counted, and the next line is read', () => {
		const home = tempHome();
		const file = claude.file(home);
		fs.mkdirSync(path.dirname(file), {recursive: true});
		const fd = fs.openSync(file, 'w');
		fs.writeSync(fd, claude.good(1) + '\n{"type":"user","message":{"content":"');
		const chunk = Buffer.alloc(4 * 1024 * 1024, 0x61);
		for (let i = 0; i < 25; i++) fs.writeSync(fd, chunk);
		fs.writeSync(fd, '"}}\n' + claude.good(2) + '\n');
		fs.closeSync(fd);
		const e = new Engine({env: {home, env: {HOME: home}, platform: process.platform}});
		engines.push(e);
		e.discover();
		e.scanAll();
		assert.equal(e.snapshot({now: Date.parse('2030-01-01T00:00:00Z')}).totals.calls, 2);
		assert.deepEqual(skipsOf(e, file), {'line longer than 32 MB': 1});
	});
});

describe('odd numbers and a byte order mark', () => {
	it('a BOM does not cost the first line; "1e2" is 100; a count that is not a number skips its record, said so; a billion tokens in one call (all kinds) is implausible', () => {
		const home = tempHome();
		const f = claudePath(home, '-home-u-odd', 'odd.jsonl');
		const line = (id: string, usage: Record<string, unknown>) => {
			const l = claudeAssistant({id, ts: '2026-11-30T10:00:00.000Z', sessionId: 'odd'}) as {message: {usage: Record<string, unknown>}};
			l.message.usage = {...l.message.usage, ...usage};
			return JSON.stringify(l);
		};
		fs.mkdirSync(path.dirname(f), {recursive: true});
		fs.writeFileSync(f, '\ufeff' + [
			line('m_first', {input_tokens: 5, output_tokens: 7}),
			line('m_exp', {input_tokens: '1e2', output_tokens: 1}),
			line('m_text', {input_tokens: 'lots', output_tokens: 1}),
			line('m_obj', {input_tokens: {n: 1}, output_tokens: 1}),
			line('m_sum', {input_tokens: 400_000_000, cache_read_input_tokens: 400_000_000, output_tokens: 300_000_000}),
		].join('\n') + '\n');
		const s = scanHome(home);
		const t = s.tools.find(x => x.tool === 'claude-code')!;
		assert.deepEqual([t.calls, t.inputTokens, t.outputTokens], [2, 105, 8]);
		const reasons = Object.fromEntries(s.health.errors.map(e => [e.reason, e.count]));
		assert.equal(reasons['token count that is not a number'], 2);
		assert.equal(reasons['absurd token count (over 10^9 tokens in one call)'], 1);
	});
});

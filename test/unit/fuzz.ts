// Seeded fuzzing of every parser: real-format records (the ../shared fixtures when present, our
// own otherwise) cut, duplicated, reordered and with bytes flipped. No parser may throw: a
// throw would surface as a "parser error" skip (the reader contains it, but it is a bug).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import {describe, it} from 'node:test';
import Database from 'better-sqlite3';
import type {IngestEvent} from '../../src/core/types.js';
import {FileCursor} from '../../src/ingest/line-reader.js';
import {compileMarkers} from '../../src/ingest/marker-scan.js';
import {handlerFor} from '../../src/ingest/reader.js';
import {implausible} from '../../src/ingest/plausible.js';
import {ALL_STORES} from '../../src/ingest/stores.js';
import type {SessionFile} from '../../src/ingest/types.js';
import {rng} from '../helpers/corpus.js';
import {claudeAssistant, codexMeta, codexTokens, codexTurn, FIXTURE_HOME, sharedAvailable, tempHome} from '../helpers/home.js';

const SEEDS = 40;

/** Real session files per tool from the fixture home, else small ones of our own. */
function samples(): Array<{tool: string; path: string; root: string; bytes: Buffer}> {
	const out: Array<{tool: string; path: string; root: string; bytes: Buffer}> = [];
	if (sharedAvailable()) {
		for (const store of ALL_STORES) {
			for (const root of store.roots({home: FIXTURE_HOME, env: {HOME: FIXTURE_HOME}, platform: 'linux'})) {
				const walk = (dir: string): void => {
					for (const e of fs.readdirSync(dir, {withFileTypes: true})) {
						const p = path.join(dir, e.name);
						if (e.isDirectory()) walk(p);
						else if (store.accepts(p) && store.kind !== 'sqlite') out.push({tool: store.tool, path: p, root: root.path, bytes: fs.readFileSync(p)});
					}
				};

				if (fs.existsSync(root.path)) walk(root.path);
			}
		}
	}

	const own = [claudeAssistant({id: 'm1', ts: '2026-03-01T10:00:00Z', output: 5}), claudeAssistant({id: 'm1', ts: '2026-03-01T10:00:01Z', output: 50})];
	out.push({tool: 'claude-code', path: '/x/.claude/projects/-p/s.jsonl', root: '/x/.claude/projects', bytes: Buffer.from(own.map(l => JSON.stringify(l)).join('\n') + '\n')});
	const codex = [codexMeta('019c0000-0000-7000-8000-000000000001', '2026-03-01T10:00:00Z', {forked_from_id: 'p'}), codexTurn('2026-03-01T10:00:01Z'), codexTokens('2026-03-01T10:00:02Z', {input: 10, output: 1}, {input: 10, output: 1}, {primary: {used_percent: 3, window_minutes: 300}})];
	out.push({tool: 'codex', path: '/x/.codex/sessions/2026/03/01/rollout-x.jsonl', root: '/x/.codex/sessions', bytes: Buffer.from(codex.map(l => JSON.stringify(l)).join('\n') + '\n')});
	// Whole-file JSON is fuzzed one record per line, so cuts and flips hit single entries.
	const cline = [{ts: 1760000001000, type: 'say', say: 'api_req_started', text: JSON.stringify({tokensIn: 12, tokensOut: 3, cacheWrites: 0, cacheReads: 9, cost: 0.01, apiProtocol: 'anthropic'}), modelInfo: {modelId: 'claude-sonnet-4-5'}}];
	out.push({tool: 'cline', path: '/x/.config/Code/User/globalStorage/saoudrizwan.claude-dev/tasks/1/ui_messages.json', root: '/x/.config/Code/User/globalStorage/saoudrizwan.claude-dev/tasks', bytes: Buffer.from('[\n' + cline.map(l => JSON.stringify(l)).join(',\n') + '\n]')});
	return out;
}

function mutate(r: () => number, bytes: Buffer): Buffer {
	const lines = bytes.toString('latin1').split('\n');
	const pick = () => Math.floor(r() * lines.length);
	for (let k = 0; k < 1 + Math.floor(r() * 6); k++) {
		const op = Math.floor(r() * 5);
		const i = pick();
		if (op === 0) lines[i] = lines[i]!.slice(0, Math.floor(r() * lines[i]!.length)); // Cut.
		else if (op === 1) lines.splice(i, 0, lines[i]!); // Duplicate.
		else if (op === 2) {
			const j = pick();
			[lines[i], lines[j]] = [lines[j]!, lines[i]!]; // Reorder.
		} else if (op === 3) {
			// Flip bytes inside a line.
			const chars = [...lines[i]!];
			for (let n = 0; n < 1 + Math.floor(r() * 4) && chars.length > 0; n++) chars[Math.floor(r() * chars.length)] = String.fromCharCode(Math.floor(r() * 256));
			lines[i] = chars.join('');
		} else {
			// Change a number: zero, negative, huge, or a string.
			lines[i] = lines[i]!.replace(/(":)(\d+)/, (_, a: string) => a + ['0', '-7', '99999999999999', '"12"', 'null'][Math.floor(r() * 5)]);
		}
	}

	return Buffer.from(lines.join('\n'), 'latin1');
}

describe('fuzzing every parser (seeded)', () => {
	const all = samples();
	const tools = [...new Set(all.map(s => s.tool))];

	it('has samples for the tools with fixtures', () => {
		for (const t of ['claude-code', 'codex']) assert.ok(tools.includes(t), t);
		if (sharedAvailable()) for (const t of ['gemini-cli', 'qwen-code', 'copilot-cli', 'opencode']) assert.ok(tools.includes(t), t);
	});

	for (const tool of tools) {
		it(`${tool}: ${SEEDS} seeds of mutated records never make a parser throw`, () => {
			for (const sample of all.filter(s => s.tool === tool)) {
				const store = ALL_STORES.find(s => s.tool === tool && s.accepts(sample.path))!;
				const handler = handlerFor(store, sample.path);
				const file: SessionFile = {path: sample.path, root: sample.root, priority: 0};
				for (let seed = 1; seed <= SEEDS; seed++) {
					const r = rng(seed * 7919 + sample.bytes.length);
					const bytes = mutate(r, sample.bytes);
					const events: IngestEvent[] = [];
					if (handler.kind === 'jsonl') {
						const c = new FileCursor(sample.path, handler.createParser(file), compileMarkers(handler.markers));
						c.feed(bytes, e => events.push(e), true);
						const crashes = [...c.skips.keys()].filter(k => k.startsWith('parser error'));
						assert.deepEqual(crashes, [], `${sample.path} seed ${seed}`);
					} else if (handler.kind === 'json') {
						let doc: unknown;
						try {
							doc = JSON.parse(bytes.toString('utf8'));
						} catch {
							continue; // Unparseable whole files are counted by the reader, not the parser.
						}

						assert.doesNotThrow(() => handler.parse(file, doc, e => events.push(e), () => {}), `${sample.path} seed ${seed}`);
					}

					// What passes the reader's gate (the aggregate sees nothing else) is whole, finite and ≥ 0.
					for (const e of events) {
						if (e.kind !== 'usage' || implausible(e, Date.parse('2030-01-01T00:00:00Z'))) continue;
						for (const v of [e.input, e.cacheRead, e.cacheWrite5m, e.cacheWrite1h, e.output, e.reasoning]) assert.ok(Number.isInteger(v) && v >= 0, `${sample.path} seed ${seed}: ${v}`);
					}
				}
			}
		});
	}
});

describe('fuzzing the SQLite pollers (seeded)', () => {
	it(`OpenCode and Cursor pollers survive ${SEEDS} seeds of mutated row JSON`, () => {
		const opencode = ALL_STORES.find(s => s.tool === 'opencode' && s.kind === 'sqlite')!;
		const cursor = ALL_STORES.find(s => s.tool === 'cursor')!;
		const part = JSON.stringify({type: 'step-finish', cost: 0.01, tokens: {input: 2, output: 37, reasoning: 0, cache: {read: 0, write: 12}}});
		const msg = JSON.stringify({role: 'assistant', modelID: 'claude-sonnet-4-5', time: {created: 1785167728076}, path: {root: '/r'}});
		const bubble = JSON.stringify({type: 2, createdAt: '2026-01-01T10:00:00Z', tokenCount: {inputTokens: 350, outputTokens: 150}, modelInfo: {modelName: 'x'}});
		for (let seed = 1; seed <= SEEDS; seed++) {
			const r = rng(seed);
			const dir = tempHome('burntop-fuzzdb-');
			const oc = new Database(path.join(dir, 'opencode.db'));
			oc.exec(`CREATE TABLE session (id TEXT, directory TEXT); CREATE TABLE message (id TEXT, session_id TEXT, time_created INTEGER, time_updated INTEGER, data TEXT);
				CREATE TABLE part (id TEXT, message_id TEXT, session_id TEXT, time_created INTEGER, time_updated INTEGER, data TEXT);`);
			oc.prepare('INSERT INTO message VALUES (?, ?, 1, 1, ?)').run('m', 's', mutate(r, Buffer.from(msg)).toString('latin1'));
			oc.prepare("INSERT INTO part VALUES ('p', 'm', 's', 1, 1, ?)").run(mutate(r, Buffer.from(part)).toString('latin1'));
			const cu = new Database(path.join(dir, 'state.vscdb'));
			cu.exec('CREATE TABLE cursorDiskKV (key TEXT UNIQUE ON CONFLICT REPLACE, value BLOB);');
			cu.prepare("INSERT INTO cursorDiskKV VALUES ('bubbleId:c:b', ?)").run(mutate(r, Buffer.from(bubble)).toString('latin1'));
			const env = {home: dir, env: {}, platform: process.platform};
			const file = (p: string) => ({path: path.join(dir, p), root: dir, priority: 0});
			if (opencode.kind !== 'sqlite' || cursor.kind !== 'sqlite') throw new Error('expected SQLite stores');
			assert.doesNotThrow(() => opencode.createPoller(file('opencode.db'), env).poll(oc, () => {}, () => {}), `opencode seed ${seed}`);
			assert.doesNotThrow(() => cursor.createPoller(file('state.vscdb'), env).poll(cu, () => {}, () => {}), `cursor seed ${seed}`);
			oc.close();
			cu.close();
			fs.rmSync(dir, {recursive: true, force: true});
		}
	});
});

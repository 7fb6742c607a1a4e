// The persistent index: on a small generated history (10 MB, 19 files; the benchmark's generator: streamed
// duplicates, resume replays, subagents, Codex re-emits and forks), totals from a cold scan,
// a warm start from the index and live tailing are identical, through appends, a new file,
// a replaced file and a deleted one.
import assert from 'node:assert/strict';
import {spawnSync} from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import v8 from 'node:v8';
import Database from 'better-sqlite3';
import {after, describe, it} from 'node:test';
import {generate} from '../bench/generate.js';
import {Aggregate} from '../src/core/aggregate.js';
import {Engine} from '../src/engine.js';
import {IndexCache, indexKey} from '../src/ingest/index-cache.js';
import {decodePart, encodePart, joinParts, stateParts} from '../src/ingest/state-parts.js';
import type {FileState} from '../src/ingest/reader.js';
import {claudeAssistant as a, runCli, tempHome, write} from './helpers/home.js';
import {waitFor} from './helpers/wait.js';
import {builtCli} from './helpers/built-cli.js';

const NOW = '2030-01-01T00:00:00Z';
const dir = tempHome('burntop-index-');
const expected = generate(dir, 10);
const home = path.join(dir, 'home');
const cache = tempHome('burntop-index-cache-');
const env = {HOME: home, XDG_CACHE_HOME: cache, CLAUDE_CONFIG_DIR: '', CODEX_HOME: ''};

type Totals = {calls: number; inputTokens: number; outputTokens: number; cacheReadTokens: number; cacheWriteTokens: number; costUSD: number};
const pick = (t: Totals) => JSON.stringify([t.calls, t.inputTokens, t.outputTokens, t.cacheReadTokens, t.cacheWriteTokens, t.costUSD]);

async function once(extra: string[] = [], e: Record<string, string> = env): Promise<{totals: string; sessions: number; tools: string}> {
	const r = await runCli(['--once', '--json', '--now', NOW, ...extra], e);
	assert.equal(r.code, 0, r.stderr);
	const s = JSON.parse(r.stdout);
	return {totals: pick(s.totals), sessions: s.sessions.length, tools: JSON.stringify(s.tools.map((t: Totals & {tool: string}) => [t.tool, pick(t)]))};
}

async function doctorIndexLine(e: Record<string, string> = env): Promise<string> {
	return (await runCli(['doctor', '--now', NOW], e)).stdout.split('\n').find(l => l.startsWith('index:'))!;
}

const files = (sub: string) => {
	const out: string[] = [];
	const walk = (d: string) => {
		for (const x of fs.readdirSync(d, {withFileTypes: true})) x.isDirectory() ? walk(path.join(d, x.name)) : out.push(path.join(d, x.name));
	};

	walk(path.join(home, sub));
	return out.filter(f => f.endsWith('.jsonl')).sort();
};

const engines: Engine[] = [];
after(async () => Promise.all(engines.map(e => e.close())));

describe('persistent index (cold = warm = live)', () => {
	it('the first run saves the index, the second restores it; totals equal the cold scan and the generator', async () => {
		const cold = await once(['--no-cache']);
		const t = JSON.parse(cold.totals) as number[];
		assert.equal(t[0], expected.claude.calls + expected.codex.calls);
		assert.equal(t[2], expected.claude.output + expected.codex.output);
		assert.ok(!fs.existsSync(path.join(cache, 'burntop')), '--no-cache writes nothing');
		assert.deepEqual(await once(), cold, 'first run (no index yet)');
		assert.ok(fs.existsSync(path.join(cache, 'burntop', 'index.sqlite')));
		assert.deepEqual(await once(), cold, 'warm run');
		assert.match(await doctorIndexLine(), new RegExp(`^index: restored ${expected.files} files .*, ${expected.files} unchanged since`));
	});

	it('appends, a new file and a replaced file: the warm start reads only those and equals a cold scan', async () => {
		const claude = files('.claude');
		const codex = files('.codex');
		// Grown: a Claude call streamed in two lines, and a new Codex token_count with a new total.
		const grown = claude[3]!;
		const first = JSON.parse(fs.readFileSync(grown, 'utf8').split('\n')[0]!) as {sessionId?: string; cwd?: string};
		const call = (output: number) => JSON.stringify(a({id: 'msg_appended', requestId: 'req_appended', ts: '2026-11-02T10:00:00Z', output, sessionId: first.sessionId, cwd: first.cwd}));
		fs.appendFileSync(grown, call(1) + '\n' + call(777) + '\n');
		const rollout = codex[2]!;
		const lines = fs.readFileSync(rollout, 'utf8').trim().split('\n');
		const lastTotals = [...lines].reverse().map(l => JSON.parse(l)).find(r => r.payload?.type === 'token_count' && r.payload.info)!;
		const total = lastTotals.payload.info.total_token_usage;
		const next = {...total, input_tokens: total.input_tokens + 1000, output_tokens: total.output_tokens + 50, total_token_usage: undefined};
		fs.appendFileSync(rollout, JSON.stringify({timestamp: '2026-11-02T10:00:05Z', type: 'event_msg', payload: {type: 'token_count', info: {total_token_usage: next, last_token_usage: {input_tokens: 1000, cached_input_tokens: 0, output_tokens: 50, reasoning_output_tokens: 0, total_tokens: 1050}}}}) + '\n');
		// New file, and a file replaced by a shorter copy of itself (new inode).
		fs.writeFileSync(path.join(path.dirname(grown), 'new-session.jsonl'), JSON.stringify(a({id: 'msg_new', ts: '2026-11-03T10:00:00Z', output: 55, sessionId: 'new-session', cwd: '/home/u/new'})) + '\n');
		const replaced = claude[5]!;
		const keep = fs.readFileSync(replaced, 'utf8').split('\n').slice(0, 4).join('\n') + '\n';
		fs.rmSync(replaced);
		fs.writeFileSync(replaced, keep);

		const cold = await once(['--no-cache']);
		assert.deepEqual(await once(), cold);
		const line = await doctorIndexLine();
		assert.match(line, /^index: restored \d+ files/);
		assert.deepEqual(await once(), cold, 'and again from the index written by that run');
	});

	it('a deleted transcript keeps its totals (Claude Code removes old ones); without the index they are gone', async () => {
		const before = await once();
		const victim = files('.claude')[0]!;
		fs.rmSync(victim);
		assert.equal((await once()).totals, before.totals, 'the index keeps what the deleted file held');
		assert.notEqual((await once(['--no-cache'])).totals, before.totals, 'a cold scan no longer sees it');
	});

	it('live tailing from a warm start ends equal to a cold scan', async () => {
		const key = indexKey({version: 'test'});
		const ix = new IndexCache(path.join(tempHome('burntop-live-ix-'), 'index.sqlite'));
		const make = () => {
			const e = new Engine({env: {home, env: {HOME: home}, platform: process.platform}, index: {cache: ix, home, key}});
			engines.push(e);
			return e;
		};

		const first = make();
		first.discover();
		assert.equal(first.indexStatus.state, 'none');
		await first.backfill();
		await first.close();
		const e = make();
		e.discover();
		assert.equal(e.indexStatus.state, 'loaded');
		await e.backfill();
		await e.startLive(() => {}, {sweepMs: 60_000, fullSweepMs: 60_000});
		const target = files('.claude')[1]!;
		const sid = (JSON.parse(fs.readFileSync(target, 'utf8').split('\n')[0]!) as {sessionId?: string}).sessionId;
		for (let i = 0; i < 5; i++) fs.appendFileSync(target, JSON.stringify(a({id: `msg_live_${i}`, ts: `2026-11-04T10:00:0${i}Z`, output: 10 + i, sessionId: sid})) + '\n');
		// This index was built after the deletion above: a cold scan of the same files is the truth.
		const cold = new Engine({env: {home, env: {HOME: home}, platform: process.platform}});
		cold.discover();
		cold.scanAll();
		const want = pick(cold.snapshot({now: Date.parse(NOW)}).totals);
		await waitFor(() => pick(e.snapshot({now: Date.parse(NOW)}).totals) === want, 'the live appends');
		assert.equal(e.snapshot({now: Date.parse(NOW)}).totals.calls, cold.snapshot({now: Date.parse(NOW)}).totals.calls);
	});

	it('a corrupt index, another version or config: not used, said so, same numbers', async () => {
		const cold = await once(['--no-cache']);
		const other = tempHome('burntop-index-corrupt-');
		fs.mkdirSync(path.join(other, 'burntop'), {recursive: true});
		fs.writeFileSync(path.join(other, 'burntop', 'index.sqlite'), 'this is not a database');
		const e = {...env, XDG_CACHE_HOME: other};
		assert.match(await doctorIndexLine(e), /^index: index not used: /);
		// A config change (a price override) changes what the cached costs mean.
		const cfg = path.join(tempHome(), 'config');
		fs.mkdirSync(path.join(cfg, 'burntop'), {recursive: true});
		fs.writeFileSync(path.join(cfg, 'burntop', 'config.json'), JSON.stringify({aliases: {'my-model': 'gpt-5'}}));
		const withConfig = {...env, XDG_CONFIG_HOME: cfg};
		assert.match(await doctorIndexLine(withConfig), /^index: none usable yet/);
		assert.equal((await once([], withConfig)).totals, (await once(['--no-cache'], withConfig)).totals);
		void cold;
	});
});

describe('a line still being written', () => {
	it('--once while an agent is half-way through a line, then again once it is finished: both calls, as without the index', async () => {
		const h = tempHome('burntop-half-');
		const e = {HOME: h, XDG_CACHE_HOME: tempHome('burntop-half-cache-'), CLAUDE_CONFIG_DIR: '', CODEX_HOME: ''};
		const f = path.join(h, '.claude', 'projects', '-home-u-half', 's-half.jsonl');
		fs.mkdirSync(path.dirname(f), {recursive: true});
		const line = (id: string) => JSON.stringify(a({id, ts: '2026-11-30T10:00:00.000Z', sessionId: 's-half', input: 5, output: 50}));
		const second = line('msg_half_2');
		fs.writeFileSync(f, `${line('msg_half_1')}\n${second.slice(0, 100)}`);
		const calls = async (extra: string[] = []) => JSON.parse((await runCli(['--once', '--json', '--now', NOW, ...extra], e)).stdout).totals.calls as number;
		assert.equal(await calls(), 1);
		assert.match((await runCli(['doctor', '--now', NOW], e)).stdout, /last line unfinished/);
		fs.appendFileSync(f, `${second.slice(100)}\n`);
		assert.equal(await calls(), 2);
		assert.equal(await calls(['--no-cache']), 2);
		assert.doesNotMatch((await runCli(['doctor', '--now', NOW], e)).stdout, /unfinished|truncated/);
	});
});

describe('index file', () => {
	it('is readable by its owner only (it holds session ids, paths and recent commands)', async () => {
		const c = tempHome('burntop-index-mode-');
		await once([], {...env, XDG_CACHE_HOME: c});
		const mode = fs.statSync(path.join(c, 'burntop', 'index.sqlite')).mode & 0o777;
		assert.equal(mode, 0o600);
		assert.equal(fs.statSync(path.join(c, 'burntop')).mode & 0o777, 0o700);
	});

	it('a cache folder that existed with wider modes is made the owner\'s only', async () => {
		const c = tempHome('burntop-index-wide-');
		fs.mkdirSync(path.join(c, 'burntop'), {mode: 0o755});
		fs.chmodSync(path.join(c, 'burntop'), 0o755);
		await once([], {...env, XDG_CACHE_HOME: c});
		assert.equal(fs.statSync(path.join(c, 'burntop')).mode & 0o777, 0o700);
	});

	it('a disk that fills while the index is made leaves no index file behind; the numbers are printed all the same', async t => {
		const cli = builtCli(t);
		if (!cli) return;
		const c = tempHome('burntop-index-full-');
		// A 16 KB file-size limit for the process: SQLite's first pages do not fit (stdout is a pipe, not limited).
		const r = spawnSync('bash', ['-c', `ulimit -f 16; exec "${process.execPath}" "${cli}" --once --json --now ${NOW}`], {encoding: 'utf8', env: {...process.env, ...env, XDG_CACHE_HOME: c}, maxBuffer: 1 << 26});
		assert.equal(r.status, 0, r.stderr);
		assert.equal(pick(JSON.parse(r.stdout).totals), (await once(['--no-cache'])).totals);
		// The kept price answers are small enough to be written whole; nothing else is left.
		const left = fs.readdirSync(path.join(c, 'burntop'));
		assert.deepEqual(left.filter(f => f !== 'prices.json'), [], 'no empty or half-made index');
		for (const f of left) JSON.parse(fs.readFileSync(path.join(c, 'burntop', f), 'utf8'));
	});

	it('an index path that is a symbolic link is refused and reported; its target is untouched; the numbers stand', async () => {
		const c = tempHome('burntop-index-link-');
		const target = path.join(tempHome('burntop-index-target-'), 'precious.db');
		fs.writeFileSync(target, 'not yours');
		fs.chmodSync(target, 0o644);
		fs.mkdirSync(path.join(c, 'burntop'), {recursive: true});
		fs.symlinkSync(target, path.join(c, 'burntop', 'index.sqlite'));
		const e = {...env, XDG_CACHE_HOME: c};
		assert.deepEqual(await once([], e), await once(['--no-cache'], e));
		assert.match(await doctorIndexLine(e), /index\.sqlite is a symbolic link: not used/);
		assert.equal(fs.readFileSync(target, 'utf8'), 'not yours');
		assert.equal(fs.statSync(target).mode & 0o777, 0o644);
	});
});

describe('parser states in the index (read only when a file grew)', () => {
	/** A fresh history with a cut-off line in one rollout, its index written by a first run. */
	async function setUp(tag: string) {
		const d = tempHome(`burntop-index-parser-${tag}-`);
		generate(d, 3, 21);
		const h = path.join(d, 'home');
		const e = {HOME: h, XDG_CACHE_HOME: tempHome(), CLAUDE_CONFIG_DIR: '', CODEX_HOME: ''};
		const rollouts = fs.readdirSync(path.join(h, '.codex', 'sessions'), {recursive: true}).map(String).filter(f => f.endsWith('.jsonl')).sort();
		const rollout = path.join(h, '.codex', 'sessions', rollouts[0]!);
		fs.appendFileSync(rollout, '{"type":"event_msg","payload":{"type":"token_count", cut off\n');
		await once([], e);
		const lines = fs.readFileSync(rollout, 'utf8').trim().split('\n');
		const last = [...lines].reverse().map(l => { try { return JSON.parse(l); } catch { return undefined; } }).find(r => r?.payload?.type === 'token_count' && r.payload.info)!;
		const t = last.payload.info.total_token_usage;
		// A new turn in that rollout: its cumulative totals grow, so the parser's saved state matters.
		const grow = () => fs.appendFileSync(rollout, JSON.stringify({...last, timestamp: '2026-11-03T10:00:00Z', payload: {...last.payload, info: {...last.payload.info, total_token_usage: {...t, input_tokens: t.input_tokens + 5000, output_tokens: t.output_tokens + 300, total_tokens: t.total_tokens + 5300}}}}) + '\n');
		const db = () => new Database(path.join(e.XDG_CACHE_HOME, 'burntop', 'index.sqlite'));
		const skipped = async (extra: string[]) => JSON.parse((await runCli(['--once', '--json', '--now', NOW, ...extra], e)).stdout).health.linesSkipped as number;
		return {e, grow, db, skipped};
	}

	it('are rows of their own, one per file, not loaded with the state', async () => {
		const {db} = await setUp('rows');
		const d = db();
		const rows = d.prepare('SELECT count(*) FROM parser').pluck().get() as number;
		const parts = d.prepare('SELECT group_concat(at) FROM part').pluck().get() as string;
		d.close();
		assert.ok(rows > 5, `${rows} parser rows`);
		assert.ok(!parts.includes('parser'), parts);
	});

	it('are serialized as each row is written; one that cannot be is left out (that file reads again if it grows)', () => {
		const ix = new IndexCache(path.join(tempHome('burntop-index-lazy-'), 'index.sqlite'));
		const file = (p: string, parser: FileState['parser']): FileState => ({path: p, kind: 'jsonl', ino: 1, size: 10, mtimeMs: 1, offset: 10, skippingLongLine: false, skips: [], stats: {bytes: 10, lines: 1, parsed: 1}, parser});
		const empty = new Aggregate(() => ({cost: 0, priced: true, approximate: false})).exportState();
		let serialized = 0;
		ix.save('/h', 'k', () => ({aggregate: empty, savedAt: 1, files: [
			file('/a', () => (serialized++, v8.serialize({pending: new Map([['k', {tools: ['Bash'], commands: []}]])}))),
			file('/b', () => v8.serialize({f: () => 1})),
			file('/c', Buffer.from(v8.serialize({x: 1}))),
		]}));
		assert.equal(serialized, 1);
		const st = ix.load('/h', 'k')!;
		const byPath = new Map(st.files.map(f => [f.path, f.parser]));
		assert.deepEqual(v8.deserialize((byPath.get('/a') as () => Buffer)()), {pending: new Map([['k', {tools: ['Bash'], commands: []}]])});
		assert.equal(byPath.get('/b'), undefined, 'no state for the parser that could not be serialized');
		assert.deepEqual(v8.deserialize((byPath.get('/c') as () => Buffer)()), {x: 1});
		ix.close();
	});

	it('a grown file whose state is gone from the index is read again from its start: equal to cold, skips not doubled', async () => {
		const {e, grow, db, skipped} = await setUp('gone');
		grow();
		const d = db();
		d.prepare('DELETE FROM parser').run();
		d.close();
		const warm = await once([], e);
		assert.deepEqual(warm, await once(['--no-cache'], e));
		assert.equal(await skipped([]), 1);
		assert.equal(await skipped(['--no-cache']), 1);
	});

	it('another burntop saved after this one loaded: the file is read again (never another save\'s parser state)', async () => {
		const {e, grow, db} = await setUp('gen');
		const ix = new IndexCache(path.join(e.XDG_CACHE_HOME, 'burntop', 'index.sqlite'));
		// The CLI's own home and key: load what the first run saved through a second cache object.
		const d = db();
		const saved = d.prepare('SELECT home, key FROM saved').get() as {home: string; key: string};
		d.close();
		const st = ix.load(saved.home, saved.key)!;
		assert.ok(st, 'loaded');
		const withParser = st.files.find(f => typeof f.parser === 'function')!;
		assert.ok((withParser.parser as () => Buffer | undefined)() instanceof Buffer, 'the state is there while nobody else saved');
		// Another process saves (a new generation); this one's loaders now find nothing.
		grow();
		await once([], e);
		assert.equal((withParser.parser as () => Buffer | undefined)(), undefined);
		ix.close();
	});
});

describe('index parts', () => {
	it('split a state into bounded parts and join back to an equal value', () => {
		const state = {
			aggregate: {
				sessions: Array.from({length: 700}, (_, i) => ({key: `s${i}`, recent: Int32Array.from([i, i + 1]), models: new Set(['m'])})),
				records: {count: 3, keys: Array.from({length: 600}, (_, i) => `k${i}`), nums: new Float64Array([1.5, Number.NaN, 3]), strings: []},
				openCalls: 0,
				groups: [],
				empty: {},
				// Typed arrays over a megabyte go as raw slices; one is a view into a larger buffer.
				big: {
					f64: new Float64Array(Array.from({length: 400_000}, (_, i) => i * 1.5 - 7)).subarray(3, 300_003),
					u32: Uint32Array.from({length: 600_000}, (_, i) => (i * 2_654_435_761) >>> 0),
					i32: Int32Array.from({length: 262_145}, (_, i) => -i),
					u8: Uint8Array.from({length: 2_100_000}, (_, i) => i % 251),
				},
				// Three levels down, several arrays of up to a megabyte (the ledger's key tables): raw too,
				// not one serialized part the size of all three.
				ledger: {keys: {hi: new Uint32Array(262_144).fill(7), lo: new Uint32Array(262_144).fill(9), val: Int32Array.from({length: 262_144}, (_, i) => i), size: 5}, small: new Uint32Array(10).fill(3)},
			},
			files: Array.from({length: 257}, (_, i) => ({path: `/f${i}`, parser: Buffer.from([i % 256])})),
		};
		const parts = [...stateParts(state)].map(([at, v]) => [at, decodePart(at, Buffer.from(encodePart(at, v)))] as [string, unknown]);
		assert.ok(parts.length >= 10, `${parts.length} parts`);
		for (const [at, v] of parts) if (Array.isArray(v)) assert.ok(v.length <= 256, `${at}: ${v.length} items`);
		for (const [at, v] of parts) if (Buffer.isBuffer(v)) assert.ok(v.length <= 1 << 20, `${at}: ${v.length} bytes`);
		for (const [at, v] of stateParts(state)) if (!at.endsWith('>')) assert.ok(encodePart(at, v).length < 256 * 1024, `${at}: serialized ${encodePart(at, v).length} bytes`);
		assert.ok(parts.filter(([at]) => at.endsWith('>')).length >= 10, 'the big arrays went in slices');
		const back = joinParts(parts) as typeof state;
		assert.deepEqual(back, v8.deserialize(v8.serialize(state)));
		assert.ok(back.aggregate.sessions[699]!.recent instanceof Int32Array);
	});

	it('an index of the previous layout (6: no activity features) is read, not dropped: a deleted transcript keeps its totals across the upgrade', async () => {
		const c = tempHome('burntop-index-upgrade-');
		const h = tempHome('burntop-index-upgrade-home-');
		// Old calls (sealed into the ledger when saved) in several projects, and a recent one.
		for (let p = 0; p < 4; p++) {
			const lines = Array.from({length: 30}, (_, i) => a({id: `msg_up${p}_${i}`, ts: new Date(Date.parse('2026-09-01T00:00:00Z') + (p * 30 + i) * 3_600_000).toISOString(), sessionId: `up-${p}`, output: 100 + i, tools: [{name: i % 2 ? 'Read' : 'Bash', input: {command: 'npm test'}}]}));
			write(path.join(h, '.claude', 'projects', `-p${p}`, `up-${p}.jsonl`), p === 3 ? [...lines, a({id: 'msg_recent', ts: '2026-11-20T12:00:00Z', sessionId: 'up-3', output: 5})] : lines);
		}

		const e = {...env, HOME: h, XDG_CACHE_HOME: c};
		const first = await once([], e);
		// As layout 6 saved it: no features column in the ledger, the old version number.
		const db = new Database(path.join(c, 'burntop', 'index.sqlite'));
		const dropped = db.prepare("DELETE FROM part WHERE at LIKE '.aggregate.ledger.features%'").run().changes;
		db.prepare('UPDATE saved SET parts = parts - ?').run(dropped);
		db.pragma('user_version = 6');
		db.close();
		assert.ok(dropped > 0);
		const victim = fs.readdirSync(path.join(h, '.claude', 'projects'), {recursive: true, withFileTypes: true}).find(x => x.isFile() && x.name.endsWith('.jsonl'))!;
		fs.rmSync(path.join(victim.parentPath, victim.name));
		assert.match(await doctorIndexLine(e), /^index: restored \d+ files/, 'the upgraded index is used');
		assert.deepEqual(await once([], e), first, 'the deleted transcript is still counted');
		assert.notDeepEqual(await once(['--no-cache'], e), first);
		const after = new Database(path.join(c, 'burntop', 'index.sqlite'));
		assert.equal(after.pragma('user_version', {simple: true}), 8);
		after.close();
	});

	it('a save missing a part is not used (said so), the cold numbers stand', async () => {
		const c = tempHome('burntop-index-parts-');
		const e = {...env, XDG_CACHE_HOME: c};
		const first = await once([], e);
		const db = new Database(path.join(c, 'burntop', 'index.sqlite'));
		db.prepare('DELETE FROM part WHERE n = (SELECT max(n) FROM part)').run();
		db.close();
		assert.match(await doctorIndexLine(e), /^index: index not used: index incomplete: (\d+) of \d+ parts/);
		assert.deepEqual(await once([], e), first);
	});

	// Values a bad disk or a byte flip could leave in rows that still decode: never a crash, never a wrong number.
	for (const [name, at, mutate] of [
		['a fractional count', '.aggregate.sealed.nums', (x: Float64Array) => (x[2] = x[2]! + 1e-10)],
		['NaN tokens', '.aggregate.sealed.nums', (x: Float64Array) => (x[4] = Number.NaN)],
		['a rollup that is not the sum of its calls', '.aggregate.sealed.nums', (x: Float64Array) => (x[2] = x[2]! + 1)],
		['a sealed call of negative cost', '.aggregate.ledger.nums', (x: Float64Array) => (x[0] = -5)],
		['a rollup session map pointing past the sessions', '.aggregate.sealed.sessionMap', (x: Int32Array) => (x[0] = 1_000_000)],
		['a rollup session map sending a rollup to another session', '.aggregate.sealed.sessionMap', (x: Int32Array) => x.reverse()],
	] as const) {
		it(`an index with ${name} fails its consistency check: set aside, rebuilt, doctor says so`, async () => {
			const c = tempHome('burntop-index-check-');
			const e = {...env, XDG_CACHE_HOME: c};
			const first = await once([], e);
			const db = new Database(path.join(c, 'burntop', 'index.sqlite'));
			const row = db.prepare('SELECT n, data FROM part WHERE at = ?').get(at) as {n: number; data: Buffer};
			const value = v8.deserialize(row.data);
			(mutate as (v: unknown) => void)(value);
			db.prepare('UPDATE part SET data = ? WHERE n = ?').run(v8.serialize(value), row.n);
			db.close();
			assert.match(await doctorIndexLine(e), /^index: index failed its consistency check \(.+\): set aside and rebuilt/);
			assert.deepEqual(await once([], e), first, 'the rebuilt numbers');
			assert.match(await doctorIndexLine(e), /^index: restored/, 'the rebuilt index is used');
		});
	}
});

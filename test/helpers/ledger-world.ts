// The index must never change a number. A seeded, model-based run over every store kind: a home
// that changes step by step (appends that split lines, resumed sessions replaying months-old
// calls, files replaced with new inodes, the whole home copied with new inodes, deleted files,
// database rows inserted and updated, whole-file JSON rewritten) while burntops come and go on
// one index: one-shot runs, a long-running monitor that saves now and then with an older view,
// runs that die while saving. After every step a warm start equals a cold scan (no index) of a
// shadow home that keeps every deleted file, for totals, every tool, session, activity, model and project; a second
// warm start changes nothing.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type {Snapshot} from '../../src/core/snapshot.js';
import {Engine} from '../../src/engine.js';
import {IndexCache} from '../../src/ingest/index-cache.js';
import {claudeSession, codexRollout, int, pick, rng} from './corpus.js';
import {FIXTURE_HOME, tempHome} from './home.js';

const NOW = Date.parse('2026-12-06T12:00:00Z');
const DAY = 86_400_000;
const KEY = 'ledger-property';

/** A JSONL file written progressively (chunks may end mid-line and mid-character). */
type Stream = {rel: string; bytes: Buffer; written: number};

/** Fixture files of the stores this test has no generator for, appended or written as they are. */
const FIXTURE_STREAMS = [
	'.gemini/tmp/9da8b3dfb8655182ac1f0e66601c367e34f8d18447a29759eeba4d7e45dc60ea/chats/session-2026-04-23T12-52-0ab84937.jsonl',
	'.qwen/projects/-tmp-qwentest/chats/69f0814a-8bfc-4c8e-93d3-05757f17b96f.jsonl',
	'.copilot/session-state/96ef38f0-9d09-45c3-8124-6448c36090ed/events.jsonl',
];
const FIXTURE_WHOLE = [
	'.gemini/tmp/ab14fe397f91d5f283525b3178d2314aef552f761131c42172a21b7bf735e73d/chats/session-2026-03-27T10-19-8a20078e.json',
	'.gemini/tmp/abc123def456/chats/session-2026-01-01T00-00-gemini-t.json',
	'.copilot/history-session-state/session-legacy.json',
	'.local/share/opencode/storage/message/test-project/msg_test001.json',
];

const OPENCODE_SCHEMA = `
	CREATE TABLE session (id TEXT PRIMARY KEY, directory TEXT, time_created INTEGER, time_updated INTEGER);
	CREATE TABLE message (id TEXT PRIMARY KEY, session_id TEXT, time_created INTEGER, time_updated INTEGER, data TEXT);
	CREATE TABLE part (id TEXT PRIMARY KEY, message_id TEXT, session_id TEXT, time_created INTEGER, time_updated INTEGER, data TEXT);`;
const COPILOT_SCHEMA = `
	CREATE TABLE sessions (id TEXT PRIMARY KEY, cwd TEXT, repository TEXT, branch TEXT, created_at TEXT, updated_at TEXT);
	CREATE TABLE assistant_usage_events (id INTEGER PRIMARY KEY, session_id TEXT, turn_index INTEGER, model TEXT, input_tokens INTEGER, output_tokens INTEGER,
		cache_read_tokens INTEGER, cache_write_tokens INTEGER, reasoning_tokens INTEGER, total_nano_aiu INTEGER, request_multiplier REAL, created_at TEXT);`;

const clineReq = (ts: number, tokensIn: number, tokensOut: number, cacheReads: number) => ({
	ts, type: 'say', say: 'api_req_started',
	text: JSON.stringify({request: '<task>…</task>', tokensIn, tokensOut, cacheWrites: 0, cacheReads, apiProtocol: 'anthropic'}),
	modelInfo: {providerId: 'anthropic', modelId: 'claude-sonnet-4-5', mode: 'act'},
});

class World {
	readonly root = tempHome('burntop-ledger-');
	readonly home = path.join(this.root, 'home');
	/** Files deleted from the home, kept for the shadow (their calls stay counted). */
	readonly stash = path.join(this.root, 'stash');
	readonly cache = path.join(this.root, 'cache');
	readonly streams: Stream[] = [];
	/** Claude sessions written in full (to be replayed by a resumed one). */
	readonly claudeDone: string[][] = [];
	private n = 0;
	private copilotRow = 0;
	private opencodeParts = 0;
	private cursorBubbles = 0;
	private clineTasks = new Map<string, unknown[]>();

	constructor(private readonly r: () => number, private readonly withFixtures: boolean) {
		fs.mkdirSync(this.home, {recursive: true});
		fs.mkdirSync(this.stash, {recursive: true});
	}

	file(rel: string): string {
		return path.join(this.home, rel);
	}

	newClaude(replayOld: boolean): void {
		const sid = `sess-${++this.n}-${int(this.r, 0, 9999)}`;
		// A resumed session starts with a copy of an earlier one's lines, months old.
		const replay = replayOld && this.claudeDone.length > 0 ? pick(this.r, this.claudeDone) : [];
		const t0 = NOW - int(this.r, 0, 120) * DAY;
		const lines = claudeSession(this.r, sid, int(this.r, 2, 12), t0, `m${this.n}-`, replay);
		this.claudeDone.push(lines.slice(replay.length));
		const rel = path.join('.claude', 'projects', `-home-u-p${this.n % 3}`, this.r() < 0.2 ? path.join(`parent-${this.n}`, 'subagents', `agent-${sid}.jsonl`) : `${sid}.jsonl`);
		this.streams.push({rel, bytes: Buffer.from(lines.map(l => `${l}\n`).join('')), written: 0});
	}

	newCodex(): void {
		const id = `019c0000-0000-7000-8000-${String(100000000000 + ++this.n).slice(0, 12)}`;
		const t0 = NOW - int(this.r, 0, 200) * DAY;
		const day = new Date(t0).toISOString().slice(0, 10).split('-');
		const rel = path.join('.codex', this.r() < 0.2 ? 'archived_sessions' : path.join('sessions', ...day), `rollout-${new Date(t0).toISOString().slice(0, 19).replace(/:/g, '-')}-${id}.jsonl`);
		this.streams.push({rel, bytes: Buffer.from(codexRollout(this.r, id, int(this.r, 2, 10), t0).map(l => `${l}\n`).join('')), written: 0});
	}

	addFixtureStreams(): void {
		if (!this.withFixtures) return;
		for (const rel of FIXTURE_STREAMS) this.streams.push({rel, bytes: fs.readFileSync(path.join(FIXTURE_HOME, rel)), written: 0});
	}

	/** Append a random piece of a stream: often a whole line or several, sometimes half a line. */
	append(s: Stream): void {
		if (s.written >= s.bytes.length) return;
		const end = this.r() < 0.3 ? Math.min(s.bytes.length, s.written + int(this.r, 1, 400)) : Math.min(s.bytes.length, s.bytes.indexOf(10, s.written + int(this.r, 0, 3000)) + 1 || s.bytes.length);
		const f = this.file(s.rel);
		fs.mkdirSync(path.dirname(f), {recursive: true});
		fs.appendFileSync(f, s.bytes.subarray(s.written, end));
		s.written = end;
	}

	wholeJson(): void {
		const fixtures = FIXTURE_WHOLE.filter(f => !this.dead.has(f));
		if (this.withFixtures && fixtures.length > 0 && this.r() < 0.5) {
			const rel = pick(this.r, fixtures);
			this.writeReplacing(this.file(rel), fs.readFileSync(path.join(FIXTURE_HOME, rel)));
			return;
		}

		// A Cline / Roo / Kilo task that grows (the extension rewrites ui_messages.json whole).
		const ext = pick(this.r, ['saoudrizwan.claude-dev', 'rooveterinaryinc.roo-cline', 'kilocode.kilo-code']);
		const task = this.clineTasks.size > 0 && this.r() < 0.6 ? pick(this.r, [...this.clineTasks.keys()]) : path.join('.config', 'Code', 'User', 'globalStorage', ext, 'tasks', String(1760000000000 + ++this.n), 'ui_messages.json');
		const list = this.clineTasks.get(task) ?? [];
		const ts = NOW - int(this.r, 0, 90) * DAY + list.length * 1000;
		list.push(clineReq(ts, int(this.r, 10, 5000), int(this.r, 1, 500), int(this.r, 0, 9000)));
		this.clineTasks.set(task, list);
		this.writeReplacing(this.file(task), Buffer.from(JSON.stringify(list)));
	}

	/** As editors write: a temporary file renamed over the old one (a new inode). */
	private writeReplacing(f: string, bytes: Buffer): void {
		fs.mkdirSync(path.dirname(f), {recursive: true});
		fs.writeFileSync(`${f}.tmp`, bytes);
		fs.renameSync(`${f}.tmp`, f);
	}

	sqlite(): void {
		const which = int(this.r, 0, 2);
		if (which === 0) this.opencode();
		else if (which === 1) this.cursor();
		else this.copilotDb();
	}

	private db(rel: string, schema: string): Database.Database {
		const f = this.file(rel);
		const fresh = !fs.existsSync(f);
		fs.mkdirSync(path.dirname(f), {recursive: true});
		const db = new Database(f);
		db.pragma('journal_mode = WAL');
		if (fresh) db.exec(schema);
		return db;
	}

	private opencode(): void {
		const db = this.db(path.join('.local', 'share', 'opencode', 'opencode.db'), `${OPENCODE_SCHEMA} INSERT INTO session VALUES ('ses_w', '/home/u/oc', 1, 1);`);
		const update = this.opencodeParts > 0 && this.r() < 0.4;
		const n = update ? int(this.r, 1, this.opencodeParts) : ++this.opencodeParts;
		const t = NOW - (n % 7) * 20 * DAY + n * 1000;
		// Updated in place: the row's latest values count (and a time_updated that may go back).
		const updated = t + (update ? int(this.r, -5000, 90_000) : 0);
		db.prepare('INSERT OR REPLACE INTO message VALUES (?, ?, ?, ?, ?)').run(`msg_${n}`, 'ses_w', t, updated, JSON.stringify({role: 'assistant', modelID: 'claude-sonnet-4-5', time: {created: t}, path: {root: '/home/u/oc'}}));
		db.prepare('INSERT OR REPLACE INTO part VALUES (?, ?, ?, ?, ?, ?)').run(`prt_${n}`, `msg_${n}`, 'ses_w', t, updated, JSON.stringify({type: 'step-finish', cost: 0.001 * int(this.r, 1, 9), tokens: {input: int(this.r, 1, 900), output: int(this.r, 1, 400), reasoning: 0, cache: {read: int(this.r, 0, 5000), write: 0}}}));
		db.close();
	}

	private cursor(): void {
		const db = this.db(path.join('.config', 'Cursor', 'User', 'globalStorage', 'state.vscdb'), 'CREATE TABLE ItemTable (key TEXT UNIQUE ON CONFLICT REPLACE, value BLOB); CREATE TABLE cursorDiskKV (key TEXT UNIQUE ON CONFLICT REPLACE, value BLOB);');
		const update = this.cursorBubbles > 0 && this.r() < 0.4;
		const n = update ? int(this.r, 1, this.cursorBubbles) : ++this.cursorBubbles;
		const createdAt = new Date(NOW - (n % 5) * 30 * DAY + n * 1000).toISOString();
		db.prepare('INSERT INTO cursorDiskKV VALUES (?, ?)').run(`bubbleId:c${n % 3}:b${n}`, JSON.stringify({type: 2, createdAt, tokenCount: {inputTokens: int(this.r, 1, 900), outputTokens: int(this.r, 1, 200)}}));
		db.close();
	}

	private copilotDb(): void {
		const db = this.db(path.join('.copilot', 'session-store.db'), `${COPILOT_SCHEMA} INSERT INTO sessions VALUES ('W1', '/home/u/cp', NULL, NULL, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z');`);
		const id = ++this.copilotRow;
		const at = new Date(NOW - (id % 4) * 25 * DAY + id * 1000).toISOString();
		db.prepare('INSERT INTO assistant_usage_events VALUES (?, ?, 0, ?, ?, ?, ?, 0, 0, 0, 1, ?)').run(id, 'W1', 'claude-sonnet-4.5', int(this.r, 100, 3000), int(this.r, 1, 90), int(this.r, 0, 900), at);
		db.close();
	}

	/** Session files now present (not databases, not their sidecars). */
	private sessionFiles(): string[] {
		const out: string[] = [];
		const walk = (d: string) => {
			for (const x of fs.readdirSync(d, {withFileTypes: true})) {
				const p = path.join(d, x.name);
				if (x.isDirectory()) walk(p);
				else if (/\.(jsonl|json)$/.test(x.name)) out.push(p);
			}
		};

		walk(this.home);
		return out.sort();
	}

	/** Replace a file with a copy (a new inode, same bytes), as a backup restore or an editor does. */
	replaceInode(): void {
		const files = this.sessionFiles();
		if (files.length === 0) return;
		const f = pick(this.r, files);
		this.writeReplacing(f, fs.readFileSync(f));
	}

	/** `cp -a h h.new && rm -rf h && mv h.new h`: every file a new inode. */
	copyHome(): void {
		fs.cpSync(this.home, `${this.home}.new`, {recursive: true, preserveTimestamps: true});
		fs.rmSync(this.home, {recursive: true});
		fs.renameSync(`${this.home}.new`, this.home);
	}

	/** Delete a session file (Claude Code prunes old transcripts): the shadow keeps it. */
	delete(): void {
		const files = this.sessionFiles();
		if (files.length === 0) return;
		const f = pick(this.r, files);
		const rel = path.relative(this.home, f);
		const kept = path.join(this.stash, rel);
		fs.mkdirSync(path.dirname(kept), {recursive: true});
		fs.renameSync(f, kept);
		// That path is never written again (the shadow puts the deleted file back there).
		this.dead.add(rel);
		for (const s of this.streams) if (s.rel === rel) s.written = s.bytes.length;
		this.clineTasks.delete(rel);
	}

	private readonly dead = new Set<string>();
	private shadows = 0;

	/** A copy of the home with every deleted file back in place: what the index must equal. */
	shadow(): string {
		const dst = path.join(this.root, `shadow-${++this.shadows}`);
		fs.cpSync(this.home, dst, {recursive: true});
		fs.cpSync(this.stash, dst, {recursive: true});
		return dst;
	}
}

type View = {totals: unknown; tools: unknown; sessions: unknown; activities: unknown; models: unknown; projects: unknown};

function view(s: Snapshot): string {
	const t = s.totals;
	const v: View = {
		totals: [t.calls, t.inputTokens, t.outputTokens, t.cacheReadTokens, t.cacheWriteTokens, t.reasoningTokens, t.costUSD],
		tools: s.tools.map(x => [x.tool, x.calls, x.inputTokens, x.outputTokens, x.cacheReadTokens, x.cacheWriteTokens, x.reasoningTokens, x.costUSD]).sort(),
		sessions: s.sessions.map(x => [`${x.tool}:${x.sessionId}`, x.calls, x.inputTokens, x.outputTokens, x.cacheReadTokens, x.cacheWriteTokens, x.costUSD]).sort(),
		activities: s.activities.map(x => [x.activity, x.calls, x.outputTokens, x.costUSD]).sort(),
		models: s.models.map(x => [x.model, x.calls, x.outputTokens, x.costUSD]).sort(),
		projects: s.projects.map(x => [x.project, x.calls, x.outputTokens, x.costUSD]).sort(),
	};
	return JSON.stringify(v);
}

const envFor = (home: string) => ({home, env: {HOME: home}, platform: process.platform});

function engine(home: string, cache?: string): Engine {
	return new Engine({env: envFor(home), clock: () => NOW, parallel: false, ...(cache ? {index: {cache: new IndexCache(path.join(cache, 'index.sqlite')), home, key: KEY}} : {})});
}

/** A one-shot run on the index, as `--once`, `--check`, `export` or `doctor` do: load, read what changed, save. */
function oneShot(w: World): Snapshot {
	const e = engine(w.home, w.cache);
	e.discover();
	e.scanAll();
	const s = e.snapshot({now: NOW}, NOW);
	e.finish(0);
	return s;
}

function cold(w: World): string {
	const h = w.shadow();
	const e = engine(h);
	e.discover();
	e.scanAll();
	const s = e.snapshot({now: NOW}, NOW);
	e.reader.close();
	fs.rmSync(h, {recursive: true});
	return view(s);
}

export function runSeed(seed: number, steps: number, withFixtures: boolean): {steps: number; saves: number} {
	const r = rng(seed);
	const w = new World(r, withFixtures);
	w.addFixtureStreams();
	for (let i = 0; i < 3; i++) w.newClaude(false);
	w.newCodex();
	// A monitor that stays open across steps: it reads what changed and saves its own (older) view now and then.
	let monitor: Engine | undefined;
	let saves = 0;
	const log: string[] = [];
	for (let step = 0; step < steps; step++) {
		const roll = r();
		let what: string;
		if (roll < 0.34) {
			const open = w.streams.filter(s => s.written < s.bytes.length);
			if (open.length === 0) w.newClaude(r() < 0.5);
			else for (let k = int(r, 1, 3); k > 0; k--) w.append(pick(r, open));
			what = 'append';
		} else if (roll < 0.42) {
			w.newClaude(true);
			what = 'resumed session replaying old calls';
		} else if (roll < 0.46) {
			w.newCodex();
			what = 'new codex rollout';
		} else if (roll < 0.56) {
			w.sqlite();
			what = 'database rows';
		} else if (roll < 0.63) {
			w.wholeJson();
			what = 'whole JSON rewritten';
		} else if (roll < 0.67) {
			w.replaceInode();
			what = 'file replaced (new inode)';
		} else if (roll < 0.7) {
			w.copyHome();
			what = 'home copied (new inodes)';
		} else if (roll < 0.73) {
			w.delete();
			what = 'file deleted';
		} else if (roll < 0.85) {
			if (!monitor) {
				monitor = engine(w.home, w.cache);
				monitor.discover();
				monitor.scanAll();
				what = 'monitor starts';
			} else {
				monitor.discover();
				monitor.scanAll();
				if (r() < 0.6) {
					monitor.saveIndex();
					saves++;
					what = 'monitor saves';
				} else {
					what = 'monitor reads';
				}

				if (r() < 0.25) {
					monitor.finish(0);
					monitor = undefined;
					what += ', quits';
				}
			}
		} else {
			oneShot(w);
			saves++;
			what = 'one-shot run';
		}

		log.push(what);
		const want = cold(w);
		const warm = view(oneShot(w));
		saves++;
		assert.equal(warm, want, `seed ${seed}, step ${step} (${log.slice(-4).join(' → ')}): warm start differs from a cold scan`);
		if (step % 4 === 0) {
			const again = view(oneShot(w));
			assert.equal(again, want, `seed ${seed}, step ${step}: a second warm start changed the numbers`);
		}
	}

	monitor?.finish(0);
	return {steps, saves};
}


// OpenCode and Cursor through the shared SQLite poller: fixture totals, upserts of rows updated
// in place, a writer process inserting into a WAL database while watched, locked and replaced
// databases, and Cursor's key rules.
import assert from 'node:assert/strict';
import {spawn} from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {after, describe, it} from 'node:test';
import Database from 'better-sqlite3';
import {Engine} from '../src/engine.js';
import {FIXTURE_HOME, scanHome, sharedAvailable, tempHome} from './helpers/home.js';
import {waitFor} from './helpers/wait.js';

const skip = !sharedAvailable() && 'needs ../shared (required when CI=true)';
const ROOT = path.resolve(import.meta.dirname, '..');
const FAR = Date.parse('2030-01-01T00:00:00Z');

describe('SQLite fixtures (../shared/README.md totals)', {skip}, () => {
	const snap = skip ? undefined! : scanHome(FIXTURE_HOME);
	const row = (id: string) => {
		const t = snap.tools.find(x => x.tool === id)!;
		return [t.calls, t.inputTokens, t.outputTokens, t.cacheReadTokens, t.cacheWriteTokens, t.reasoningTokens];
	};

	it('OpenCode: 5 step-finish parts in opencode.db + 1 legacy storage message', () => {
		// Parts: input 2×5, output 37+25+6+6+10, read 0+12,364+12,420+0+12,472, write 12,364+56+33+12,472+10;
		// legacy msg_test001: 1,000 / 500 / 200 / 100.
		assert.deepEqual(row('opencode'), [6, 1010, 584, 37_456, 25_035, 0]);
		// Call times come from message data (the table times are a restore time ~5.9 h later).
		const s = snap.sessions.find(x => x.tool === 'opencode' && x.sessionId.startsWith('ses_05bb'))!;
		assert.equal(s.firstAt, new Date(1785167728076).toISOString());
		assert.equal(s.project, '/private/tmp/demo-projects/storefront');
	});

	it('Cursor: only the bubble with token counts, as an estimate with an unpriced Auto model', () => {
		assert.deepEqual(row('cursor'), [1, 350, 150, 0, 0, 0]);
		assert.equal(snap.tools.find(x => x.tool === 'cursor')!.estimated, true);
		assert.ok(snap.health.unpricedModels.some(u => u.tool === 'cursor' && u.model === 'cursor-auto'));
	});
});

const SCHEMA = `
	CREATE TABLE session (id TEXT PRIMARY KEY, directory TEXT, time_created INTEGER, time_updated INTEGER);
	CREATE TABLE message (id TEXT PRIMARY KEY, session_id TEXT, time_created INTEGER, time_updated INTEGER, data TEXT);
	CREATE TABLE part (id TEXT PRIMARY KEY, message_id TEXT, session_id TEXT, time_created INTEGER, time_updated INTEGER, data TEXT);`;

function opencodeDb(home: string, journal: 'WAL' | 'DELETE' = 'WAL'): {file: string; db: Database.Database} {
	const dir = path.join(home, '.local', 'share', 'opencode');
	fs.mkdirSync(dir, {recursive: true});
	const file = path.join(dir, 'opencode.db');
	const db = new Database(file);
	db.pragma(`journal_mode = ${journal}`);
	db.exec(SCHEMA);
	db.prepare('INSERT INTO session VALUES (?, ?, 1, 1)').run('ses_1', '/home/u/oc');
	return {file, db};
}

/** Times in these tests are offsets from a realistic epoch (ms). */
const BASE = Date.parse('2026-03-01T00:00:00Z');
const msg = (db: Database.Database, id: string, t: number) =>
	db.prepare('INSERT INTO message VALUES (?, ?, ?, ?, ?)').run(id, 'ses_1', BASE + t, BASE + t, JSON.stringify({role: 'assistant', modelID: 'claude-sonnet-4-5', time: {created: BASE + t}, path: {root: '/home/u/oc'}}));
const part = (db: Database.Database, id: string, m: string, t: number, tokens: {input: number; output: number; read?: number; write?: number}) =>
	db.prepare('INSERT OR REPLACE INTO part VALUES (?, ?, ?, ?, ?, ?)').run(id, m, 'ses_1', BASE + t, BASE + t, JSON.stringify({type: 'step-finish', cost: 0.01, tokens: {input: tokens.input, output: tokens.output, reasoning: 0, cache: {read: tokens.read ?? 0, write: tokens.write ?? 0}}}));

const engines: Engine[] = [];
after(async () => Promise.all(engines.map(e => e.close())));

function engineFor(home: string): Engine {
	const e = new Engine({env: {home, env: {HOME: home}, platform: process.platform}});
	engines.push(e);
	e.discover();
	return e;
}

const oc = (e: Engine) => e.snapshot({now: FAR}).tools.find(t => t.tool === 'opencode');


describe('OpenCode database', () => {
	it('a part updated in place is upserted, not added; a zero-token row is not a call yet', () => {
		const home = tempHome();
		const {db} = opencodeDb(home);
		msg(db, 'msg_1', 1000);
		part(db, 'prt_1', 'msg_1', 1000, {input: 0, output: 0});
		const e = engineFor(home);
		e.scanAll();
		assert.equal(oc(e), undefined);
		part(db, 'prt_1', 'msg_1', 2000, {input: 5, output: 40, read: 100});
		part(db, 'prt_1', 'msg_1', 3000, {input: 5, output: 90, read: 100});
		e.scanAll();
		assert.deepEqual([oc(e)!.calls, oc(e)!.outputTokens, oc(e)!.cacheReadTokens], [1, 90, 100]);
		db.close();
	});

	it('a row with malformed JSON is skipped and does not block the rows after it', () => {
		const home = tempHome();
		const {db} = opencodeDb(home);
		msg(db, 'msg_1', 1000);
		db.prepare('INSERT INTO part VALUES (?, ?, ?, ?, ?, ?)').run('prt_bad', 'msg_1', 'ses_1', BASE + 1000, BASE + 1000, '{"type":"step-finish","tokens":{');
		part(db, 'prt_ok', 'msg_1', 2000, {input: 1, output: 10});
		const e = engineFor(home);
		e.scanAll();
		assert.equal(oc(e)?.calls, 1);
		db.close();
	});

	it('reads a WAL database while a writer process inserts, and ends with every row', async () => {
		const home = tempHome();
		const {file, db} = opencodeDb(home);
		db.close();
		const e = engineFor(home);
		await e.startLive(() => {}, {sweepMs: 500, fullSweepMs: 60_000});
		await e.backfill();
		const n = 60;
		const writer = spawn(process.execPath, ['-e', `
			const D = require(${JSON.stringify(path.join(ROOT, 'node_modules', 'better-sqlite3'))});
			const db = new D(${JSON.stringify(file)});
			let i = 0;
			const tick = () => {
				if (i === ${n}) { db.close(); return; }
				const t = ${Date.parse('2026-03-01T00:00:00Z')} + 10000 + i;
				db.prepare('INSERT INTO message VALUES (?, ?, ?, ?, ?)').run('m' + i, 'ses_1', t, t, JSON.stringify({role: 'assistant', modelID: 'claude-sonnet-4-5', time: {created: t}}));
				db.prepare('INSERT INTO part VALUES (?, ?, ?, ?, ?, ?)').run('p' + i, 'm' + i, 'ses_1', t, t, JSON.stringify({type: 'step-finish', tokens: {input: 1, output: 10, reasoning: 0, cache: {read: 0, write: 0}}}));
				i++; setTimeout(tick, 5);
			};
			tick();`], {stdio: 'inherit'});
		await new Promise(r => writer.on('exit', r));
		await waitFor(() => oc(e)?.calls === n, `all ${n} rows`);
		assert.equal(oc(e)!.outputTokens, 10 * n);
	});

	it('a locked database is retried, not fatal; a replaced database is read again without double counting', async () => {
		const home = tempHome();
		// In WAL mode readers are never blocked; a rollback-journal database can be locked.
		const {file, db} = opencodeDb(home, 'DELETE');
		msg(db, 'msg_1', 1000);
		part(db, 'prt_1', 'msg_1', 1000, {input: 1, output: 10});
		db.close();
		const e = engineFor(home);
		e.scanAll();
		assert.equal(oc(e)!.calls, 1);
		// A writer holding an exclusive lock mid-transaction.
		const locker = new Database(file);
		locker.exec('BEGIN EXCLUSIVE');
		locker.prepare('INSERT INTO part VALUES (?, ?, ?, ?, ?, ?)').run('prt_2', 'msg_1', 'ses_1', BASE + 2000, BASE + 2000, JSON.stringify({type: 'step-finish', tokens: {input: 1, output: 5, reasoning: 0, cache: {read: 0, write: 0}}}));
		const t0 = performance.now();
		e.scanAll();
		assert.ok(performance.now() - t0 < 2000, 'the busy wait is short');
		assert.equal(oc(e)!.calls, 1);
		assert.ok(e.reader.health().errors.some(x => /database busy \(will retry\)/.test(x.reason)));
		locker.exec('COMMIT');
		locker.close();
		e.scanAll();
		assert.equal(oc(e)!.calls, 2);
		// Replaced by a copy (new inode) holding the same rows plus one.
		const copy = `${file}.new`;
		fs.copyFileSync(file, copy);
		const d2 = new Database(copy);
		part(d2, 'prt_3', 'msg_1', 3000, {input: 1, output: 7});
		d2.close();
		fs.rmSync(`${file}-wal`, {force: true});
		fs.rmSync(`${file}-shm`, {force: true});
		fs.renameSync(copy, file);
		e.scanAll();
		assert.deepEqual([oc(e)!.calls, oc(e)!.outputTokens], [3, 22]);
	});

	it('a deleted database keeps its counted usage; one created again at the path is read from scratch', () => {
		const home = tempHome();
		const {file, db} = opencodeDb(home, 'DELETE');
		msg(db, 'msg_1', 1000);
		part(db, 'prt_1', 'msg_1', 1000, {input: 1, output: 10});
		db.close();
		const e = engineFor(home);
		e.scanAll();
		fs.rmSync(file);
		e.scanAll();
		assert.equal(oc(e)!.calls, 1);
		assert.equal(e.reader.files.get(file)!.deleted, true);
		const again = opencodeDb(home, 'DELETE');
		msg(again.db, 'msg_2', 5000);
		part(again.db, 'prt_2', 'msg_2', 5000, {input: 1, output: 20});
		again.db.close();
		e.scanAll();
		assert.deepEqual([oc(e)!.calls, oc(e)!.outputTokens], [2, 30]);
	});

	it('the stores stay untouched: the database file is not modified by reading', () => {
		const home = tempHome();
		const {file, db} = opencodeDb(home);
		msg(db, 'msg_1', 1000);
		part(db, 'prt_1', 'msg_1', 1000, {input: 1, output: 10});
		db.pragma('wal_checkpoint(TRUNCATE)');
		db.close();
		const before = fs.readFileSync(file);
		const mtime = fs.statSync(file).mtimeMs;
		const e = engineFor(home);
		e.scanAll();
		assert.equal(oc(e)!.calls, 1);
		assert.ok(before.equals(fs.readFileSync(file)));
		assert.equal(fs.statSync(file).mtimeMs, mtime);
	});
});

describe('OpenCode legacy storage', () => {
	it('a multi-step turn counts its step-finish parts, not the message tokens (which keep only the last step)', () => {
		const home = tempHome();
		const base = path.join(home, '.local', 'share', 'opencode', 'storage');
		const m = {id: 'msg_1', sessionID: 'ses_1', role: 'assistant', time: {created: 1733011200000}, modelID: 'claude-sonnet-4-5', path: {root: '/home/u/legacy'}, tokens: {input: 3, output: 30, reasoning: 0, cache: {read: 300, write: 0}}};
		fs.mkdirSync(path.join(base, 'message', 'ses_1'), {recursive: true});
		fs.writeFileSync(path.join(base, 'message', 'ses_1', 'msg_1.json'), JSON.stringify(m));
		fs.mkdirSync(path.join(base, 'part', 'msg_1'), {recursive: true});
		fs.writeFileSync(path.join(base, 'part', 'msg_1', 'prt_a.json'), JSON.stringify({id: 'prt_a', type: 'step-finish', tokens: {input: 5, output: 50, reasoning: 5, cache: {read: 100, write: 900}}}));
		fs.writeFileSync(path.join(base, 'part', 'msg_1', 'prt_b.json'), JSON.stringify({id: 'prt_b', type: 'step-finish', tokens: {input: 3, output: 30, reasoning: 0, cache: {read: 300, write: 0}}}));
		fs.writeFileSync(path.join(base, 'part', 'msg_1', 'prt_c.json'), JSON.stringify({id: 'prt_c', type: 'text', text: 'hi'}));
		const t = scanHome(home).tools.find(x => x.tool === 'opencode')!;
		assert.deepEqual([t.calls, t.inputTokens, t.outputTokens, t.reasoningTokens, t.cacheReadTokens, t.cacheWriteTokens], [2, 8, 85, 5, 400, 900]);
	});
});

describe('Cursor database', () => {
	it('sees a bubble inserted while watching', async () => {
		const home = tempHome();
		const dir = path.join(home, '.config', 'Cursor', 'User', 'globalStorage');
		fs.mkdirSync(dir, {recursive: true});
		const g = new Database(path.join(dir, 'state.vscdb'));
		g.pragma('journal_mode = WAL');
		g.exec('CREATE TABLE cursorDiskKV (key TEXT UNIQUE ON CONFLICT REPLACE, value BLOB);');
		const e = engineFor(home);
		await e.startLive(() => {}, {sweepMs: 300, fullSweepMs: 60_000});
		await e.backfill();
		g.prepare('INSERT INTO cursorDiskKV VALUES (?, ?)').run('bubbleId:c1:b1', JSON.stringify({type: 2, createdAt: '2026-01-01T10:01:00Z', tokenCount: {inputTokens: 10, outputTokens: 2}}));
		await waitFor(() => e.snapshot({now: FAR}).tools.some(t => t.tool === 'cursor' && t.calls === 1), 'the new bubble');
		g.close();
	});

	it('counts assistant bubbles with tokens, skips zeros, user bubbles and newline keys; maps composers to folders', () => {
		const home = tempHome();
		const user = path.join(home, '.config', 'Cursor', 'User');
		fs.mkdirSync(path.join(user, 'globalStorage'), {recursive: true});
		const g = new Database(path.join(user, 'globalStorage', 'state.vscdb'));
		g.exec('CREATE TABLE ItemTable (key TEXT UNIQUE ON CONFLICT REPLACE, value BLOB); CREATE TABLE cursorDiskKV (key TEXT UNIQUE ON CONFLICT REPLACE, value BLOB);');
		g.prepare('INSERT INTO ItemTable VALUES (?, ?)').run('cursorAuth/accessToken', 'secret');
		const put = (k: string, v: unknown) => g.prepare('INSERT INTO cursorDiskKV VALUES (?, ?)').run(k, JSON.stringify(v));
		put('bubbleId:c1:b1', {type: 1, text: 'hi'});
		put('bubbleId:c1:b2', {type: 2, createdAt: '2026-01-01T10:00:00Z', tokenCount: {inputTokens: 0, outputTokens: 0}});
		put('bubbleId:c1:b3', {type: 2, createdAt: '2026-01-01T10:01:00Z', tokenCount: {inputTokens: 100, outputTokens: 20}, modelInfo: {modelName: 'claude-4.5-sonnet'}});
		put('bubbleId:c1:b4\nsub', {type: 2, createdAt: '2026-01-01T10:02:00Z', tokenCount: {inputTokens: 999, outputTokens: 9}});
		// Updated in place: REPLACE keeps the key.
		put('bubbleId:c1:b3', {type: 2, createdAt: '2026-01-01T10:01:00Z', tokenCount: {inputTokens: 100, outputTokens: 25}, modelInfo: {modelName: 'claude-4.5-sonnet'}});
		g.close();
		const ws = path.join(user, 'workspaceStorage', 'abc');
		fs.mkdirSync(ws, {recursive: true});
		fs.writeFileSync(path.join(ws, 'workspace.json'), JSON.stringify({folder: 'file:///home/u/cursorproj'}));
		const w = new Database(path.join(ws, 'state.vscdb'));
		w.exec('CREATE TABLE ItemTable (key TEXT UNIQUE ON CONFLICT REPLACE, value BLOB);');
		w.prepare('INSERT INTO ItemTable VALUES (?, ?)').run('composer.composerData', JSON.stringify({allComposers: [{composerId: 'c1'}]}));
		w.close();
		const s = scanHome(home);
		const c = s.tools.find(t => t.tool === 'cursor')!;
		assert.deepEqual([c.calls, c.inputTokens, c.outputTokens, c.estimated], [1, 100, 25, true]);
		assert.equal(s.projects.find(p => p.calls === 1)!.project, '/home/u/cursorproj');
	});
});

describe('a database whose -shm is gone', () => {
	it('rows still in its WAL are counted (read from a copy), and nothing is written beside it', () => {
		const home = tempHome();
		const {file, db} = opencodeDb(home);
		db.pragma('wal_autocheckpoint = 0');
		msg(db, 'msg_1', 1000);
		part(db, 'prt_1', 'msg_1', 1000, {input: 100_000, output: 10});
		// Copy the database and its WAL as a crashed app leaves them: no -shm, rows not checkpointed.
		const other = tempHome();
		const dir = path.join(other, '.local', 'share', 'opencode');
		fs.mkdirSync(dir, {recursive: true});
		fs.copyFileSync(file, path.join(dir, 'opencode.db'));
		fs.copyFileSync(`${file}-wal`, path.join(dir, 'opencode.db-wal'));
		db.close();
		assert.ok(fs.statSync(path.join(dir, 'opencode.db-wal')).size > 0);
		const before = fs.readdirSync(dir).sort();
		const e = engineFor(other);
		e.scanAll();
		assert.deepEqual([oc(e)!.calls, oc(e)!.inputTokens], [1, 100_000]);
		assert.deepEqual(fs.readdirSync(dir).sort(), before, 'no -shm or other file made beside the store');
	});
});

describe('OpenCode rows written out of time order', () => {
	it('a row with an older time_updated than rows already read (a second process, a clock step back) is read on the next poll, as by a cold scan', () => {
		const home = tempHome();
		const {db} = opencodeDb(home);
		msg(db, 'msg_1', 5000);
		part(db, 'prt_1', 'msg_1', 5000, {input: 1, output: 10});
		const e = engineFor(home);
		e.scanAll();
		assert.equal(oc(e)!.calls, 1);
		msg(db, 'msg_0', 1000);
		part(db, 'prt_0', 'msg_0', 1000, {input: 2, output: 20});
		e.scanAll();
		const cold = engineFor(home);
		cold.scanAll();
		assert.deepEqual([oc(e)!.calls, oc(e)!.outputTokens], [2, 30]);
		assert.deepEqual([oc(cold)!.calls, oc(cold)!.outputTokens], [2, 30]);
		db.close();
	});
});

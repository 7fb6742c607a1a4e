// The live tailer on real files with real chokidar events.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import {after, describe, it} from 'node:test';
import {Engine} from '../src/engine.js';
import {append, claudeAssistant as a, claudePath, codexMeta, codexPath, codexTokens, codexTurn, scanHome, tempHome, write} from './helpers/home.js';
import {waitFor} from './helpers/wait.js';


const engines: Engine[] = [];
after(async () => {
	await Promise.all(engines.map(e => e.close()));
});

/** An engine on `home` that found its files (closed after the tests). */
function discovered(home: string): Engine {
	const e = new Engine({env: {home, env: {HOME: home}, platform: process.platform}});
	engines.push(e);
	e.discover();
	return e;
}

async function live(home: string): Promise<Engine> {
	const e = discovered(home);
	await e.startLive(() => {}, {sweepMs: 60_000, fullSweepMs: 60_000});
	await e.backfill();
	return e;
}

const totals = (e: Engine) => {
	const s = e.snapshot({now: Date.parse('2030-01-01T00:00:00Z')});
	return {calls: s.totals.calls, output: s.totals.outputTokens, input: s.totals.inputTokens};
};

let n = 0;
const ts = () => new Date(Date.parse('2026-03-01T10:00:00Z') + 1000 * n++).toISOString();

describe('live tailer', () => {
	it('follow(): history first, then the watchers; what was written before they were ready is read at once', async () => {
		const home = tempHome();
		const old = write(claudePath(home, '-p', 'old.jsonl'), [a({id: 'h1', ts: ts(), output: 3})]);
		const e = discovered(home);
		await e.backfill();
		assert.equal(totals(e).calls, 1);
		// Written after the back-fill read everything and before any watcher exists: no event will
		// ever tell of these, and the sweeps below are a minute away.
		append(old, [a({id: 'h2', ts: ts(), output: 4})]);
		write(claudePath(home, '-q', 'new.jsonl'), [a({id: 'h3', ts: ts(), output: 5})]);
		await e.startLive(() => {}, {sweepMs: 60_000, fullSweepMs: 60_000});
		assert.equal(totals(e).calls, 3);
		assert.equal(totals(e).output, 12);
		// And follow() leaves the watchers running.
		const f = discovered(home);
		await f.follow(() => {}, {sweepMs: 60_000, fullSweepMs: 60_000});
		assert.equal(totals(f).calls, 3);
		append(old, [a({id: 'h4', ts: ts(), output: 6})]);
		await waitFor(() => totals(f).calls === 4, 'an append after follow()');
	});

	it('picks up a new file and a new project folder created while running', async () => {
		const home = tempHome();
		fs.mkdirSync(path.join(home, '.claude', 'projects'), {recursive: true});
		const e = await live(home);
		write(claudePath(home, '-new-project', 's1.jsonl'), [a({id: 'm1', ts: ts(), output: 5})]);
		await waitFor(() => totals(e).calls === 1, 'the new file');
		write(claudePath(home, '-new-project', path.join('s1', 'subagents', 'agent-x.jsonl')), [a({id: 'm2', ts: ts(), output: 7, sidechain: true})]);
		await waitFor(() => totals(e).calls === 2, 'the new nested folder');
		assert.equal(totals(e).output, 12);
	});

	it('delivers every line of 20 appends 3 ms apart (chokidar drops events within 50 ms)', async () => {
		const home = tempHome();
		const file = write(claudePath(home, '-p', 's.jsonl'), [a({id: 'first', ts: ts(), output: 1})]);
		const e = await live(home);
		for (let i = 0; i < 20; i++) {
			append(file, [a({id: `burst${i}`, ts: ts(), output: 1})]);
			await new Promise(r => setTimeout(r, 3));
		}

		await waitFor(() => totals(e).calls === 21, 'all 21 lines', 3000);
	});

	it('buffers a partial line until its newline arrives, without double counting', async () => {
		const home = tempHome();
		const file = write(claudePath(home, '-p', 's.jsonl'), [a({id: 'm1', ts: ts(), output: 1})]);
		const e = await live(home);
		const line = JSON.stringify(a({id: 'm2', ts: ts(), output: 40})) + '\n';
		const bytes = Buffer.from(line);
		fs.appendFileSync(file, bytes.subarray(0, 50));
		await new Promise(r => setTimeout(r, 150));
		assert.equal(totals(e).calls, 1);
		fs.appendFileSync(file, bytes.subarray(50, bytes.length - 1));
		// The record is whole but has no newline yet: counted once already…
		await waitFor(() => totals(e).calls === 2, 'the whole unterminated record');
		fs.appendFileSync(file, '\n');
		await new Promise(r => setTimeout(r, 150));
		// …and still once after its newline.
		assert.deepEqual(totals(e), {calls: 2, output: 41, input: 6});
	});

	it('amends a streamed call in place when a later line has the full output', async () => {
		const home = tempHome();
		const file = write(claudePath(home, '-p', 's.jsonl'), [a({id: 'm1', ts: ts(), output: 2})]);
		const e = await live(home);
		append(file, [a({id: 'm1', ts: ts(), output: 250})]);
		await waitFor(() => totals(e).output === 250, 'the amended output');
		assert.equal(totals(e).calls, 1);
		const burn = e.liveSnapshot(Date.now()).burn;
		assert.ok(burn.sessions.length <= 1);
	});

	it('a truncated file is re-read from 0 without double counting; new lines after it count', async () => {
		const home = tempHome();
		const lines = [a({id: 'm1', ts: ts(), output: 3}), a({id: 'm2', ts: ts(), output: 4})];
		const file = write(claudePath(home, '-p', 's.jsonl'), lines);
		const e = await live(home);
		assert.equal(totals(e).calls, 2);
		fs.truncateSync(file, 0);
		write(file, [lines[0]!]);
		await new Promise(r => setTimeout(r, 200));
		append(file, [a({id: 'm3', ts: ts(), output: 5})]);
		await waitFor(() => totals(e).calls === 3, 'the line after the truncation');
		assert.equal(totals(e).output, 12);
	});

	it('a deleted file keeps its counted usage; a new file at the same path starts from 0', async () => {
		const home = tempHome();
		const file = write(claudePath(home, '-p', 's.jsonl'), [a({id: 'm1', ts: ts(), output: 3})]);
		const e = await live(home);
		fs.unlinkSync(file);
		await new Promise(r => setTimeout(r, 200));
		assert.equal(totals(e).calls, 1);
		write(file, [a({id: 'm9', ts: ts(), output: 6})]);
		await waitFor(() => totals(e).calls === 2, 'the recreated file');
	});

	it('follows Codex rollouts, including a new date folder', async () => {
		const home = tempHome();
		const id = '019c0000-0000-7000-8000-0000000000aa';
		fs.mkdirSync(path.join(home, '.codex', 'sessions'), {recursive: true});
		const e = await live(home);
		const file = codexPath(home, `rollout-2026-02-23T10-00-00-${id}.jsonl`);
		write(file, [codexMeta(id, ts()), codexTurn(ts())]);
		await new Promise(r => setTimeout(r, 150));
		append(file, [codexTokens(ts(), {input: 100, output: 5}, {input: 100, output: 5})]);
		await waitFor(() => totals(e).calls === 1, 'the Codex call');
		append(file, [codexTokens(ts(), {input: 100, output: 5}, {input: 100, output: 5}), codexTokens(ts(), {input: 250, output: 9}, {input: 150, output: 4})]);
		await waitFor(() => totals(e).calls === 2, 'the second Codex call');
		assert.equal(totals(e).output, 9);
	});

	it('the stat sweep catches changes when no event arrives', async () => {
		const home = tempHome();
		const file = write(claudePath(home, '-p', 's.jsonl'), [a({id: 'm1', ts: ts(), output: 3})]);
		const e = discovered(home);
		await e.backfill();
		// No watcher at all: only the sweep can see the append.
		const reads: number[] = [];
		const {Tailer} = await import('../src/ingest/tailer.js');
		const t = new Tailer({reader: e.reader, stores: e.stores, env: {home, env: {HOME: home}, platform: process.platform}, onRead: () => reads.push(1)});
		append(file, [a({id: 'm2', ts: ts(), output: 3})]);
		t.sweep(false);
		assert.equal(totals(e).calls, 2);
		assert.equal(reads.length, 1);
		await t.close();
	});

	it('when file watches run out (ENOSPC) it falls back to polling, says so, and still sees new files', async () => {
		const home = tempHome();
		write(claudePath(home, '-p', 's.jsonl'), [a({id: 'm1', ts: ts(), output: 3})]);
		const e = await live(home);
		const watchers = (e.tailer as unknown as {watchers: Array<{emit: (ev: string, err: Error) => void}>}).watchers;
		watchers[0]!.emit('error', Object.assign(new Error('watch limit'), {code: 'ENOSPC'}));
		const status = e.liveSnapshot(Date.now()).watching!;
		assert.equal(status.mode, 'polling');
		assert.match(status.problems[0]!, /file watching unavailable \(ENOSPC: inotify or file limits reached\); polling every 60s instead/);
		// A file no event announces is found by the polling sweep.
		write(claudePath(home, '-other', 'n.jsonl'), [a({id: 'm2', ts: ts(), output: 4})]);
		e.tailer!.sweep(false);
		assert.equal(totals(e).calls, 2);
	});

	it('live totals equal a cold scan of the same files', async () => {
		const home = tempHome();
		const file = write(claudePath(home, '-p', 's.jsonl'), [a({id: 'm1', ts: ts(), output: 3})]);
		const e = await live(home);
		for (let i = 0; i < 10; i++) append(file, [a({id: `k${i}`, ts: ts(), output: 1}), a({id: `k${i}`, ts: ts(), output: 10 + i})]);
		await waitFor(() => totals(e).calls === 11, 'all calls');
		const cold = scanHome(home);
		assert.deepEqual(totals(e), {calls: cold.totals.calls, output: cold.totals.outputTokens, input: cold.totals.inputTokens});
	});
});

describe('shutdown races', () => {
	const watchers = () => process.getActiveResourcesInfo().filter(r => r === 'FSEventWrap').length;

	it('close() before startLive() means the watchers never start (a signal during start-up)', async () => {
		const home = tempHome();
		write(claudePath(home, '-p', 's.jsonl'), [a({id: 'm1', ts: ts(), output: 1})]);
		const before = watchers();
		const e = new Engine({env: {home, env: {HOME: home}, platform: process.platform}});
		e.discover();
		await e.close();
		await e.startLive(() => {});
		await e.backfill();
		assert.equal(e.tailer, undefined);
		assert.equal(watchers(), before);
		assert.equal(e.progress.filesRead, 0, 'back-fill stops once closed');
	});

	it('close() while the watchers are starting resolves start and leaves no watcher open', async () => {
		const home = tempHome();
		write(claudePath(home, '-p', 's.jsonl'), [a({id: 'm1', ts: ts(), output: 1})]);
		write(codexPath(home, 'rollout-r.jsonl'), [codexMeta('c1', ts())]);
		const before = watchers();
		const e = new Engine({env: {home, env: {HOME: home}, platform: process.platform}});
		e.discover();
		const started = e.startLive(() => {});
		await e.close();
		await Promise.race([started, new Promise((_, reject) => setTimeout(() => reject(new Error('startLive never resolved')), 3000))]);
		assert.equal(watchers(), before);
	});
});

describe('snapshots only read', () => {
	// Calls from ten days back to today: once history is in, those two days behind the newest fold into rollups.
	function history(): string {
		const home = tempHome();
		const day = 86_400_000;
		const start = Date.parse('2026-03-01T10:00:00Z');
		write(claudePath(home, '-p', 's.jsonl'), Array.from({length: 20}, (_, i) => a({id: `h${i}`, ts: new Date(start + i * day / 2).toISOString(), output: 10 + i})));
		return home;
	}

	it('the back-fill seals old calls itself; a live snapshot changes nothing in the aggregate', async () => {
		const e = new Engine({env: {home: history(), env: {}, platform: process.platform}});
		engines.push(e);
		e.discover();
		await e.backfill();
		assert.ok(e.aggregate.rollupCount > 0, 'sealed on the write side, before any snapshot');
		const state = () => [e.aggregate.version, e.aggregate.calls.size, e.aggregate.rollupCount];
		const before = state();
		const now = Date.parse('2026-03-20T00:00:00Z');
		e.liveSnapshot(now);
		e.liveSnapshot(now + 86_400_000);
		assert.deepEqual(state(), before);
	});

	it('with sealOld off (a window off the 15-minute grid) nothing seals, however often it is read', async () => {
		const e = new Engine({env: {home: history(), env: {}, platform: process.platform}, sealOld: false});
		engines.push(e);
		e.discover();
		await e.backfill();
		e.liveSnapshot(Date.parse('2026-03-20T00:00:00Z'));
		assert.equal(e.aggregate.rollupCount, 0);
		assert.equal(e.aggregate.calls.size, 20);
	});
});

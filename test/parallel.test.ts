// The parallel cold scan (worker threads) gives exactly the sequential scan's snapshot and
// health, on a generated history with every dedupe case the generator writes.
import assert from 'node:assert/strict';
import {spawnSync} from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {describe, it} from 'node:test';
import {generate} from '../bench/generate.js';
import {Engine} from '../src/engine.js';
import type {EngineOptions} from '../src/engine-options.js';
import type {TrackedFile} from '../src/ingest/reader.js';
import {builtCli} from './helpers/built-cli.js';
import {tempHome} from './helpers/home.js';

const NOW = Date.parse('2030-01-01T00:00:00Z');

/** An engine on `home` that uses workers whatever the size (unless `parallel` is false), discovered. */
function engineFor(home: string, parallel?: boolean | 'files', tuning: EngineOptions['tuning'] = {}): Engine {
	const e = new Engine({env: {home, env: {HOME: home}, platform: process.platform}, parallelMinBytes: 0, tuning, ...(parallel === undefined ? {} : {parallel})});
	e.discover();
	return e;
}

/** A sequential scan of `home`, done, and an engine for a parallel scan (files over threads unless `parallel` says otherwise), discovered. */
function engines(home: string, parallel: true | 'files' = 'files', tuning: EngineOptions['tuning'] = {}): {seq: Engine; par: Engine} {
	const seq = engineFor(home, parallel);
	seq.scanAll();
	return {seq, par: engineFor(home, parallel, tuning)};
}

/** The files `e` reads itself (its private readAll: the main thread's reads), by path. */
function readHere(e: Engine): Set<string> {
	const seen = new Set<string>();
	const own = e as unknown as {readAll(files: readonly TrackedFile[], after: () => void): void};
	const readAll = own.readAll.bind(e);
	own.readAll = (files, after) => {
		for (const t of files) seen.add(t.file.path);
		readAll(files, after);
	};

	return seen;
}

/** A generated 10 MB history (`seed`) with `line` appended to the first transcript under `folder` (below home). */
function historyWithBadLine(prefix: string, seed: number, folder: string[], line: string): {expected: ReturnType<typeof generate>; home: string} {
	const dir = tempHome(prefix);
	const expected = generate(dir, 10, seed);
	const home = path.join(dir, 'home');
	const root = path.join(home, ...folder);
	const first = fs.readdirSync(root, {recursive: true}).map(String).find(f => f.endsWith('.jsonl'))!;
	fs.appendFileSync(path.join(root, first), `${line}\n`);
	return {expected, home};
}

/**
 * `par` (scanned) equals `seq` in its whole snapshot, holds every call of the generated history,
 * counted the one broken line once, and left every file read with its state ready for the index.
 */
function assertSameAsSequential(seq: Engine, par: Engine, expected: ReturnType<typeof generate>): ReturnType<Engine['snapshot']> {
	const a = seq.snapshot({now: NOW}, NOW);
	const b = par.snapshot({now: NOW}, NOW);
	assert.equal(b.totals.calls, expected.claude.calls + expected.codex.calls);
	assert.equal(JSON.stringify(b), JSON.stringify(a));
	assert.equal(b.health.linesSkipped, 1);
	for (const t of par.reader.files.values()) assert.equal(par.reader.read(t, false), false, t.file.path);
	assert.equal(par.reader.exportFiles().length, expected.files);
	return b;
}

describe('parallel cold scan', () => {
	it('equals the sequential scan: totals, every breakdown, sessions and skipped lines', async () => {
		// A line that is not JSON in one transcript: the skip must be counted once either way.
		const {expected, home} = historyWithBadLine('burntop-parallel-', 7, ['.claude', 'projects'], 'not json at all');
		const {seq, par} = engines(home);
		let files = 0;
		assert.equal(await par.scan(() => files++), 'parallel');
		assert.equal(files, expected.files);
		assertSameAsSequential(seq, par, expected);
	});
});

describe('cold scan split by store', () => {
	it('equals the sequential scan: the smaller store in a worker with its own aggregate, merged; skips and reading state included', async () => {
		// A cut-off token_count line in the worker's store: skipped and counted once, in the merged health.
		const {expected, home} = historyWithBadLine('burntop-split-', 5, ['.codex', 'sessions'], '{"type":"event_msg","payload":{"type":"token_count", cut off');
		const {seq, par} = engines(home, true);
		let files = 0;
		assert.equal(await par.scan(() => files++), 'split');
		// Here Codex has more bytes: Claude Code (resumes, subagents, sidechains) is the one merged in.
		assert.deepEqual(par.splitStores, ['claude-code']);
		assert.equal(files, expected.files);
		const b = assertSameAsSequential(seq, par, expected);
		assert.equal(b.tools.find(t => t.tool === 'codex')!.outputTokens, expected.codex.output);
		assert.deepEqual(par.aggregate.exportState().sessions.map(s => s.key).sort(), seq.aggregate.exportState().sessions.map(s => s.key).sort());
	});

	it('a store worker that dies: its files are read here, same snapshot', async () => {
		const dir = tempHome('burntop-split-dies-');
		generate(dir, 4, 9);
		const home = path.join(dir, 'home');
		const {seq, par} = engines(home, true, {workerDies: true});
		const here = readHere(par);
		assert.equal(await par.scan(), 'split');
		// Every file, the dead worker's store included, was read by this thread.
		assert.equal(here.size, par.reader.files.size);
		assert.equal(JSON.stringify(par.snapshot({now: NOW}, NOW)), JSON.stringify(seq.snapshot({now: NOW}, NOW)));
	});

	it('does not apply with one big store, or when told not to', async () => {
		const dir = tempHome('burntop-split-one-');
		generate(dir, 4, 2);
		const home = path.join(dir, 'home');
		fs.rmSync(path.join(home, '.codex'), {recursive: true});
		assert.equal(await engineFor(home).scan(), 'parallel', 'one store: files over threads (forced by the threshold)');
		assert.equal(await engineFor(home, false).scan(), 'sequential');
	});

	it('does not apply once calls are counted (after an index load, new files may continue its sessions)', async () => {
		const dir = tempHome('burntop-split-warm-');
		generate(dir, 4, 4);
		const home = path.join(dir, 'home');
		const e = engineFor(home, true);
		e.aggregate.apply({kind: 'usage', tool: 'codex', sessionId: 's', project: '/p', model: 'gpt-5', ts: NOW - 1000, input: 1, cacheRead: 0, cacheWrite5m: 0, cacheWrite1h: 0, output: 1, reasoning: 0, webSearches: 0, dedupeKey: 'k', replace: 'last'});
		assert.equal(await e.scan(), 'parallel');
	});
});

describe('a worker that dies', () => {
	it('leaves its file to the main thread: same snapshot as a sequential scan', async () => {
		const dir = tempHome('burntop-parallel-dies-');
		generate(dir, 4, 3);
		const {seq, par} = engines(path.join(dir, 'home'), 'files', {workerDies: true});
		assert.equal(await par.scan(), 'parallel');
		assert.equal(JSON.stringify(par.snapshot({now: NOW}, NOW)), JSON.stringify(seq.snapshot({now: NOW}, NOW)));
	});
});

describe('the bundled CLI (dist/, built by npm install)', () => {
	it('finds its scan workers and gives the same numbers as a sequential scan', async t => {
		const cli = builtCli(t);
		if (!cli) return;

		const dir = tempHome('burntop-parallel-dist-');
		generate(dir, 10, 11);
		const env = {...process.env, HOME: path.join(dir, 'home'), CLAUDE_CONFIG_DIR: '', CODEX_HOME: '', XDG_CACHE_HOME: tempHome()};
		const run = (args: string[], extra: Record<string, string> = {}) => spawnSync(process.execPath, [cli, ...args], {env: {...env, ...extra}, encoding: 'utf8', maxBuffer: 1 << 28});
		const files = {BURNTOP_PARALLEL_MIN_BYTES: '0', BURNTOP_PARALLEL: 'files'};
		const doctor = run(['doctor', '--no-cache'], files);
		assert.match(doctor.stdout, /^scan: Claude Code and Codex transcripts parsed by the main thread and \d+ worker threads$/m, doctor.stdout + doctor.stderr);
		const split = run(['doctor', '--no-cache'], {BURNTOP_PARALLEL_MIN_BYTES: '0'});
		assert.match(split.stdout, /^scan: claude-code read by worker threads with aggregates of their own, merged; the other stores by the main thread$/m, split.stdout + split.stderr);
		const once = (extra: Record<string, string>) => {
			const out = JSON.parse(run(['--once', '--json', '--no-cache', '--now', '2030-01-01T00:00:00Z'], extra).stdout);
			delete out.generatedAt;
			return JSON.stringify(out);
		};

		const seq = once({BURNTOP_PARALLEL: '0'});
		assert.equal(once(files), seq, 'files over threads');
		assert.equal(once({BURNTOP_PARALLEL_MIN_BYTES: '0'}), seq, 'stores over threads');
	});

	it('defers meow\'s package-data helpers (scripts/bundle.mjs), and --help still works', async t => {
		const cli = builtCli(t);
		if (!cli) return;

		// If a meow update changes its file, the build only warns: this says it here.
		// The entry loads the young-generation setting, then the main CLI (its own chunk, with meow).
		const entry = fs.readFileSync(cli, 'utf8');
		const chunk = (name: string) => new RegExp(`chunks/(${name}-\\w+\\.mjs)`).exec(entry)?.[1];
		const mainChunk = chunk('main');
		const heapChunk = chunk('heap');
		assert.ok(mainChunk && heapChunk, 'the entry imports the main CLI and the heap setting');
		const text = fs.readFileSync(path.join(path.dirname(cli), 'chunks', mainChunk), 'utf8');
		assert.ok(text.includes('normalizeLazy ??='), 'normalize-package-data is evaluated eagerly again');
		assert.ok(text.includes('codeFrameLazy ??='), 'the Babel code frame is evaluated eagerly again');
		assert.ok(!/^import .* from "node:child_process";$/m.test(text), 'child_process is loaded at start again');
		assert.ok(!/^import .* from "node:crypto";$/m.test(text), 'crypto is loaded at start again');
		assert.ok(fs.readFileSync(path.join(path.dirname(cli), 'chunks', heapChunk), 'utf8').includes('\nkeepYoungGenerationSmall();\n'));
		assert.ok(entry.indexOf(`chunks/${heapChunk}`) < entry.indexOf(`chunks/${mainChunk}`), 'the young-generation setting runs before the rest of the CLI loads');
		assert.ok(!/^import .* from "node:child_process";$/m.test(entry), 'the entry loads child_process');
		const help = spawnSync(process.execPath, [cli, '--help'], {encoding: 'utf8', env: {...process.env, HOME: tempHome()}});
		assert.equal(help.status, 0, help.stderr);
		assert.match(help.stdout, /burntop --once \[--json\]/);
	});
});

// npm run bench [-- --quick] [-- --only cold,markers,versus,warm,ccusage,frame,live,idle,scale,report,statusline,hook]
// Measures, on generated histories (bench/generate.ts) with the compiled CLI (dist/):
//   cold full scan of 100 MB and 1 GB (wall, CPU, MB/s, peak RSS) and whether totals are exact;
//   warm start from the persistent index (first run writes it; later runs on unchanged history);
//   time to the first --watch snapshot and to the monitor's first painted frame (in a pty);
//   append-to-snapshot latency from a separate writer process (p50/p95, default --interval);
//   idle CPU over 60 s and RSS after back-filling 1 GB;
//   ccusage on the same data when it is installed (CCUSAGE_BIN or `ccusage` on the PATH; a
//   local comparison only, never a dependency).
// Prints the figures; BENCHMARKS.md records them with this command.
import {spawn, spawnSync} from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {corpus, DATA, ROOT} from './corpus.js';
import type {Expected} from './generate.js';
import {claudeStore} from '../src/ingest/claude.js';
import {codexStore} from '../src/ingest/codex.js';
import {compileMarkers, findHits, findHitsIndexOf, readBlock, wasmScanner} from '../src/ingest/marker-scan.js';

// BENCH_CLI=<another build's burntop.mjs>: the same parts for that build (A/B).
const CLI = process.env['BENCH_CLI'] ?? path.join(ROOT, 'dist', 'burntop.mjs');
const args = process.argv.slice(2);
const quick = args.includes('--quick');
const onlyArg = args.includes('--only') ? args[args.indexOf('--only') + 1]!.split(',') : undefined;
const want = (s: string) => !onlyArg || onlyArg.includes(s);

function env(home: string, cache = path.join(DATA, 'cache-default')): NodeJS.ProcessEnv {
	return {...process.env, HOME: home, CLAUDE_CONFIG_DIR: '', CODEX_HOME: '', XDG_CONFIG_HOME: path.join(home, '.config'), XDG_CACHE_HOME: cache};
}

function checkTotals(snap: any, e: Expected): string {
	const t = (id: string) => snap.tools.find((x: any) => x.tool === id) ?? {};
	const pairs: Array<[string, number, number]> = [];
	for (const [id, exp] of [['claude-code', e.claude], ['codex', e.codex]] as const) {
		const got = t(id);
		pairs.push([`${id} calls`, got.calls, exp.calls], [`${id} input`, got.inputTokens, exp.input], [`${id} output`, got.outputTokens, exp.output], [`${id} cache read`, got.cacheReadTokens, exp.cacheRead], [`${id} cache write`, got.cacheWriteTokens, exp.cacheWrite]);
	}

	const bad = pairs.filter(([, a, b]) => a !== b);
	return bad.length === 0 ? 'exact' : `MISMATCH ${bad.map(([k, a, b]) => `${k} ${a}≠${b}`).join(', ')}`;
}

function cold(mb: number, variant = '', extra: Record<string, string> = {}): void {
	const {dir, expected} = corpus(mb);
	const runs = quick ? 1 : 3;
	const walls: number[] = [];
	let last = '';
	for (let i = 0; i < runs; i++) {
		const r = spawnSync('/usr/bin/time', ['-f', '%e %U %S %M', process.execPath, CLI, '--once', '--json', '--no-cache'], {env: {...env(path.join(dir, 'home')), ...extra}, maxBuffer: 1 << 30, encoding: 'utf8'});
		const [wall, user, sys, rss] = r.stderr.trim().split('\n').at(-1)!.split(' ').map(Number) as [number, number, number, number];
		walls.push(wall);
		last = `wall ${wall.toFixed(2)} s, CPU ${(user + sys).toFixed(2)} s, ${(expected.bytes / 1e6 / wall).toFixed(0)} MB/s, peak RSS ${(rss / 1024).toFixed(0)} MB, totals ${checkTotals(JSON.parse(r.stdout), expected)}`;
	}

	const mid = median(walls);
	console.log(`cold scan ${(expected.bytes / 1e6).toFixed(0)} MB, ${expected.files} files${variant}: median wall ${mid.toFixed(2)} s (${(expected.bytes / 1e6 / mid).toFixed(0)} MB/s) of ${runs}; last run: ${last}`);
}

/** Start with the index: the first run writes it, the next ones read only what changed (nothing here). */
function warm(mb: number): void {
	const {dir, expected} = corpus(mb);
	const cache = path.join(DATA, `cache-warm-${mb}`);
	fs.rmSync(cache, {recursive: true, force: true});
	const run = () => {
		const r = spawnSync('/usr/bin/time', ['-f', '%e %U %S %M', process.execPath, CLI, '--once', '--json'], {env: {...env(path.join(dir, 'home'), cache), BURNTOP_TIMING: '1'}, maxBuffer: 1 << 30, encoding: 'utf8'});
		const [wall, user, sys, rss] = r.stderr.trim().split('\n').at(-1)!.split(' ').map(Number) as [number, number, number, number];
		// BURNTOP_TIMING: milliseconds from the process's start to the first snapshot.
		const snapshotMs = Number(/snapshot ready at (\d+) ms/.exec(r.stderr)?.[1] ?? Number.NaN);
		return {wall, snapshotMs, cpu: user + sys, rss: rss / 1024, totals: checkTotals(JSON.parse(r.stdout), expected)};
	};

	const first = run();
	const size = fs.statSync(path.join(cache, 'burntop', 'index.sqlite')).size;
	console.log(`index, first run on ${(expected.bytes / 1e6).toFixed(0)} MB (cold scan + writing the index): wall ${first.wall.toFixed(2)} s, peak RSS ${first.rss.toFixed(0)} MB, index ${(size / 1e6).toFixed(1)} MB, totals ${first.totals}`);
	const walls: number[] = [];
	const snaps: number[] = [];
	let last = first;
	for (let i = 0; i < (quick ? 2 : 7); i++) {
		last = run();
		walls.push(last.wall);
		snaps.push(last.snapshotMs);
	}

	console.log(`warm start --once --json, ${(expected.bytes / 1e6).toFixed(0)} MB unchanged: first snapshot ${median(snaps)} ms after process start (median of ${snaps.length}; ${Math.min(...snaps)}–${Math.max(...snaps)}); whole process with JSON out: median wall ${median(walls).toFixed(2)} s; last: CPU ${last.cpu.toFixed(2)} s, peak RSS ${last.rss.toFixed(0)} MB, totals ${last.totals}`);
}

/** The middle value of `xs` (the upper one of an even count). */
function median(xs: readonly number[]): number {
	return [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
}

/** The ccusage command to compare with: CCUSAGE_BIN, else `ccusage` on the PATH. */
function ccusageBin(): string | undefined {
	return process.env['CCUSAGE_BIN'] || (spawnSync('sh', ['-c', 'command -v ccusage'], {encoding: 'utf8'}).stdout.trim() || undefined);
}

/** ccusage's environment for a generated home (it reads Claude Code and Codex from these). */
function ccusageEnv(home: string): NodeJS.ProcessEnv {
	return {...process.env, HOME: home, CLAUDE_CONFIG_DIR: path.join(home, '.claude'), CODEX_HOME: path.join(home, '.codex')};
}

/** Whether ccusage's `daily --json` output totals equal the generator's (Claude Code + Codex). */
function ccusageExact(out: string, e: Expected): boolean {
	const t = JSON.parse(out).totals as {inputTokens: number; outputTokens: number; cacheReadTokens: number; cacheCreationTokens: number};
	return t.inputTokens === e.claude.input + e.codex.input && t.outputTokens === e.claude.output + e.codex.output && t.cacheReadTokens === e.claude.cacheRead + e.codex.cacheRead && t.cacheCreationTokens === e.claude.cacheWrite + e.codex.cacheWrite;
}

/** ccusage 20 (`daily` covers Claude Code and Codex in one run), when installed. */
function ccusage(mb: number): void {
	const bin = ccusageBin();
	if (!bin) {
		console.log('ccusage: not installed (set CCUSAGE_BIN to compare), skipped');
		return;
	}

	const {dir, expected} = corpus(mb);
	const home = path.join(dir, 'home');
	const walls: number[] = [];
	let last = '';
	for (let i = 0; i < (quick ? 1 : 3); i++) {
		const r = spawnSync('/usr/bin/time', ['-f', '%e %U %S %M', bin, 'daily', '--json', '--offline'], {env: ccusageEnv(home), maxBuffer: 1 << 30, encoding: 'utf8'});
		const [wall, user, sys, rss] = r.stderr.trim().split('\n').at(-1)!.split(' ').map(Number) as [number, number, number, number];
		walls.push(wall);
		last = `wall ${wall.toFixed(2)} s, CPU ${(user + sys).toFixed(2)} s, peak RSS ${(rss / 1024).toFixed(0)} MB, totals ${ccusageExact(r.stdout, expected) ? 'equal to the expected' : 'DIFFERENT from the expected'}`;
	}

	console.log(`ccusage (${bin}) daily on the same ${(expected.bytes / 1e6).toFixed(0)} MB: median wall ${median(walls).toFixed(2)} s of ${walls.length}; last run: ${last}`);
}

/**
 * The marker pre-filter alone, in this process: every 4 MB block of the 1 GB history's Claude
 * Code and Codex files through the WebAssembly pass and through one indexOf pass per marker
 * (the fallback), with the hits of both compared.
 */
function markers(mb: number): void {
	const {dir} = corpus(mb);
	const block = readBlock();
	if (!wasmScanner()) console.log('markers: WebAssembly SIMD unavailable here; only the indexOf pass runs');
	for (const [name, store, sub] of [['Claude Code', claudeStore, '.claude'], ['Codex', codexStore, '.codex']] as const) {
		const compiled = compileMarkers(store.markers);
		const files = fs.readdirSync(path.join(dir, 'home', sub), {recursive: true}).map(String).filter(f => f.endsWith('.jsonl')).map(f => path.join(dir, 'home', sub, f));
		let bytes = 0;
		let wasmMs = 0;
		let indexOfMs = 0;
		let hits = 0;
		let differ = 0;
		const a: number[] = [];
		const b: number[] = [];
		for (const f of files) {
			const fd = fs.openSync(f, 'r');
			for (let got = fs.readSync(fd, block, 0, block.length, null); got > 0; got = fs.readSync(fd, block, 0, block.length, null)) {
				const view = block.subarray(0, got);
				bytes += got;
				a.length = 0;
				b.length = 0;
				let t = performance.now();
				findHits(view, got, compiled, a);
				wasmMs += performance.now() - t;
				t = performance.now();
				findHitsIndexOf(view, got, compiled, b);
				indexOfMs += performance.now() - t;
				hits += a.length;
				if (a.length !== b.length || a.some((x, k) => x !== b[k])) differ++;
			}

			fs.closeSync(fd);
		}

		console.log(`marker pass, ${name} (${store.markers.length} markers), ${(bytes / 1e6).toFixed(0)} MB: WebAssembly ${wasmMs.toFixed(0)} ms (${(bytes / 1e6 / (wasmMs / 1000)).toFixed(0)} MB/s, candidates checked included), indexOf ${indexOfMs.toFixed(0)} ms (${(bytes / 1e6 / (indexOfMs / 1000)).toFixed(0)} MB/s); ${hits} hits, ${differ === 0 ? 'the same hits' : `${differ} blocks DIFFER`}`);
	}
}

/**
 * burntop's cold scan and ccusage, alternated run by run on the same history, so that a drift
 * in the machine's speed hits both: the ratio per pair is the comparison. Peak RSS of each run;
 * then one profiled burntop run (`--cpu-prof`, every thread): the garbage collector's share of
 * its busy samples, the issue's GC figure.
 */
function versus(mb: number): void {
	const bin = ccusageBin();
	if (!bin) {
		console.log('versus: ccusage not installed (set CCUSAGE_BIN), skipped');
		return;
	}

	const {dir, expected} = corpus(mb);
	const home = path.join(dir, 'home');
	readAll(home);
	// A run that fails or miscounts is no time to compare (ccusage 20.0.26 without its native
	// package exits at once with an error: that once printed a ratio of 25×).
	const time = (cmd: string, args: string[], e: NodeJS.ProcessEnv, exact: (out: string) => string): {wall: number; rss: number; cpu: number} => {
		const r = spawnSync('/usr/bin/time', ['-f', '%e %M %U %S', cmd, ...args], {env: e, maxBuffer: 1 << 30, encoding: 'utf8'});
		const lines = r.stderr.trim().split('\n');
		let verdict: string;
		try {
			verdict = r.status === 0 ? exact(r.stdout) : `exit code ${r.status}`;
		} catch (error) {
			verdict = `output not read: ${(error as Error).message}`;
		}

		if (verdict !== 'exact') throw new Error(`versus: ${path.basename(cmd)} ${args.join(' ')}: ${verdict}\n${lines.slice(0, -1).join('\n').slice(0, 500)}`);
		const [wall, rss, user, sys] = lines.at(-1)!.split(' ').map(Number) as [number, number, number, number];
		return {wall, rss: rss / 1024, cpu: user + sys};
	};

	const ourTotals = (out: string) => checkTotals(JSON.parse(out), expected);
	const theirTotals = (out: string) => (ccusageExact(out, expected) ? 'exact' : 'totals different from the expected');
	const ours = ['--once', '--json', '--no-cache'];
	const runs: Array<Array<{wall: number; rss: number; cpu: number}>> = [];
	for (let i = 0; i < (quick ? 2 : 7); i++) {
		runs.push([
			time(process.execPath, [CLI, ...ours], env(home), ourTotals),
			time(process.execPath, [CLI, ...ours], {...env(home), BURNTOP_PARALLEL: '0'}, ourTotals),
			time(bin, ['daily', '--json', '--offline'], ccusageEnv(home), theirTotals),
		]);
	}

	const stat = (xs: number[]) => {
		const s = [...xs].sort((a, b) => a - b);
		return `median ${median(xs).toFixed(2)}× (${s[0]!.toFixed(2)}–${s.at(-1)!.toFixed(2)})`;
	};

	const list = (k: number) => runs.map(r => r[k]!.wall.toFixed(2)).join(' ');
	// On a machine whose cores are all busy (a split scan on 2), CPU time is what wall time follows.
	const rss = (k: number) => `${median(runs.map(r => r[k]!.rss)).toFixed(0)} MB, CPU median ${median(runs.map(r => r[k]!.cpu)).toFixed(2)} s`;
	const ratio = (a: number, b: number) => stat(runs.map(r => r[a]!.wall / r[b]!.wall));
	console.log(`burntop cold --once (default; one thread: BURNTOP_PARALLEL=0) vs ccusage daily, ${runs.length} alternating rounds on ${mb} MB: burntop ${list(0)} s (peak RSS median ${rss(0)}); one thread ${list(1)} s (${rss(1)}); ccusage ${list(2)} s (${rss(2)}); burntop/ccusage ${ratio(0, 2)}; one thread/ccusage ${ratio(1, 2)}; burntop/one thread ${ratio(0, 1)}; totals exact in every run`);
	console.log(`  garbage collector's share of a profiled cold --once on ${mb} MB (every thread's busy samples): ${gcShare(home)}`);
}

/** The (garbage collector) share of the non-idle samples of one `--cpu-prof` cold run, over all its threads' profiles. */
function gcShare(home: string): string {
	const dir = fs.mkdtempSync(path.join(DATA, 'prof-'));
	try {
		const r = spawnSync(process.execPath, ['--cpu-prof', '--cpu-prof-dir', dir, CLI, '--once', '--json', '--no-cache'], {env: env(home), maxBuffer: 1 << 30, encoding: 'utf8'});
		if (r.status !== 0) return `profiled run failed (exit code ${r.status})`;
		let gc = 0;
		let busy = 0;
		for (const f of fs.readdirSync(dir)) {
			const prof = JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')) as {nodes: Array<{id: number; callFrame: {functionName: string}}>; samples: number[]; timeDeltas: number[]};
			const name = new Map(prof.nodes.map(n => [n.id, n.callFrame.functionName]));
			for (let k = 0; k < prof.samples.length; k++) {
				const fn = name.get(prof.samples[k]!);
				const us = prof.timeDeltas[k + 1] ?? 0;
				if (fn === '(idle)') continue;
				busy += us;
				if (fn === '(garbage collector)') gc += us;
			}
		}

		return `${((gc / busy) * 100).toFixed(1)}% (${(gc / 1000).toFixed(0)} of ${(busy / 1000).toFixed(0)} ms)`;
	} finally {
		fs.rmSync(dir, {recursive: true, force: true});
	}
}

type Watch = {child: ReturnType<typeof spawn>; lines: Array<{at: number; doc: any}>; started: number};

/** `lastOnly`: keep the newest line only (a 3 GB history's line is ~2 MB: an hour of them is ~4 GB). */
function watch(home: string, lastOnly = false): Watch {
	// A fresh index folder: these measure a first start, and an index from an earlier run would
	// already hold the calls the latency writer appends again (same ids: duplicates, no line).
	const cache = path.join(DATA, 'cache-watch');
	fs.rmSync(cache, {recursive: true, force: true});
	const started = performance.now();
	const child = spawn(process.execPath, [CLI, '--watch', '--json'], {env: env(home, cache), stdio: ['ignore', 'pipe', 'inherit']});
	const w: Watch = {child, lines: [], started};
	let buf = '';
	child.stdout!.on('data', d => {
		buf += d;
		let i;
		while ((i = buf.indexOf('\n')) !== -1) {
			const line = {at: performance.now(), doc: JSON.parse(buf.slice(0, i))};
			if (lastOnly) w.lines[0] = line;
			else w.lines.push(line);
			buf = buf.slice(i + 1);
		}
	});
	return w;
}

async function until(cond: () => boolean, ms: number): Promise<void> {
	const t = performance.now();
	while (!cond()) {
		if (performance.now() - t > ms) throw new Error('benchmark timed out');
		await new Promise(r => setTimeout(r, 5));
	}
}

function cpuSeconds(pid: number): number {
	const f = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
	return (Number(f[11]) + Number(f[12])) / 100; // utime + stime, clock ticks at 100 Hz
}

function rssMB(pid: number, field: 'VmRSS' | 'VmHWM' = 'VmRSS'): number {
	const m = new RegExp(`${field}:\\s+(\\d+) kB`).exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
	return m ? Number(m[1]) / 1024 : NaN;
}

function pct(xs: number[], p: number): number {
	const s = [...xs].sort((a, b) => a - b);
	return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
}

/** The monitor in a real pseudo-terminal (script(1)): time until its header is drawn. */
async function firstFrame(withIndex: boolean): Promise<void> {
	const {dir, expected} = corpus(1024);
	const times: number[] = [];
	const cache = path.join(DATA, 'cache-frame');
	if (withIndex) spawnSync(process.execPath, [CLI, '--once', '--json'], {env: env(path.join(dir, 'home'), cache), maxBuffer: 1 << 30});
	for (let i = 0; i < (quick ? 1 : 3); i++) {
		// Ink writes only a final frame under CI=true: the monitor runs without it.
		const e: NodeJS.ProcessEnv = {...env(path.join(dir, 'home'), cache), TERM: 'xterm-256color'};
		delete e['CI'];
		const t0 = performance.now();
		const child = spawn('script', ['-qfc', `${process.execPath} ${CLI}${withIndex ? '' : ' --no-cache'}`, '/dev/null'], {env: e, stdio: ['pipe', 'pipe', 'ignore']});
		let out = '';
		const seen = new Promise<number>(resolve => {
			child.stdout!.on('data', d => {
				out += d;
				if (out.includes('today')) resolve(performance.now() - t0);
			});
		});
		const exited = new Promise(r => child.on('exit', r));
		times.push(await seen);
		child.stdin!.write('q');
		await new Promise(r => setTimeout(r, 300));
		child.kill('SIGTERM');
		await exited;
	}

	console.log(`first painted frame of the monitor with ${(expected.bytes / 1e6).toFixed(0)} MB of history, ${withIndex ? 'index present' : '--no-cache'}: median ${median(times).toFixed(0)} ms after start (of ${times.length}; in a pseudo-terminal via script)`);
}

async function live(): Promise<void> {
	// Latency on a small live home with default settings (--interval 1000, leading edge).
	const home = path.join(DATA, 'live-home');
	fs.rmSync(home, {recursive: true, force: true});
	const file = path.join(home, '.claude', 'projects', '-bench', 'live.jsonl');
	fs.mkdirSync(path.dirname(file), {recursive: true});
	fs.writeFileSync(file, '');
	const w = watch(home);
	await until(() => w.lines.length > 0 && w.lines.at(-1)!.doc.progress.done, 20_000);
	// Start after a quiet interval: lines within --interval of the previous one are held by design.
	await new Promise(r => setTimeout(r, 1100));
	const n = quick ? 40 : 200;
	// The writer is a separate process; it prints the time of each append (ms since its start).
	const writer = spawn(process.execPath, ['-e', `
		const fs = require('fs'); const t0 = Date.now(); let i = 0;
		const next = () => {
			if (i >= ${n}) return;
			const id = 'lat' + i;
			fs.appendFileSync(${JSON.stringify(file)}, JSON.stringify({type:'assistant',sessionId:'bench',cwd:'/bench',timestamp:new Date().toISOString(),requestId:'r'+id,message:{id,role:'assistant',model:'claude-sonnet-4-5-20250929',usage:{input_tokens:10,output_tokens:5}}}) + '\\n');
			process.stdout.write(i + ' ' + Date.now() + '\\n'); i++;
			setTimeout(next, 1050 + Math.random() * 300);
		};
		next();`], {stdio: ['ignore', 'pipe', 'inherit']});
	const writes: number[] = [];
	let wb = '';
	writer.stdout!.on('data', d => {
		wb += d;
		let i;
		while ((i = wb.indexOf('\n')) !== -1) {
			const [, ms] = wb.slice(0, i).split(' ');
			writes.push(Number(ms));
			wb = wb.slice(i + 1);
		}
	});
	const seenAt: number[] = [];
	const offset = Date.now() - performance.now();
	await until(() => {
		for (const l of w.lines) {
			const calls = l.doc.totals.calls;
			while (seenAt.length < calls) seenAt.push(l.at + offset);
		}

		return seenAt.length >= n;
	}, n * 2000 + 20_000);
	const lat = writes.slice(0, n).map((t, i) => seenAt[i]! - t);
	console.log(`live latency, append → --watch line (${n} appends from a separate writer, default --interval): p50 ${pct(lat, 50).toFixed(0)} ms, p95 ${pct(lat, 95).toFixed(0)} ms, max ${Math.max(...lat).toFixed(0)} ms`);
	w.child.kill('SIGTERM');
	writer.kill();
}

async function idle(): Promise<void> {
	const {dir, expected} = corpus(1024);
	readAll(path.join(dir, 'home'));
	const w = watch(path.join(dir, 'home'));
	await until(() => w.lines.length > 0, 60_000);
	console.log(`first --watch snapshot on ${(expected.bytes / 1e6).toFixed(0)} MB: ${(w.lines[0]!.at - w.started).toFixed(0)} ms after start (recent files first; back-fill continues)`);
	await until(() => w.lines.length > 0 && w.lines.at(-1)!.doc.progress.done, 120_000);
	const done = w.lines.at(-1)!;
	console.log(`back-fill of 1 GB complete after ${((done.at - w.started) / 1000).toFixed(2)} s; totals ${checkTotals(done.doc, expected)}`);
	await new Promise(r => setTimeout(r, 2000));
	const pid = w.child.pid!;
	const rss = rssMB(pid);
	const seconds = quick ? 15 : 60;
	// V8's memory reducer compacts the heap during the first minute after the load; measure both.
	const c0 = cpuSeconds(pid);
	await new Promise(r => setTimeout(r, 30_000));
	const c1 = cpuSeconds(pid);
	await new Promise(r => setTimeout(r, seconds * 1000));
	const c2 = cpuSeconds(pid);
	console.log(`after back-fill: RSS ${rss.toFixed(0)} MB; CPU in the first 30 s after it: ${(((c1 - c0) / 30) * 100).toFixed(2)}% of one core; idle CPU over the next ${seconds} s with nothing changing (includes V8's one-time heap compaction): ${(((c2 - c1) / seconds) * 100).toFixed(2)}% of one core`);
	if (!quick) {
		// Steady state: a window starting two minutes after the back-fill.
		await new Promise(r => setTimeout(r, 30_000));
		const c3 = cpuSeconds(pid);
		await new Promise(r => setTimeout(r, 60_000));
		const c4 = cpuSeconds(pid);
		console.log(`steady idle CPU, 60 s starting 2 min after the back-fill: ${(((c4 - c3) / 60) * 100).toFixed(2)}% of one core`);
	}
	w.child.kill('SIGTERM');
}

/** Peak RSS (MB) and wall (s) of one CLI run, with its stdout. */
function timed(argv: string[], e: NodeJS.ProcessEnv): {wall: number; cpu: number; rss: number; stdout: string; stderr: string} {
	const r = spawnSync('/usr/bin/time', ['-f', '%e %U %S %M', process.execPath, CLI, ...argv], {env: e, maxBuffer: 1 << 30, encoding: 'utf8'});
	const [wall, user, sys, rss] = r.stderr.trim().split('\n').at(-1)!.split(' ').map(Number) as [number, number, number, number];
	return {wall, cpu: user + sys, rss: rss / 1024, stdout: r.stdout, stderr: r.stderr};
}

/** Read every file below `dir` once, so the runs timed after it find the page cache warm. */
function readAll(dir: string): void {
	for (const e of fs.readdirSync(dir, {recursive: true, withFileTypes: true})) if (e.isFile()) fs.readFileSync(path.join(e.parentPath, e.name));
}

/**
 * Memory and start-up against history size (the index issue's targets): for each size, the cold
 * scan without the index, the first run that writes it, a warm start, and --watch's RSS once its
 * back-fill is done and after `appendMinutes` of appends; then the trend per GB and at 10 GB.
 */
async function scale(sizes: number[], appendMinutes: number): Promise<void> {
	const rows: Array<{gb: number; cold: number; first: number; warm: number; watch: number}> = [];
	for (const mb of sizes) {
		const {dir, expected} = corpus(mb);
		const home = path.join(dir, 'home');
		const gb = expected.bytes / 2 ** 30;
		// The appends below go to a project of their own, removed after (the corpus's totals are checked).
		const appended = path.join(home, '.claude', 'projects', '-bench-scale');
		fs.rmSync(appended, {recursive: true, force: true});
		// One run's peak RSS varies by ±5 MB (a 2.5 MB/GB swing in the trend): the median of five
		// (three gave 18.9–23.2 MB/GB for the same build in one day: BENCHMARKS.md, session 12),
		// with the page cache warm (this machine's memory monitor evicts it; a cold read is I/O-bound).
		readAll(home);
		const runs = quick ? 1 : 5;
		const byRss = (xs: ReturnType<typeof timed>[]) => [...xs].sort((a, b) => a.rss - b.rss);
		const colds = byRss(Array.from({length: runs}, () => timed(['--once', '--json', '--no-cache'], env(home))));
		const cache = path.join(DATA, `cache-scale-${mb}`);
		const firsts = byRss(Array.from({length: runs}, () => {
			fs.rmSync(cache, {recursive: true, force: true});
			return timed(['--once', '--json'], env(home, cache));
		}));
		const cold = colds[Math.floor(runs / 2)]!;
		const first = firsts[Math.floor(runs / 2)]!;
		const range = (xs: ReturnType<typeof timed>[]) => (xs.length > 1 ? ` (${xs[0]!.rss.toFixed(0)}–${xs.at(-1)!.rss.toFixed(0)}, ${xs.length} runs)` : '');
		const size = fs.statSync(path.join(cache, 'burntop', 'index.sqlite')).size / 1e6;
		const warms = Array.from({length: quick ? 2 : 5}, () => timed(['--once', '--json'], {...env(home, cache), BURNTOP_TIMING: '1'}));
		const snap = warms.map(w => Number(/snapshot ready at (\d+) ms/.exec(w.stderr)?.[1])).sort((a, b) => a - b);
		const warm = warms.at(-1)!;
		console.log(`${(expected.bytes / 1e6).toFixed(0)} MB (${expected.claude.calls + expected.codex.calls} calls, ${expected.files} files): cold --no-cache wall ${cold.wall.toFixed(2)} s, peak RSS median ${cold.rss.toFixed(0)} MB${range(colds)}, totals ${checkTotals(JSON.parse(cold.stdout), expected)}; first run writing the index wall ${first.wall.toFixed(2)} s, peak RSS median ${first.rss.toFixed(0)} MB${range(firsts)}, index ${size.toFixed(1)} MB (${(size / gb).toFixed(1)} MB per GB), totals ${checkTotals(JSON.parse(first.stdout), expected)}; warm start first snapshot median ${snap[Math.floor(snap.length / 2)]} ms (${snap[0]}–${snap.at(-1)}), peak RSS ${warm.rss.toFixed(0)} MB, totals ${checkTotals(JSON.parse(warm.stdout), expected)}`);
		// --watch: back-fill, then a writer appends a call a second for `appendMinutes`.
		const w = watch(home, true);
		await until(() => w.lines.length > 0 && w.lines.at(-1)!.doc.progress.done, 600_000);
		await new Promise(r => setTimeout(r, 3000));
		const afterFill = rssMB(w.child.pid!);
		const file = path.join(appended, 'scale.jsonl');
		fs.mkdirSync(path.dirname(file), {recursive: true});
		const samples: number[] = [];
		const end = performance.now() + appendMinutes * 60_000;
		for (let i = 0; performance.now() < end; i++) {
			fs.appendFileSync(file, `${JSON.stringify({type: 'assistant', sessionId: 'scale', cwd: '/bench/scale', timestamp: new Date().toISOString(), requestId: `req_scale_${mb}_${i}`, message: {id: `msg_scale_${mb}_${i}`, model: 'claude-sonnet-4-5-20250929', role: 'assistant', content: [{type: 'tool_use', id: `t${i}`, name: 'Bash', input: {command: `npm test -- ${i % 50}`}}], usage: {input_tokens: 10, output_tokens: 200, cache_read_input_tokens: 50_000, cache_creation_input_tokens: 100}}})}\n`);
			await new Promise(r => setTimeout(r, 1000));
			if (i % 30 === 0) samples.push(rssMB(w.child.pid!));
		}

		const final = rssMB(w.child.pid!);
		const peak = rssMB(w.child.pid!, 'VmHWM');
		w.child.kill('SIGTERM');
		await new Promise(r => w.child.once('exit', r));
		fs.rmSync(appended, {recursive: true, force: true});
		console.log(`  --watch --json on ${(expected.bytes / 1e6).toFixed(0)} MB: RSS after back-fill ${afterFill.toFixed(0)} MB; appends for ${appendMinutes} min (one call a second): RSS ${samples.map(x => x.toFixed(0)).join(' → ')} → ${final.toFixed(0)} MB; peak over the whole run ${peak.toFixed(0)} MB`);
		rows.push({gb, cold: cold.rss, first: first.rss, warm: snap[Math.floor(snap.length / 2)]!, watch: afterFill});
	}

	if (rows.length >= 2) {
		const a = rows[0]!;
		const b = rows.at(-1)!;
		const per = (k: 'cold' | 'first' | 'watch') => (b[k] - a[k]) / (b.gb - a.gb);
		const at10 = (k: 'cold' | 'first' | 'watch') => b[k] + per(k) * (10 - b.gb);
		console.log(`trend per extra GB: cold ${per('cold').toFixed(1)} MB, first run ${per('first').toFixed(1)} MB, --watch after back-fill ${per('watch').toFixed(1)} MB; at 10 GB (linear): cold ~${at10('cold').toFixed(0)} MB, first run ~${at10('first').toFixed(0)} MB, --watch ~${at10('watch').toFixed(0)} MB; warm start ${((b.warm - a.warm) / (b.gb - a.gb)).toFixed(0)} ms per extra GB`);
	}
}

/** Warm `burntop report` (the index written first) and `burntop statusline` on the largest Claude Code session, whole process. */
function quickCommands(mb: number, which: 'report' | 'statusline' | 'hook'): void {
	const {dir} = corpus(mb);
	const home = path.join(dir, 'home');
	const cache = path.join(DATA, `cache-quick-${mb}`);
	const e = env(home, cache);
	if (!fs.existsSync(path.join(cache, 'burntop', 'index.sqlite'))) timed(['--once', '--json'], e);
	const walls: number[] = [];
	const runs = quick ? 20 : 100;
	if (which === 'report') {
		for (const kind of ['daily', 'monthly', 'session', 'blocks']) {
			const ws: number[] = [];
			for (let i = 0; i < (quick ? 3 : 7); i++) ws.push(timed(['report', kind, '--json'], e).wall * 1000);
			console.log(`report ${kind}, warm, ${mb} MB: median ${pct(ws, 50).toFixed(0)} ms whole process (${Math.min(...ws).toFixed(0)}–${Math.max(...ws).toFixed(0)}, ${ws.length} runs)`);
		}

		return;
	}

	// The largest Claude Code transcript: the worst case for the one file the status line reads.
	const projects = path.join(home, '.claude', 'projects');
	let biggest = {file: '', size: 0};
	for (const d of fs.readdirSync(projects)) {
		for (const f of fs.readdirSync(path.join(projects, d))) {
			const p = path.join(projects, d, f);
			const st = fs.statSync(p);
			if (st.isFile() && f.endsWith('.jsonl') && st.size > biggest.size) biggest = {file: p, size: st.size};
		}
	}

	const input = JSON.stringify({session_id: path.basename(biggest.file, '.jsonl'), transcript_path: biggest.file, cwd: '/', model: {id: 'claude-sonnet-4-5', display_name: 'Sonnet 4.5'}, hook_event_name: 'PreToolUse', tool_name: 'Bash', tool_input: {command: 'ls'}});
	let out = '';
	for (let i = 0; i < runs; i++) {
		const t = performance.now();
		const r = spawnSync(process.execPath, [CLI, which, ...(which === 'statusline' ? ['--no-refresh'] : [])], {env: e, input, encoding: 'utf8'});
		walls.push(performance.now() - t);
		out = which === 'hook' ? `exit ${r.status}${r.stderr ? `: ${r.stderr.trim()}` : ''}` : r.stdout.trim();
	}

	console.log(`${which}, ${mb} MB history, largest transcript (${(biggest.size / 1e6).toFixed(1)} MB): median ${pct(walls, 50).toFixed(0)} ms, p95 ${pct(walls, 95).toFixed(0)} ms whole process over ${runs} runs; node -e 0 here: ${(() => {
		const ws: number[] = [];
		for (let i = 0; i < 10; i++) {
			const t = performance.now();
			spawnSync(process.execPath, ['-e', '0']);
			ws.push(performance.now() - t);
		}

		return pct(ws, 50).toFixed(0);
	})()} ms; line: ${out}`);
}

if (!fs.existsSync(CLI)) spawnSync('npm', ['run', 'build'], {cwd: ROOT, stdio: 'inherit'});
console.log(`burntop bench — node ${process.version}, ${(await import('node:os')).cpus().length} cores${quick ? ' (quick)' : ''}`);
if (want('cold')) {
	cold(100);
	cold(1024);
	// The same scan other ways: one thread; without the WebAssembly marker pass; files (not
	// stores) over a worker thread (the default from 3 cores with one big store; forced here).
	cold(1024, ', one thread (BURNTOP_PARALLEL=0)', {BURNTOP_PARALLEL: '0'});
	cold(1024, ", V8's default young generation (BURNTOP_GC_DEFAULTS=1)", {BURNTOP_GC_DEFAULTS: '1'});
	cold(1024, ", one thread, V8's default young generation (BURNTOP_PARALLEL=0 BURNTOP_GC_DEFAULTS=1)", {BURNTOP_PARALLEL: '0', BURNTOP_GC_DEFAULTS: '1'});
	cold(1024, ', indexOf marker pass (BURNTOP_NO_WASM=1)', {BURNTOP_NO_WASM: '1'});
	cold(1024, ', files over main thread + 1 worker (BURNTOP_PARALLEL=files BURNTOP_PARALLEL_MIN_BYTES=0 BURNTOP_WORKERS=1)', {BURNTOP_PARALLEL: 'files', BURNTOP_PARALLEL_MIN_BYTES: '0', BURNTOP_WORKERS: '1'});
}

if (want('markers')) markers(1024);
if (want('versus')) for (const mb of quick ? [1024] : [1024, 3072]) versus(mb);
if (want('warm')) {
	warm(100);
	warm(1024);
}

if (want('cold') || want('ccusage')) ccusage(1024);
if (want('frame')) {
	await firstFrame(false);
	await firstFrame(true);
}

if (want('live')) await live();
if (want('idle')) await idle();
if (want('report')) quickCommands(1024, 'report');
if (want('statusline')) quickCommands(1024, 'statusline');
if (want('hook')) quickCommands(1024, 'hook');
// BENCH_SCALE_MB=3072: one size only (an hour of appends on the largest without the rest).
const scaleSizes = process.env['BENCH_SCALE_MB'] ? process.env['BENCH_SCALE_MB'].split(',').map(Number) : quick ? [1024] : [1024, 3072];
if (want('scale')) await scale(scaleSizes, Number(process.env['BENCH_APPEND_MINUTES'] ?? (quick ? 1 : 10)));

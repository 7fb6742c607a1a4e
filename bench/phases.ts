// Where a one-thread cold scan of one store goes, phase by phase (issue 16): each phase adds one
// step to the one before, in a fresh process (the JIT as cold as in a real scan), rounds alternating.
//   npx tsx bench/phases.ts [claude|codex] [rounds] [MB]      (the history of `npm run bench`, made if missing)
//   npx tsx bench/phases.ts --replay [claude|codex] [rounds] [MB]
// --replay: the store's events read once, then applied to a fresh aggregate per round in this
// process: the aggregate alone, its first round (cold JIT and caches, price data loaded before) against later ones.
// Phases: read (the bytes and their newlines), marker (+ the pre-filter, with a marker no line has),
// parse (+ JSON.parse of the lines the store's markers pick, no parser), parser (+ the store's
// parser: events), aggregate (+ the aggregate, sealing each file's old calls as the engine does).
import {spawnSync} from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {Aggregate} from '../src/core/aggregate.js';
import {claudeStore} from '../src/ingest/claude.js';
import {codexStore} from '../src/ingest/codex.js';
import {StoreReader} from '../src/ingest/reader.js';
import type {IngestEvent} from '../src/core/types.js';
import type {JsonlStore, SessionFile} from '../src/ingest/types.js';
import {Pricer} from '../src/pricing/index.js';
import {generate} from './generate.js';

const PHASES = ['read', 'marker', 'parse', 'parser', 'aggregate'] as const;
type Phase = (typeof PHASES)[number];

const here = fileURLToPath(import.meta.url);
const root = path.resolve(path.dirname(here), '..');

function history(mb: number): string {
	const dir = path.join(root, '.bench-data', `${mb}mb`);
	if (!fs.existsSync(path.join(dir, 'expected.json'))) generate(dir, mb, 1);
	return path.join(dir, 'home');
}

/** A store's files as discovery gives them: newest first, with the size and time it found. */
function sessionFiles(dir: string): Array<SessionFile & {size: number; mtimeMs: number}> {
	return fs.readdirSync(dir, {recursive: true}).map(String).filter(f => f.endsWith('.jsonl')).map(f => {
		const st = fs.statSync(path.join(dir, f));
		return {path: path.join(dir, f), root: dir, priority: 0, size: st.size, mtimeMs: st.mtimeMs};
	}).sort((x, y) => y.mtimeMs - x.mtimeMs);
}

/** What the engine's cold scan does after each file: its old calls sealed; every 64 files, old minutes compacted and the rest sealed. */
function afterFile(agg: Aggregate, now: number, k: number): void {
	agg.sealFresh(now);
	if (k % 64 === 0) {
		agg.series.compact();
		agg.seal(now);
	}
}

/** One phase in this process: milliseconds of the scan loop and what it counted. */
function run(phase: Phase, which: 'claude' | 'codex', home: string): string {
	const base: JsonlStore = which === 'claude' ? claudeStore : codexStore;
	const dir = which === 'claude' ? path.join(home, '.claude', 'projects') : path.join(home, '.codex', 'sessions');
	const files = sessionFiles(dir);
	const none = () => ({line() {}});
	const store: JsonlStore = phase === 'marker' ? {...base, markers: ['"no line has this"'], createParser: none} : phase === 'parse' ? {...base, createParser: none} : base;
	const t = performance.now();
	let n = 0;
	if (phase === 'read') {
		const buf = Buffer.allocUnsafe(4 << 20);
		for (const f of files) {
			const fd = fs.openSync(f.path, 'r');
			for (let got = fs.readSync(fd, buf, 0, buf.length, null); got > 0; got = fs.readSync(fd, buf, 0, buf.length, null)) {
				const v = buf.subarray(0, got);
				for (let p = v.indexOf(10); p !== -1; p = v.indexOf(10, p + 1)) n++;
			}

			fs.closeSync(fd);
		}
	} else {
		const pricer = new Pricer({});
		const agg = new Aggregate(e => pricer.price(e));
		agg.trackFresh(true);
		const now = Date.now();
		const reader = new StoreReader(phase === 'aggregate' ? e => (n++, agg.apply(e)) : () => n++, {home, env: {}, platform: process.platform});
		let k = 0;
		for (const file of files) {
			reader.read(reader.track(store, file), true);
			if (phase === 'aggregate') afterFile(agg, now, ++k);
		}
	}

	return `${(performance.now() - t).toFixed(1)} ${n}`;
}

/** The aggregate alone, round after round on the same events (--replay). */
function replay(which: 'claude' | 'codex', rounds: number, home: string): void {
	const store: JsonlStore = which === 'claude' ? claudeStore : codexStore;
	const dir = which === 'claude' ? path.join(home, '.claude', 'projects') : path.join(home, '.codex', 'sessions');
	const files = sessionFiles(dir);
	const perFile: IngestEvent[][] = [];
	let held: IngestEvent[] = [];
	const reader = new StoreReader(e => held.push(e), {home, env: {}, platform: process.platform});
	for (const file of files) {
		held = [];
		reader.read(reader.track(store, file), true);
		perFile.push(held);
	}

	const pricer = new Pricer({});
	for (const evs of perFile) for (const e of evs) if (e.kind === 'usage') pricer.price(e);
	const times: string[] = [];
	let counted = '';
	for (let r = 0; r < rounds; r++) {
		const agg = new Aggregate(e => pricer.price(e));
		agg.trackFresh(true);
		const now = Date.now();
		const t = performance.now();
		let k = 0;
		for (const evs of perFile) {
			for (const e of evs) agg.apply(e);
			afterFile(agg, now, ++k);
		}

		times.push((performance.now() - t).toFixed(0));
		counted = `${agg.calls.size} open and ${agg.sealedCalls} sealed calls`;
	}

	console.log(`${which}: ${perFile.reduce((n, f) => n + f.length, 0)} events applied to a fresh aggregate per round (${counted}): ${times.join(' ')} ms`);
}

const [, , a, b, c, d] = process.argv;
if (a === '--replay') {
	replay((b ?? 'claude') as 'claude' | 'codex', Number(c ?? 5), history(Number(d ?? 1024)));
} else if (a === '--phase') {
	console.log(run(b as Phase, c as 'claude' | 'codex', d!));
} else {
	const which = (a ?? 'claude') as 'claude' | 'codex';
	const rounds = Number(b ?? 5);
	const home = history(Number(c ?? 1024));
	const times = new Map<Phase, number[]>(PHASES.map(p => [p, []]));
	const counts = new Map<Phase, string>();
	for (let r = 0; r < rounds; r++) {
		for (const p of PHASES) {
			const out = spawnSync(process.execPath, [...process.execArgv, here, '--phase', p, which, home], {encoding: 'utf8'});
			if (out.status !== 0) throw new Error(`${p}: ${out.stderr}`);
			const [ms, n] = out.stdout.trim().split(' ');
			times.get(p)!.push(Number(ms));
			counts.set(p, n!);
		}
	}

	const med = (v: number[]) => [...v].sort((x, y) => x - y)[Math.floor(v.length / 2)]!;
	let before = 0;
	console.log(`${which}, ${path.relative(root, home)}, medians of ${rounds} (each phase adds its step to the one before):`);
	for (const p of PHASES) {
		const m = med(times.get(p)!);
		console.log(`  ${p.padEnd(10)} ${m.toFixed(0).padStart(5)} ms  (+${(m - before).toFixed(0)})  ${p === 'read' ? 'lines' : 'events'} ${counts.get(p)}`);
		before = m;
	}
}

// Where a one-thread cold scan of one store goes, phase by phase (issue 16): each phase adds one
// step to the one before, in a fresh process (the JIT as cold as in a real scan), rounds alternating.
//   npx tsx bench/phases.ts [claude|codex] [rounds] [MB]      (the history of `npm run bench`, made if missing)
//   npx tsx bench/phases.ts --replay [claude|codex] [rounds] [MB]
//   npx tsx bench/phases.ts --rounds [claude|codex] [rounds] [MB] [phase]
// BENCH_NO_TAPE=1: parsers without their tape reader (JSON.parse for every picked line), to compare.
// --replay: the store's events read once, then applied to a fresh aggregate per round in this
// process: the aggregate alone, its first round (cold JIT and caches, price data loaded before) against later ones,
// each split into a call's first copy, its later copies, other events and each file's sealing (timing each event adds ~5%).
// --rounds: one phase (aggregate: the whole scan) round after round in this process, each with a
// fresh reader and aggregate: the first round is what a cold process pays, the later ones what
// the code costs once the JIT is warm. Steadier than processes compared (±2–3% here against
// ±15%), so a change's effect on the later rounds shows where a cold A/B cannot.
// Phases: read (the bytes and their newlines), marker (+ the pre-filter, with a marker no line has),
// parse (+ the lines the store's markers pick read as the reader reads them, their tape or
// JSON.parse, no parser), parser (+ the store's parser: events), aggregate (+ the aggregate,
// sealing each file's old calls as the engine does).
// The CLI's V8 settings (a young generation kept at 1 MB semi-spaces), as users run it: under
// V8's defaults allocation costs far less and the phases would mislead (BURNTOP_GC_DEFAULTS=1 skips it).
import '../src/heap.js';
import {spawnSync} from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {Aggregate} from '../src/core/aggregate.js';
import {StoreReader} from '../src/ingest/reader.js';
import type {JsonlStore} from '../src/ingest/types.js';
import {Pricer} from '../src/pricing/index.js';
import {loopHorizon} from '../src/core/loops.js';
import {corpus, ROOT} from './corpus.js';
import {afterFile, applyAll, type ApplyParts, fileEvents, sessionFiles, storeIn, type Which} from './store-scan.js';

const PHASES = ['read', 'marker', 'parse', 'parser', 'aggregate'] as const;
type Phase = (typeof PHASES)[number];

const here = fileURLToPath(import.meta.url);

/** The generated history's home folder. */
function history(mb: number): string {
	return path.join(corpus(mb).dir, 'home');
}

/** One phase in this process: milliseconds of the scan loop and what it counted. */
function run(phase: Phase, which: Which, home: string): string {
	const {store: read, dir} = storeIn(which, home);
	// BENCH_NO_TAPE=1: the store's parser without its tape reader (every line JSON.parse'd), to compare.
	const base: JsonlStore = process.env['BENCH_NO_TAPE'] === '1' ? {...read, createParser: f => Object.assign(read.createParser(f), {tape: undefined})} : read;
	const files = sessionFiles(dir);
	// The parse phase reads each picked line as the reader does before the parser looks at it: its
	// tape where the store's parser reads tapes (and takes every line), else JSON.parse.
	const taped = files.length > 0 && base.createParser(files[0]!).tape !== undefined;
	const none = () => (taped ? {line() {}, tape: () => true} : {line() {}});
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
		// As the CLI reads: failed tool results no loop window reaches keep no text.
		reader.resultsSince = now - loopHorizon();
		let k = 0;
		for (const file of files) {
			reader.read(reader.track(store, file), true);
			if (phase === 'aggregate') afterFile(agg, now, ++k);
		}
	}

	return `${(performance.now() - t).toFixed(1)} ${n}`;
}

/** The aggregate alone, round after round on the same events (--replay): each round's time, and its parts. */
function replay(which: Which, rounds: number, home: string): void {
	const perFile = fileEvents(which, home);
	const pricer = new Pricer({});
	for (const evs of perFile) for (const e of evs) if (e.kind === 'usage') pricer.price(e);
	const times: string[] = [];
	const parts: string[] = [];
	let counted = '';
	for (let r = 0; r < rounds; r++) {
		const ms: ApplyParts = {first: 0, copies: 0, other: 0, sealing: 0};
		const t = performance.now();
		const agg = applyAll(perFile, e => pricer.price(e), Date.now(), ms);
		times.push((performance.now() - t).toFixed(0));
		parts.push(Object.entries(ms).map(([p, v]) => `${p} ${v.toFixed(0)}`).join(', '));
		counted = `${agg.calls.size} open and ${agg.sealedCalls} sealed calls`;
	}

	console.log(`${which}: ${perFile.reduce((n, f) => n + f.length, 0)} events applied to a fresh aggregate per round (${counted}): ${times.join(' ')} ms`);
	for (const [r, p] of parts.entries()) console.log(`  round ${r + 1}: ${p} ms`);
}

const [, , a, b, c, d] = process.argv;
if (a === '--replay') {
	replay((b ?? 'claude') as Which, Number(c ?? 5), history(Number(d ?? 1024)));
} else if (a === '--rounds') {
	const home = history(Number(d ?? 1024));
	const phase = (process.argv[6] ?? 'aggregate') as Phase;
	const times: number[] = [];
	for (let r = 0; r < Number(c ?? 6); r++) times.push(Math.round(Number(run(phase, (b ?? 'claude') as Which, home).split(' ')[0])));
	const later = times.slice(1).sort((x, y) => x - y);
	console.log(`${b ?? 'claude'} ${phase}, round after round in one process: ${times.join(' ')} ms (first ${times[0]}, later median ${later[Math.floor(later.length / 2)]})`);
} else if (a === '--phase') {
	console.log(run(b as Phase, c as Which, d!));
} else {
	const which = (a ?? 'claude') as Which;
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
	console.log(`${which}, ${path.relative(ROOT, home)}, medians of ${rounds} (each phase adds its step to the one before):`);
	for (const p of PHASES) {
		const m = med(times.get(p)!);
		console.log(`  ${p.padEnd(10)} ${m.toFixed(0).padStart(5)} ms  (+${(m - before).toFixed(0)})  ${p === 'read' ? 'lines' : 'events'} ${counts.get(p)}`);
		before = m;
	}
}

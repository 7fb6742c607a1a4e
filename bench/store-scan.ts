// A store's files and events read as the engine's cold scan reads them, and applied to an
// aggregate as it applies them: shared by bench/phases.ts and the prototypes that time the
// aggregate on the same events.
import fs from 'node:fs';
import path from 'node:path';
import {Aggregate} from '../src/core/aggregate.js';
import {loopHorizon} from '../src/core/loops.js';
import type {IngestEvent} from '../src/core/types.js';
import type {PriceFn} from '../src/core/aggregate-rules.js';
import {claudeStore} from '../src/ingest/claude.js';
import {codexStore} from '../src/ingest/codex.js';
import {StoreReader} from '../src/ingest/reader.js';
import type {JsonlStore, SessionFile} from '../src/ingest/types.js';

export type Which = 'claude' | 'codex';

/** The store and its folder in a generated home. */
export function storeIn(which: Which, home: string): {store: JsonlStore; dir: string} {
	return which === 'claude' ? {store: claudeStore, dir: path.join(home, '.claude', 'projects')} : {store: codexStore, dir: path.join(home, '.codex', 'sessions')};
}

/** A store's files as discovery gives them: newest first, with the size and time it found. */
export function sessionFiles(dir: string): Array<SessionFile & {size: number; mtimeMs: number}> {
	return fs.readdirSync(dir, {recursive: true}).map(String).filter(f => f.endsWith('.jsonl')).map(f => {
		const st = fs.statSync(path.join(dir, f));
		return {path: path.join(dir, f), root: dir, priority: 0, size: st.size, mtimeMs: st.mtimeMs};
	}).sort((x, y) => y.mtimeMs - x.mtimeMs);
}

/** What the engine's cold scan does after each file: its old calls sealed; every 64 files, old minutes compacted and the rest sealed. */
export function afterFile(agg: Aggregate, now: number, k: number): void {
	agg.sealFresh(now);
	if (k % 64 === 0) {
		agg.series.compact();
		agg.seal(now);
	}
}

/** Every file's events, file by file, newest file first (read once, to be applied many times). */
export function fileEvents(which: Which, home: string): IngestEvent[][] {
	const {store, dir} = storeIn(which, home);
	const perFile: IngestEvent[][] = [];
	let held: IngestEvent[] = [];
	const reader = new StoreReader(e => held.push(e), {home, env: {}, platform: process.platform});
	// As the CLI reads: failed tool results no loop window reaches keep no text.
	reader.resultsSince = Date.now() - loopHorizon();
	for (const file of sessionFiles(dir)) {
		held = [];
		reader.read(reader.track(store, file), true);
		perFile.push(held);
	}

	return perFile;
}

/** Milliseconds of applyAll by part: a call's first copy, its later copies, other events, each file's sealing. */
export type ApplyParts = {first: number; copies: number; other: number; sealing: number};

/**
 * A fresh aggregate with `perFile`'s events applied as a cold scan applies them; with `parts`,
 * each event and each file's sealing timed into it (~5% more time), else nothing timed.
 */
export function applyAll(perFile: readonly IngestEvent[][], price: PriceFn, now: number, parts?: ApplyParts): Aggregate {
	const agg = new Aggregate(price);
	agg.trackFresh(true);
	let k = 0;
	for (const evs of perFile) {
		if (!parts) {
			for (const e of evs) agg.apply(e);
			afterFile(agg, now, ++k);
			continue;
		}

		for (const e of evs) {
			const t0 = performance.now();
			const result = agg.apply(e);
			parts[e.kind !== 'usage' ? 'other' : result === 'added' ? 'first' : 'copies'] += performance.now() - t0;
		}

		const t0 = performance.now();
		afterFile(agg, now, ++k);
		parts.sealing += performance.now() - t0;
	}

	return agg;
}

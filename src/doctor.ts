// `burntop doctor`: for each supported tool, where burntop looked (and which env overrides it
// honoured), what it found and parsed, what it skipped and why, unpriced models, and whether
// live watching works there. Exit 0 when everything found parsed cleanly.
import {usd} from './core/format.js';
import fs from 'node:fs';
import type {Engine} from './engine.js';
import {TOOL_IDS} from './core/types.js';
import {workerCount} from './ingest/parallel.js';

export type DoctorResult = {text: string; clean: boolean};

function inotifyLimit(): number | undefined {
	try {
		return Number(fs.readFileSync('/proc/sys/fs/inotify/max_user_watches', 'utf8').trim());
	} catch {
		return undefined;
	}
}

export function doctor(engine: Engine, now: number): DoctorResult {
	const snap = engine.snapshot({now}, now);
	const out: string[] = ['burntop doctor', ''];
	let clean = true;
	const limit = inotifyLimit();
	for (const tool of TOOL_IDS) {
		const ds = engine.discoveries.filter(d => d.store.tool === tool);
		if (ds.length === 0) continue;
		const files = [...engine.reader.files.values()].filter(t => t.store.tool === tool);
		const t = snap.tools.find(x => x.tool === tool);
		out.push(tool);
		for (const d of ds) {
			for (const r of d.roots) {
				const n = d.files.filter(f => f.root === r.path).length;
				out.push(`  ${r.exists ? '✓' : '·'} ${r.path}  (${r.origin})${r.exists ? `  ${n} file${n === 1 ? '' : 's'}` : '  not found'}`);
			}

			for (const p of d.problems) {
				clean = false;
				out.push(`  ! cannot read ${p.path}: ${p.reason}`);
			}
		}

		if (files.length === 0) {
			out.push('  nothing found');
			out.push('');
			continue;
		}

		const skipped = new Map<string, number>();
		const errors: string[] = [];
		for (const f of files) {
			for (const [reason, count] of f.cursor.skips) skipped.set(reason, (skipped.get(reason) ?? 0) + count);
			if (f.error) errors.push(`${f.file.path}: ${f.error}`);
		}

		const skippedTotal = [...skipped.values()].reduce((a, b) => a + b, 0);
		out.push(`  calls parsed: ${t?.calls ?? 0}${t?.estimated ? ' (some figures estimated)' : ''}`);
		out.push(`  lines skipped: ${skippedTotal}${skippedTotal ? ` — ${[...skipped].slice(0, 3).map(([r, c]) => `${r} (${c})`).join(', ')}` : ''}`);
		for (const e of errors.slice(0, 3)) out.push(`  ! ${e}`);
		const unfinished = files.filter(f => f.cursor.unfinished).length;
		if (unfinished) out.push(`  ${unfinished} file${unfinished === 1 ? ' ends' : 's end'} in a last line unfinished (still being written?): counted once it is complete`);
		const unpriced = snap.health.unpricedModels.filter(u => u.tool === tool);
		if (t && t.unrecordedOutputTokensEstimate > 0) out.push(`  ≈ placeholder usage: some responses never got their final usage line; about ${t.unrecordedOutputTokensEstimate} output tokens (~${usd(t.unrecordedCostUSDEstimate)}) are missing from the totals (estimated from content, a lower bound)`);
		if (unpriced.length) out.push(`  unpriced models: ${unpriced.map(u => `${u.model} (${u.calls} ${u.calls === 1 ? 'call' : 'calls'})`).join(', ')} — alias or price them in the config file`);
		const watchable = ds.flatMap(d => d.roots).filter(r => r.exists);
		out.push(`  live: ${watchable.length ? `watching ${watchable.length} folder${watchable.length === 1 ? '' : 's'} with file events${limit !== undefined ? ` (inotify limit ${limit})` : ''} and a 2 s stat sweep` : 'no folder to watch'}`);
		if (skippedTotal > 0 || errors.length > 0) clean = false;
		out.push('');
	}

	const ix = engine.indexStatus;
	const where = ix.file ? ` (${ix.file})` : '';
	out.push(ix.state === 'loaded'
		? `index: restored ${ix.files} files${where}, ${ix.unchanged} unchanged since ${ix.savedAt}; only changed files were read`
		: ix.state === 'none'
			? `index: none usable yet${where}: every file was read; saved for the next start`
			: ix.state === 'error'
				? `index: ${ix.message}${where}`
				: 'index: off (--no-cache): every file was read');
	if (engine.scanMode === 'split') out.push(`scan: ${engine.splitStores!.join(', ')} read by worker threads with aggregates of their own, merged; the other stores by the main thread`);
	if (engine.scanMode === 'parallel') out.push(`scan: Claude Code and Codex transcripts parsed by the main thread and ${workerCount(engine.workersForced)} worker threads`);
	out.push('');
	out.push(clean ? 'Everything found parsed cleanly.' : 'Some input could not be used: see the lines marked above.');
	return {text: out.join('\n'), clean};
}

// One snapshot: `--once` (text fitted to the terminal), `--json`, `--check` (exit 1 on a loop
// or a budget over), and plain `burntop` without a terminal.
import {usd} from '../core/format.js';
import {computeBurn} from '../core/burn-rate.js';
import {jsonChunks} from '../core/json-chunks.js';
import {terminalSafe} from '../core/terminal-safe.js';
import {renderText} from '../report/text.js';
import {terminalWidth, type Run} from './run.js';

export async function runSnapshot(r: Run): Promise<number> {
	const {io, engine, flags} = r;
	const mb = (n: number) => Math.round(n / 1048576);
	const timing = r.tuning.timing
		? (label: string) => {
				const m = process.memoryUsage();
				io.stderr.write(`burntop timing: ${label} at ${Math.round(performance.now())} ms, RSS ${mb(m.rss)} MB (V8 heap ${mb(m.heapUsed)}, external ${mb(m.external)})\n`);
			}
		: () => {};
	timing('start of the scan');
	engine.discover();
	timing('files found, index loaded');
	await engine.scan();
	timing('transcripts read');
	const snapshot = engine.snapshot({now: r.now, since: r.since, until: r.until}, r.clock());
	r.leaveStatus({...snapshot, burn: computeBurn(engine.aggregate, r.now)}, r.now);
	// performance.now() counts from the start of the process: this is the time to the first snapshot.
	timing('snapshot ready');
	if (r.tuning.timing) {
		io.stderr.write(`burntop timing: scan ${engine.scanMode}, V8 new space ${(await import('node:v8')).getHeapSpaceStatistics().find(s => s.space_name === 'new_space')!.space_size / 1024 / 1024} MB\n`);
		io.stderr.write(`burntop timing: price data ${(await import('../pricing/index.js')).priceDataLoaded() ? 'loaded' : 'not loaded'} on this thread\n`);
	}

	if (flags.check) {
		const flagged = snapshot.suggestions;
		const over = (snapshot.budgets ?? []).filter(b => b.level === 'over');
		if (flags.json) {
			io.stdout.write(JSON.stringify({flagged: flagged.length, suggestions: flagged, overBudget: over.length, budgets: snapshot.budgets ?? []}) + '\n');
		} else {
			if (flagged.length === 0) io.stdout.write('burntop --check: no runaway sessions\n');
			for (const f of flagged) io.stdout.write(terminalSafe(`${f.tool} ${f.sessionId} (${f.project}): ${f.reasons.map(x => x.text).join('; ')} — ${usd(f.projectedUSDPerHour)}/hour`) + '\n');
			for (const b of snapshot.budgets ?? []) io.stdout.write(terminalSafe(`budget ${b.label}: ${b.text}`) + '\n');
		}

		return engine.finish(flagged.length > 0 || over.length > 0 ? 1 : 0);
	}

	if (flags.json) {
		// In pieces: one string of a large history's sessions became one large buffer (json-chunks.ts).
		for (const piece of jsonChunks(snapshot)) io.stdout.write(piece);
		io.stdout.write('\n');
		timing('output written');
		const code = engine.finish(0);
		timing('index saved');
		return code;
	}

	io.stdout.write(terminalSafe(renderText(snapshot, {width: terminalWidth(io)})) + '\n');
	if (!flags.once) {
		io.stdout.write('\n(no terminal: printed one snapshot. For a live feed in scripts and status bars use --watch --json.)\n');
	}

	return engine.finish(0);
}

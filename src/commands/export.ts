// `burntop export`: totals for spreadsheets, CSV or JSON.
import {exportRows, FIGURE_COLUMNS, KEY_COLUMNS, toCsv, type ExportBy} from '../core/export.js';
import {terminalSafe} from '../core/terminal-safe.js';
import {windowFields, type Run} from './run.js';

export async function runExport(r: Run, by: ExportBy, format: 'csv' | 'json'): Promise<number> {
	const {io, engine} = r;
	engine.discover();
	await engine.scan();
	const rows = exportRows(engine.aggregate, by, {now: r.now, since: r.since, until: r.until});
	if (format === 'csv') {
		io.stdout.write(terminalSafe(toCsv(by, rows)));
	} else {
		io.stdout.write(JSON.stringify({version: 1, by, generatedAt: new Date(r.clock()).toISOString(), now: new Date(r.now).toISOString(), ...windowFields(r), currency: 'USD', columns: [...KEY_COLUMNS[by], ...FIGURE_COLUMNS], rows}) + '\n');
	}

	const skipped = engine.reader.health().linesSkipped;
	if (skipped > 0) io.stderr.write(`burntop: ${skipped} unreadable lines were skipped (see burntop doctor)\n`);
	return engine.finish(0);
}

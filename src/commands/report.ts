// `burntop report daily|weekly|monthly|session|blocks`.
import {buildReport, type ReportKind} from '../core/reports.js';
import {terminalSafe} from '../core/terminal-safe.js';
import {renderReport} from '../report/reports-text.js';
import {progressLine} from './progress.js';
import {terminalWidth, windowFields, type Run} from './run.js';

export async function runReport(r: Run, kind: ReportKind): Promise<number> {
	const {io, engine, flags} = r;
	engine.discover();
	const progress = progressLine(engine, io);
	await engine.scan(progress.tick);
	progress.done();
	const filter = {tool: flags.tool ?? (kind === 'blocks' ? 'claude-code' : undefined), project: flags.project, model: flags.model};
	const report = buildReport(engine.aggregate, kind, {now: r.now, since: r.since, until: r.until}, filter, flags.breakdown);
	if (flags.json) {
		const {blocks: _, kind: __, ...rest} = report;
		io.stdout.write(JSON.stringify({version: 1, report: kind, generatedAt: new Date(r.clock()).toISOString(), now: new Date(r.now).toISOString(), ...windowFields(r), filter, currency: 'USD', ...rest}) + '\n');
	} else {
		const window = r.since !== undefined || r.until !== undefined ? ` · ${r.since === undefined ? '…' : new Date(r.since).toISOString()} → ${r.until === undefined ? 'now' : new Date(r.until).toISOString()}` : '';
		io.stdout.write(terminalSafe(renderReport(report, {width: terminalWidth(io), filter, window})) + '\n');
	}

	return engine.finish(0);
}

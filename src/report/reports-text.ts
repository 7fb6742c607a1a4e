// `burntop report …` as text: one table fitted to the terminal, a totals row, ≈ and * marks.
import type {ExportRow} from '../core/export.js';
import type {Block, Report, ReportFilter} from '../core/reports.js';
import {cacheHitRate} from '../core/totals.js';
import {fitTable, percent, tokens, usd} from './format.js';

const HEAD = ['calls', 'input', 'output', 'cache read', 'cache write', 'hit rate', 'cost'];

function cells(r: ExportRow): string[] {
	const n = (k: string) => Number(r[k] ?? 0);
	return [
		String(n('calls')),
		tokens(n('input_tokens')),
		tokens(n('output_tokens')),
		tokens(n('cache_read_tokens')),
		tokens(n('cache_write_tokens')),
		percent(cacheHitRate(n('input_tokens'), n('cache_read_tokens'), n('cache_write_tokens'))),
		usd(n('cost_usd'), r['estimated'] === true) + (n('unpriced_calls') > 0 ? '*' : ''),
	];
}

const TITLE = {daily: 'day', weekly: 'week (from Monday)', monthly: 'month', session: 'session', blocks: '5-hour block (start, local)'} as const;

function hhmm(ms: number): string {
	const m = Math.ceil(ms / 60_000);
	return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}

function localTime(t: number): string {
	const d = new Date(t);
	const p = (x: number) => String(x).padStart(2, '0');
	return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}`;
}

function label(r: Report, row: ExportRow, i: number): string {
	switch (r.kind) {
		case 'daily':
			return String(row['date']);
		case 'weekly':
			return String(row['week']);
		case 'monthly':
			return String(row['month']);
		case 'session':
			// Id and tool first, the project's end last: a narrow column keeps both ends.
			return `${String(row['session_id']).slice(0, 8)} ${String(row['tool'])} ${String(row['project'])}`;
		case 'blocks': {
			const b = r.blocks![i]!;
			return `${localTime(b.start)}${b.active ? ' (active)' : ''}`;
		}
	}
}

/** `width`: the terminal's columns (undefined when not a terminal). */
export function renderReport(r: Report, o: {width?: number; filter: ReportFilter; window: string}): string {
	const out: string[] = [];
	const what = [o.filter.tool && `tool ${o.filter.tool}`, o.filter.project && `project *${o.filter.project}*`, o.filter.model && `model *${o.filter.model}*`].filter(Boolean).join(', ');
	out.push(`burntop report ${r.kind}${what ? ` (${what})` : ''}${o.window}`);
	out.push('');
	if (r.rows.length === 0) {
		out.push('No model calls found for this report.');
		return out.join('\n');
	}

	const header = [TITLE[r.kind], ...HEAD, ...(r.kind === 'blocks' ? ['$/hour'] : [])];
	const rows: string[][] = [];
	r.rows.forEach((row, i) => {
		rows.push([label(r, row, i), ...cells(row), ...(r.kind === 'blocks' ? [usd(Number(row['usd_per_hour']))] : [])]);
		const models = row['models_breakdown'];
		if (Array.isArray(models)) for (const m of models) rows.push([`  └ ${String(m['model'])}`, ...cells(m), ...(r.kind === 'blocks' ? [''] : [])]);
	});
	rows.push(['total', ...cells(r.total), ...(r.kind === 'blocks' ? [''] : [])]);
	const t = fitTable(header, rows, o.width ?? Number.POSITIVE_INFINITY, 60);
	out.push(t.text);
	if (t.dropped.length > 0) out.push('', `(left out to fit ${o.width} columns: ${t.dropped.join(', ')}; --json shows them)`);
	const active = r.blocks?.find((b: Block) => b.active);
	if (active?.active) {
		out.push('', `Active block: ${hhmm(active.active.msLeft)} left (ends ${localTime(active.end)}), ${usd(active.totals.costUSD / 1e9)} so far at ${usd(active.active.usdPerHour)}/hour: ${usd(active.active.projectedUSD)} by its end at this rate.`);
	}

	const unrecorded = Number(r.total['unrecorded_output_tokens_estimate'] ?? 0);
	if (unrecorded > 0) out.push('', `≈ about ${tokens(unrecorded)} output tokens (~${usd(Number(r.total['unrecorded_cost_usd_estimate']))}) were never recorded by Claude Code (placeholder usage): not in these figures.`);
	if (Number(r.total['unpriced_calls']) > 0) out.push(`* ${String(r.total['unpriced_calls'])} calls of unpriced models are not in the cost (burntop doctor names them).`);
	return out.join('\n');
}

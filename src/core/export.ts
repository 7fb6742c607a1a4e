// `burntop export`: totals grouped by day, project, model or session, as rows with stable
// column names for spreadsheets. Costs are summed in integer nano-dollars, as everywhere.
import type {Aggregate, CallRecord} from './aggregate.js';
import {NANO} from './aggregate.js';
import {inWindow, type Window} from './snapshot.js';

export const EXPORT_BY = ['day', 'project', 'model', 'session'] as const;
export type ExportBy = (typeof EXPORT_BY)[number];

/** Columns that identify a row, per grouping; then the same figures for every grouping. */
export const KEY_COLUMNS: Record<ExportBy, readonly string[]> = {
	day: ['date'],
	project: ['project', 'remote'],
	model: ['model'],
	session: ['tool', 'session_id', 'project', 'first_at', 'last_at', 'models'],
};

export const FIGURE_COLUMNS = [
	'calls',
	'input_tokens',
	'output_tokens',
	'cache_read_tokens',
	'cache_write_tokens',
	'reasoning_tokens',
	'cost_usd',
	'unpriced_calls',
	'estimated',
] as const;

export type ExportRow = Record<string, string | number | boolean>;

type Acc = {keys: ExportRow; calls: number; input: number; output: number; cacheRead: number; cacheWrite: number; reasoning: number; nano: number; unpriced: number; estimated: boolean; models?: Set<string>; first?: number; last?: number};

/** Local calendar date of `t` as YYYY-MM-DD. */
export function localDate(t: number): string {
	const d = new Date(t);
	return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

function keyOf(by: ExportBy, c: CallRecord, agg: Aggregate): [string, ExportRow] {
	switch (by) {
		case 'day': {
			const date = localDate(c.ts);
			return [date, {date}];
		}

		case 'project':
			return [c.project, {project: c.project, remote: agg.remotes.get(c.project) ?? ''}];
		case 'model':
			return [c.model, {model: c.model}];
		case 'session':
			return [c.session.key, {tool: c.tool, session_id: c.session.sessionId, project: c.session.project}];
	}
}

export function exportRows(agg: Aggregate, by: ExportBy, w: Window): ExportRow[] {
	const groups = new Map<string, Acc>();
	for (const c of agg.records()) {
		if (!inWindow(c.ts, w)) continue;
		const [k, keys] = keyOf(by, c, agg);
		let a = groups.get(k);
		if (!a) {
			a = {keys, calls: 0, input: 0, output: 0, cacheRead: 0, cacheWrite: 0, reasoning: 0, nano: 0, unpriced: 0, estimated: false};
			groups.set(k, a);
		}

		a.calls += c.calls;
		a.input += c.input;
		a.output += c.output;
		a.cacheRead += c.cacheRead;
		a.cacheWrite += c.cacheWrite5m + c.cacheWrite1h;
		a.reasoning += c.reasoning;
		a.nano += c.nano;
		if (!c.priced) a.unpriced += c.calls;
		if (c.estimated || !c.priced) a.estimated = true;
		if (by === 'session') {
			(a.models ??= new Set()).add(c.model);
			const last = c.lastTs ?? c.ts;
			if (a.first === undefined || c.ts < a.first) a.first = c.ts;
			if (a.last === undefined || last > a.last) a.last = last;
		}
	}

	const rows: ExportRow[] = [...groups.values()].map(a => {
		const keys = by === 'session'
			? {...a.keys, first_at: new Date(a.first!).toISOString(), last_at: new Date(a.last!).toISOString(), models: [...a.models!].sort().join(' ')}
			: a.keys;
		return {
			...keys,
			calls: a.calls,
			input_tokens: a.input,
			output_tokens: a.output,
			cache_read_tokens: a.cacheRead,
			cache_write_tokens: a.cacheWrite,
			reasoning_tokens: a.reasoning,
			cost_usd: Math.round(a.nano / 1000) / (NANO / 1000),
			unpriced_calls: a.unpriced,
			estimated: a.estimated,
		} satisfies ExportRow;
	});
	// Days in order; the rest by cost, largest first, then name.
	if (by === 'day') rows.sort((a, b) => String(a['date']).localeCompare(String(b['date'])));
	else rows.sort((a, b) => Number(b['cost_usd']) - Number(a['cost_usd']) || JSON.stringify(a).localeCompare(JSON.stringify(b)));
	return rows;
}

/** RFC 4180 CSV with a header row. Text cells that a spreadsheet would run as a formula are prefixed with '. */
export function toCsv(by: ExportBy, rows: readonly ExportRow[]): string {
	const columns = [...KEY_COLUMNS[by], ...FIGURE_COLUMNS];
	const cell = (v: string | number | boolean | undefined) => {
		if (v === undefined) return '';
		if (typeof v !== 'string') return String(v);
		const safe = /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
		return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
	};

	return [columns.join(','), ...rows.map(r => columns.map(c => cell(r[c])).join(','))].join('\r\n') + '\r\n';
}

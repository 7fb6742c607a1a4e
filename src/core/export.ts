// `burntop export`: totals grouped by day, project, model or session, as rows with stable
// column names for spreadsheets. Costs are summed in integer nano-dollars, as everywhere.
import type {Aggregate, CallRecord} from './aggregate.js';
import {NANO} from './aggregate.js';
import {addCall, inWindow, type Window} from './snapshot.js';
import {emptyTotals} from './totals.js';
import type {Totals} from './types.js';
import {localDate} from './time.js';

export const EXPORT_BY = ['day', 'project', 'model', 'session'] as const;
export type ExportBy = (typeof EXPORT_BY)[number];
/** Groupings of `burntop report` beyond the export's: weeks (from Monday, local) and months. */
export type GroupBy = ExportBy | 'week' | 'month';

/** Columns that identify a row, per grouping; then the same figures for every grouping. */
export const KEY_COLUMNS: Record<GroupBy, readonly string[]> = {
	day: ['date'],
	week: ['week'],
	month: ['month'],
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
	// Output the store never wrote (Claude Code placeholder usage), estimated from content; not in the columns above.
	'unrecorded_output_tokens_estimate',
	'unrecorded_cost_usd_estimate',
] as const;

export type ExportRow = {[column: string]: string | number | boolean | ExportRow[]};

/** `t.costUSD` holds nano-dollars while summing (as in the snapshot). */
type Acc = {keys: ExportRow; t: Totals; models?: Set<string>; first?: number; last?: number; byModel?: Map<string, Totals>};

/** The local date of the Monday that starts the week holding `t`. */
export function weekOf(t: number): string {
	const d = new Date(t);
	return localDate(new Date(d.getFullYear(), d.getMonth(), d.getDate() - ((d.getDay() + 6) % 7), 12).getTime());
}

function keyOf(by: GroupBy, c: CallRecord, agg: Aggregate): [string, ExportRow] {
	switch (by) {
		case 'day': {
			const date = localDate(c.ts);
			return [date, {date}];
		}

		case 'week': {
			const week = weekOf(c.ts);
			return [week, {week}];
		}

		case 'month': {
			const month = localDate(c.ts).slice(0, 7);
			return [month, {month}];
		}

		case 'project':
			return [c.project, {project: c.project, remote: agg.remotes.get(c.project) ?? ''}];
		case 'model':
			return [c.model, {model: c.model}];
		case 'session':
			return [c.session.key, {tool: c.tool, session_id: c.session.sessionId, project: c.session.project}];
	}
}

/**
 * Rows per group of the calls in `w` that pass `filter`. `breakdown`: each row also lists its
 * figures per model (`models_breakdown`, in the same columns, by cost). `total`: summed into as
 * well, in the same pass.
 */
export function exportRows(agg: Aggregate, by: GroupBy, w: Window, filter?: (c: CallRecord) => boolean, breakdown = false, total?: Totals): ExportRow[] {
	const groups = new Map<string, Acc>();
	for (const c of agg.records()) {
		if (!inWindow(c.ts, w) || (filter && !filter(c))) continue;
		const [k, keys] = keyOf(by, c, agg);
		let a = groups.get(k);
		if (!a) {
			a = {keys, t: emptyTotals()};
			groups.set(k, a);
		}

		addCall(a.t, c);
		if (total) addCall(total, c);
		if (breakdown) {
			a.byModel ??= new Map();
			let m = a.byModel.get(c.model);
			if (!m) a.byModel.set(c.model, (m = emptyTotals()));
			addCall(m, c);
		}

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
		const row = {...keys, ...figures(a.t)};
		if (!a.byModel) return row;
		const models: ExportRow[] = [...a.byModel].map(([model, t]) => ({model, ...figures(t)})).sort((x, y) => y.cost_usd - x.cost_usd || (x.model < y.model ? -1 : 1));
		return {...row, models_breakdown: models};
	});
	// Days, weeks and months in order; the rest by cost, largest first, then name.
	const period = KEY_COLUMNS[by][0]!;
	if (by === 'day' || by === 'week' || by === 'month') rows.sort((a, b) => String(a[period]).localeCompare(String(b[period])));
	else rows.sort((a, b) => Number(b['cost_usd']) - Number(a['cost_usd']) || JSON.stringify(a).localeCompare(JSON.stringify(b)));
	return rows;
}

/** The figure columns of totals summed in nano-dollars (see FIGURE_COLUMNS). */
export function figures(t: Totals) {
	return {
		calls: t.calls,
		input_tokens: t.inputTokens,
		output_tokens: t.outputTokens,
		cache_read_tokens: t.cacheReadTokens,
		cache_write_tokens: t.cacheWriteTokens,
		reasoning_tokens: t.reasoningTokens,
		cost_usd: Math.round(t.costUSD / 1000) / (NANO / 1000),
		unpriced_calls: t.unpricedCalls,
		estimated: t.estimated,
		unrecorded_output_tokens_estimate: t.unrecordedOutputTokensEstimate,
		unrecorded_cost_usd_estimate: Math.round(t.unrecordedCostUSDEstimate / 1000) / (NANO / 1000),
	} satisfies ExportRow;
}

/** RFC 4180 CSV with a header row. Text cells that a spreadsheet would run as a formula are prefixed with '. */
export function toCsv(by: GroupBy, rows: readonly ExportRow[]): string {
	const columns = [...KEY_COLUMNS[by], ...FIGURE_COLUMNS];
	const cell = (v: ExportRow[string] | undefined) => {
		if (v === undefined || Array.isArray(v)) return '';
		if (typeof v !== 'string') return String(v);
		const safe = /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
		return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
	};

	return [columns.join(','), ...rows.map(r => columns.map(c => cell(r[c])).join(','))].join('\r\n') + '\r\n';
}

// Turns monitor data and UI state into the rows of the list on screen and what Enter opens.
// Pure, so the key handler and the views agree on one list.
import type {Column} from './components/table.js';
import {worstFirst, type BudgetPeriod, type BudgetStatus} from './core/budgets.js';
import type {SessionRow} from './core/snapshot.js';
import type {Totals} from './core/types.js';
import type {MonitorData} from './live-store.js';
import {percent, tokens, usd} from './report/format.js';
import type {Sort, UiState, View} from './ui-state.js';

export type ListRow = {cells: string[]; open?: View; hot?: boolean};
export type ListModel = {columns: Column[]; rows: ListRow[]; empty: string};

/** What identifies a row across re-sorts: where it leads, else its first cell. */
export const rowKey = (r: ListRow): string => (r.open ? JSON.stringify(r.open) : (r.cells[0] ?? ''));

/** The selected row of a list: the pinned row wherever it is now, else the selected position. */
export function selectedIndex(list: ListModel | undefined, ui: Pick<UiState, 'selected' | 'pinned'>): number {
	if (!list) return ui.selected;
	if (ui.pinned !== undefined) {
		const at = list.rows.findIndex(r => rowKey(r) === ui.pinned);
		if (at >= 0) return at;
	}

	return Math.min(ui.selected, Math.max(0, list.rows.length - 1));
}

const matches = (filter: string, ...fields: Array<string | undefined>) => {
	if (!filter) return true;
	const f = filter.toLowerCase();
	return fields.some(x => x?.toLowerCase().includes(f));
};

export function ago(ms: number): string {
	if (ms < 60_000) return `${Math.max(0, Math.round(ms / 1000))}s`;
	if (ms < 3_600_000) return `${Math.round(ms / 60_000)}m`;
	if (ms < 86_400_000) return `${Math.round(ms / 3_600_000)}h`;
	return `${Math.round(ms / 86_400_000)}d`;
}

export const rate = (v: number) => (v === 0 ? '–' : `$${v < 0.01 ? v.toFixed(4) : v.toFixed(2)}/m`);

/** The column a sort reads (tokens: all kinds together, no one column). */
const SORT_COLUMN: Record<Sort, string | undefined> = {cost: 'cost', calls: 'calls', tokens: undefined, cache: 'hit', name: undefined};

/** Column titles with the sort's mark (a name sort marks the first column): ▼ largest first, ▲ names from A. */
function marked<C extends {title: string}>(columns: C[], ui: UiState): C[] {
	const target = SORT_COLUMN[ui.sort];
	const ascending = (ui.sort === 'name') !== ui.reverse;
	const mark = ascending ? '▲' : '▼';
	return columns.map((c, i) => ((target === undefined ? ui.sort === 'name' && i === 0 : c.title === target) ? {...c, title: `${c.title}${mark}`} : c));
}

function sortTotals<T extends Totals>(rows: T[], sort: Sort, name: (t: T) => string, reverse = false): T[] {
	const tok = (t: Totals) => t.inputTokens + t.outputTokens + t.cacheReadTokens + t.cacheWriteTokens;
	const by: Record<Sort, (a: T, b: T) => number> = {
		cost: (a, b) => b.costUSD - a.costUSD,
		calls: (a, b) => b.calls - a.calls,
		tokens: (a, b) => tok(b) - tok(a),
		cache: (a, b) => b.cacheHitRate - a.cacheHitRate,
		name: (a, b) => name(a).localeCompare(name(b)),
	};
	const cmp = by[sort];
	return [...rows].sort(reverse ? (a, b) => cmp(b, a) : cmp);
}

/** Live tab: sessions with a call in the last hour, steepest burn first. */
export function liveList(d: MonitorData, ui: UiState): ListModel {
	const rows = d.live.burn.sessions
		.filter(s => matches(ui.filter, s.project, s.tool))
		.map<ListRow>(s => ({
			cells: [s.project || s.sessionId, s.tool, s.model, rate(s.usdPerMin5), usd(s.spentUSD), tokens(s.contextTokens), ago(d.now - Date.parse(s.lastAt))],
			open: {kind: 'session', key: `${s.tool}:${s.sessionId}`},
			hot: s.usdPerMin5 >= 1,
		}));
	return {
		columns: [
			{title: 'project', width: 20},
			{title: 'tool', width: 11},
			{title: 'model', width: 16, drop: 3},
			{title: '$/min', width: 9, align: 'right'},
			{title: 'spent', width: 9, align: 'right'},
			{title: 'context', width: 7, align: 'right', drop: 2},
			{title: 'last', width: 4, align: 'right', drop: 1},
		],
		rows,
		empty: 'no session made a call in the last hour',
	};
}

const PER: Record<BudgetPeriod, string> = {day: 'day', week: 'wk', month: 'mo'};

function budgetCell(b: BudgetStatus | undefined): string {
	if (!b) return '';
	const mark = b.level === 'over' ? '!!' : b.level === 'warn' ? '!' : b.level === 'pace' ? '↗' : '';
	return `${Math.round(b.fraction * 100)}% of $${Math.round(b.budgetUSD)}/${PER[b.period]}${mark}`;
}

/** Projects tab: totals per project, model, activity or tool for the period. */
export function breakdownList(d: MonitorData, ui: UiState): ListModel {
	const snap = d.period(ui.period);
	type Row = Totals & {name: string; remote?: string; open?: View};
	let rows: Row[];
	switch (ui.breakdown) {
		case 'project':
			rows = snap.projects.map(p => ({...p, name: p.project, remote: p.remote, open: {kind: 'sessions', title: p.project, project: p.project}}));
			break;
		case 'model':
			rows = snap.models.map(m => ({...m, name: m.model, open: {kind: 'sessions', title: m.model, model: m.model}}));
			break;
		case 'activity':
			rows = snap.activities.map(a => ({...a, name: a.activity}));
			break;
		case 'tool':
			rows = snap.tools.map(t => ({...t, name: t.tool, open: {kind: 'sessions', title: t.tool, tool: t.tool}}));
			break;
	}

	const topModel = new Map<string, string>();
	const sessionCount = new Map<string, number>();
	if (ui.breakdown === 'project') {
		const spend = new Map<string, Map<string, number>>();
		for (const s of snap.sessions) {
			sessionCount.set(s.project, (sessionCount.get(s.project) ?? 0) + 1);
			const m = spend.get(s.project) ?? new Map<string, number>();
			for (const model of s.models) m.set(model, (m.get(model) ?? 0) + s.costUSD / s.models.length);
			spend.set(s.project, m);
		}

		for (const [p, m] of spend) topModel.set(p, [...m].sort((a, b) => b[1] - a[1])[0]?.[0] ?? '');
	}

	// Budgets set for a project (by path or remote), shown against it: the most severe one.
	const budgetOf = (r: Row) => worstFirst((d.live.budgets ?? []).filter(b => b.project !== undefined && (b.project === r.name || b.project === r.remote)))[0];
	const hasBudgets = ui.breakdown === 'project' && (d.live.budgets ?? []).some(b => b.project !== undefined);
	const filtered = sortTotals(rows.filter(r => matches(ui.filter, r.name) || (r.remote !== undefined && matches(ui.filter, r.remote))), ui.sort, r => r.name, ui.reverse);
	return {
		columns: marked([
			{title: ui.breakdown, width: 20},
			{title: 'cost', width: 10, align: 'right'},
			{title: 'calls', width: 6, align: 'right'},
			{title: 'input', width: 7, align: 'right', drop: 6},
			{title: 'output', width: 7, align: 'right', drop: 4},
			{title: 'c.read', width: 7, align: 'right', drop: 3},
			{title: 'c.write', width: 7, align: 'right', drop: 7},
			{title: 'hit', width: 6, align: 'right', drop: 1},
			...(ui.breakdown === 'project' ? [{title: 'top model', width: 14, drop: 5}, {title: 'sess', width: 4, align: 'right' as const, drop: 2}] : []),
			...(hasBudgets ? [{title: 'budget', width: 15}] : []),
		], ui),
		rows: filtered.map(r => ({
			cells: [
				r.name,
				usd(r.costUSD, r.estimated) + (r.unpricedCalls ? '*' : ''),
				String(r.calls),
				tokens(r.inputTokens),
				tokens(r.outputTokens),
				tokens(r.cacheReadTokens),
				tokens(r.cacheWriteTokens),
				percent(r.cacheHitRate),
				...(ui.breakdown === 'project' ? [topModel.get(r.name) ?? '', String(sessionCount.get(r.name) ?? 0)] : []),
				...(hasBudgets ? [budgetCell(budgetOf(r))] : []),
			],
			open: r.open,
		})),
		empty: `no calls in this period (${ui.period}); p changes the period`,
	};
}

/** Sessions of one project, model or tool (drill-down from the Projects tab). */
export function sessionsList(d: MonitorData, ui: UiState, v: Extract<View, {kind: 'sessions'}>): ListModel {
	const snap = d.period(ui.period);
	const rows = sortTotals(
		snap.sessions.filter((s: SessionRow) => (!v.project || s.project === v.project) && (!v.tool || s.tool === v.tool) && (!v.model || s.models.includes(v.model))),
		ui.sort,
		s => s.sessionId,
		ui.reverse,
	);
	return {
		columns: marked([
			{title: 'session', width: 20},
			{title: 'tool', width: 11},
			{title: 'cost', width: 10, align: 'right'},
			{title: 'calls', width: 6, align: 'right'},
			{title: 'hit', width: 6, align: 'right'},
			{title: 'errors', width: 6, align: 'right', drop: 1},
			{title: 'last', width: 5, align: 'right', drop: 2},
		], ui),
		rows: rows.map(s => ({
			cells: [s.sessionId, s.tool, usd(s.costUSD, s.estimated), String(s.calls), percent(s.cacheHitRate), String(s.apiErrors), ago(d.now - Date.parse(s.lastAt))],
			open: {kind: 'session', key: `${s.tool}:${s.sessionId}`},
		})),
		empty: 'no sessions in this period',
	};
}

export function cacheList(d: MonitorData, ui: UiState): ListModel {
	const c = d.cache();
	return {
		columns: [
			{title: 'session (cache collapsed)', width: 24},
			{title: 'tool', width: 11},
			{title: 'before', width: 7, align: 'right'},
			{title: 'now', width: 6, align: 'right'},
			{title: 'context', width: 8, align: 'right'},
			{title: 'extra cost', width: 10, align: 'right'},
		],
		rows: c.collapses.filter(x => matches(ui.filter, x.project, x.tool)).map(x => ({
			cells: [x.project || x.sessionId, x.tool, percent(x.before), percent(x.after), tokens(x.context), usd(x.extraUSD)],
			open: {kind: 'session', key: x.key},
			hot: x.extraUSD > 0.5,
		})),
		empty: 'no session lost its cache in the last hour',
	};
}

/** Loops tab: sessions that look like runaway loops, by projected cost of the next hour. */
export function filteredSuggestions(d: MonitorData, ui: UiState) {
	return d.live.suggestions.filter(s => matches(ui.filter, s.project, s.tool));
}

export function loopsList(d: MonitorData, ui: UiState): ListModel {
	const rows = filteredSuggestions(d, ui);
	return {
		columns: [
			{title: 'session', width: 22},
			{title: 'tool', width: 11},
			{title: 'score', width: 5, align: 'right'},
			{title: 'next hour', width: 10, align: 'right'},
			{title: 'burnt', width: 9, align: 'right'},
			{title: 'why', width: 28, flex: true},
		],
		rows: rows.map(s => ({
			cells: [s.project || s.sessionId, s.tool, String(s.score), usd(s.projectedUSDPerHour), usd(s.burnUSD), s.reasons[0]?.text ?? ''],
			open: {kind: 'session', key: s.key},
			hot: true,
		})),
		empty: hiddenByFilter(d, ui) > 0 ? `no flagged session matches the filter "${ui.filter}" (${hiddenByFilter(d, ui)} hidden; Esc clears it)` : 'nothing looks like a runaway loop right now',
	};
}

/** Flagged sessions the filter hides. */
export function hiddenByFilter(d: MonitorData, ui: UiState): number {
	return ui.filter ? d.live.suggestions.length - filteredSuggestions(d, ui).length : 0;
}

/** The steepest burns now (Loops tab when nothing is flagged), within the filter. */
export function steepestBurns(d: MonitorData, ui: UiState) {
	return d.live.burn.sessions.filter(s => s.usdPerMin5 > 0 && matches(ui.filter, s.project, s.tool)).slice(0, 3);
}

/** The list the arrow keys and Enter act on, or undefined (session view). */
export function currentList(d: MonitorData, ui: UiState): ListModel | undefined {
	const top = ui.stack.at(-1);
	if (top?.kind === 'session') return undefined;
	if (top?.kind === 'sessions') return sessionsList(d, ui, top);
	switch (ui.tab) {
		case 'live':
			return liveList(d, ui);
		case 'projects':
			return breakdownList(d, ui);
		case 'cache':
			return cacheList(d, ui);
		case 'loops':
			return loopsList(d, ui);
	}
}

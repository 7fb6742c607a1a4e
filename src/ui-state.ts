// The one reducer that owns UI state: tab, selection, sort, period, breakdown, filter,
// help and the drill-down stack. Pure; no-ops return the same object.

export const TABS = ['live', 'projects', 'cache', 'loops'] as const;
export type Tab = (typeof TABS)[number];
export const PERIODS = ['today', '7d', '30d', 'all'] as const;
export type Period = (typeof PERIODS)[number];
export const BREAKDOWNS = ['project', 'model', 'activity', 'tool'] as const;
export type Breakdown = (typeof BREAKDOWNS)[number];
export const SORTS = ['cost', 'calls', 'tokens', 'cache', 'name'] as const;
export type Sort = (typeof SORTS)[number];

export type View = {kind: 'session'; key: string} | {kind: 'sessions'; title: string; project?: string; tool?: string; model?: string};

export type UiState = {
	tab: Tab;
	/** Selected row of the current list (per tab and drill-down level). */
	selected: number;
	/** The key of the row the user moved to: the selection follows it when a live list re-sorts. */
	pinned?: string;
	sort: Sort;
	/** The sort runs the other way (r). */
	reverse: boolean;
	period: Period;
	breakdown: Breakdown;
	filter: string;
	editingFilter: boolean;
	help: boolean;
	chart: 'usd' | 'tokens';
	stack: View[];
	/** A signal waiting for y/n. */
	confirm?: {pid: number; command: string; cwd: string; signal: 'SIGINT' | 'SIGTERM'};
	/** One-line message (kill results, "no process found"). */
	notice?: string;
};

export const initialUiState: UiState = {
	tab: 'live',
	selected: 0,
	sort: 'cost',
	reverse: false,
	period: 'today',
	breakdown: 'project',
	filter: '',
	editingFilter: false,
	help: false,
	chart: 'usd',
	stack: [],
};

export type Action =
	| {type: 'tab'; tab: Tab}
	| {type: 'next-tab'}
	| {type: 'prev-tab'}
	| {type: 'move'; by: number; rows: number; keys?: readonly string[]}
	| {type: 'open'; view: View}
	| {type: 'back'}
	| {type: 'cycle-sort'}
	| {type: 'reverse-sort'}
	| {type: 'cycle-period'}
	| {type: 'cycle-breakdown'}
	| {type: 'toggle-chart'}
	| {type: 'toggle-help'}
	| {type: 'filter-start'}
	| {type: 'filter-input'; text: string}
	| {type: 'filter-backspace'}
	| {type: 'filter-done'}
	| {type: 'filter-cancel'}
	| {type: 'confirm'; confirm: NonNullable<UiState['confirm']>}
	| {type: 'confirm-cancel'}
	| {type: 'notice'; text: string | undefined};

const cycle = <T>(xs: readonly T[], x: T, by = 1): T => xs[(xs.indexOf(x) + by + xs.length) % xs.length]!;

export function reduce(s: UiState, a: Action): UiState {
	const next = step(s, a);
	// Another list (tab, level, sort, period, breakdown, filter): nothing is pinned in it yet.
	const otherList = next.tab !== s.tab || next.stack !== s.stack || next.sort !== s.sort || next.reverse !== s.reverse || next.period !== s.period || next.breakdown !== s.breakdown || next.filter !== s.filter;
	return otherList && next.pinned !== undefined ? {...next, pinned: undefined} : next;
}

function step(s: UiState, a: Action): UiState {
	switch (a.type) {
		case 'tab':
			return s.tab === a.tab && s.stack.length === 0 ? s : {...s, tab: a.tab, stack: [], selected: 0, help: false};
		case 'next-tab':
			return {...s, tab: cycle(TABS, s.tab), stack: [], selected: 0, help: false};
		case 'prev-tab':
			return {...s, tab: cycle(TABS, s.tab, -1), stack: [], selected: 0, help: false};
		case 'move': {
			// From where the pinned row is now (the list may have re-sorted since the last move).
			const at = s.pinned !== undefined && a.keys ? a.keys.indexOf(s.pinned) : -1;
			const from = at >= 0 ? at : s.selected;
			const selected = Math.max(0, Math.min(a.rows - 1, from + a.by));
			const pinned = a.keys?.[selected];
			return selected === s.selected && pinned === s.pinned ? s : {...s, selected, pinned};
		}

		case 'open':
			return {...s, stack: [...s.stack, a.view], selected: 0, help: false};
		case 'back':
			if (s.help) return {...s, help: false};
			return s.stack.length === 0 ? s : {...s, stack: s.stack.slice(0, -1), selected: 0};
		case 'cycle-sort':
			return {...s, sort: cycle(SORTS, s.sort), reverse: false, selected: 0};
		case 'reverse-sort':
			return {...s, reverse: !s.reverse, selected: 0};
		case 'cycle-period':
			return {...s, period: cycle(PERIODS, s.period), selected: 0};
		case 'cycle-breakdown':
			return {...s, breakdown: cycle(BREAKDOWNS, s.breakdown), selected: 0};
		case 'toggle-chart':
			return {...s, chart: s.chart === 'usd' ? 'tokens' : 'usd'};
		case 'toggle-help':
			return {...s, help: !s.help};
		case 'filter-start':
			return {...s, editingFilter: true};
		case 'filter-input':
			return {...s, filter: s.filter + a.text, selected: 0};
		case 'filter-backspace':
			return s.filter === '' ? s : {...s, filter: s.filter.slice(0, -1), selected: 0};
		case 'filter-done':
			return {...s, editingFilter: false};
		case 'filter-cancel':
			return {...s, editingFilter: false, filter: '', selected: 0};
		case 'confirm':
			return {...s, confirm: a.confirm, notice: undefined};
		case 'confirm-cancel':
			return s.confirm ? {...s, confirm: undefined, notice: 'nothing sent'} : s;
		case 'notice':
			return s.notice === a.text ? s : {...s, notice: a.text};
	}
}

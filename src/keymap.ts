// One key table: it drives key handling and renders the footer and the help screen.
import type {Action, UiState} from './ui-state.js';

/** The subset of Ink's Key we use (so the table is testable without Ink). */
export type KeyInfo = {
	upArrow?: boolean;
	downArrow?: boolean;
	return?: boolean;
	escape?: boolean;
	tab?: boolean;
	shift?: boolean;
	backspace?: boolean;
	delete?: boolean;
	ctrl?: boolean;
	pageUp?: boolean;
	pageDown?: boolean;
	home?: boolean;
	end?: boolean;
};

/** What a binding does: a reducer action, or a command the app carries out. */
export type Command = {type: 'action'; action: Action} | {type: 'enter'} | {type: 'quit'} | {type: 'demo'} | {type: 'move'; by: number} | {type: 'page'; by: -1 | 1} | {type: 'kill'} | {type: 'confirm-yes'};

export type Binding = {
	/** How the key is written in the footer and help. */
	keys: string;
	help: string;
	/** Short label in the one-line footer (absent: help screen only). */
	footer?: string;
	match: (input: string, key: KeyInfo) => boolean;
	command: Command;
	/** Only while this holds (e.g. the empty state). */
	when?: (s: UiState, ctx: {empty: boolean}) => boolean;
};

const ch = (c: string) => (input: string, key: KeyInfo) => input === c && !key.ctrl;
const act = (action: Action): Command => ({type: 'action', action});

/** Where `x` stops an agent: the Loops tab and a session view. */
const killable = (s: UiState) => s.stack.at(-1)?.kind === 'session' || (s.stack.length === 0 && s.tab === 'loops');

export const KEYMAP: readonly Binding[] = [
	{keys: '1-4', help: 'Live, Projects, Cache, Loops tab', footer: 'tabs', match: i => /^[1-4]$/.test(i), command: {type: 'enter'}},
	{keys: 'Tab/⇧Tab', help: 'next / previous tab', match: (_, k) => Boolean(k.tab), command: act({type: 'next-tab'})},
	{keys: '↑↓ j/k', help: 'move the selection', footer: 'move', match: (i, k) => Boolean(k.upArrow || k.downArrow) || i === 'j' || i === 'k', command: {type: 'move', by: 0}},
	{keys: 'PgUp/PgDn', help: 'move a page', match: (_, k) => Boolean(k.pageUp || k.pageDown), command: {type: 'page', by: 1}},
	{keys: 'Home/End g/G', help: 'first / last row', match: (i, k) => Boolean(k.home || k.end) || i === 'g' || i === 'G', command: {type: 'move', by: 0}},
	{keys: 'Enter', help: 'drill into the selected row', footer: 'open', match: (_, k) => Boolean(k.return), command: {type: 'enter'}},
	{keys: 'Esc/⌫', help: 'back', footer: 'back', match: (_, k) => Boolean(k.escape || k.backspace || k.delete), command: act({type: 'back'})},
	{keys: 'x', help: 'on Loops or a session: stop its agent (asks first; SIGINT, then SIGTERM)', footer: 'stop', match: ch('x'), command: {type: 'kill'}, when: s => killable(s)},
	{keys: 's', help: 'cycle the sort column (▼ marks it)', match: ch('s'), command: act({type: 'cycle-sort'})},
	{keys: 'r', help: 'reverse the sort', match: ch('r'), command: act({type: 'reverse-sort'})},
	{keys: 'p', help: 'cycle the period (today, 7d, 30d, all)', footer: 'period', match: ch('p'), command: act({type: 'cycle-period'})},
	{keys: 'b', help: 'cycle the breakdown (project, model, activity, tool)', match: ch('b'), command: act({type: 'cycle-breakdown'})},
	{keys: 't', help: 'chart $/min or tokens/min', match: ch('t'), command: act({type: 'toggle-chart'})},
	{keys: '/', help: 'filter by project or tool (Enter keeps, Esc clears)', footer: 'filter', match: ch('/'), command: act({type: 'filter-start'})},
	{keys: 'd', help: 'start the demo (when nothing was found)', match: ch('d'), command: {type: 'demo'}, when: (_, c) => c.empty},
	{keys: '?', help: 'this help', footer: 'help', match: ch('?'), command: act({type: 'toggle-help'})},
	{keys: 'q/Ctrl-C', help: 'quit', footer: 'quit', match: (i, k) => i === 'q' || (Boolean(k.ctrl) && i === 'c'), command: {type: 'quit'}},
];

/** The command for a key press, or undefined. Filter typing is handled before the table. */
export function commandFor(input: string, key: KeyInfo, s: UiState, ctx: {empty: boolean}): Command | undefined {
	if (s.confirm) {
		if (input === 'y' || input === 'Y') return {type: 'confirm-yes'};
		if (key.ctrl && input === 'c') return {type: 'quit'};
		return act({type: 'confirm-cancel'});
	}

	if (s.editingFilter) {
		if (key.return) return act({type: 'filter-done'});
		if (key.escape) return act({type: 'filter-cancel'});
		if (key.backspace || key.delete) return act({type: 'filter-backspace'});
		if (key.ctrl && input === 'c') return {type: 'quit'};
		if (input && !key.ctrl && !key.tab && !key.upArrow && !key.downArrow) return act({type: 'filter-input', text: input});
		return undefined;
	}

	const b = KEYMAP.find(x => x.match(input, key) && (!x.when || x.when(s, ctx)));
	if (!b) return undefined;
	if (b.keys === '1-4') return act({type: 'tab', tab: (['live', 'projects', 'cache', 'loops'] as const)[Number(input) - 1]!});
	if (b.keys === 'Tab/⇧Tab') return act({type: key.shift ? 'prev-tab' : 'next-tab'});
	if (b.keys === 'Home/End g/G') return {type: 'move', by: key.home || input === 'g' ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY};
	if (b.command.type === 'page') return {type: 'page', by: key.pageUp ? -1 : 1};
	if (b.command.type === 'move') return {type: 'move', by: key.upArrow || input === 'k' ? -1 : 1};
	return b.command;
}

/** The footer line; with a width, the bindings that fit in table order, help and quit always kept. */
export function footerText(width = Number.POSITIVE_INFINITY): string {
	const all = KEYMAP.filter(b => b.footer);
	const kept = new Set(all.filter(b => b.footer === 'help' || b.footer === 'quit'));
	const line = () => all.filter(b => kept.has(b)).map(b => `${b.keys} ${b.footer}`).join('  ');
	for (const b of all) {
		if (kept.has(b)) continue;
		kept.add(b);
		if (line().length > width) kept.delete(b);
	}

	return line();
}

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
	/** What the press does (some keys carry a direction or a tab number). */
	command: (input: string, key: KeyInfo) => Command;
	/** Only while this holds (e.g. the empty state). */
	when?: (s: UiState, ctx: {empty: boolean}) => boolean;
};

export type Mode = 'normal' | 'filter' | 'confirm';

const ch = (c: string) => (input: string, key: KeyInfo) => input === c && !key.ctrl;
const act = (action: Action) => (): Command => ({type: 'action', action});
const ctrlC = (input: string, key: KeyInfo) => Boolean(key.ctrl) && input === 'c';
const TABS = ['live', 'projects', 'cache', 'loops'] as const;

/** Where `x` stops an agent: the Loops tab and a session view. */
const killable = (s: UiState) => s.stack.at(-1)?.kind === 'session' || (s.stack.length === 0 && s.tab === 'loops');

/** Every mode's keys: the same entries match a press, fill the footer and the help screen. */
export const KEYMAPS: Readonly<Record<Mode, readonly Binding[]>> = {
	normal: [
		{keys: '1-4', help: 'Live, Projects, Cache, Loops tab', footer: 'tabs', match: i => /^[1-4]$/.test(i), command: i => ({type: 'action', action: {type: 'tab', tab: TABS[Number(i) - 1]!}})},
		{keys: 'Tab/⇧Tab', help: 'next / previous tab', match: (_, k) => Boolean(k.tab), command: (_, k) => ({type: 'action', action: {type: k.shift ? 'prev-tab' : 'next-tab'}})},
		{keys: '↑↓ j/k', help: 'move the selection', footer: 'move', match: (i, k) => Boolean(k.upArrow || k.downArrow) || i === 'j' || i === 'k', command: (i, k) => ({type: 'move', by: k.upArrow || i === 'k' ? -1 : 1})},
		{keys: 'PgUp/PgDn', help: 'move a page', match: (_, k) => Boolean(k.pageUp || k.pageDown), command: (_, k) => ({type: 'page', by: k.pageUp ? -1 : 1})},
		{keys: 'Home/End g/G', help: 'first / last row', match: (i, k) => Boolean(k.home || k.end) || i === 'g' || i === 'G', command: (i, k) => ({type: 'move', by: k.home || i === 'g' ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY})},
		{keys: 'Enter', help: 'drill into the selected row', footer: 'open', match: (_, k) => Boolean(k.return), command: () => ({type: 'enter'})},
		{keys: 'Esc/⌫', help: 'back', footer: 'back', match: (_, k) => Boolean(k.escape || k.backspace || k.delete), command: act({type: 'back'})},
		{keys: 'x', help: 'on Loops or a session: stop its agent (asks first; SIGINT, then SIGTERM)', footer: 'stop', match: ch('x'), command: () => ({type: 'kill'}), when: s => killable(s)},
		{keys: 's', help: 'cycle the sort column (▼ marks it)', match: ch('s'), command: act({type: 'cycle-sort'})},
		{keys: 'r', help: 'reverse the sort', match: ch('r'), command: act({type: 'reverse-sort'})},
		{keys: 'p', help: 'cycle the period (today, 7d, 30d, all)', footer: 'period', match: ch('p'), command: act({type: 'cycle-period'})},
		{keys: 'b', help: 'cycle the breakdown (project, model, activity, tool)', match: ch('b'), command: act({type: 'cycle-breakdown'})},
		{keys: 't', help: 'chart $/min or tokens/min', match: ch('t'), command: act({type: 'toggle-chart'})},
		{keys: '/', help: 'filter by project or tool', footer: 'filter', match: ch('/'), command: act({type: 'filter-start'})},
		{keys: 'd', help: 'start the demo (when nothing was found)', match: ch('d'), command: () => ({type: 'demo'}), when: (_, c) => c.empty},
		{keys: '?', help: 'this help', footer: 'help', match: ch('?'), command: act({type: 'toggle-help'})},
		{keys: 'q/Ctrl-C', help: 'quit', footer: 'quit', match: (i, k) => i === 'q' || ctrlC(i, k), command: () => ({type: 'quit'})},
	],
	filter: [
		{keys: 'Enter', help: 'keep the filter', match: (_, k) => Boolean(k.return), command: act({type: 'filter-done'})},
		{keys: 'Esc', help: 'clear the filter', match: (_, k) => Boolean(k.escape), command: act({type: 'filter-cancel'})},
		{keys: '⌫', help: 'delete a character', match: (_, k) => Boolean(k.backspace || k.delete), command: act({type: 'filter-backspace'})},
		{keys: 'Ctrl-C', help: 'quit', match: ctrlC, command: () => ({type: 'quit'})},
		{keys: 'text', help: 'typed into the filter', match: (i, k) => Boolean(i) && !k.ctrl && !k.tab && !k.upArrow && !k.downArrow, command: i => ({type: 'action', action: {type: 'filter-input', text: i}})},
	],
	confirm: [
		{keys: 'y/Y', help: 'yes: stop the agent', match: i => i === 'y' || i === 'Y', command: () => ({type: 'confirm-yes'})},
		{keys: 'Ctrl-C', help: 'quit', match: ctrlC, command: () => ({type: 'quit'})},
		{keys: 'any other', help: 'no: leave it running', match: () => true, command: act({type: 'confirm-cancel'})},
	],
};

/** The normal mode's table (the footer's). */
export const KEYMAP = KEYMAPS.normal;

const TITLES: Readonly<Record<Mode, string>> = {normal: 'Keys', filter: 'While typing a filter (/)', confirm: 'When asked to stop an agent'};

/** The help screen's sections, from the same tables; given a state, only the keys that act in it. */
export function helpSections(s?: UiState, ctx?: {empty: boolean}): Array<{title: string; bindings: readonly Binding[]}> {
	const acts = (b: Binding) => !b.when || !s || !ctx || b.when(s, ctx);
	return (Object.keys(KEYMAPS) as Mode[]).map(m => ({title: TITLES[m], bindings: KEYMAPS[m].filter(acts)}));
}

export function modeOf(s: UiState): Mode {
	return s.confirm ? 'confirm' : s.editingFilter ? 'filter' : 'normal';
}

/** The command for a key press in the current mode, or undefined. */
export function commandFor(input: string, key: KeyInfo, s: UiState, ctx: {empty: boolean}): Command | undefined {
	const b = KEYMAPS[modeOf(s)].find(x => x.match(input, key) && (!x.when || x.when(s, ctx)));
	return b?.command(input, key);
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

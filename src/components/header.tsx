import {Box} from 'ink';
import {theme} from './theme.js';
import {Text} from './text.js';
import type {LiveSnapshot} from '../engine.js';
import {worstFirst} from '../core/budgets.js';
import {usd} from '../report/format.js';
import {localDate} from '../core/time.js';
import {TABS, type Tab} from '../ui-state.js';

const ARROW = {up: '↑', down: '↓', flat: '→'} as const;
const TAB_TITLE: Record<Tab, string> = {live: 'Live', projects: 'Projects', cache: 'Cache', loops: 'Loops'};

type HeaderProps = {readonly live: LiveSnapshot; readonly width: number; readonly window?: {readonly since?: number; readonly until?: number}; readonly guard?: 'on' | 'dry'};

/** The --since / --until window as the header shows it (local dates, or times when not midnight). */
export function windowText(w: {readonly since?: number; readonly until?: number}): string {
	const when = (t: number) => {
		const d = new Date(t);
		const day = localDate(t);
		const midnight = d.getHours() === 0 && d.getMinutes() === 0;
		const lastMs = d.getHours() === 23 && d.getMinutes() === 59 && d.getSeconds() === 59; // a bare --until date
		return midnight || lastMs ? day : `${day} ${d.toTimeString().slice(0, 5)}`;
	};

	return `window ${w.since === undefined ? 'start' : when(w.since)} → ${w.until === undefined ? 'now' : when(w.until)}`;
}

export function Header({live, width, window, guard}: HeaderProps) {
	const b = live.burn;
	const est = live.totals.estimated;
	const rateNow = b.windows['5m'].usdPerMin;
	const tools = live.tools.map(t => t.tool).join(', ') || 'none yet';
	const p = live.progress;
	// The most pressing budget, if any are set.
	const budget = worstFirst(live.budgets ?? [])[0];
	const loading = !p.done && p.filesTotal > 0 ? `  loading history ${p.filesRead}/${p.filesTotal} files` : '';
	return (
		<Box flexDirection="column" width={width}>
			<Text>
				<Text bold color={theme.brand}>burntop</Text>
				{'  today '}
				<Text bold>{usd(b.spentTodayUSD, est)}</Text>
				{'  this hour '}
				<Text bold>{usd(b.spentThisHourUSD, est)}</Text>
				{'  now '}
				<Text bold color={b.trend === 'up' ? theme.danger : b.trend === 'down' ? theme.good : undefined}>
					{`${est ? '≈' : ''}$${rateNow.toFixed(rateNow < 0.1 ? 3 : 2)}/min ${ARROW[b.trend]}`}
				</Text>
				{`  active ${b.activeSessions}`}
			</Text>
			<Text wrap="truncate-end">
				{guard ? <Text color={guard === 'on' ? theme.armed : undefined} bold={guard === 'on'}>{guard === 'on' ? 'guard on  ' : 'guard dry run  '}</Text> : null}
				{window ? <Text color={theme.scope}>{`${windowText(window)}  `}</Text> : null}
				{budget ? <Text color={budget.level === 'over' ? theme.danger : budget.level === 'ok' ? undefined : theme.warn} bold={budget.level === 'over'}>{`budget ${budget.label}: ${budget.text}  `}</Text> : null}
				<Text dimColor>{`tools: ${tools}${loading}`}</Text>
			</Text>
		</Box>
	);
}

export function TabBar({tab}: {readonly tab: Tab}) {
	return (
		<Text>
			{TABS.map((t, i) => (
				<Text key={t} inverse={t === tab} bold={t === tab}>{` ${i + 1} ${TAB_TITLE[t]} `}</Text>
			))}
		</Text>
	);
}

export function Footer({text, filter, editing, status}: {readonly text: string; readonly filter: string; readonly editing: boolean; readonly status?: string}) {
	return (
		<Box flexDirection="column">
			{status ? <Text color={theme.warn} wrap="truncate-end">{status}</Text> : null}
			{editing || filter ? <Text color={theme.scope}>{`filter: ${filter}${editing ? '▏' : ''}`}</Text> : null}
			<Text dimColor wrap="truncate-end">{text}</Text>
		</Box>
	);
}

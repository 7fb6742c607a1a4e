import {Box} from 'ink';
import {theme} from './theme.js';
import {Text} from './text.js';
import type {Burn} from '../core/burn-rate.js';
import type {CacheView} from '../core/cache-rate.js';
import type {Suggestion} from '../core/loops.js';
import {percent, tokens, usd} from '../report/format.js';
import type {UiState} from '../ui-state.js';
import type {ListModel} from '../view-model.js';
import {Chart, sparkline} from './chart.js';
import {Table} from './table.js';

type ListProps = {readonly list: ListModel; readonly selected: number; readonly width: number; readonly height: number};

function List({list, selected, width, height}: ListProps) {
	const hot = new Set(list.rows.flatMap((r, i) => (r.hot ? [i] : [])));
	return <Table columns={list.columns} rows={list.rows.map(r => r.cells)} selected={selected} width={width} height={height} empty={list.empty} hot={hot} />;
}

function bar(pct: number, width: number): string {
	const n = Math.round((Math.max(0, Math.min(100, pct)) / 100) * width);
	return '█'.repeat(n) + '░'.repeat(width - n);
}

/**
 * A dollar label on a chart whose top is `top`: enough decimals for two significant digits of
 * it (a cheap model's $0.0003/min drew every row as $0.000), at most 6 (a 9-character label).
 */
export function usdLabel(v: number, top: number): string {
	const decimals = top >= 1 ? 2 : top > 0 ? Math.min(6, Math.max(3, 1 - Math.floor(Math.log10(top)))) : 3;
	return `$${v.toFixed(decimals)}`;
}

type LiveProps = ListProps & {readonly burn: Burn; readonly chart: UiState['chart']; readonly estimated: boolean};

export function LiveTab({burn, chart, list, selected, width, height, estimated}: LiveProps) {
	const series = burn.perMinute.map(m => (chart === 'usd' ? m.usd : m.tokens));
	const chartHeight = Math.max(3, Math.min(10, Math.floor(height / 2) - 2));
	const rl = burn.rateLimits[0];
	const fmt = chart === 'usd' ? usdLabel : (v: number) => tokens(Math.round(v));
	const extra = rl ? 2 : 1;
	return (
		<Box flexDirection="column">
			<Text dimColor>{chart === 'usd' ? '$ per minute, last 60 min (t: tokens)' : 'tokens per minute, last 60 min (t: $)'}</Text>
			<Chart series={series} width={width} height={chartHeight} format={fmt} />
			<Text>
				{`5m ${usd(burn.windows['5m'].usdPerMin, estimated)}/min  60m ${usd(burn.windows['60m'].usdPerMin, estimated)}/min  `}
				{`projected: hour ${usd(burn.projection.hourUSD, estimated)}, day ${usd(burn.projection.dayUSD, estimated)}`}
			</Text>
			{rl ? (
				<Text>
					{'codex limits  '}
					{rl.primary ? `${rl.primary.windowMinutes / 60}h ${bar(rl.primary.usedPercent, 10)} ${rl.primary.usedPercent}%  ` : ''}
					{rl.secondary ? `${Math.round(rl.secondary.windowMinutes / 1440)}d ${bar(rl.secondary.usedPercent, 10)} ${rl.secondary.usedPercent}%` : ''}
				</Text>
			) : null}
			<List list={list} selected={selected} width={width} height={Math.max(2, height - chartHeight - 2 - extra)} />
		</Box>
	);
}

type ProjectsProps = ListProps & {readonly period: string; readonly breakdown: string; readonly sort: string};

export function ProjectsTab({list, selected, width, height, period, breakdown, sort}: ProjectsProps) {
	return (
		<Box flexDirection="column">
			<Text dimColor wrap="truncate-end">{`by ${breakdown} (b)  period ${period} (p)  sort ${sort} (s, r reverses)  * unpriced  ≈ estimated`}</Text>
			<List list={list} selected={selected} width={width} height={height - 1} />
		</Box>
	);
}

type CacheProps = ListProps & {readonly cache: CacheView};

export function CacheTab({cache, list, selected, width, height}: CacheProps) {
	// As many of the last 24 hours as fit beside a 12-character label and the rate.
	const hours = Math.max(4, Math.min(24, width - 21));
	const spark = (pts: CacheView['hourly']) => sparkline(pts.slice(-hours).map(p => (p.tokens > 0 ? p.rate : undefined)));
	const tools = cache.byTool.slice(0, Math.max(0, Math.min(cache.byTool.length, height - 6)));
	return (
		<Box flexDirection="column">
			<Text dimColor wrap="truncate-end">{`cache hit rate per hour, last ${hours} h; right: 24 h rate (hit = cache read ÷ all input)`}</Text>
			<Text wrap="truncate-end">{`${'all'.padEnd(12)} ${spark(cache.hourly)}  ${cache.rate === undefined ? '–' : percent(cache.rate)}`}</Text>
			{tools.map(t => (
				<Text key={t.tool} wrap="truncate-end">{`${t.tool.padEnd(12)} ${spark(t.hourly)}  ${percent(t.rate)}`}</Text>
			))}
			<List list={list} selected={selected} width={width} height={Math.max(2, height - 2 - tools.length)} />
		</Box>
	);
}

type LoopsProps = ListProps & {readonly suggestions: readonly Suggestion[]; readonly steep: Burn['sessions']};

export function LoopsTab({list, selected, width, height, suggestions, steep}: LoopsProps) {
	const pick = suggestions[selected];
	const detail = pick ? Math.min(pick.reasons.length + 2, Math.max(0, height - 5)) : 0;
	return (
		<Box flexDirection="column">
			<Text dimColor>{suggestions.length > 0 ? 'possible runaway loops, by projected cost of the next hour (Enter: session)' : 'runaway-loop watch: no session matches a loop pattern'}</Text>
			<List list={list} selected={selected} width={width} height={Math.max(2, height - 1 - detail - (suggestions.length ? 0 : steep.length + 1))} />
			{pick ? (
				<Box flexDirection="column">
					{pick.reasons.slice(0, detail - 2).map(r => (
						<Text key={r.kind} wrap="truncate-end">{`• ${r.text}`}</Text>
					))}
					<Text color={theme.warn} wrap="truncate-end">{`→ ${pick.advice}`}</Text>
					<Text dimColor wrap="truncate-end">{pick.pid ? `process ${pick.pid}: ${pick.command ?? ''}` : `session file: ${pick.files[0] ?? 'unknown'}`}</Text>
				</Box>
			) : null}
			{suggestions.length === 0 && steep.length > 0 ? (
				<Box flexDirection="column">
					<Text dimColor>steepest burn now:</Text>
					{steep.map(s => (
						<Text key={s.tool + s.sessionId} wrap="truncate-end">{`  ${s.project || s.sessionId}  ${s.tool}  ${usd(s.usdPerMin5 * 60)}/hour`}</Text>
					))}
				</Box>
			) : null}
		</Box>
	);
}

export function SessionsView({title, list, selected, width, height}: ListProps & {readonly title: string}) {
	return (
		<Box flexDirection="column">
			<Text bold>{`sessions of ${title}  (Esc back)`}</Text>
			<List list={list} selected={selected} width={width} height={height - 1} />
		</Box>
	);
}

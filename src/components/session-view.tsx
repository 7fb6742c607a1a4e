import {Box} from 'ink';
import {theme} from './theme.js';
import {Text} from './text.js';
import type {SessionDetail} from '../core/session-detail.js';
import {middle, tokens, usd} from '../report/format.js';
import {Chart} from './chart.js';
import {Table} from './table.js';

type Props = {readonly detail: SessionDetail | undefined; readonly width: number; readonly height: number; readonly selected: number};

const pad = (n: number) => String(n).padStart(2, '0');
/** HH:MM:SS for a call of the day of `now`, MM-DD HH:MM for any other day (local time). */
const time = (t: number, now: number) => {
	const d = new Date(t);
	return d.toDateString() === new Date(now).toDateString() ? d.toTimeString().slice(0, 8) : `${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
};

export function SessionView({detail, width, height, selected}: Props) {
	if (!detail) return <Text>This session is not in memory any more. Esc goes back.</Text>;
	const d = detail;
	const chartHeight = Math.max(3, Math.min(6, Math.floor(height / 3)));
	const tools = d.toolCounts.slice(0, 6).map(t => `${t.name}×${t.count}`).join(' ') || 'none';
	const rows = [...d.recent].reverse().map(c => [
		time(c.ts, d.now),
		c.model,
		tokens(c.input),
		tokens(c.cacheRead),
		tokens(c.cacheWrite),
		// ≈: the store kept only a placeholder; the output shown is what it wrote.
		(c.unrecorded > 0 ? '≈' : '') + tokens(c.output),
		c.priced ? usd(c.costUSD, c.estimated) : 'unpriced',
		c.activity,
	]);
	return (
		<Box flexDirection="column">
			<Text bold wrap="truncate-end">{`${d.tool} session ${d.sessionId}  (Esc back)`}</Text>
			<Text wrap="truncate-end">{`${middle(d.project, Math.max(10, width - 40))}  ${d.calls} calls  spent ${usd(d.spentUSD, d.estimated)}${d.premiumRequests ? `  premium requests ${d.premiumRequests}` : ''}  API errors ${d.errors.length}`}</Text>
			{d.cwds.length > 0 ? <Text dimColor wrap="truncate-end">{`ran in ${d.cwds.join(', ')}`}</Text> : null}
			{d.tool === 'cursor' ? <Text color={theme.warn}>≈ Cursor keeps incomplete token counts locally (no cache tokens): figures are estimates.</Text> : null}
			{d.placeholders > 0 ? <Text color={theme.warn} wrap="truncate-end">{`≈ ${d.placeholders} call${d.placeholders === 1 ? '' : 's'} kept only placeholder usage: ~${tokens(d.unrecordedOutput)} output (~${usd(d.unrecordedUSD)}) not in the figures`}</Text> : null}
			<Text wrap="truncate-end">{`tools: ${tools}`}</Text>
			<Text dimColor>context per call (tokens)</Text>
			<Chart series={d.context} width={width} height={chartHeight} format={v => tokens(Math.round(v))} />
			<Table
				columns={[
					{title: 'time', width: d.recent.some(c => new Date(c.ts).toDateString() !== new Date(d.now).toDateString()) ? 11 : 8},
					{title: 'model', width: 18, flex: true},
					{title: 'input', width: 7, align: 'right'},
					{title: 'c.read', width: 7, align: 'right'},
					{title: 'c.write', width: 7, align: 'right'},
					{title: 'output', width: 7, align: 'right'},
					{title: 'cost', width: 9, align: 'right'},
					{title: 'activity', width: 12},
				]}
				rows={rows}
				selected={selected}
				width={width}
				height={Math.max(2, height - chartHeight - 5 - (d.cwds.length > 0 ? 1 : 0) - (d.tool === 'cursor' ? 1 : 0) - (d.placeholders > 0 ? 1 : 0))}
			/>
		</Box>
	);
}

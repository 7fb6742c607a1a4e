import {Box} from 'ink';
import {theme} from './theme.js';
import {Text} from './text.js';
import {middle, pad} from '../report/format.js';

/**
 * `flex` marks the column that takes the spare width (default: the first). `drop`: columns with
 * one are left out when the flexible column would get fewer than MIN_FLEX characters, the
 * highest first.
 */
export type Column = {title: string; width: number; align?: 'left' | 'right'; flex?: boolean; drop?: number};

const MIN_FLEX = 24;

type Props = {
	readonly columns: readonly Column[];
	readonly rows: ReadonlyArray<readonly string[]>;
	readonly selected?: number;
	/** Rows of body that fit; the window follows the selection. */
	readonly height: number;
	readonly width: number;
	readonly empty?: string;
	/** Rows to draw in a warning colour. */
	readonly hot?: ReadonlySet<number>;
};

/**
 * Fit columns into `width`: droppable columns are left out (highest `drop` first) until the
 * flexible one has MIN_FLEX characters, and it takes what the others leave. Returns the kept
 * columns with the index of each in the original list.
 */
export function fitColumns(columns: readonly Column[], width: number): Array<Column & {index: number}> {
	const flex = Math.max(0, columns.findIndex(c => c.flex));
	let kept = columns.map((c, index) => ({...c, index}));
	const rest = () => kept.reduce((n, c) => (c.index === flex ? n : n + c.width + 1), 0);
	while (width - rest() - 1 < MIN_FLEX) {
		const candidates = kept.filter(c => c.drop !== undefined);
		if (candidates.length === 0) break;
		const worst = candidates.reduce((a, b) => (b.drop! > a.drop! ? b : a));
		kept = kept.filter(c => c !== worst);
	}

	const spare = rest();
	return kept.map(c => (c.index === flex ? {...c, width: Math.max(8, width - spare - 1)} : c));
}

/** A name too long for its column: a path keeps its end (the repository), anything else its two ends. */
function shorten(text: string, width: number): string {
	if (text.length <= width) return text;
	if (text.startsWith('/') || text.startsWith('~')) return `…${text.slice(text.length - width + 1)}`;
	return middle(text, width);
}

function cell(text: string, c: Column): string {
	const t = c.align === 'right' ? text : shorten(text, c.width);
	return pad(t.length > c.width ? middle(t, c.width) : t, c.width, c.align === 'right');
}

export function Table({columns, rows, selected, height, width, empty = 'nothing here yet', hot}: Props) {
	const cols = fitColumns(columns, width);
	const body = Math.max(1, height - 1);
	const sel = selected ?? -1;
	const start = sel >= body ? sel - body + 1 : 0;
	const visible = rows.slice(start, start + body);
	return (
		<Box flexDirection="column">
			<Text bold wrap="truncate-end">{cols.map(c => cell(c.title, c)).join(' ')}</Text>
			{rows.length === 0 ? <Text dimColor wrap="truncate-end">{empty}</Text> : null}
			{visible.map((r, i) => {
				const index = start + i;
				const line = cols.map(c => cell(r[c.index] ?? '', c)).join(' ');
				return (
					<Text key={index} wrap="truncate-end" inverse={index === sel} color={hot?.has(index) ? theme.danger : undefined}>
						{line}
					</Text>
				);
			})}
		</Box>
	);
}

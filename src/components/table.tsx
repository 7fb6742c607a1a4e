import {Box} from 'ink';
import {Text} from './text.js';
import {middle, pad} from '../report/format.js';

/** `flex` marks the column that takes the spare width (default: the first). */
export type Column = {title: string; width: number; align?: 'left' | 'right'; flex?: boolean};

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

/** Fit column widths into `width`: the flexible column takes what the others leave. */
export function fitColumns(columns: readonly Column[], width: number): Column[] {
	const flex = Math.max(0, columns.findIndex(c => c.flex));
	const rest = columns.reduce((n, c, i) => (i === flex ? n : n + c.width + 1), 0);
	return columns.map((c, i) => (i === flex ? {...c, width: Math.max(8, width - rest - 1)} : c));
}

function cell(text: string, c: Column): string {
	const t = c.align === 'right' ? text : middle(text, c.width);
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
			{rows.length === 0 ? <Text dimColor>{empty}</Text> : null}
			{visible.map((r, i) => {
				const index = start + i;
				const line = cols.map((c, j) => cell(r[j] ?? '', c)).join(' ');
				return (
					<Text key={index} wrap="truncate-end" inverse={index === sel} color={hot?.has(index) ? 'red' : undefined}>
						{line}
					</Text>
				);
			})}
		</Box>
	);
}

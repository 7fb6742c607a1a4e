// Number and text formatting shared by the text report and the TUI.

export {percent, tokens, usd} from '../core/format.js';

/** Shorten in the middle so both ends of a path or id stay readable. */
export function middle(s: string, max: number): string {
	if (max <= 1) return s.slice(0, Math.max(0, max));
	if (s.length <= max) return s;
	const keep = max - 1;
	const head = Math.ceil(keep / 2);
	return `${s.slice(0, head)}…${s.slice(s.length - (keep - head))}`;
}

export function pad(s: string, width: number, right = false): string {
	if (s.length >= width) return s.slice(0, width);
	return right ? s.padStart(width) : s.padEnd(width);
}

/**
 * Columns to leave out first when a table is wider than the terminal (by header; the first
 * column, calls and cost always stay).
 */
const DROP_ORDER = ['cache write', 'input', 'output', 'cache read', 'hit rate', '$/hour'];
const MIN_FIRST = 16;

/** A table fitted to `width`: the first column shortened to MIN_FIRST, then columns dropped in DROP_ORDER. */
export function fitTable(header: readonly string[], rows: ReadonlyArray<readonly string[]>, width: number, maxFirst = 48): {text: string; dropped: string[]} {
	let keep = header.map((_, i) => i);
	const dropped: string[] = [];
	const widthOf = (cols: number[]) => {
		const w = cols.map(i => Math.max(header[i]!.length, ...rows.map(r => (r[i] ?? '').length)));
		w[0] = Math.min(w[0]!, maxFirst);
		const rest = w.slice(1).reduce((n, x) => n + x + 2, 0);
		return {first: w[0]!, rest};
	};

	for (const name of DROP_ORDER) {
		const {rest} = widthOf(keep);
		if (rest + MIN_FIRST <= width) break;
		const i = header.indexOf(name);
		if (i > 0 && keep.includes(i)) {
			keep = keep.filter(k => k !== i);
			dropped.push(name);
		}
	}

	const {first, rest} = widthOf(keep);
	const firstWidth = Math.max(MIN_FIRST, Math.min(first, width - rest));
	const pick = (r: readonly string[]) => keep.map(i => r[i] ?? '');
	return {text: table(pick(header), rows.map(pick), firstWidth), dropped};
}

/** A plain-text table: first column left-aligned, the rest right-aligned. */
export function table(header: readonly string[], rows: ReadonlyArray<readonly string[]>, maxFirst = 48): string {
	const widths = header.map((h, i) => Math.max(h.length, ...rows.map(r => (r[i] ?? '').length)));
	widths[0] = Math.min(widths[0]!, maxFirst);
	const line = (cells: readonly string[]) =>
		cells.map((c, i) => (i === 0 ? pad(middle(c, widths[0]!), widths[0]!) : pad(c, widths[i]!, true))).join('  ').trimEnd();
	return [line(header), widths.map(w => '─'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

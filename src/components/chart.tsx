import asciichart from 'asciichart';
import {Text} from './text.js';

type Props = {
	readonly series: readonly number[];
	readonly width: number;
	readonly height: number;
	/** A label for `v` on a chart whose top is `top`. */
	readonly format: (v: number, top: number) => string;
};

const LABEL = 9;

/** An asciichart sized to the box: resampled to the width, never NaN, never flat-collapsed. */
export function Chart({series, width, height, format}: Props) {
	const points = Math.max(2, width - LABEL - 3);
	const clean = series.map(v => (Number.isFinite(v) ? v : 0));
	const data = clean.length > points ? clean.slice(-points) : clean;
	const max = Math.max(...data, 0);
	const top = max > 0 ? max : 1;
	// A flat series draws one row whatever the height: give it a range.
	const plot = asciichart.plot(data.length > 1 ? data : [0, 0], {
		height: Math.max(1, height - 1),
		min: 0,
		max: top,
		format: (v: number) => format(v, top).padStart(LABEL),
	});
	return <Text>{plot}</Text>;
}

const BLOCKS = '▁▂▃▄▅▆▇█';

/** A one-line sparkline of values in [0, 1]; gaps (no traffic) as spaces. */
export function sparkline(values: ReadonlyArray<number | undefined>): string {
	return values.map(v => (v === undefined || !Number.isFinite(v) ? ' ' : BLOCKS[Math.min(7, Math.max(0, Math.round(v * 7)))]!)).join('');
}

// Numbers as every view, report and message shows them: one spelling of a figure everywhere.

export function usd(v: number, estimated = false): string {
	const prefix = estimated ? '≈$' : '$';
	if (v !== 0 && Math.abs(v) < 0.01) return `${prefix}${v.toFixed(4)}`;
	// Not toLocaleString: its first call loads ICU data (~12 ms, most of a statusline run).
	const [whole, cents] = Math.abs(v).toFixed(2).split('.') as [string, string];
	return `${v < 0 ? '-' : ''}${prefix}${whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}.${cents}`;
}

/** Whole dollars from $100 (budget lines, where the cents are noise), else as usd(). */
export function usdCompact(v: number): string {
	return v < 100 ? usd(v) : usd(Math.round(v)).replace(/\.00$/, '');
}

export function tokens(v: number): string {
	if (v >= 1e9) return `${(v / 1e9).toFixed(2)}B`;
	if (v >= 1e6) return `${(v / 1e6).toFixed(2)}M`;
	if (v >= 1e4) return `${(v / 1e3).toFixed(1)}k`;
	return String(v);
}

export function percent(v: number): string {
	return `${(v * 100).toFixed(1)}%`;
}

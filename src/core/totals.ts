import type {Totals} from './types.js';

export function emptyTotals(): Totals {
	return {
		calls: 0,
		inputTokens: 0,
		outputTokens: 0,
		cacheReadTokens: 0,
		cacheWriteTokens: 0,
		reasoningTokens: 0,
		costUSD: 0,
		unrecordedOutputTokensEstimate: 0,
		unrecordedCostUSDEstimate: 0,
		cacheHitRate: 0,
		unpricedCalls: 0,
		estimated: false,
		premiumRequests: 0,
	};
}

/**
 * Cache hit rate = cache read ÷ (fresh input + cache read + cache write): the share of
 * all input tokens that were served from the cache. One definition, used everywhere.
 */
export function cacheHitRate(input: number, cacheRead: number, cacheWrite: number): number {
	const all = input + cacheRead + cacheWrite;
	return all > 0 ? cacheRead / all : 0;
}

/** Round money for output so JSON stays stable (sub-micro-dollar noise removed). */
export function roundUSD(v: number): number {
	return Math.round(v * 1e6) / 1e6;
}

/** Final form of totals whose `costUSD` was accumulated in nano-dollars. */
export function finishTotals(t: Totals): Totals {
	t.cacheHitRate = Math.round(cacheHitRate(t.inputTokens, t.cacheReadTokens, t.cacheWriteTokens) * 1e4) / 1e4;
	t.costUSD = roundUSD(t.costUSD / 1e9);
	t.unrecordedCostUSDEstimate = roundUSD(t.unrecordedCostUSDEstimate / 1e9);
	return t;
}

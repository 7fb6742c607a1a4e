// Defensive readers for untrusted JSON from session stores.

export function isRecord(v: unknown): v is Record<string, unknown> {
	return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function asString(v: unknown): string | undefined {
	return typeof v === 'string' && v.length > 0 ? v : undefined;
}

let negativeSeen = false;

/**
 * Whether a negative count was read since the last call. The reader asks when a usage event
 * is emitted: a record with a negative count is corrupt, so it is skipped and counted.
 */
export function takeNegative(): boolean {
	const seen = negativeSeen;
	negativeSeen = false;
	return seen;
}

/** A token count: finite, non-negative, integral. Strings of digits are accepted; anything else is 0. */
export function asNumber(v: unknown): number {
	let n: number;
	if (typeof v === 'number') n = v;
	else if (typeof v === 'string' && /^\s*-?\d+(\.\d+)?\s*$/.test(v)) n = Number(v);
	else return 0;
	if (n < 0 && Number.isFinite(n)) negativeSeen = true;
	if (!Number.isFinite(n) || n < 0) return 0;
	return Math.round(n);
}

/**
 * A cache-inclusive input count split into fresh input, cache reads and cache writes; reads and
 * writes are capped so that fresh input is never negative.
 */
export function splitInput(inclusive: number, read: number, write: number): {input: number; cacheRead: number; cacheWrite5m: number} {
	const cacheRead = Math.min(read, inclusive);
	const cacheWrite5m = Math.min(write, inclusive - cacheRead);
	return {input: inclusive - cacheRead - cacheWrite5m, cacheRead, cacheWrite5m};
}

/** Epoch ms from an ISO string, epoch seconds or epoch ms. */
export function parseTime(v: unknown): number | undefined {
	if (typeof v === 'string') {
		const t = Date.parse(v);
		return Number.isNaN(t) ? undefined : t;
	}

	if (typeof v === 'number' && Number.isFinite(v) && v > 0) {
		return v < 1e11 ? v * 1000 : v;
	}

	return undefined;
}

export function truncate(s: string, max: number): string {
	return s.length <= max ? s : s.slice(0, max);
}

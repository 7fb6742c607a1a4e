// Defensive readers for untrusted JSON from session stores.
import path from 'node:path';

export function isRecord(v: unknown): v is Record<string, unknown> {
	return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function asString(v: unknown): string | undefined {
	return typeof v === 'string' && v.length > 0 ? v : undefined;
}

/** A JSON number, also when a store writes it as a string ("1200", "1e2"). */
const NUMERIC = /^\s*-?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?\s*$/;

/**
 * A token count as the store wrote it, rounded. Numbers in strings are accepted; absent
 * (undefined, null) is 0. Anything else is NaN, and a negative or infinite number stays so:
 * the reader skips a usage record holding one (`badCount`), with the reason.
 */
export function asNumber(v: unknown): number {
	if (typeof v === 'number') return Math.round(v);
	if (typeof v === 'string' && NUMERIC.test(v)) return Math.round(Number(v));
	return v === undefined || v === null ? 0 : Number.NaN;
}

/** What is wrong with a count that asNumber read, if anything. */
export function badCount(n: number): string | undefined {
	if (Number.isNaN(n)) return 'token count that is not a number';
	if (!Number.isFinite(n)) return 'token count that is not a finite number';
	if (n < 0) return 'negative token count';
	return undefined;
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
		const t = isoUtc(v) ?? Date.parse(v);
		return Number.isNaN(t) ? undefined : t;
	}

	if (typeof v === 'number' && Number.isFinite(v) && v > 0) {
		return v < 1e11 ? v * 1000 : v;
	}

	return undefined;
}

const digit = (s: string, i: number) => {
	const c = s.charCodeAt(i) - 48;
	return c >= 0 && c <= 9 ? c : Number.NaN;
};

/**
 * `YYYY-MM-DDTHH:MM:SS[.sss]Z`, the form every store writes, read ~10× faster than Date.parse
 * (one call per line). Anything else, or a day the month does not have, is left to Date.parse
 * (undefined).
 */
export function isoUtc(s: string): number | undefined {
	const n = s.length;
	if (n !== 24 && n !== 20) return undefined;
	if (s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45 || s.charCodeAt(10) !== 84 || s.charCodeAt(13) !== 58 || s.charCodeAt(16) !== 58 || s.charCodeAt(n - 1) !== 90) return undefined;
	if (n === 24 && s.charCodeAt(19) !== 46) return undefined;
	const year = digit(s, 0) * 1000 + digit(s, 1) * 100 + digit(s, 2) * 10 + digit(s, 3);
	const ms = n === 24 ? digit(s, 20) * 100 + digit(s, 21) * 10 + digit(s, 22) : 0;
	return utcOf(year, digit(s, 5) * 10 + digit(s, 6), digit(s, 8) * 10 + digit(s, 9), digit(s, 11) * 10 + digit(s, 12), digit(s, 14) * 10 + digit(s, 15), digit(s, 17) * 10 + digit(s, 18), ms);
}

const byteDigit = (b: Uint8Array, i: number) => {
	const c = b[i]! - 48;
	return c >= 0 && c <= 9 ? c : Number.NaN;
};

/** isoUtc() of the ASCII bytes b[s, s + n), read where they lie (no string made: one per line). */
export function isoUtcBytes(b: Uint8Array, s: number, n: number): number | undefined {
	if (n !== 24 && n !== 20) return undefined;
	if (b[s + 4] !== 45 || b[s + 7] !== 45 || b[s + 10] !== 84 || b[s + 13] !== 58 || b[s + 16] !== 58 || b[s + n - 1] !== 90) return undefined;
	if (n === 24 && b[s + 19] !== 46) return undefined;
	const year = byteDigit(b, s) * 1000 + byteDigit(b, s + 1) * 100 + byteDigit(b, s + 2) * 10 + byteDigit(b, s + 3);
	const ms = n === 24 ? byteDigit(b, s + 20) * 100 + byteDigit(b, s + 21) * 10 + byteDigit(b, s + 22) : 0;
	return utcOf(year, byteDigit(b, s + 5) * 10 + byteDigit(b, s + 6), byteDigit(b, s + 8) * 10 + byteDigit(b, s + 9), byteDigit(b, s + 11) * 10 + byteDigit(b, s + 12), byteDigit(b, s + 14) * 10 + byteDigit(b, s + 15), byteDigit(b, s + 17) * 10 + byteDigit(b, s + 18), ms);
}

function utcOf(year: number, month: number, day: number, hour: number, minute: number, second: number, ms: number): number | undefined {
	// NaN fails every comparison: a non-digit anywhere goes to Date.parse, and so does a day the
	// month does not have (Date.UTC would roll it over).
	if (!(year >= 1000 && month >= 1 && month <= 12 && day >= 1 && day <= daysIn(year, month) && hour <= 23 && minute <= 59 && second <= 59 && ms >= 0)) return undefined;
	// The day's start is kept: lines follow each other within a day, and Date.UTC is most of the cost.
	if (day !== lastDay || month !== lastMonth || year !== lastYear) {
		lastYear = year;
		lastMonth = month;
		lastDay = day;
		lastDayMs = Date.UTC(year, month - 1, day);
	}

	return lastDayMs + hour * 3_600_000 + minute * 60_000 + second * 1000 + ms;
}

let lastYear = 0;
let lastMonth = 0;
let lastDay = 0;
let lastDayMs = 0;

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function daysIn(year: number, month: number): number {
	return month === 2 && year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : MONTH_DAYS[month - 1]!;
}

/**
 * A session file's path below its store root, as segments. Discovery joins the two, so a
 * plain prefix cut is the common case (path.relative normalises and costs ~20 µs a file).
 */
export function relativeParts(file: {root: string; path: string}): string[] {
	const {root, path: p} = file;
	if (p.length > root.length + 1 && p.startsWith(root) && p[root.length] === path.sep && !root.endsWith(path.sep)) {
		const parts = p.slice(root.length + 1).split(path.sep);
		if (!parts.some(x => x === '..' || x === '.' || x === '')) return parts;
	}

	return path.relative(root, p).split(path.sep);
}

export function truncate(s: string, max: number): string {
	return s.length <= max ? s : s.slice(0, max);
}

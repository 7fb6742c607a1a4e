// Rolling time buckets: per minute for the last 24 h, per hour beyond. Each bucket keeps
// totals plus per-tool, per-project and per-session money and tokens. Calls are added and
// removed (amended) with their exact contribution, so buckets always equal the ledger.
import type {CallRecord} from './records.js';

export const MINUTE = 60_000;
export const HOUR = 3_600_000;
export const MINUTE_HORIZON = 24 * 60; // minutes kept at minute resolution
/** Hours kept behind the newest call: what charts and loop baselines read (7 days) with room. Older calls are not in the series (totals come from the ledger). */
export const HOUR_HORIZON = 31 * 24;

export type Cell = {
	calls: number;
	/** Nano-dollars (integer). */
	nano: number;
	/** All tokens moved: fresh input + cache read + cache write + output. */
	tokens: number;
	input: number;
	cacheRead: number;
	cacheWrite: number;
	output: number;
};

export type Bucket = Cell & {
	byTool: Map<string, Cell>;
	byProject: Map<string, Cell>;
	bySession: Map<string, Cell>;
};

export function emptyCell(): Cell {
	return {calls: 0, nano: 0, tokens: 0, input: 0, cacheRead: 0, cacheWrite: 0, output: 0};
}

function addTo(cell: Cell, c: CallRecord, sign: number): void {
	const cw = c.cacheWrite5m + c.cacheWrite1h;
	cell.calls += sign * c.calls;
	cell.nano += sign * c.nano;
	cell.input += sign * c.input;
	cell.cacheRead += sign * c.cacheRead;
	cell.cacheWrite += sign * cw;
	cell.output += sign * c.output;
	cell.tokens += sign * (c.input + c.cacheRead + cw + c.output);
}

function emptyBucket(): Bucket {
	// A literal, not a spread of emptyCell(): one fixed layout for every bucket (thousands are made on a load).
	return {calls: 0, nano: 0, tokens: 0, input: 0, cacheRead: 0, cacheWrite: 0, output: 0, byTool: new Map(), byProject: new Map(), bySession: new Map()};
}

function addKeyed(map: Map<string, Cell>, key: string, c: CallRecord, sign: number): void {
	let cell = map.get(key);
	if (!cell) {
		cell = emptyCell();
		map.set(key, cell);
	}

	addTo(cell, c, sign);
	if (cell.calls === 0) map.delete(key);
}

export class TimeSeries {
	readonly minutes = new Map<number, Bucket>();
	/** Hour totals only: nothing reads hours by tool, project or session, and a long history has thousands of them. */
	readonly hours = new Map<number, Cell>();
	/** Minute index below which calls go to hour buckets. Only ever rises. */
	private floorMinute = 0;
	/** Newest minute with a call: compaction follows the data, not the wall clock. */
	private maxMinute = 0;

	/** Before loading saved calls into an empty series: compaction's floor as of the newest call. */
	prepare(newestTs: number): void {
		this.maxMinute = Math.max(this.maxMinute, Math.floor(newestTs / MINUTE));
		this.floorMinute = Math.max(this.floorMinute, this.maxMinute - 2 * MINUTE_HORIZON);
	}

	get newestMinute(): number {
		return this.maxMinute;
	}

	/** Would apply() keep anything of a call at `ts` (false: older than every bucket)? */
	reaches(ts: number): boolean {
		return Math.floor(ts / MINUTE) >= this.oldestMinute();
	}

	/** The oldest minute the hour buckets hold. */
	private oldestMinute(): number {
		return this.maxMinute - HOUR_HORIZON * 60;
	}

	/** Add (sign 1) or remove (sign -1) a call's contribution. */
	apply(c: CallRecord, sign: 1 | -1): void {
		const minute = Math.floor(c.ts / MINUTE);
		if (sign > 0 && minute > this.maxMinute) this.maxMinute = minute;
		if (minute < this.oldestMinute()) return;
		if (minute < this.floorMinute) {
			addTo(this.hour(Math.floor(c.ts / HOUR)), c, sign);
			return;
		}

		const bucket = this.bucket(this.minutes, minute);
		addTo(bucket, c, sign);
		addKeyed(bucket.byTool, c.tool, c, sign);
		addKeyed(bucket.byProject, c.project, c, sign);
		addKeyed(bucket.bySession, c.session.key, c, sign);
	}

	private hour(h: number): Cell {
		let cell = this.hours.get(h);
		if (!cell) {
			cell = emptyCell();
			this.hours.set(h, cell);
		}

		return cell;
	}

	private bucket(map: Map<number, Bucket>, k: number): Bucket {
		let b = map.get(k);
		if (!b) {
			b = emptyBucket();
			map.set(k, b);
		}

		return b;
	}

	/**
	 * Fold minute buckets into hour buckets once they are more than 24 h (plus a day of slack)
	 * older than the newest call, so memory stays bounded. Keyed to the data, not to `now`: a
	 * clock that jumps forward and back must not strand recent calls in hour buckets.
	 */
	compact(_now?: number): void {
		const floor = this.maxMinute - 2 * MINUTE_HORIZON;
		if (floor <= this.floorMinute) return;
		for (const [m, b] of this.minutes) {
			if (m >= floor) continue;
			mergeCell(this.hour(Math.floor((m * MINUTE) / HOUR)), b);
			this.minutes.delete(m);
		}

		const oldest = Math.floor((this.maxMinute * MINUTE) / HOUR) - HOUR_HORIZON;
		for (const h of this.hours.keys()) if (h < oldest) this.hours.delete(h);

		this.floorMinute = floor;
	}

	/**
	 * The minute buckets of the `n` whole clock minutes ending with the one holding `now`
	 * (oldest first; empty minutes included). Older than 24 h is not available per minute.
	 */
	lastMinutes(now: number, n: number): Array<{minute: number; bucket: Bucket | undefined}> {
		const end = Math.floor(now / MINUTE);
		const out = [];
		for (let m = end - n + 1; m <= end; m++) out.push({minute: m, bucket: this.minutes.get(m)});
		return out;
	}

	/** Hour totals (oldest first) of the `n` clock hours ending with the one holding `now`. */
	lastHours(now: number, n: number): Array<{hour: number; cell: Cell}> {
		const end = Math.floor(now / HOUR);
		const out: Array<{hour: number; cell: Cell}> = [];
		for (let h = end - n + 1; h <= end; h++) out.push({hour: h, cell: emptyCell()});
		const first = end - n + 1;
		for (const [h, b] of this.hours) if (h >= first && h <= end) mergeCell(out[h - first]!.cell, b);
		for (const [m, b] of this.minutes) {
			const h = Math.floor((m * MINUTE) / HOUR);
			if (h >= first && h <= end) mergeCell(out[h - first]!.cell, b);
		}

		return out;
	}
}

export function mergeCell(into: Cell, from: Cell | undefined): void {
	if (!from) return;
	into.calls += from.calls;
	into.nano += from.nano;
	into.tokens += from.tokens;
	into.input += from.input;
	into.cacheRead += from.cacheRead;
	into.cacheWrite += from.cacheWrite;
	into.output += from.output;
}


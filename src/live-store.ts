// The bridge between the engine and the screen: sources push, this batches notifications
// (at most one per `batchMs`) and hands out immutable data objects memoised per aggregate
// version. Views read these objects only; they never touch ingest.
import type {CacheView} from './core/cache-rate.js';
import type {SessionDetail} from './core/session-detail.js';
import type {Snapshot} from './core/snapshot.js';
import {startOfDay} from './core/time.js';
import type {Engine, LiveSnapshot} from './engine.js';
import type {Period} from './ui-state.js';

export type Searched = {tool: string; path: string; origin: string; exists: boolean};

/** The monitor's --since / --until (ms): every period is cut to it. */
export type Window = {readonly since?: number; readonly until?: number};

export type MonitorData = {
	version: number;
	now: number;
	/** --since / --until, when given (shown in the header). */
	window?: Window;
	/** The guard, when armed (--guard or the config): shown in the header. */
	guard?: 'on' | 'dry';
	live: LiveSnapshot;
	/** Nothing was found in any store (empty state). */
	empty: boolean;
	searched: Searched[];
	period(p: Period): Snapshot;
	session(key: string): SessionDetail | undefined;
	cache(): CacheView;
};

const DAY = 86_400_000;

export function periodStart(p: Period, now: number): number | undefined {
	switch (p) {
		case 'today':
			return startOfDay(now);
		case '7d':
			return startOfDay(now - 6 * DAY);
		case '30d':
			return startOfDay(now - 29 * DAY);
		case 'all':
			return undefined;
	}
}

export class LiveStore {
	private data: MonitorData;
	private readonly listeners = new Set<() => void>();
	private timer?: NodeJS.Timeout;
	private lastNotify = 0;

	constructor(readonly engine: Engine, private readonly clock: () => number = Date.now, private readonly batchMs = 250, private readonly window: Window = {}, private readonly guard?: 'on' | 'dry') {
		this.data = this.build();
	}

	subscribe = (fn: () => void): (() => void) => {
		this.listeners.add(fn);
		return () => this.listeners.delete(fn);
	};

	getSnapshot = (): MonitorData => this.data;

	/** Something may have changed: rebuild and notify, at most once per batch. */
	changed = (): void => {
		if (this.timer) return;
		const wait = Math.max(0, this.lastNotify + this.batchMs - performance.now());
		this.timer = setTimeout(() => {
			this.timer = undefined;
			this.refresh();
		}, wait);
		this.timer.unref?.();
	};

	/** Rebuild now (also called by the clock tick so windows move while idle). */
	refresh(): void {
		this.lastNotify = performance.now();
		this.data = this.build();
		for (const fn of this.listeners) fn();
	}

	close(): void {
		clearTimeout(this.timer);
	}

	private build(): MonitorData {
		const engine = this.engine;
		const now = this.clock();
		const live = engine.liveSnapshot(now);
		const periods = new Map<Period, Snapshot>();
		let cache: CacheView | undefined;
		const searched: Searched[] = engine.searched();
		const w = this.window;
		const windowed = w.since !== undefined || w.until !== undefined;
		return {
			version: engine.version,
			now,
			window: windowed ? w : undefined,
			...(this.guard ? {guard: this.guard} : {}),
			live,
			// Empty only once the search has run (the first frame comes before it).
			empty: engine.empty,
			searched,
			period: p => {
				let s = periods.get(p);
				if (!s) {
					const start = periodStart(p, now);
					const since = start === undefined ? w.since : w.since === undefined ? start : Math.max(start, w.since);
					s = p === 'all' && !windowed ? live : engine.totals({now, since, until: w.until}, now);
					periods.set(p, s);
				}

				return s;
			},
			session: key => engine.sessionDetail(key, now),
			cache: () => (cache ??= engine.cacheView(now)),
		};
	}
}

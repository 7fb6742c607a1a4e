// The numbers burntop exports to monitoring systems, as metric families: one definition
// shared by the OpenMetrics endpoint and the OTLP push. Label cardinality is bounded: the
// first `maxProjects` projects and `maxModels` models (largest spend first when first seen)
// keep their own label value for the life of the process; later ones are reported as "other",
// so a counter never moves between series.
import type {Aggregate} from './aggregate.js';
import {NANO} from './aggregate.js';
import type {BudgetStatus} from './budgets.js';
import type {Burn} from './burn-rate.js';

export type Sample = {labels: Record<string, string>; value: number};
export type Family = {name: string; type: 'counter' | 'gauge'; help: string; unit?: string; samples: Sample[]};

export const METRIC_LIMITS = {maxProjects: 20, maxModels: 20};
export const OTHER = 'other';

/** The metric names and kinds, fixed up front (OTLP instruments are registered once). */
export const FAMILIES: ReadonlyArray<Omit<Family, 'samples'>> = [
	{name: 'burntop_tokens', type: 'counter', help: 'Tokens counted since the history began, by class (input is fresh, uncached input; output includes reasoning).'},
	{name: 'burntop_cost_usd', type: 'counter', help: 'Cost in US dollars at public per-token rates (unpriced models count 0).', unit: 'usd'},
	{name: 'burntop_calls', type: 'counter', help: 'Model calls counted (deduplicated).'},
	{name: 'burntop_burn_usd_per_minute', type: 'gauge', help: 'Spend rate over the last 5 or 60 minutes.'},
	{name: 'burntop_burn_tokens_per_minute', type: 'gauge', help: 'Token rate over the last 5 or 60 minutes.'},
	{name: 'burntop_cache_hit_ratio', type: 'gauge', help: 'Cache reads / (fresh input + cache reads + cache writes) over the last 60 minutes, by tool (absent without traffic).'},
	{name: 'burntop_active_sessions', type: 'gauge', help: 'Sessions with a call in the last 10 minutes.'},
	{name: 'burntop_loops_flagged', type: 'gauge', help: 'Sessions that currently look like runaway loops.'},
	{name: 'burntop_budget_spent_usd', type: 'gauge', help: 'Spend in the current budget period.', unit: 'usd'},
	{name: 'burntop_budget_limit_usd', type: 'gauge', help: 'The budget for the period.', unit: 'usd'},
	{name: 'burntop_budget_projected_usd', type: 'gauge', help: 'Spend at the end of the period at the pace so far.', unit: 'usd'},
];

export type MetricsInput = {
	agg: Aggregate;
	now: number;
	burn: Burn;
	loopsFlagged: number;
	budgets: readonly BudgetStatus[];
	/** Constant labels added to every sample (team, user…). */
	labels: Readonly<Record<string, string>>;
};

/** Admits label values up to a limit, for the life of the process. */
export class LabelLimiter {
	private readonly admitted = new Set<string>();

	constructor(private readonly max: number) {}

	/** Offer values, largest first, before mapping: the biggest get the slots. */
	offer(values: Iterable<string>): void {
		for (const v of values) {
			if (this.admitted.size >= this.max) return;
			this.admitted.add(v);
		}
	}

	map(v: string): string {
		return this.admitted.has(v) ? v : OTHER;
	}
}

type UsageCell = {tokens: Record<'input' | 'output' | 'cache_read' | 'cache_write', number>; nano: number; calls: number};

/** Builds the families; keeps the label limiters and a cache of the usage counters by aggregate version. */
export class MetricsBuilder {
	private readonly projects: LabelLimiter;
	private readonly models: LabelLimiter;
	private cached?: {version: number; cells: Map<string, {labels: Record<string, string>; cell: UsageCell}>};

	constructor(limits = METRIC_LIMITS) {
		this.projects = new LabelLimiter(limits.maxProjects);
		this.models = new LabelLimiter(limits.maxModels);
	}

	families(input: MetricsInput): Family[] {
		const base = input.labels;
		const usage = this.usage(input.agg);
		const out = new Map<string, Sample[]>(FAMILIES.map(f => [f.name, []]));
		const push = (name: string, labels: Record<string, string>, value: number) => out.get(name)!.push({labels: {...base, ...labels}, value});
		for (const {labels, cell} of usage.values()) {
			for (const [cls, n] of Object.entries(cell.tokens)) push('burntop_tokens', {...labels, class: cls}, n);
			push('burntop_cost_usd', labels, cell.nano / NANO);
			push('burntop_calls', labels, cell.calls);
		}

		const b = input.burn;
		for (const w of ['5m', '60m'] as const) {
			push('burntop_burn_usd_per_minute', {window: w}, b.windows[w].usdPerMin);
			push('burntop_burn_tokens_per_minute', {window: w}, b.windows[w].tokensPerMin);
		}

		const hit = new Map<string, {i: number; r: number; w: number}>();
		for (const {bucket} of input.agg.series.lastMinutes(input.now, 60)) {
			if (!bucket) continue;
			for (const [tool, c] of bucket.byTool) {
				const h = hit.get(tool) ?? {i: 0, r: 0, w: 0};
				h.i += c.input;
				h.r += c.cacheRead;
				h.w += c.cacheWrite;
				hit.set(tool, h);
			}
		}

		for (const [tool, h] of [...hit].sort(([a], [c]) => a.localeCompare(c))) {
			const all = h.i + h.r + h.w;
			if (all > 0) push('burntop_cache_hit_ratio', {tool}, h.r / all);
		}

		push('burntop_active_sessions', {}, b.activeSessions);
		push('burntop_loops_flagged', {}, input.loopsFlagged);
		for (const s of input.budgets) {
			const labels = {budget: s.id, period: s.period};
			push('burntop_budget_spent_usd', labels, s.spentUSD);
			push('burntop_budget_limit_usd', labels, s.budgetUSD);
			if (s.projectedUSD !== undefined) push('burntop_budget_projected_usd', labels, s.projectedUSD);
		}

		return FAMILIES.map(f => ({...f, samples: out.get(f.name)!}));
	}

	/** Counters per (tool, project, model), recomputed only when the aggregate changed. */
	private usage(agg: Aggregate): Map<string, {labels: Record<string, string>; cell: UsageCell}> {
		if (this.cached?.version === agg.version) return this.cached.cells;
		// Offer the biggest spenders first so they get their own label values.
		const spendP = new Map<string, number>();
		const spendM = new Map<string, number>();
		for (const c of agg.records()) {
			spendP.set(c.project, (spendP.get(c.project) ?? 0) + c.nano);
			spendM.set(c.model, (spendM.get(c.model) ?? 0) + c.nano);
		}

		const largest = (m: Map<string, number>) => [...m].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([k]) => k);
		this.projects.offer(largest(spendP));
		this.models.offer(largest(spendM));
		const cells = new Map<string, {labels: Record<string, string>; cell: UsageCell}>();
		for (const c of agg.records()) {
			const labels = {tool: c.tool, project: this.projects.map(c.project), model: this.models.map(c.model)};
			const key = `${labels.tool}\u0000${labels.project}\u0000${labels.model}`;
			let e = cells.get(key);
			if (!e) {
				e = {labels, cell: {tokens: {input: 0, output: 0, cache_read: 0, cache_write: 0}, nano: 0, calls: 0}};
				cells.set(key, e);
			}

			e.cell.tokens.input += c.input;
			e.cell.tokens.output += c.output;
			e.cell.tokens.cache_read += c.cacheRead;
			e.cell.tokens.cache_write += c.cacheWrite5m + c.cacheWrite1h;
			e.cell.nano += c.nano;
			e.cell.calls += c.calls;
		}

		this.cached = {version: agg.version, cells};
		return cells;
	}
}

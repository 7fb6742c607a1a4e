// Budgets: spend per day, week or month (local calendar), overall or for one project or
// tool, against a limit, with a projection at the current pace. Pure: the clock and the
// calendar come in as arguments.
import {usdCompact} from './format.js';
import type {Aggregate} from './aggregate.js';
import {NANO} from './aggregate.js';
import type {ToolId} from './types.js';

export type BudgetPeriod = 'day' | 'week' | 'month';

export type Budget = {
	period: BudgetPeriod;
	usd: number;
	/** A project (repository root or working folder) or its remote `owner/name`. */
	project?: string;
	tool?: ToolId;
	/** Beyond alerts, once over: `block` makes `burntop hook` refuse the agent's tool calls; `stop` lets the guard stop agents in its scope. */
	action?: 'alert' | 'block' | 'stop';
};

export type BudgetLevel = 'ok' | 'pace' | 'warn' | 'over';

export type BudgetStatus = {
	id: string;
	label: string;
	period: BudgetPeriod;
	project?: string;
	tool?: ToolId;
	budgetUSD: number;
	spentUSD: number;
	/** spent / budget. */
	fraction: number;
	/** Spend at the end of the period if it goes on at the average pace so far; absent in its first 1/24. */
	projectedUSD?: number;
	/** over: ≥ 100% spent; warn: ≥ 80%; pace: projected over the budget; ok otherwise. */
	level: BudgetLevel;
	action?: 'block' | 'stop';
	periodStart: string;
	periodEnd: string;
	/** "on pace for $412 of $300 this month" */
	text: string;
};

export const WARN_AT = 0.8;

/** Local calendar bounds of the period holding `now`: day from midnight, week from Monday, month from the 1st. */
export function periodBounds(period: BudgetPeriod, now: number): {start: number; end: number} {
	const d = new Date(now);
	const y = d.getFullYear();
	const m = d.getMonth();
	const day = d.getDate();
	if (period === 'day') return {start: new Date(y, m, day).getTime(), end: new Date(y, m, day + 1).getTime()};
	if (period === 'week') {
		const back = (d.getDay() + 6) % 7; // Monday = 0
		return {start: new Date(y, m, day - back).getTime(), end: new Date(y, m, day - back + 7).getTime()};
	}

	return {start: new Date(y, m, 1).getTime(), end: new Date(y, m + 1, 1).getTime()};
}

const NOUN: Record<BudgetPeriod, string> = {day: 'today', week: 'this week', month: 'this month'};

export function budgetId(b: Budget): string {
	return `${b.period}:${b.tool ?? '*'}:${b.project ?? '*'}`;
}

/** Status of every budget at `now`: one pass over the counted calls. */
export function budgetStatuses(agg: Aggregate, budgets: readonly Budget[], now: number): BudgetStatus[] {
	if (budgets.length === 0) return [];
	const bounds = budgets.map(b => periodBounds(b.period, now));
	const earliest = Math.min(...bounds.map(x => x.start));
	const nano = budgets.map(() => 0);
	for (const c of agg.records()) {
		if (c.ts < earliest || c.ts > now) continue;
		for (let i = 0; i < budgets.length; i++) {
			const b = budgets[i]!;
			if (c.ts < bounds[i]!.start) continue;
			if (b.tool !== undefined && c.tool !== b.tool) continue;
			if (b.project !== undefined && c.project !== b.project && agg.remotes.get(c.project) !== b.project) continue;
			nano[i]! += c.nano;
		}
	}

	return budgets.map((b, i) => status(b, nano[i]! / NANO, bounds[i]!, now));
}

export function status(b: Budget, spentUSD: number, {start, end}: {start: number; end: number}, now: number): BudgetStatus {
	const length = end - start;
	const elapsed = Math.min(length, Math.max(0, now - start));
	const projectedUSD = elapsed >= length / 24 ? (spentUSD / elapsed) * length : undefined;
	const fraction = spentUSD / b.usd;
	const level: BudgetLevel = fraction >= 1 ? 'over' : fraction >= WARN_AT ? 'warn' : projectedUSD !== undefined && projectedUSD > b.usd ? 'pace' : 'ok';
	const scope = [b.tool, b.project].filter(Boolean).join(' ');
	const label = `${b.period}ly${scope ? ` ${scope}` : ''}`.replace('dayly', 'daily');
	const money = usdCompact;
	const of = `${money(spentUSD)} of ${money(b.usd)} ${NOUN[b.period]}`;
	const text = level === 'over'
		? `over budget: ${of}`
		: projectedUSD === undefined
			? `${of} (${Math.round(fraction * 100)}%)`
			: `${of} (${Math.round(fraction * 100)}%), on pace for ${money(projectedUSD)}`;
	return {
		id: budgetId(b), label, period: b.period, ...(b.project ? {project: b.project} : {}), ...(b.tool ? {tool: b.tool} : {}),
		budgetUSD: b.usd, spentUSD: round6(spentUSD), fraction: round6(fraction), ...(projectedUSD === undefined ? {} : {projectedUSD: round6(projectedUSD)}),
		level, ...(b.action === 'block' || b.action === 'stop' ? {action: b.action} : {}), periodStart: new Date(start).toISOString(), periodEnd: new Date(end).toISOString(), text,
	};
}

const SEVERITY: Record<BudgetLevel, number> = {ok: 0, pace: 1, warn: 2, over: 3};

/** Most severe first, then by fraction spent. */
export function worstFirst(s: readonly BudgetStatus[]): BudgetStatus[] {
	return [...s].sort((a, b) => SEVERITY[b.level] - SEVERITY[a.level] || b.fraction - a.fraction);
}

function round6(n: number): number {
	return Math.round(n * 1e6) / 1e6;
}

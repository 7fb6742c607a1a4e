// What every command gets from main: the parsed flags, the instants, and an engine ready to scan.
import type {Flags} from '../cli/args.js';
import type {Io} from '../cli/io.js';
import type {Burn} from '../core/burn-rate.js';
import type {BudgetStatus} from '../core/budgets.js';
import type {Suggestion} from '../core/loops.js';
import type {Engine} from '../engine.js';
import type {Tuning} from '../tuning.js';

export type Run = {
	io: Io;
	flags: Flags;
	clock: () => number;
	/** --now or the clock; --since and --until (undefined: open). */
	now: number;
	since?: number;
	until?: number;
	engine: Engine;
	tuning: Tuning;
	/** Leave status.json for the statusline and the hook (at most every `every` ms). */
	leaveStatus: (live: {burn: Burn; suggestions: Suggestion[]; budgets?: BudgetStatus[]}, at: number, every?: number) => void;
};

/** The window as JSON fields. */
export function windowFields(r: Pick<Run, 'since' | 'until'>): {since?: string; until?: string} {
	return {...(r.since === undefined ? {} : {since: new Date(r.since).toISOString()}), ...(r.until === undefined ? {} : {until: new Date(r.until).toISOString()})};
}

/** The terminal's width when stdout is one. */
export function terminalWidth(io: Io): number | undefined {
	const out = io.stdout as Partial<NodeJS.WriteStream>;
	return out.isTTY && out.columns && out.columns > 0 ? out.columns : undefined;
}

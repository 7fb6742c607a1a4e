// A few numbers every burntop run leaves in its cache folder (status.json) for the statusline
// and the hook, which must answer in milliseconds and never scan: today's spend, the rate now,
// flagged sessions and budgets over. Written atomically (a new file renamed over the old), so a
// reader sees one run's whole view; `at` says how old it is.
import fs from 'node:fs';
import path from 'node:path';
import type {BudgetStatus} from './core/budgets.js';
import type {Suggestion} from './core/loops.js';

export type Status = {
	version: 1;
	/** When the numbers were made (ms). */
	at: number;
	/** Local date `todayUSD` is for. */
	day: string;
	todayUSD: number;
	usdPerMin: number;
	flagged: Array<{key: string; score: number; text: string; projectedUSDPerHour: number}>;
	budgets: Array<{id: string; label: string; level: BudgetStatus['level']; text: string; action?: string; periodEnd: string}>;
};

export function statusPath(cacheFolder: string): string {
	return path.join(cacheFolder, 'status.json');
}

export function makeStatus(now: number, day: string, todayUSD: number, usdPerMin: number, flagged: readonly Suggestion[], budgets: readonly BudgetStatus[]): Status {
	return {
		version: 1,
		at: now,
		day,
		todayUSD,
		usdPerMin,
		flagged: flagged.map(f => ({key: f.key, score: f.score, text: f.reasons.map(r => r.text).join('; '), projectedUSDPerHour: f.projectedUSDPerHour})),
		budgets: budgets.map(b => ({id: b.id, label: b.label, level: b.level, text: b.text, ...(b.action ? {action: b.action} : {}), periodEnd: b.periodEnd})),
	};
}

/** Best effort: a status that cannot be written is not worth failing a run for. */
export function writeStatus(cacheFolder: string, s: Status): void {
	try {
		fs.mkdirSync(cacheFolder, {recursive: true, mode: 0o700});
		const tmp = path.join(cacheFolder, `.status-${process.pid}.json`);
		fs.writeFileSync(tmp, JSON.stringify(s), {mode: 0o600});
		fs.renameSync(tmp, statusPath(cacheFolder));
	} catch {
		// A read-only or full cache folder: the statusline says the figures are missing.
	}
}

export function readStatus(cacheFolder: string): Status | undefined {
	try {
		const s = JSON.parse(fs.readFileSync(statusPath(cacheFolder), 'utf8')) as Status;
		if (s?.version !== 1 || typeof s.at !== 'number' || typeof s.todayUSD !== 'number' || !Array.isArray(s.flagged) || !Array.isArray(s.budgets)) return undefined;
		return s;
	} catch {
		return undefined;
	}
}

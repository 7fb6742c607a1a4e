// `burntop --once` without --json: the snapshot as readable tables.
import type {Snapshot} from '../core/snapshot.js';
import type {Suggestion} from '../core/loops.js';
import type {Totals} from '../core/types.js';
import {fitTable, percent, tokens, usd} from './format.js';

const HEAD = ['calls', 'input', 'output', 'cache read', 'cache write', 'hit rate', 'cost'];

function cells(t: Totals): string[] {
	return [
		String(t.calls),
		tokens(t.inputTokens),
		tokens(t.outputTokens),
		tokens(t.cacheReadTokens),
		tokens(t.cacheWriteTokens),
		percent(t.cacheHitRate),
		usd(t.costUSD, t.estimated) + (t.unpricedCalls > 0 ? '*' : ''),
	];
}

/**
 * `width`: the terminal's columns (tables fit it, leaving out columns by priority, and say so);
 * undefined when the output is not a terminal. `limit`: rows per project and model table.
 */
export function renderText(s: Snapshot & {suggestions?: Suggestion[]}, {limit = 10, width}: {limit?: number; width?: number} = {}): string {
	const out: string[] = [];
	const dropped = new Set<string>();
	const table = (header: string[], rows: string[][]) => {
		const t = fitTable(header, rows, width ?? Number.POSITIVE_INFINITY);
		for (const d of t.dropped) dropped.add(d);
		return t.text;
	};

	const more = (n: number, what: string, by: string) => `… and ${n - limit} more ${what}: \`burntop export --by ${by}\` lists them all`;
	const window = s.since || s.until ? ` (${s.since ?? '…'} → ${s.until ?? s.now})` : '';
	out.push(`burntop — spend snapshot at ${s.now}${window}`);
	out.push('');
	if (s.totals.calls === 0) {
		out.push('No model calls found in this window.');
	} else {
		out.push(table(['tool', ...HEAD], [...s.tools.map(t => [t.tool, ...cells(t)]), ['total', ...cells(s.totals)]]));
		out.push('');
		out.push(table(['project', ...HEAD], s.projects.slice(0, limit).map(p => [p.project, ...cells(p)])));
		if (s.projects.length > limit) out.push(more(s.projects.length, 'projects', 'project'));
		out.push('');
		out.push(table(['model', ...HEAD], s.models.slice(0, limit).map(m => [m.model, ...cells(m)])));
		if (s.models.length > limit) out.push(more(s.models.length, 'models', 'model'));
		out.push('');
		out.push(table(['activity', ...HEAD], s.activities.map(a => [a.activity, ...cells(a)])));
		if (dropped.size > 0) out.push('', `(left out to fit ${width} columns: ${[...dropped].join(', ')}; a wider terminal, --json or export shows them)`);
	}

	for (const f of s.suggestions ?? []) {
		out.push('');
		out.push(`! Possible runaway: ${f.tool} ${f.sessionId} (${f.project}) at ${usd(f.projectedUSDPerHour)}/hour — ${f.reasons.map(r => r.text).join('; ')}`);
	}

	const premium = s.tools.filter(t => t.premiumRequests > 0);
	if (premium.length > 0) out.push('', premium.map(t => `${t.tool}: ${t.premiumRequests} premium requests (what it bills; the $ figure is the API-rate equivalent)`).join('\n'));

	const h = s.health;
	out.push('');
	out.push(`Read ${h.files} files (${tokens(h.bytes)}B); ${h.linesSkipped} lines skipped.`);
	if (h.unpricedModels.length > 0) {
		out.push(`* Unpriced models (not in cost; alias or price them in ~/.config/burntop/config.json): ${h.unpricedModels.map(u => `${u.model} (${u.calls} calls)`).join(', ')}`);
	}

	if (h.estimatedCalls > 0) out.push(`≈ ${h.estimatedCalls} calls are estimates (model guessed or rate assumed).`);
	if (h.placeholderUsageCalls > 0) {
		const t = s.totals;
		out.push(`≈ ${h.placeholderUsageCalls} calls kept only placeholder usage (their final usage line was never written): about ${tokens(t.unrecordedOutputTokensEstimate)} more output tokens (~${usd(t.unrecordedCostUSDEstimate)}) than the figures show, estimated from their content (a lower bound).`);
	}
	for (const e of h.errors.slice(0, 5)) out.push(`! ${e.file}: ${e.reason} (${e.count})`);
	return out.join('\n');
}

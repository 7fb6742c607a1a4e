// `burntop --once` without --json: the snapshot as readable tables.
import type {Snapshot} from '../core/snapshot.js';
import type {Suggestion} from '../core/loops.js';
import type {Totals} from '../core/types.js';
import {percent, table, tokens, usd} from './format.js';

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

export function renderText(s: Snapshot & {suggestions?: Suggestion[]}, limit = 10): string {
	const out: string[] = [];
	const window = s.since || s.until ? ` (${s.since ?? '…'} → ${s.until ?? s.now})` : '';
	out.push(`burntop — spend snapshot at ${s.now}${window}`);
	out.push('');
	if (s.totals.calls === 0) {
		out.push('No model calls found in this window.');
	} else {
		out.push(table(['tool', ...HEAD], [...s.tools.map(t => [t.tool, ...cells(t)]), ['total', ...cells(s.totals)]]));
		out.push('');
		out.push(table(['project', ...HEAD], s.projects.slice(0, limit).map(p => [p.project, ...cells(p)])));
		out.push('');
		out.push(table(['model', ...HEAD], s.models.slice(0, limit).map(m => [m.model, ...cells(m)])));
		out.push('');
		out.push(table(['activity', ...HEAD], s.activities.map(a => [a.activity, ...cells(a)])));
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
	for (const e of h.errors.slice(0, 5)) out.push(`! ${e.file}: ${e.reason} (${e.count})`);
	return out.join('\n');
}

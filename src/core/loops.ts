// Runaway-loop detection on each session's recent calls. Every detector gives a reason in plain
// words with its evidence and a weight; a session is suggested for a kill when the weights add
// up to LOOP_SCORE and it is still running. Single weak signals (a burst of spend, a long
// unattended run) never flag a session on their own: busy human-driven sessions and bursts of
// legitimate subagents must stay off the list.
import {tokens, usd} from './format.js';
import {NANO, type Aggregate, type CallRecord, type SessionState} from './aggregate.js';
import {SEAL_AFTER} from './aggregate-rules.js';
import {cacheHitRate} from './totals.js';

export type LoopThresholds = {
	/** Window in which repeats are counted, minutes. */
	windowMinutes: number;
	/** Same normalised shell command this many times in the window. */
	repeatedCommand: number;
	/** Same failing tool result this many times in the window. */
	repeatedError: number;
	/** API errors (rate limits, overloads, retries) in 5 minutes. */
	apiErrors: number;
	/** 5-minute $/min at least this many times the session's own earlier rate. */
	spikeFactor: number;
	/** $/hour (at the 5-minute rate) above which a session counts as expensive. */
	usdPerHour: number;
	/** Turns in a row re-sending a large context with tiny output and no edits. */
	resendTurns: number;
	resendMinContext: number;
	resendMaxOutput: number;
	/** Calls and minutes since the last typed prompt that count as unattended. */
	autonomyCalls: number;
	autonomyMinutes: number;
	/** A session counts as running while its last call is this recent, minutes. */
	activeMinutes: number;
};

export const LOOP_DEFAULTS: LoopThresholds = {
	windowMinutes: 15,
	repeatedCommand: 6,
	repeatedError: 5,
	apiErrors: 5,
	spikeFactor: 10,
	usdPerHour: 20,
	resendTurns: 8,
	resendMinContext: 50_000,
	resendMaxOutput: 600,
	autonomyCalls: 40,
	autonomyMinutes: 30,
	activeMinutes: 10,
};

/** Score at which a session is suggested. */
export const LOOP_SCORE = 3;

/**
 * How far back a loop window can reach when looked at `now` or later: failed tool results from
 * before it need no text (ParserContext.resultsSince). Two days at least (quiet sessions keep no
 * results after that anyway), the window if it is longer.
 */
export function loopHorizon(t: Partial<LoopThresholds> = {}): number {
	return Math.max(SEAL_AFTER, (t.windowMinutes ?? LOOP_DEFAULTS.windowMinutes) * MIN);
}

export type ReasonKind = 'repeated-command' | 'repeated-error' | 'api-errors' | 'spend-spike' | 'expensive' | 'cache-collapse' | 'no-progress' | 'unattended';

export type Reason = {kind: ReasonKind; text: string; evidence: string; weight: number};

export type Suggestion = {
	tool: string;
	sessionId: string;
	project: string;
	key: string;
	score: number;
	reasons: Reason[];
	/** Money spent inside the detection window. */
	burnUSD: number;
	/** The next hour at the 5-minute rate. */
	projectedUSDPerHour: number;
	advice: string;
	pid?: number;
	command?: string;
	files: string[];
	lastAt: string;
};

const MIN = 60_000;
const EDITS = /^(Edit|MultiEdit|Write|NotebookEdit|apply_patch|write_file|replace|edit_file|create_file)$/i;

const mins = (ms: number) => `${Math.max(1, Math.round(ms / MIN))} min`;
const pct = (v: number) => `${Math.round(v * 100)}%`;

/** Normalise a command so reruns match: whitespace folded, numbers and temp paths blanked. */
export function normaliseCommand(cmd: string): string {
	return cmd.trim().replace(/\s+/g, ' ').replace(/\/tmp\/[^\s]+/g, '/tmp/…').replace(/\b\d{3,}\b/g, '#');
}

function costOf(calls: readonly CallRecord[]): number {
	return calls.reduce((n, c) => n + c.nano, 0) / NANO;
}

/** Every detector's finding for a session at `now`, whatever the total score. */
export function sessionReasons(s: SessionState, now: number, t: LoopThresholds = LOOP_DEFAULTS, usualPerMin = 0): {reasons: Reason[]; inWindow: CallRecord[]; rate5: number} {
	const calls = s.recent.filter(c => c.ts <= now);
	const windowStart = now - t.windowMinutes * MIN;
	const inWindow = calls.filter(c => c.ts >= windowStart);
	const reasons: Reason[] = [];
	const last5 = calls.filter(c => c.ts > now - 5 * MIN);
	const rate5 = costOf(last5) / 5;

	// Repeated identical tool calls.
	const counts = new Map<string, {n: number; first: number; last: number}>();
	for (const c of inWindow) {
		for (const cmd of new Set(c.commands.map(normaliseCommand))) {
			const x = counts.get(cmd) ?? {n: 0, first: c.ts, last: c.ts};
			x.n++;
			x.first = Math.min(x.first, c.ts);
			x.last = Math.max(x.last, c.ts);
			counts.set(cmd, x);
		}
	}

	const edits = inWindow.filter(c => c.tools.some(x => EDITS.test(x))).length;
	// A result kept without its text (before the horizon a reader was given) is never a repeat.
	const results = [...s.results.values()].filter(r => r.ts >= windowStart && r.ts <= now && r.hash !== '');
	const byHash = new Map<string, {n: number; text: string; first: number; last: number}>();
	for (const r of results) {
		const x = byHash.get(r.hash) ?? {n: 0, text: r.text, first: r.ts, last: r.ts};
		x.n++;
		x.first = Math.min(x.first, r.ts);
		x.last = Math.max(x.last, r.ts);
		byHash.set(r.hash, x);
	}

	const topError = [...byHash.values()].sort((a, b) => b.n - a.n)[0];
	const topCmd = [...counts].sort((a, b) => b[1].n - a[1].n)[0];
	if (topCmd && topCmd[1].n >= t.repeatedCommand) {
		const [cmd, x] = topCmd;
		const sameError = topError !== undefined && topError.n >= 3;
		// A test-fix-test cycle edits between runs; a loop does not (or keeps failing the same way).
		if (edits < x.n / 2 || sameError) {
			reasons.push({
				kind: 'repeated-command',
				text: `\`${cmd.length > 60 ? cmd.slice(0, 59) + '…' : cmd}\` run ${x.n}× in ${mins(x.last - x.first)}${sameError ? ', same error' : ''}${edits === 0 ? ', no file edits' : ''}`,
				evidence: `${x.n} calls running the same command between ${new Date(x.first).toISOString()} and ${new Date(x.last).toISOString()}; ${edits} calls edited files`,
				weight: 3,
			});
		}
	}

	if (topError && topError.n >= t.repeatedError) {
		reasons.push({
			kind: 'repeated-error',
			text: `the same error ${topError.n}× in ${mins(topError.last - topError.first)}: ${topError.text.slice(0, 70)}`,
			evidence: `${topError.n} failing tool results with one hash in the last ${t.windowMinutes} min`,
			weight: 3,
		});
	}

	const apiErrors = [...s.errors.values()].filter(ts => ts <= now && ts > now - 5 * MIN).length;
	if (apiErrors >= t.apiErrors) {
		reasons.push({kind: 'api-errors', text: `${apiErrors} API errors in 5 min (rate limits or overloads being retried)`, evidence: `${apiErrors} API-error lines since ${new Date(now - 5 * MIN).toISOString()}`, weight: 3});
	}

	// Spend far above the session's own earlier rate, or (a new session) the user's usual rate.
	const before = calls.filter(c => c.ts <= now - 5 * MIN);
	if (last5.length >= 3 && rate5 * 60 >= t.usdPerHour / 4) {
		const span = before.length >= 3 ? Math.max(5 * MIN, before.at(-1)!.ts - before[0]!.ts) : 0;
		const own = span > 0 ? costOf(before) / (span / MIN) : 0;
		if (own > 0 && rate5 >= own * t.spikeFactor) {
			reasons.push({kind: 'spend-spike', text: `${usd(rate5)}/min now vs ${usd(own)}/min before (${Math.round(rate5 / own)}×)`, evidence: `${last5.length} calls in the last 5 min`, weight: 1});
		} else if (own === 0 && usualPerMin > 0 && rate5 >= usualPerMin * t.spikeFactor) {
			reasons.push({kind: 'spend-spike', text: `${usd(rate5)}/min now vs your usual ${usd(usualPerMin)}/min (${Math.round(rate5 / usualPerMin)}×)`, evidence: `${last5.length} calls in the last 5 min; usual rate over your active hours of the last 7 days`, weight: 1});
		}
	}

	if (rate5 * 60 >= t.usdPerHour) {
		reasons.push({kind: 'expensive', text: `burning ${usd(rate5 * 60)}/hour`, evidence: `${usd(costOf(last5))} in the last 5 min`, weight: 1});
	}

	// Cache collapse: reads fall to ~0 while the context stays large.
	const recent = calls.slice(-5);
	const earlier = calls.slice(-25, -5);
	if (recent.length === 5 && earlier.length >= 3) {
		const rate = (xs: readonly CallRecord[]) => cacheHitRate(xs.reduce((n, c) => n + c.input, 0), xs.reduce((n, c) => n + c.cacheRead, 0), xs.reduce((n, c) => n + c.cacheWrite5m + c.cacheWrite1h, 0));
		const b = rate(earlier);
		const a = rate(recent);
		const last = recent.at(-1)!;
		const ctx = last.input + last.cacheRead + last.cacheWrite5m + last.cacheWrite1h;
		if (b >= 0.5 && a <= 0.2 && ctx >= 20_000) {
			reasons.push({kind: 'cache-collapse', text: `cache hit rate fell from ${pct(b)} to ${pct(a)} with ${tokens(ctx)} tokens of context: full price every turn`, evidence: `last 5 calls vs the ${earlier.length} before them`, weight: 2});
		}
	}

	// Large context re-sent every turn, tiny output, no edits.
	const tail = calls.slice(-t.resendTurns);
	if (tail.length === t.resendTurns && tail.every(c => c.input + c.cacheRead + c.cacheWrite5m + c.cacheWrite1h >= t.resendMinContext && c.output <= t.resendMaxOutput && !c.tools.some(x => EDITS.test(x)))) {
		const ctx = Math.min(...tail.map(c => c.input + c.cacheRead + c.cacheWrite5m + c.cacheWrite1h));
		reasons.push({kind: 'no-progress', text: `${t.resendTurns} turns re-sending ≥${tokens(ctx)} tokens with ≤${t.resendMaxOutput} output and no file edits`, evidence: `${usd(costOf(tail))} for those turns`, weight: 2});
	}

	// Long unattended autonomy.
	const lastPrompt = Math.max(s.firstAt, ...[...s.prompts.values()].filter(ts => ts <= now));
	const since = calls.filter(c => c.ts > lastPrompt).length;
	if (since >= t.autonomyCalls && now - lastPrompt >= t.autonomyMinutes * MIN) {
		reasons.push({kind: 'unattended', text: `${since} calls and ${mins(now - lastPrompt)} since the last prompt`, evidence: `last typed prompt at ${new Date(lastPrompt).toISOString()}`, weight: 1});
	}

	return {reasons, inWindow, rate5};
}

export function detectSession(s: SessionState, now: number, t: LoopThresholds = LOOP_DEFAULTS, usualPerMin = 0): Omit<Suggestion, 'advice'> | undefined {
	if (now - s.lastAt > t.activeMinutes * MIN || s.lastAt > now) return undefined;
	const {reasons, inWindow, rate5} = sessionReasons(s, now, t, usualPerMin);
	if (inWindow.length === 0) return undefined;
	const score = reasons.reduce((n, r) => n + r.weight, 0);
	if (score < LOOP_SCORE) return undefined;
	reasons.sort((a, b) => b.weight - a.weight);
	return {
		tool: s.tool,
		sessionId: s.sessionId,
		project: s.project,
		key: s.key,
		score,
		reasons,
		burnUSD: costOf(inWindow),
		projectedUSDPerHour: rate5 * 60,
		files: [...s.files],
		lastAt: new Date(s.lastAt).toISOString(),
	};
}

const ADVICE: Record<ReasonKind, string> = {
	'repeated-command': 'Stop the agent (x) and look at the failing command yourself, or give it a new instruction.',
	'repeated-error': 'Stop the agent (x): it keeps hitting the same error; fix the cause or change the instruction.',
	'api-errors': 'Stop or pause the agent (x): it is retrying against rate limits or overloads and may be billed for each retry.',
	'cache-collapse': 'Restart the session or compact it: without the prompt cache every turn pays full price for the whole context.',
	'no-progress': 'Stop the agent (x) or compact the context: it re-reads the same large context without producing work.',
	'spend-spike': 'Check what it is doing now: spend jumped far above its own rate.',
	expensive: 'Check what it is doing now: it is expensive at this rate.',
	unattended: 'Check on it: it has run for a long time without you.',
};

/** The user's usual $/min: spend in the active hours of the last 7 days over their minutes. */
export function usualRate(agg: Aggregate, now: number): number {
	const hours = agg.series.lastHours(now - 60 * MIN, 7 * 24).filter(h => h.cell.calls > 0);
	if (hours.length < 3) return 0;
	return hours.reduce((n, h) => n + h.cell.nano, 0) / NANO / (hours.length * 60);
}

export function detectLoops(agg: Aggregate, now: number, t: LoopThresholds = LOOP_DEFAULTS): Suggestion[] {
	const out: Suggestion[] = [];
	const usual = usualRate(agg, now);
	for (const s of agg.sessions.values()) {
		const d = detectSession(s, now, t, usual);
		if (d) out.push({...d, advice: ADVICE[d.reasons[0]!.kind]});
	}

	return out.sort((a, b) => b.projectedUSDPerHour - a.projectedUSDPerHour || b.score - a.score);
}

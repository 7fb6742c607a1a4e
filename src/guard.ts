// The overnight guard: stops an agent whose session looks like a runaway loop when nobody is
// there to press `x`. Off unless asked (--guard, --guard=dry or "guard": {"mode": …}); acts only
// on exactly one matching process, never on a session with a prompt typed recently, at most once
// per session an hour; SIGINT first, SIGTERM after a grace period. Every decision is an alert.
import {usd} from './core/format.js';
import type {Alert, Alerter} from './alerts.js';
import type {SessionState} from './core/aggregate.js';
import type {GuardConfig} from './config.js';
import type {LiveSnapshot} from './engine.js';
import {findAgentProcess, signalAgent, stillRunning, type AgentProcess, type Found, type KillResult, type ProcessQuery} from './procs.js';

export type GuardDeps = {
	find: (q: ProcessQuery) => Found;
	signal: (p: AgentProcess, sig: 'SIGINT' | 'SIGTERM') => KillResult;
	/** Is this process (same PID and start) still running? */
	running: (p: AgentProcess) => boolean;
	alert: (a: Alert) => void;
	clock: () => number;
	later: (fn: () => void, ms: number) => void;
};

export type GuardDecision = {key: string; action: 'stopped' | 'would-stop' | 'skipped' | 'failed'; why: string; trigger: string; pid?: number};

const MIN = 60_000;
const HOUR = 3_600_000;
/** A budget with "action": "stop" stops sessions in its scope that spent in the last 5 minutes. */
const ACTIVE_MS = 5 * MIN;

export class Guard {
	/** When each session was first seen flagged at or above the score (reset when it drops). */
	private readonly since = new Map<string, number>();
	private readonly stopped = new Map<string, number>();
	/** The same skip (session and reason) is told once an hour, not at every snapshot. */
	private readonly told = new Map<string, number>();

	constructor(private readonly cfg: GuardConfig, private readonly mode: 'on' | 'dry', private readonly deps: GuardDeps) {}

	/** Look at a live snapshot; act and return what was decided. `session`: the engine's state of a session key. */
	check(live: LiveSnapshot, session: (key: string) => SessionState | undefined): GuardDecision[] {
		const now = this.deps.clock();
		const triggers = new Map<string, string>();
		const flaggedNow = new Set<string>();
		for (const s of live.suggestions) {
			if (s.score >= this.cfg.score) {
				flaggedNow.add(s.key);
				const first = this.since.get(s.key) ?? now;
				this.since.set(s.key, first);
				if (now - first >= this.cfg.forMinutes * MIN) triggers.set(s.key, `loop score ${s.score} for ${Math.round((now - first) / MIN)} min: ${s.reasons.map(r => r.text).join('; ')}`);
			}

			if (this.cfg.projectedHourUSD !== undefined && s.projectedUSDPerHour >= this.cfg.projectedHourUSD) triggers.set(s.key, `projected ${usd(s.projectedUSDPerHour)} for the next hour (limit ${usd(this.cfg.projectedHourUSD)})`);
		}

		for (const k of this.since.keys()) if (!flaggedNow.has(k)) this.since.delete(k);
		for (const b of live.budgets ?? []) {
			if (b.action !== 'stop' || b.level !== 'over') continue;
			for (const s of live.burn.sessions) {
				if (s.usdPerMin5 <= 0 || now - Date.parse(s.lastAt) > ACTIVE_MS) continue;
				if ((b.tool && s.tool !== b.tool) || (b.project && s.project !== b.project)) continue;
				triggers.set(`${s.tool}:${s.sessionId}`, `budget ${b.label} is over (${b.text}) and this session is spending`);
			}
		}

		const out: GuardDecision[] = [];
		for (const [key, trigger] of triggers) {
			const d = this.decide(key, trigger, session(key), now);
			if (d) out.push(d);
		}

		return out;
	}

	private decide(key: string, trigger: string, s: SessionState | undefined, now: number): GuardDecision | undefined {
		const last = this.stopped.get(key);
		if (last !== undefined && now - last < HOUR) return undefined;
		if (!s) return this.skip(key, trigger, 'the session is not in memory', now);
		let prompt = 0;
		for (const t of s.prompts.values()) if (t > prompt && t <= now) prompt = t;
		if (prompt > 0 && now - prompt < this.cfg.promptGraceMinutes * MIN) return this.skip(key, trigger, `a prompt was typed ${Math.round((now - prompt) / MIN)} min ago (grace ${this.cfg.promptGraceMinutes} min)`, now);
		const found = this.deps.find({tool: s.tool, project: s.project, cwds: [...s.cwds], firstAt: s.firstAt, files: [...s.files]});
		if (!found.process) {
			const why = found.candidates.length === 0 ? 'no running agent process matches it (same tool, folder, started before the session)' : `${found.candidates.length} processes match it (PIDs ${found.candidates.map(p => p.pid).join(', ')}): not guessing`;
			return this.skip(key, trigger, why, now);
		}

		const p = found.process;
		this.stopped.set(key, now);
		if (this.mode === 'dry') return this.tell({key, action: 'would-stop', why: `dry run: would send SIGINT to PID ${p.pid} (${p.command.slice(0, 80)})`, trigger, pid: p.pid}, s, now);
		const r = this.deps.signal(p, 'SIGINT');
		if (!r.ok) return this.tell({key, action: 'failed', why: `SIGINT to PID ${p.pid} failed: ${r.reason}`, trigger, pid: p.pid}, s, now);
		this.deps.later(() => {
			if (!this.deps.running(p)) return;
			const t = this.deps.signal(p, 'SIGTERM');
			this.tell({key, action: t.ok ? 'stopped' : 'failed', why: t.ok ? `PID ${p.pid} ignored SIGINT for ${this.cfg.graceSeconds} s: sent SIGTERM` : `SIGTERM to PID ${p.pid} failed: ${t.reason}`, trigger, pid: p.pid}, s, this.deps.clock());
		}, this.cfg.graceSeconds * 1000);
		return this.tell({key, action: 'stopped', why: `sent SIGINT to PID ${p.pid} (${p.command.slice(0, 80)}); SIGTERM in ${this.cfg.graceSeconds} s if it still runs`, trigger, pid: p.pid}, s, now);
	}

	private skip(key: string, trigger: string, why: string, now: number): GuardDecision | undefined {
		const k = `${key}\u0000${why.replace(/\d+/g, '#')}`;
		const last = this.told.get(k);
		if (last !== undefined && now - last < HOUR) return undefined;
		this.told.set(k, now);
		return this.tell({key, action: 'skipped', why, trigger}, undefined, now);
	}

	private tell(d: GuardDecision, s: SessionState | undefined, now: number): GuardDecision {
		const [tool, ...rest] = d.key.split(':');
		const sessionId = rest.join(':');
		const verb = {stopped: 'stopped', 'would-stop': 'would stop (dry run)', skipped: 'did not stop', failed: 'could not stop'}[d.action];
		this.deps.alert({
			kind: 'guard',
			at: new Date(now).toISOString(),
			title: `burntop guard ${verb} ${tool} ${sessionId.slice(0, 12)}`,
			message: `${d.trigger} — ${d.why}`,
			tool,
			sessionId,
			...(s ? {project: s.project} : {}),
			guardAction: d.action,
			guardReason: d.why,
			...(d.pid === undefined ? {} : {pid: d.pid}),
		});
		return d;
	}
}

/** The guard with the real process table, signals, alerts and timers. */
export function systemGuard(cfg: GuardConfig, mode: 'on' | 'dry', alerts: Alerter, clock: () => number): Guard {
	return new Guard(cfg, mode, {
		find: q => findAgentProcess(q),
		signal: (p, sig) => signalAgent(p, sig, true),
		running: p => stillRunning(p),
		alert: a => alerts.send(a),
		clock,
		later: (fn, ms) => void setTimeout(fn, ms),
	});
}

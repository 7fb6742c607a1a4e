// Per-session state of the aggregate: sessions as calls, errors, prompts, tool results and rate
// limits arrive; their turn's activity and their ring of recent calls.
import {classifyFeatures} from './activity.js';
import {MAX_ERRORS, MAX_SIGNALS, NO_CALLS, RECENT_CALLS, type UpsertResult} from './aggregate-rules.js';
import {emptyMap, emptySet, type CallRecord, type SessionState} from './records.js';
import type {Activity, ErrorEvent, PromptEvent, RateLimitEvent, ToolId, ToolResultEvent, UsageEvent} from './types.js';

export class SessionBook {
	readonly sessions = new Map<string, SessionState>();
	/** Project (repository root) → remote `owner/name`. */
	readonly remotes = new Map<string, string>();
	/** Bumped on every change: views and watchers re-render only when it moves. */
	version = 0;

	protected error(e: ErrorEvent): UpsertResult {
		const s = this.session(e.tool, e.sessionId, e.project, e.ts);
		if (s.errors.has(e.dedupeKey)) return 'duplicate';
		if (s.errors === emptyMap()) s.errors = new Map();
		s.errors.set(e.dedupeKey, e.ts);
		if (s.errors.size > MAX_ERRORS) s.errors.delete(s.errors.keys().next().value!);
		if (e.ts > s.lastAt) s.lastAt = e.ts;
		this.version++;
		return 'added';
	}

	protected signal<K extends 'prompts' | 'results'>(e: PromptEvent | ToolResultEvent, ring: K, value: SessionState[K] extends Map<string, infer V> ? V : never): UpsertResult {
		const s = this.session(e.tool, e.sessionId, '', e.ts);
		if (s[ring].has(e.dedupeKey)) return 'duplicate';
		if (s[ring] === emptyMap()) s[ring] = new Map() as SessionState[K];
		const m = s[ring] as Map<string, typeof value>;
		m.set(e.dedupeKey, value);
		if (m.size > MAX_SIGNALS) m.delete(m.keys().next().value!);
		this.version++;
		return 'added';
	}

	protected rateLimit(e: RateLimitEvent): UpsertResult {
		const s = this.sessions.get(`${e.tool}:${e.sessionId}`);
		if (!s) {
			// Rate limits arrive before the session's first call; keep them for when it exists.
			const created = this.session(e.tool, e.sessionId, '', e.ts);
			created.rateLimit = e;
			return 'added';
		}

		if (s.rateLimit && s.rateLimit.ts >= e.ts) return 'duplicate';
		s.rateLimit = e;
		this.version++;
		return 'amended';
	}

	protected session(tool: ToolId, sessionId: string, project: string, ts: number): SessionState {
		const key = `${tool}:${sessionId}`;
		let s = this.sessions.get(key);
		if (!s) {
			// Every field from the start, in one order: fields added later give sessions many shapes, and
			// the aggregate's hot functions deoptimized on each new one (a cold scan's JIT warm-up).
			s = {
				key, tool, sessionId, project, firstAt: ts, lastAt: ts, calls: 0, nano: 0, tokens: 0, models: new Set(), errors: emptyMap(), rateLimit: undefined,
				recent: [], files: new Set(), cwds: emptySet(), turnId: undefined, turnActivity: undefined, quiet: false, lastPrompt: undefined, prompts: emptyMap(), results: emptyMap(),
			};
			this.sessions.set(key, s);
		} else if (!s.project && project) {
			s.project = project;
		}

		return s;
	}

	protected classify(s: SessionState, e: UsageEvent, features: number): Activity {
		const sameTurn = e.turnId !== undefined && e.turnId === s.turnId;
		const activity = classifyFeatures(features, sameTurn ? s.turnActivity : undefined);
		if (!sameTurn) {
			s.turnId = e.turnId;
			s.turnActivity = undefined;
		}

		if (activity !== 'conversation') s.turnActivity = activity;
		return activity;
	}

	protected touch(s: SessionState, r: CallRecord, e: UsageEvent | undefined): void {
		if (r.ts < s.firstAt || s.firstAt === 0) s.firstAt = r.ts;
		if (r.ts > s.lastAt) s.lastAt = r.ts;
		s.models.add(r.model);
		if (e?.file) s.files.add(e.file);
		if (e?.cwd && e.cwd !== r.project && s.cwds.size < 20) {
			if (s.cwds === emptySet()) s.cwds = new Set();
			s.cwds.add(e.cwd);
		}
		if (e?.remote && !this.remotes.has(r.project)) this.remotes.set(r.project, e.remote);
		if (e?.prompt) s.lastPrompt = e.prompt;
		// Keep the ring in time order; most inserts are at the end.
		if (s.recent === NO_CALLS) s.recent = [];
		s.quiet = false;
		const ring = s.recent;
		let i = ring.length;
		while (i > 0 && ring[i - 1]!.ts > r.ts) i--;
		ring.splice(i, 0, r);
		if (ring.length > RECENT_CALLS) ring.shift();
	}
}

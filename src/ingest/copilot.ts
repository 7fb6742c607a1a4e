// GitHub Copilot CLI: ~/.copilot/session-state/<sessionId>/events.jsonl. Input and cache counts
// exist only in `session.shutdown` modelMetrics: per model, cumulative across resume legs (a
// later shutdown supersedes the earlier one), reset by in-session compaction (a new epoch).
// When ~/.copilot/session-store.db is present its assistant_usage_events table has one row per
// model call: those rows supersede the shutdown summary of the same session (group + rank).
// Copilot bills premium requests, not tokens: the cost shown is the API-rate equivalent, so it
// is marked estimated. Rules: ../shared/reference/session-formats.md §7.
import path from 'node:path';
import type Database from 'better-sqlite3';
import type {EmitFn} from '../core/types.js';
import {asNumber, asString, isRecord, parseTime, splitInput} from './util.js';
import type {JsonlStore, LineParser, Root, SessionFile, SkipFn, SqlitePoller, SqliteStore, StoreEnv} from './types.js';

function copilotHome({home, env}: StoreEnv): Root {
	const dir = env['COPILOT_HOME'];
	return {path: dir || path.join(home, '.copilot'), origin: dir ? '$COPILOT_HOME' : 'default'};
}

export function copilotRoots(env: StoreEnv): Root[] {
	const h = copilotHome(env);
	return [{...h, path: path.join(h.path, 'session-state')}];
}

type Metrics = {requests: number; input: number; output: number; cacheRead: number; cacheWrite: number; reasoning: number};

class CopilotParser implements LineParser {
	private sessionId: string;
	private cwd?: string;
	private readonly epochs = new Map<string, {epoch: number; last: Metrics}>();

	constructor(file: SessionFile) {
		this.sessionId = path.basename(path.dirname(file.path));
	}

	line(r: unknown, emit: EmitFn, skip: SkipFn): void {
		if (!isRecord(r)) return skip('not a JSON object');
		const data = isRecord(r['data']) ? r['data'] : {};
		const ts = parseTime(r['timestamp']);
		switch (r['type']) {
			case 'session.start': {
				this.sessionId = asString(data['sessionId']) ?? this.sessionId;
				const ctx = data['context'];
				if (isRecord(ctx)) this.cwd = asString(ctx['cwd']) ?? asString(ctx['gitRoot']);
				return;
			}

			case 'user.message':
				if (ts !== undefined) emit({kind: 'prompt', tool: 'copilot-cli', sessionId: this.sessionId, ts, dedupeKey: `copilot-prompt:${this.sessionId}:${asString(r['id']) ?? ts}`});
				return;
			case 'session.shutdown':
				if (ts === undefined) return skip('session.shutdown without a valid timestamp');
				return this.shutdown(data, ts, emit);
			default:
		}
	}

	private shutdown(data: Record<string, unknown>, ts: number, emit: EmitFn): void {
		const metrics = data['modelMetrics'];
		if (!isRecord(metrics)) return;
		let premium = asNumber(data['totalPremiumRequests']);
		for (const [model, m] of Object.entries(metrics)) {
			if (!isRecord(m)) continue;
			const req = isRecord(m['requests']) ? m['requests'] : {};
			const u = isRecord(m['usage']) ? m['usage'] : {};
			const now: Metrics = {
				requests: asNumber(req['count']),
				input: asNumber(u['inputTokens']),
				output: asNumber(u['outputTokens']),
				cacheRead: asNumber(u['cacheReadTokens']),
				cacheWrite: asNumber(u['cacheWriteTokens']),
				reasoning: asNumber(u['reasoningTokens']),
			};
			const prev = this.epochs.get(model);
			// Totals that went down were reset by compaction: what follows is a new epoch.
			const epoch = prev && (now.input < prev.last.input || now.output < prev.last.output || now.requests < prev.last.requests) ? prev.epoch + 1 : prev?.epoch ?? 0;
			this.epochs.set(model, {epoch, last: now});
			if (now.requests === 0 && now.input === 0 && now.output === 0) continue;
			emit({
				kind: 'usage',
				tool: 'copilot-cli',
				sessionId: this.sessionId,
				project: this.cwd ?? 'unknown',
				model,
				ts,
				...splitInput(now.input, now.cacheRead, now.cacheWrite),
				cacheWrite1h: 0,
				output: now.output,
				reasoning: now.reasoning,
				webSearches: 0,
				calls: now.requests,
				// Cumulative per model: a later shutdown of the same epoch replaces the earlier one.
				dedupeKey: `copilot:${this.sessionId}:${model}:${epoch}`,
				replace: 'last',
				estimated: true,
				group: `copilot:${this.sessionId}`,
				rank: 0,
				// Reported per session, not per model: carried by the first model's record.
				premiumRequests: premium,
			});
			premium = 0;
		}
	}
}

export const copilotStore: JsonlStore = {
	tool: 'copilot-cli',
	kind: 'jsonl',
	roots: copilotRoots,
	accepts: p => path.basename(p) === 'events.jsonl',
	markers: ['"session.start"', '"session.shutdown"', '"user.message"'],
	createParser: file => new CopilotParser(file),
};

/** session-store.db: one row per model call (authoritative for the sessions it holds). */
class SessionStorePoller implements SqlitePoller {
	private watermark = 0;

	poll(db: Database.Database, emit: EmitFn, skip: SkipFn): void {
		const max = (db.prepare('SELECT MAX(id) AS m FROM assistant_usage_events').get() as {m: number | null}).m ?? 0;
		if (max < this.watermark) this.watermark = 0;
		// SELECT e.* keeps working when columns are added; fields are read by name below.
		const rows = db.prepare('SELECT e.*, s.cwd AS session_cwd FROM assistant_usage_events e LEFT JOIN sessions s ON s.id = e.session_id WHERE e.id > ? ORDER BY e.id').all(this.watermark) as Array<Record<string, unknown>>;
		for (const r of rows) {
			const id = asNumber(r['id']);
			this.watermark = Math.max(this.watermark, id);
			const session = asString(r['session_id']);
			const ts = parseTime(r['created_at']);
			if (!session || ts === undefined) {
				skip('usage row without session or time');
				continue;
			}

			const multiplier = typeof r['request_multiplier'] === 'number' ? r['request_multiplier'] : undefined;
			emit({
				kind: 'usage',
				tool: 'copilot-cli',
				sessionId: session,
				project: asString(r['session_cwd']) ?? 'unknown',
				model: asString(r['copilot_usage_model']) ?? asString(r['model']) ?? 'unknown',
				ts,
				// input_tokens = uncached + cache read + cache write.
				...splitInput(asNumber(r['input_tokens']), asNumber(r['cache_read_tokens']), asNumber(r['cache_write_tokens'])),
				cacheWrite1h: 0,
				output: asNumber(r['output_tokens']),
				reasoning: asNumber(r['reasoning_tokens']),
				webSearches: 0,
				dedupeKey: `copilot:row:${session}:${id}`,
				replace: 'last',
				estimated: true,
				group: `copilot:${session}`,
				rank: 1,
				premiumRequests: multiplier,
			});
		}
	}
}

export const copilotDbStore: SqliteStore = {
	tool: 'copilot-cli',
	kind: 'sqlite',
	roots: env => [copilotHome(env)],
	accepts: p => path.basename(p) === 'session-store.db',
	createPoller: () => new SessionStorePoller(),
};

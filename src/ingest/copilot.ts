// GitHub Copilot CLI: ~/.copilot/session-state/<sessionId>/events.jsonl. Input and cache counts
// exist only in `session.shutdown` modelMetrics: per model, cumulative across resume legs (a
// later shutdown supersedes the earlier one), reset by in-session compaction (a new epoch).
// Copilot bills premium requests, not tokens: the cost shown is the API-rate equivalent, so it
// is marked estimated. Rules: ../shared/reference/session-formats.md §7.
import path from 'node:path';
import type {EmitFn} from '../core/types.js';
import {asNumber, asString, isRecord, parseTime} from './util.js';
import type {JsonlStore, LineParser, Root, SessionFile, SkipFn, StoreEnv} from './types.js';

export function copilotRoots({home, env}: StoreEnv): Root[] {
	const dir = env['COPILOT_HOME'];
	return [{path: path.join(dir || path.join(home, '.copilot'), 'session-state'), origin: dir ? '$COPILOT_HOME' : 'default'}];
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
			const cacheRead = Math.min(now.cacheRead, now.input);
			const cacheWrite = Math.min(now.cacheWrite, now.input - cacheRead);
			emit({
				kind: 'usage',
				tool: 'copilot-cli',
				sessionId: this.sessionId,
				project: this.cwd ?? 'unknown',
				model,
				ts,
				input: now.input - cacheRead - cacheWrite,
				cacheRead,
				cacheWrite5m: cacheWrite,
				cacheWrite1h: 0,
				output: now.output,
				reasoning: now.reasoning,
				webSearches: 0,
				calls: now.requests,
				// Cumulative per model: a later shutdown of the same epoch replaces the earlier one.
				dedupeKey: `copilot:${this.sessionId}:${model}:${epoch}`,
				replace: 'last',
				estimated: true,
			});
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

// Qwen Code: ~/.qwen/projects/<encoded-cwd>/chats/<sessionId>.jsonl, Claude-like envelope with
// Gemini-style usageMetadata on `assistant` lines. `system`/`ui_telemetry` lines copy the same
// usage and are not counted. Rules: ../shared/reference/session-formats.md §7.
import path from 'node:path';
import type {EmitFn} from '../core/types.js';
import {asNumber, asString, isRecord, parseTime, relativeParts} from './util.js';
import type {JsonlStore, LineParser, Root, SessionFile, SkipFn, StoreEnv} from './types.js';

export function qwenRoots({home, env}: StoreEnv): Root[] {
	const dir = env['QWEN_DATA_DIR'];
	return [{path: dir ? path.join(dir, 'projects') : path.join(home, '.qwen', 'projects'), origin: dir ? '$QWEN_DATA_DIR' : 'default'}];
}

class QwenParser implements LineParser {
	private readonly fileSession: string;
	private readonly folder: string;

	constructor(file: SessionFile) {
		this.fileSession = path.basename(file.path, '.jsonl');
		this.folder = relativeParts(file)[0] ?? 'unknown';
	}

	line(r: unknown, emit: EmitFn, skip: SkipFn): void {
		if (!isRecord(r)) return skip('not a JSON object');
		const sessionId = asString(r['sessionId']) ?? this.fileSession;
		const ts = parseTime(r['timestamp']);
		if (r['type'] === 'user') {
			if (ts !== undefined) emit({kind: 'prompt', tool: 'qwen-code', sessionId, ts, dedupeKey: `qwen-prompt:${sessionId}:${asString(r['uuid']) ?? ts}`});
			return;
		}

		if (r['type'] !== 'assistant') return; // ui_telemetry copies are not calls.
		const u = r['usageMetadata'];
		if (!isRecord(u)) return;
		if (ts === undefined) return skip('assistant line without a valid timestamp');
		const prompt = asNumber(u['promptTokenCount']);
		const cached = Math.min(asNumber(u['cachedContentTokenCount']), prompt);
		const candidates = asNumber(u['candidatesTokenCount']);
		const thoughts = asNumber(u['thoughtsTokenCount']);
		const total = asNumber(u['totalTokenCount']);
		// On the OpenAI-compatible path reasoning is already inside candidates: decide per record.
		const separate = thoughts > 0 && total === prompt + candidates + thoughts;
		emit({
			kind: 'usage',
			tool: 'qwen-code',
			sessionId,
			project: asString(r['cwd']) ?? this.folder,
			model: asString(r['model']) ?? 'unknown',
			ts,
			input: prompt - cached,
			cacheRead: cached,
			cacheWrite5m: 0,
			cacheWrite1h: 0,
			output: separate ? candidates + thoughts : candidates,
			reasoning: thoughts,
			webSearches: 0,
			dedupeKey: `qwen:${sessionId}:${asString(r['uuid']) ?? ts}`,
			replace: 'last',
		});
	}
}

export const qwenStore: JsonlStore = {
	tool: 'qwen-code',
	kind: 'jsonl',
	roots: qwenRoots,
	accepts: p => p.endsWith('.jsonl'),
	markers: ['"usageMetadata"', '"type":"user"'],
	createParser: file => new QwenParser(file),
};

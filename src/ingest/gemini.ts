// Gemini CLI: ~/.gemini/tmp/<project>/chats/session-*.jsonl (≥0.39, a message re-appended with
// the same id when tokens arrive: last wins) and legacy session-*.json rewritten whole.
// Rules: ../shared/reference/session-formats.md §4. cached ⊂ input; thoughts billed as output.
import path from 'node:path';
import type {EmitFn} from '../core/types.js';
import {asNumber, asString, isRecord, parseTime, relativeParts} from './util.js';
import {readRegular} from './safe-file.js';
import type {LineParser, MixedStore, Root, SessionFile, SkipFn, StoreEnv} from './types.js';

export function geminiRoots({home, env}: StoreEnv): Root[] {
	const base = env['GEMINI_CLI_HOME'];
	return [{path: path.join(base || home, '.gemini', 'tmp'), origin: base ? '$GEMINI_CLI_HOME' : 'default'}];
}

/** The project folder a chat file belongs to: `.project_root` marker, projects.json, else the folder name. */
function projectOf(file: SessionFile): string {
	const rel = relativeParts(file);
	const id = rel[0] ?? '';
	try {
		const marker = readRegular(path.join(file.root, id, '.project_root')).trim();
		if (marker) return marker;
	} catch {}

	try {
		const registry = JSON.parse(readRegular(path.join(path.dirname(file.root), 'projects.json'))) as {projects?: Record<string, string>};
		const hit = Object.entries(registry.projects ?? {}).find(([, slug]) => slug === id);
		if (hit) return hit[0];
	} catch {}

	return id || 'unknown';
}

/** One `gemini` message with tokens → one call; a `user` message → a prompt. */
function emitMessage(m: Record<string, unknown>, sessionId: string, project: string, file: string, emit: EmitFn, skip: SkipFn): void {
	const id = asString(m['id']);
	if (m['type'] === 'user' && id) {
		const ts = parseTime(m['timestamp']);
		if (ts !== undefined) emit({kind: 'prompt', tool: 'gemini-cli', sessionId, ts, dedupeKey: `gemini-prompt:${sessionId}:${id}`});
		return;
	}

	if (m['type'] !== 'gemini') return;
	const tokens = m['tokens'];
	if (!isRecord(tokens)) return; // Tokens arrive in a later copy of the message.
	const ts = parseTime(m['timestamp']);
	if (ts === undefined || !id) return skip('gemini message without id or timestamp');
	const input = asNumber(tokens['input']);
	const cached = Math.min(asNumber(tokens['cached']), input);
	const thoughts = asNumber(tokens['thoughts']);
	const tools = Array.isArray(m['toolCalls']) ? m['toolCalls'].map(t => (isRecord(t) ? asString(t['name']) : undefined)).filter((x): x is string => Boolean(x)) : [];
	emit({
		kind: 'usage',
		tool: 'gemini-cli',
		sessionId,
		project,
		model: asString(m['model']) ?? 'unknown',
		ts,
		input: input - cached + asNumber(tokens['tool']),
		cacheRead: cached,
		cacheWrite5m: 0,
		cacheWrite1h: 0,
		output: asNumber(tokens['output']) + thoughts,
		reasoning: thoughts,
		webSearches: 0,
		// The same message id in the .json and its .jsonl conversion is one call.
		dedupeKey: `gemini:${sessionId}:${id}`,
		replace: 'last',
		tools,
		file,
	});
}

class GeminiLines implements LineParser {
	private sessionId: string;
	private readonly project: string;

	constructor(private readonly file: SessionFile) {
		this.sessionId = path.basename(file.path, '.jsonl');
		this.project = projectOf(file);
	}

	line(r: unknown, emit: EmitFn, skip: SkipFn): void {
		if (!isRecord(r)) return skip('not a JSON object');
		if (r['type'] === undefined && typeof r['sessionId'] === 'string') {
			this.sessionId = r['sessionId'];
			return;
		}

		// `$set` patches and `$rewindTo` change the conversation view; billed calls stay counted.
		emitMessage(r, this.sessionId, this.project, this.file.path, emit, skip);
	}
}

export const geminiStore: MixedStore = {
	tool: 'gemini-cli',
	kind: 'mixed',
	roots: geminiRoots,
	accepts: p => /[\\/]chats[\\/].*\.jsonl?$/.test(p),
	jsonl: {
		accepts: p => p.endsWith('.jsonl'),
		markers: ['"tokens"', '"type":"user"', '"sessionId"'],
		createParser: file => new GeminiLines(file),
	},
	json: {
		accepts: p => p.endsWith('.json'),
		parse(file, doc, emit, skip) {
			if (!isRecord(doc) || !Array.isArray(doc['messages'])) return skip('not a Gemini session file');
			const sessionId = asString(doc['sessionId']) ?? path.basename(file.path, '.json');
			const project = projectOf(file);
			for (const m of doc['messages']) if (isRecord(m)) emitMessage(m, sessionId, project, file.path, emit, skip);
		},
	},
};


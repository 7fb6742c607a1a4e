// Cline, Roo Code and Kilo Code (VS Code and its forks): globalStorage/<extension>/tasks/<taskId>/
// ui_messages.json, rewritten whole on every save. Each `api_req_started` entry is one request,
// created without tokens and updated in place when the stream ends (upsert by task and ts).
// The extension's own cost is preferred. `tokensIn` means different things: Cline stores the
// provider's raw input (Anthropic: without cache); newer Roo/Kilo store input including cache
// for the Anthropic protocol. Rules: ../shared/reference/session-formats.md §6.
import fs from 'node:fs';
import path from 'node:path';
import type {EmitFn, ToolId} from '../core/types.js';
import {asNumber, asString, isRecord} from './util.js';
import {readRegular, WHOLE_FILE_MAX} from './safe-file.js';
import type {JsonFileStore, Root, SessionFile, SkipFn, StoreEnv} from './types.js';

const EDITORS = ['Code', 'Code - Insiders', 'VSCodium', 'Cursor', 'Windsurf'];

function userDirs({home, env, platform}: StoreEnv): string[] {
	const base = platform === 'darwin'
		? path.join(home, 'Library', 'Application Support')
		: platform === 'win32'
			? env['APPDATA'] || path.join(home, 'AppData', 'Roaming')
			: env['XDG_CONFIG_HOME'] || path.join(home, '.config');
	return EDITORS.map(e => path.join(base, e, 'User'));
}

type Flavour = {tool: ToolId; ext: string; cli?: boolean};

function roots(f: Flavour, env: StoreEnv): Root[] {
	const out = userDirs(env).map(u => ({path: path.join(u, 'globalStorage', f.ext, 'tasks'), origin: `VS Code family (${path.basename(path.dirname(u))})`}));
	if (f.cli) {
		const dir = env.env['CLINE_DATA_DIR'] || (env.env['CLINE_DIR'] ? path.join(env.env['CLINE_DIR'], 'data') : path.join(env.home, '.cline', 'data'));
		out.push({path: path.join(dir, 'tasks'), origin: env.env['CLINE_DATA_DIR'] ? '$CLINE_DATA_DIR' : env.env['CLINE_DIR'] ? '$CLINE_DIR' : 'Cline CLI'});
	}

	return out;
}

/** taskId → working folder, from the extension's state/taskHistory.json (read once per change). */
const historyCache = new Map<string, {mtime: number; map: Map<string, string>}>();
function taskFolder(tasksRoot: string, taskId: string): string | undefined {
	const file = path.join(path.dirname(tasksRoot), 'state', 'taskHistory.json');
	try {
		const mtime = fs.statSync(file).mtimeMs;
		let hit = historyCache.get(file);
		if (!hit || hit.mtime !== mtime) {
			const items = JSON.parse(readRegular(file, WHOLE_FILE_MAX)) as unknown;
			const map = new Map<string, string>();
			if (Array.isArray(items)) for (const it of items) if (isRecord(it) && typeof it['id'] === 'string' && typeof it['cwdOnTaskInitialization'] === 'string') map.set(it['id'], it['cwdOnTaskInitialization']);
			hit = {mtime, map};
			historyCache.set(file, hit);
		}

		return hit.map.get(taskId);
	} catch {
		return undefined;
	}
}

function store(f: Flavour): JsonFileStore {
	return {
		tool: f.tool,
		kind: 'json',
		roots: env => roots(f, env),
		accepts: p => path.basename(p) === 'ui_messages.json',
		parse(file: SessionFile, doc: unknown, emit: EmitFn, skip: SkipFn) {
			if (!Array.isArray(doc)) return skip('ui_messages.json is not an array');
			const taskId = path.basename(path.dirname(file.path));
			const project = taskFolder(file.root, taskId) ?? `${f.tool} task ${taskId}`;
			for (const m of doc) {
				if (!isRecord(m) || m['say'] !== 'api_req_started' || typeof m['text'] !== 'string') continue;
				const ts = asNumber(m['ts']);
				if (!ts) {
					skip('api_req_started without ts');
					continue;
				}

				let info: unknown;
				try {
					info = JSON.parse(m['text']);
				} catch {
					skip('api_req_started with unreadable text');
					continue;
				}

				if (!isRecord(info) || (info['tokensIn'] === undefined && info['tokensOut'] === undefined)) continue; // In flight or aborted.
				const tokensIn = asNumber(info['tokensIn']);
				const reads = asNumber(info['cacheReads']);
				const writes = asNumber(info['cacheWrites']);
				const anthropic = (asString(info['apiProtocol']) ?? 'anthropic') === 'anthropic';
				let fresh: number;
				if (!anthropic) fresh = tokensIn - reads; // OpenAI-style input already includes cache.
				else if (f.tool === 'cline') fresh = tokensIn; // Raw Anthropic input excludes cache.
				else fresh = tokensIn >= reads + writes ? tokensIn - reads - writes : tokensIn; // Roo/Kilo: inclusive in newer builds.
				const cost = typeof info['cost'] === 'number' ? info['cost'] : undefined;
				const model = isRecord(m['modelInfo']) ? asString(m['modelInfo']['modelId']) : undefined;
				emit({
					kind: 'usage',
					tool: f.tool,
					sessionId: taskId,
					project,
					model: model ?? 'unknown',
					ts,
					input: Math.max(0, fresh),
					cacheRead: reads,
					cacheWrite5m: writes,
					cacheWrite1h: 0,
					output: asNumber(info['tokensOut']),
					reasoning: 0,
					webSearches: 0,
					reportedCostUSD: cost,
					preferReportedCost: cost !== undefined,
					dedupeKey: `${f.tool}:${taskId}:${ts}`,
					replace: 'last',
				});
			}
		},
	};
}

export const clineStores = [
	store({tool: 'cline', ext: 'saoudrizwan.claude-dev', cli: true}),
	store({tool: 'roo-code', ext: 'rooveterinaryinc.roo-cline'}),
	store({tool: 'kilo-code', ext: 'kilocode.kilo-code'}),
];

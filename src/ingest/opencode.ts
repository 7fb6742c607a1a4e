// OpenCode (and its fork Kilo CLI): opencode.db (SQLite, WAL) with `step-finish` parts as the
// per-call unit, rows updated in place while streaming (upsert by part id), and the legacy
// storage/message/**.json tree from ≤1.1. Rules: ../shared/reference/session-formats.md §5.
// tokens.input already excludes cache; reasoning is separate and billed at the output rate.
import fs from 'node:fs';
import path from 'node:path';
import type Database from 'better-sqlite3';
import type {EmitFn, ToolId} from '../core/types.js';
import {asNumber, asString, isRecord} from './util.js';
import {readRegular} from './safe-file.js';
import type {JsonFileStore, Root, SessionFile, SkipFn, SqlitePoller, SqliteStore, StoreEnv} from './types.js';

type Flavour = {tool: ToolId; dir: string; envVar: string; db: RegExp};
const OPENCODE: Flavour = {tool: 'opencode', dir: 'opencode', envVar: 'OPENCODE_DATA_DIR', db: /^opencode(-[\w.-]+)?\.db$/};
const KILO: Flavour = {tool: 'kilo-cli', dir: 'kilo', envVar: 'KILO_DATA_DIR', db: /^kilo(-[\w.-]+)?\.db$/};

function dataDirs(f: Flavour, {home, env, platform}: StoreEnv): Root[] {
	const override = env[f.envVar];
	if (override) return [{path: override, origin: `$${f.envVar}`}];
	const xdg = env['XDG_DATA_HOME'] || path.join(home, '.local', 'share');
	const roots: Root[] = [{path: path.join(xdg, f.dir), origin: 'default'}];
	if (platform === 'win32' && env['APPDATA']) roots.push({path: path.join(env['APPDATA'], f.dir), origin: 'default (Windows)'});
	return roots;
}

type Tokens = {input: number; output: number; reasoning: number; read: number; write: number};

function tokensOf(v: unknown): Tokens | undefined {
	if (!isRecord(v)) return undefined;
	const cache = isRecord(v['cache']) ? v['cache'] : {};
	return {input: asNumber(v['input']), output: asNumber(v['output']), reasoning: asNumber(v['reasoning']), read: asNumber(cache['read']), write: asNumber(cache['write'])};
}

/** A usable project path: absolute (published files may carry redacted placeholders). */
function absolute(v: unknown): string | undefined {
	const s = asString(v);
	return s && (s.startsWith('/') || /^[A-Za-z]:[\\/]/.test(s)) ? s : undefined;
}

function emitCall(tool: ToolId, key: string, sessionId: string, project: string, model: string, ts: number, t: Tokens, cost: unknown, emit: EmitFn): void {
	if (t.input + t.output + t.reasoning + t.read + t.write === 0) return; // A row created before its tokens.
	emit({
		kind: 'usage',
		tool,
		sessionId,
		project,
		model,
		ts,
		input: t.input,
		cacheRead: t.read,
		cacheWrite5m: t.write,
		cacheWrite1h: 0,
		output: t.output + t.reasoning,
		reasoning: t.reasoning,
		webSearches: 0,
		reportedCostUSD: typeof cost === 'number' ? cost : undefined,
		dedupeKey: key,
		replace: 'last',
	});
}

// One malformed row must not fail the query for all the others: json_valid guards json_extract.
// New rows by rowid (a row written with an older time_updated than rows already seen, by a
// second OpenCode process or after a clock step back, still has a new rowid; a replaced row
// gets one too), changed rows by time_updated.
const STEPS = `
	SELECT p.rowid AS rid, p.id AS id, p.session_id AS session, p.time_created AS created, p.time_updated AS updated,
	       p.data AS pdata, m.data AS mdata, s.directory AS directory
	FROM part p JOIN message m ON m.id = p.message_id LEFT JOIN session s ON s.id = p.session_id
	WHERE (p.rowid > ? OR p.time_updated >= ?) AND (CASE WHEN json_valid(p.data) THEN json_extract(p.data, '$.type') END) = 'step-finish'
	ORDER BY p.time_updated`;

class OpenCodePoller implements SqlitePoller {
	/** time_updated watermark; rows at the watermark are read again (upserts absorb them). */
	private watermark = 0;
	/** Highest rowid read. */
	private rowWatermark = 0;

	constructor(private readonly tool: ToolId) {}

	poll(db: Database.Database, emit: EmitFn, skip: SkipFn): void {
		const max = db.prepare('SELECT MAX(time_updated) AS m, MAX(rowid) AS r FROM part').get() as {m: number | null; r: number | null};
		// Restored or rebuilt database: read it all again.
		if ((max.m ?? 0) < this.watermark || (max.r ?? 0) < this.rowWatermark) this.watermark = this.rowWatermark = 0;
		const rows = db.prepare(STEPS).all(this.rowWatermark, this.watermark) as Array<{rid: number; id: string; session: string; created: number; updated: number; pdata: string; mdata: string; directory: string | null}>;
		for (const r of rows) {
			let p: unknown;
			let m: unknown;
			try {
				p = JSON.parse(r.pdata);
				m = JSON.parse(r.mdata);
			} catch {
				skip('part or message row with invalid JSON');
				continue;
			}

			if (!isRecord(p) || !isRecord(m)) continue;
			const t = tokensOf(p['tokens']);
			if (!t) continue;
			const time = isRecord(m['time']) ? m['time'] : {};
			// Table timestamps can be a restore time; the call's own time is inside the message.
			const ts = asNumber(time['created']) || r.created;
			const where = isRecord(m['path']) ? m['path'] : {};
			const project = absolute(where['root']) ?? absolute(where['cwd']) ?? absolute(r.directory) ?? r.directory ?? 'unknown';
			emitCall(this.tool, `${this.tool}:part:${r.id}`, r.session, project, asString(m['modelID']) ?? 'unknown', ts, t, p['cost'], emit);
			if (r.updated > this.watermark) this.watermark = r.updated;
		}

		// Every row up to the highest rowid before this read was seen (later ones have higher rowids).
		this.rowWatermark = Math.max(this.rowWatermark, max.r ?? 0);
	}
}

function dbStore(f: Flavour): SqliteStore {
	return {
		tool: f.tool,
		kind: 'sqlite',
		roots: env => dataDirs(f, env),
		accepts: p => f.db.test(path.basename(p)) && path.dirname(p).split(path.sep).at(-1) !== 'storage',
		createPoller: () => new OpenCodePoller(f.tool),
	};
}

/** ≤1.1 JSON tree: one file per message; step-finish parts in storage/part/<messageID>/ when present. */
function legacyStore(f: Flavour): JsonFileStore {
	return {
		tool: f.tool,
		kind: 'json',
		roots: env => dataDirs(f, env).map(r => ({...r, path: path.join(r.path, 'storage', 'message')})),
		accepts: p => p.endsWith('.json'),
		parse(file: SessionFile, m: unknown, emit: EmitFn, skip: SkipFn) {
			if (!isRecord(m)) return skip('not an OpenCode message');
			if (m['role'] !== 'assistant') return;
			const id = asString(m['id']) ?? path.basename(file.path, '.json');
			const sessionId = asString(m['sessionID']) ?? path.basename(path.dirname(file.path));
			const time = isRecord(m['time']) ? m['time'] : {};
			const ts = asNumber(time['created']);
			if (!ts) return skip('message without time.created');
			const where = isRecord(m['path']) ? m['path'] : {};
			const project = absolute(where['root']) ?? absolute(where['cwd']) ?? sessionId;
			const model = asString(m['modelID']) ?? 'unknown';
			// Message tokens keep only the last step of a multi-step turn: prefer its step-finish parts.
			const partDir = path.join(path.dirname(file.root), 'part', id);
			let steps = 0;
			try {
				for (const name of fs.readdirSync(partDir)) {
					let part: unknown;
					try {
						part = JSON.parse(readRegular(path.join(partDir, name)));
					} catch {
						continue; // Not a regular file, too large, or not JSON: not a part.
					}

					if (!isRecord(part) || part['type'] !== 'step-finish') continue;
					const t = tokensOf(part['tokens']);
					if (!t) continue;
					steps++;
					emitCall(f.tool, `${f.tool}:part:${asString(part['id']) ?? name}`, sessionId, project, model, ts, t, part['cost'], emit);
				}
			} catch {}

			if (steps === 0) {
				const t = tokensOf(m['tokens']);
				if (t) emitCall(f.tool, `${f.tool}:msg:${id}`, sessionId, project, model, ts, t, m['cost'], emit);
			}
		},
	};
}

export const opencodeStores = [dbStore(OPENCODE), legacyStore(OPENCODE), dbStore(KILO), legacyStore(KILO)];

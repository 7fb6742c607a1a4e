// Cursor: the global state.vscdb (SQLite). Only chat keys are queried (`bubbleId:%` in
// cursorDiskKV; the database also holds auth tokens). Local token counts are incomplete — no
// cache tokens, zeros in current builds — so every Cursor figure is an estimate (a floor).
// Rules: ../shared/reference/session-formats.md §3.
import fs from 'node:fs';
import path from 'node:path';
import type Database from 'better-sqlite3';
import type {EmitFn} from '../core/types.js';
import {openReadOnly, close} from './sqlite.js';
import {asNumber, asString, isRecord, parseTime} from './util.js';
import {isRegularFile, readRegular} from './safe-file.js';
import type {Root, SessionFile, SkipFn, SqlitePoller, SqliteStore, StoreEnv} from './types.js';

/** Model of Cursor's "Auto" mode: not a priced model, so its calls show as unpriced. */
export const CURSOR_AUTO = 'cursor-auto';

function userDir({home, env, platform}: StoreEnv): string {
	if (platform === 'darwin') return path.join(home, 'Library', 'Application Support', 'Cursor', 'User');
	if (platform === 'win32') return path.join(env['APPDATA'] || path.join(home, 'AppData', 'Roaming'), 'Cursor', 'User');
	return path.join(env['XDG_CONFIG_HOME'] || path.join(home, '.config'), 'Cursor', 'User');
}

export function cursorRoots(env: StoreEnv): Root[] {
	return [{path: path.join(userDir(env), 'globalStorage'), origin: 'default'}];
}

/** composerId → workspace folder, from workspaceStorage/<hash>/{workspace.json,state.vscdb}. */
function composerFolders(globalDir: string): Map<string, string> {
	const map = new Map<string, string>();
	const ws = path.join(path.dirname(globalDir), 'workspaceStorage');
	let dirs: string[] = [];
	try {
		dirs = fs.readdirSync(ws);
	} catch {
		return map;
	}

	for (const d of dirs) {
		try {
			const meta = JSON.parse(readRegular(path.join(ws, d, 'workspace.json'))) as {folder?: string};
			if (!meta.folder) continue;
			const folder = decodeURIComponent(meta.folder.replace(/^file:\/\//, ''));
			const db = path.join(ws, d, 'state.vscdb');
			if (!isRegularFile(db)) continue;
			const h = openReadOnly(db);
			try {
				const rows = h.db.prepare("SELECT value FROM ItemTable WHERE key IN ('composer.composerData', 'composer.composerHeaders')").all() as Array<{value: string | Buffer}>;
				for (const r of rows) {
					const v = JSON.parse(String(r.value)) as {allComposers?: Array<{composerId?: string}>};
					for (const c of v.allComposers ?? []) if (c.composerId) map.set(c.composerId, folder);
				}
			} finally {
				close(h);
			}
		} catch {}
	}

	return map;
}

class CursorPoller implements SqlitePoller {
	private watermark = 0;
	private folders?: Map<string, string>;

	constructor(private readonly file: SessionFile) {}

	poll(db: Database.Database, emit: EmitFn, skip: SkipFn): void {
		const max = (db.prepare("SELECT MAX(rowid) AS m FROM cursorDiskKV WHERE key LIKE 'bubbleId:%'").get() as {m: number | null}).m ?? 0;
		if (max < this.watermark) this.watermark = 0; // VACUUM or a new database: read it again.
		this.folders ??= composerFolders(path.dirname(this.file.path));
		// Bubbles are replaced in place (REPLACE gives them a new rowid): the watermark sees updates.
		const rows = db.prepare("SELECT rowid AS id, key, value FROM cursorDiskKV WHERE rowid > ? AND key LIKE 'bubbleId:%' ORDER BY rowid").all(this.watermark) as Array<{id: number; key: string; value: string | Buffer | null}>;
		for (const r of rows) {
			this.watermark = Math.max(this.watermark, r.id);
			// bubbleId:<composerId>:<bubbleId>; tool sub-composer keys contain newlines.
			const parts = r.key.split(':');
			if (parts.length !== 3 || /[\r\n]/.test(r.key)) continue;
			const [, composer, bubble] = parts as [string, string, string];
			let b: unknown;
			try {
				b = JSON.parse(String(r.value ?? ''));
			} catch {
				skip('bubble with invalid JSON');
				continue;
			}

			if (!isRecord(b) || b['type'] !== 2) continue;
			const tc = b['tokenCount'];
			if (!isRecord(tc)) continue;
			const input = asNumber(tc['inputTokens']);
			const output = asNumber(tc['outputTokens']);
			if (input + output === 0) continue; // Current builds write zeros: nothing to count.
			const ts = parseTime(b['createdAt']);
			if (ts === undefined) {
				skip('assistant bubble with tokens but no createdAt');
				continue;
			}

			const info = b['modelInfo'];
			const name = isRecord(info) ? asString(info['modelName']) : undefined;
			emit({
				kind: 'usage',
				tool: 'cursor',
				sessionId: composer,
				project: this.folders.get(composer) ?? 'cursor',
				model: name && name !== 'default' ? name : CURSOR_AUTO,
				ts,
				input,
				cacheRead: 0,
				cacheWrite5m: 0,
				cacheWrite1h: 0,
				output,
				reasoning: 0,
				webSearches: 0,
				dedupeKey: `cursor:${composer}:${bubble}`,
				replace: 'last',
				estimated: true,
			});
		}
	}
}

export const cursorStore: SqliteStore = {
	tool: 'cursor',
	kind: 'sqlite',
	roots: cursorRoots,
	accepts: p => path.basename(p) === 'state.vscdb' && path.basename(path.dirname(p)) === 'globalStorage',
	createPoller: file => new CursorPoller(file),
};

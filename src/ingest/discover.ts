// Finds every session file of every store, newest first.
import fs from 'node:fs';
import path from 'node:path';
import {notRegular} from './safe-file.js';
import type {Root, SessionFile, Store, StoreEnv} from './types.js';

export type ProbedRoot = Root & {exists: boolean};

export type Discovery = {
	store: Store;
	roots: ProbedRoot[];
	files: Array<SessionFile & {size: number; mtimeMs: number; ino: number}>;
	/** Folders that could not be read, and session-file names that are not regular files (a FIFO, a link to a device), with the reason. */
	problems: Array<{path: string; reason: string}>;
};

const MAX_DEPTH = 12;

export function discoverStore(store: Store, env: StoreEnv): Discovery {
	const roots = store.roots(env).map(r => ({...r, exists: isDir(r.path)}));
	const problems: Discovery['problems'] = [];
	const byIdentity = new Map<string, SessionFile & {size: number; mtimeMs: number; ino: number}>();
	for (const root of roots) {
		if (!root.exists) continue;
		walk(root.path, 0, file => store.accepts(file), (file, st) => {
			const sf = {path: file, root: root.path, priority: root.priority ?? 0, size: st.size, mtimeMs: st.mtimeMs, ino: st.ino};
			const id = store.identity ? store.identity(sf) : file;
			const prev = byIdentity.get(id);
			if (!prev || sf.priority < prev.priority) byIdentity.set(id, sf);
		}, problems);
	}

	const files = [...byIdentity.values()].sort((a, b) => b.mtimeMs - a.mtimeMs);
	return {store, roots, files, problems};
}

function realOf(p: string): string {
	try {
		return fs.realpathSync(p);
	} catch {
		return p;
	}
}

function isDir(p: string): boolean {
	try {
		return fs.statSync(p).isDirectory();
	} catch {
		return false;
	}
}

/**
 * Files below `dir` that `wanted` accepts, with their stat (others are not even stat'ed).
 * Linked folders are followed, as the live watcher does, each real folder once (a link to an
 * ancestor is no loop).
 */
function walk(dir: string, depth: number, wanted: (p: string) => boolean, onFile: (p: string, st: fs.Stats) => void, problems: Discovery['problems'], seen = new Set<string>(), real = realOf(dir)): void {
	if (depth > MAX_DEPTH || seen.has(real)) return;
	seen.add(real);

	let entries: fs.Dirent[];
	try {
		entries = fs.readdirSync(dir, {withFileTypes: true});
	} catch (error) {
		problems.push({path: dir, reason: (error as NodeJS.ErrnoException).code ?? String(error)});
		return;
	}

	// path.join once per folder: an entry's name is one plain segment, so path.join(dir, name) is
	// this prefix plus the name (joining per entry normalized each path, ~2 KB of garbage a file).
	const prefix = path.join(dir, '_').slice(0, -1);
	let realPrefix: string | undefined;
	for (const e of entries) {
		const p = prefix + e.name;
		let folder = e.isDirectory();
		let link = false;
		if (!folder && e.isSymbolicLink()) {
			try {
				folder = fs.statSync(p).isDirectory();
				link = folder;
			} catch {}
		}

		if (folder) {
			// A real path is resolved only through a link: below a real folder it is the parent's plus the name.
			walk(p, depth + 1, wanted, onFile, problems, seen, link ? realOf(p) : (realPrefix ??= path.join(real, '_').slice(0, -1)) + e.name);
		} else if (wanted(p)) {
			try {
				const st = fs.statSync(p);
				if (st.isFile()) onFile(p, st);
				else if (!st.isDirectory()) problems.push({path: p, reason: notRegular(st)});
			} catch (error) {
				problems.push({path: p, reason: (error as NodeJS.ErrnoException).code ?? String(error)});
			}
		}
	}
}

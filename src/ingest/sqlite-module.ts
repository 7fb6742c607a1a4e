// better-sqlite3, loaded on first use: a run with no SQLite store and no index (`--no-cache`)
// never needs it (~6–10 ms of every start, on each thread that scans).
import {createRequire} from 'node:module';
import type Database from 'better-sqlite3';

let loaded: typeof Database | undefined;

export function sqlite(): typeof Database {
	loaded ??= createRequire(import.meta.url)('better-sqlite3') as typeof Database;
	return loaded;
}

/** Whether this thread has loaded it (tests). */
export function sqliteLoaded(): boolean {
	return loaded !== undefined;
}

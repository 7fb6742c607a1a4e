// What the reader keeps per file: how it is read, where it stands, and the state saved in the
// index so a start continues where the last one stopped.
import type {FileCursor} from './line-reader.js';
import type {SqliteHandle} from './sqlite.js';
import type {JsonFileStore, JsonlStore, LineParser, Marker, ParserContext, SessionFile, SqlitePoller, Store, StoreEnv} from './types.js';

/** How one file is read: appended JSONL lines, or a whole JSON document re-read on change. */
export type Handler =
	| {kind: 'jsonl'; markers: readonly Marker[]; createParser(file: SessionFile, context?: ParserContext): LineParser}
	| {kind: 'json'; parse: JsonFileStore['parse']}
	| {kind: 'sqlite'; createPoller(file: SessionFile, env: StoreEnv): SqlitePoller};

export function handlerFor(store: Store, file: string): Handler {
	if (store.kind === 'jsonl') return store as JsonlStore;
	if (store.kind === 'json' || store.kind === 'sqlite') return store;
	return store.jsonl.accepts(file) ? {kind: 'jsonl', markers: store.jsonl.markers, createParser: (f, c) => store.jsonl.createParser(f, c)} : {kind: 'json', parse: (...a) => store.json.parse(...a)};
}

export type TrackedFile = {
	readonly file: SessionFile;
	readonly store: Store;
	readonly handler: Handler;
	readonly cursor: FileCursor;
	/** Whole-file stores: the mtime of the version last parsed. */
	parsedMtime?: number;
	/** SQLite stores: the open read-only connection and the store's poller. */
	sqlite?: SqliteHandle;
	poller?: SqlitePoller;
	/** Last read failure (ENOENT, EACCES…), shown in health. */
	error?: string;
	deleted?: boolean;
	/** Size at the last read. */
	size: number;
	mtimeMs: number;
	/** Restored from the index with everything up to `size` read: nothing to do until it changes. */
	settled?: boolean;
	/** The discovery stat was compared with the index (once: later reads stat the file again). */
	discoveryChecked?: boolean;
	/** The parser's saved state (or its loader), decoded only if the file grows. */
	savedParser?: SavedParser;
};

/** A file's reading state as kept in the index. */
export type FileState = {
	path: string;
	kind: Handler['kind'];
	ino: number;
	size: number;
	mtimeMs: number;
	offset: number;
	skippingLongLine: boolean;
	parsedMtime?: number;
	skips: Array<[string, number]>;
	stats: {bytes: number; lines: number; parsed: number};
	/** It ended in a line still being written (not consumed). */
	unfinished?: boolean;
	/** The line parser's own fields (structured clone), to continue a grown file from its offset. */
	parser?: SavedParser;
};

/**
 * A parser's state as v8.serialize bytes, or a function giving them: from the index (`fromIndex`)
 * a loader called only if the file grew (finding nothing means the file is read again from its
 * start); for a save, the serialization itself, done as each row is written.
 */
export type SavedParser = Buffer | ((() => Buffer | undefined) & {readonly fromIndex?: true});


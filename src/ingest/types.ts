import type {JsonTape} from './json-tape.js';
import type Database from 'better-sqlite3';
import type {EmitFn, ToolId} from '../core/types.js';

/** Where to look: the home directory, the environment and the platform, injected for tests. */
export type StoreEnv = {
	readonly home: string;
	readonly env: Readonly<Record<string, string | undefined>>;
	readonly platform: NodeJS.Platform;
};

/** A folder a store keeps sessions in. */
export type Root = {
	readonly path: string;
	/** Why this path was probed (shown by the empty state and `doctor`). */
	readonly origin: string;
	/** Lower wins when two roots hold the same file identity (Codex sessions/ over archived_sessions/). */
	readonly priority?: number;
};

export type SessionFile = {
	readonly path: string;
	/** The root it was found under. */
	readonly root: string;
	readonly priority: number;
};

/** What a reader tells the parsers it makes. */
export type ParserContext = {
	/**
	 * Failed tool results from before this time are kept without their text (hash and first
	 * line ''): no loop window reaches back to them (the engine sets it; -Infinity reads all).
	 */
	readonly resultsSince: number;
};

/** Tells the scanner about a line it could not use. */
export type SkipFn = (reason: string) => void;

/** Turns the JSON records of one file into events; keeps its state across reads of that file. */
export type LineParser = {
	line(record: unknown, emit: EmitFn, skip: SkipFn): void;
	/**
	 * A line read from its tape instead (checked as JSON.parse checks it; see json-tape.ts):
	 * true when handled exactly as line() would handle the parsed record, false to have the
	 * line parsed and given to line() (optional).
	 */
	tape?(t: JsonTape, emit: EmitFn): boolean;
	/**
	 * The file was read to its end: drop state only a line far behind would need, so a long
	 * history's thousands of finished files hold little (optional).
	 */
	settle?(): void;
};

/** One append-only JSONL store (Claude Code, Codex, Gemini CLI, Qwen, Copilot CLI). */
/**
 * A marker: a byte string, or a prefix followed by one of several endings. Markers sharing a
 * prefix cost one pass over the bytes instead of one each.
 */
export type Marker = string | {readonly prefix: string; readonly then: readonly string[]};

export type JsonlStore = {
	readonly tool: ToolId;
	readonly kind: 'jsonl';
	/** Folders to search, most specific first. */
	roots(env: StoreEnv): Root[];
	/** Is this path (under a root) a session file of the store? */
	accepts(path: string): boolean;
	/**
	 * Byte strings one of which every useful line contains. Lines with none are not
	 * JSON-parsed. Must never exclude a billable line.
	 */
	readonly markers: readonly Marker[];
	/** Identity for cross-root duplicates (same file archived and live). Defaults to the path. */
	identity?(file: SessionFile): string;
	createParser(file: SessionFile, context?: ParserContext): LineParser;
};

/** A store that rewrites whole JSON files (Gemini legacy sessions, Cline/Roo/Kilo tasks). */
export type JsonFileStore = {
	readonly tool: ToolId;
	readonly kind: 'json';
	roots(env: StoreEnv): Root[];
	accepts(path: string): boolean;
	identity?(file: SessionFile): string;
	/** Turn a whole parsed file into events (stable dedupe keys: the file is re-read on change). */
	parse(file: SessionFile, record: unknown, emit: EmitFn, skip: SkipFn): void;
};

/** Reads new and changed rows of one database; keeps its watermarks between polls. */
export type SqlitePoller = {
	/** Called with an open read-only connection whenever the database may have changed. */
	poll(db: Database.Database, emit: EmitFn, skip: SkipFn): void;
};

/** A SQLite store (OpenCode/Kilo CLI, Cursor). Opened read-only; never written or locked. */
export type SqliteStore = {
	readonly tool: ToolId;
	readonly kind: 'sqlite';
	roots(env: StoreEnv): Root[];
	/** Is this path a database of the store (not its -wal/-shm sidecars)? */
	accepts(path: string): boolean;
	identity?(file: SessionFile): string;
	createPoller(file: SessionFile, env: StoreEnv): SqlitePoller;
};

/** A store of several kinds of files (e.g. Gemini: JSONL sessions and legacy whole-file JSON). */
export type Store = JsonlStore | JsonFileStore | MixedStore | SqliteStore;

/** Routes each file to a JSONL or whole-file handler by its name. */
export type MixedStore = {
	readonly tool: ToolId;
	readonly kind: 'mixed';
	roots(env: StoreEnv): Root[];
	accepts(path: string): boolean;
	identity?(file: SessionFile): string;
	readonly jsonl: Omit<JsonlStore, 'roots' | 'accepts' | 'tool' | 'kind'> & {accepts(path: string): boolean};
	readonly json: Omit<JsonFileStore, 'roots' | 'accepts' | 'tool' | 'kind'> & {accepts(path: string): boolean};
};

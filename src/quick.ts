// One session, fast: its own transcript files read with the store's parser into an aggregate of
// their own (the same rules and prices as everywhere), for the statusline and the hook. Never a
// scan of the history: the rest comes from status.json, which every other burntop run writes.
import fs from 'node:fs';
import path from 'node:path';
import v8 from 'node:v8';
import {fingerprint} from './core/fingerprints.js';
import {checkState} from './core/state-check.js';
import {checkFiles} from './ingest/file-state-check.js';
import type {AggregateState} from './core/aggregate.js';
import type {FileState} from './ingest/reader.js';
import {Aggregate, NANO, type SessionState} from './core/aggregate.js';
import {detectSession, LOOP_DEFAULTS, type LoopThresholds, type Reason} from './core/loops.js';
import {Pricer, type PricingOptions} from './pricing/index.js';
import {priceDataVersion} from './ingest/cache-dir.js';
import {VERSION} from './cli/args.js';
import {StoreReader} from './ingest/reader.js';
import {ALL_STORES} from './ingest/stores.js';
import type {Store, StoreEnv} from './ingest/types.js';
import type {ToolId} from './core/types.js';

export type SessionLook = {
	tool: ToolId;
	sessionId: string;
	files: string[];
	calls: number;
	spentUSD: number;
	/** Some figure is an estimate (≈). */
	estimated: boolean;
	/** Input of the latest call (fresh + cache read + cache write). */
	contextTokens: number;
	/** Spend of the last 5 minutes, per minute. */
	usdPerMin: number;
	lastAt?: number;
	/** The latest prompt the user typed. */
	lastPromptAt?: number;
	/** The loop detector's verdict on this session alone (the user's usual rate is not known here). */
	loop?: {score: number; reasons: Reason[]; burnUSD: number; projectedUSDPerHour: number};
};

/** Where a session's state is kept between runs, under what key (burntop's and the price data's versions, the pricing config). */
export function keepIn(cacheFolder: string, config: {aliases?: unknown; prices?: unknown} | undefined): {keep: string; keyOf: string} {
	return {keep: path.join(cacheFolder, 'sessions'), keyOf: JSON.stringify({burntop: VERSION, prices: priceDataVersion(), aliases: config?.aliases ?? {}, overrides: config?.prices ?? {}})};
}

/** Largest transcript read whole (bigger ones: their last part). */
const MAX_BYTES = 64 * 1024 * 1024;

function regularFile(p: string): boolean {
	try {
		return fs.statSync(p).isFile();
	} catch {
		return false;
	}
}

/** A session's files: the transcript given, its subagents, or the store's files named after the id. */
export function sessionFiles(store: Store, env: StoreEnv, sessionId: string | undefined, transcript: string | undefined): Array<{path: string; root: string}> {
	if (transcript) {
		if (!regularFile(transcript) || !store.accepts(transcript)) return [];
		const out = [{path: transcript, root: path.dirname(path.dirname(transcript))}];
		// Claude Code: <project>/<session>.jsonl has <project>/<session>/subagents/*.jsonl.
		const sub = path.join(transcript.replace(/\.jsonl$/, ''), 'subagents');
		try {
			for (const f of fs.readdirSync(sub)) if (f.endsWith('.jsonl')) out.push({path: path.join(sub, f), root: out[0]!.root});
		} catch {
			// No subagents.
		}

		return out;
	}

	if (!sessionId) return [];
	const out: Array<{path: string; root: string}> = [];
	const walk = (dir: string, root: string, depth: number) => {
		let entries: fs.Dirent[];
		try {
			entries = fs.readdirSync(dir, {withFileTypes: true});
		} catch {
			return;
		}

		for (const e of entries) {
			const p = path.join(dir, e.name);
			if (e.isDirectory() && depth < 5) walk(p, root, depth + 1);
			else if (e.isFile() && e.name.includes(sessionId) && store.accepts(p)) out.push({path: p, root});
		}
	};

	for (const r of store.roots(env)) walk(r.path, r.path, 0);
	return out;
}

/** What a lookup leaves for the next one on the same session: its files' reading state and the calls counted. */
type Kept = {version: 1; key: string; files: string[]; aggregate: AggregateState; states: FileState[]};

/** Sessions whose kept state stays in the cache folder (the newest by use). */
const KEPT_SESSIONS = 32;

/**
 * `keep`: a folder where the session's state is kept between runs, so the next run reads only
 * what was appended (the index's own exact machinery, for one session). Any doubt: read it all.
 */
export function lookSession(o: {env: StoreEnv; tool: ToolId; sessionId?: string; transcript?: string; now: number; loops?: Partial<LoopThresholds>; pricing?: PricingOptions; keep?: string; keyOf?: string}): SessionLook | undefined {
	const store = ALL_STORES.find(s => s.tool === o.tool && s.kind === 'jsonl') ?? ALL_STORES.find(s => s.tool === o.tool);
	if (!store) return undefined;
	const files = sessionFiles(store, o.env, o.sessionId, o.transcript);
	if (files.length === 0) return undefined;
	const pricer = new Pricer(o.pricing);
	const agg = new Aggregate(e => pricer.price(e));
	const reader = new StoreReader(ev => agg.apply(ev), o.env, () => o.now);
	const tracked = files.map(f => reader.track(store, {path: f.path, root: f.root, priority: 0}));
	const paths = files.map(f => f.path);
	// The same prices and rules (keyOf) and the same files as last time, consistent: continue from it.
	const keptAt = o.keep ? path.join(o.keep, `${fingerprint(`${o.tool}\u0000${paths[0]}`).map(x => x.toString(16)).join('')}.bin`) : undefined;
	const kept = keptAt ? readKept(keptAt, o.keyOf ?? '', paths) : undefined;
	if (kept) {
		agg.importState(kept.aggregate);
		reader.importFiles(kept.states);
	}

	for (const t of tracked) {
		// A very long session: its last part is what the status line and the hook are about.
		let size = 0;
		try {
			size = fs.statSync(t.file.path).size;
		} catch {
			// Gone since it was listed: the reader counts it as deleted.
		}

		if (!kept && size > MAX_BYTES) t.cursor.offset = size - MAX_BYTES;
		reader.read(t, true);
	}

	if (keptAt) writeKept(keptAt, {version: 1, key: o.keyOf ?? '', files: paths, aggregate: agg.exportState(), states: reader.exportFiles()});
	reader.close();
	let s: SessionState | undefined;
	for (const x of agg.sessions.values()) {
		if (o.sessionId !== undefined && x.sessionId === o.sessionId) {
			s = x;
			break;
		}

		if (!s || x.lastAt > s.lastAt) s = x;
	}

	if (!s) return {tool: o.tool, sessionId: o.sessionId ?? '', files: files.map(f => f.path), calls: 0, spentUSD: 0, estimated: false, contextTokens: 0, usdPerMin: 0};
	// Subagent sessions share the parent's id in Claude Code; any other session in the files is a different conversation.
	let nano = 0;
	let calls = 0;
	let estimated = false;
	for (const x of agg.sessions.values()) {
		if (x.sessionId !== s.sessionId) continue;
		nano += x.nano;
		calls += x.calls;
	}

	let latest = s.recent[0];
	let recent5 = 0;
	for (const c of s.recent) {
		if (!latest || c.ts > latest.ts) latest = c;
		if (c.ts > o.now - 5 * 60_000 && c.ts <= o.now) recent5 += c.nano;
		if (c.estimated || !c.priced) estimated = true;
	}

	const verdict = detectSession(s, o.now, {...LOOP_DEFAULTS, ...o.loops});
	let prompt = 0;
	for (const t of s.prompts.values()) if (t > prompt && t <= o.now) prompt = t;
	return {
		tool: s.tool,
		sessionId: s.sessionId,
		files: files.map(f => f.path),
		calls,
		spentUSD: nano / NANO,
		estimated,
		contextTokens: latest ? latest.input + latest.cacheRead + latest.cacheWrite5m + latest.cacheWrite1h : 0,
		usdPerMin: recent5 / NANO / 5,
		lastAt: s.lastAt,
		...(prompt > 0 ? {lastPromptAt: prompt} : {}),
		...(verdict ? {loop: {score: verdict.score, reasons: verdict.reasons, burnUSD: verdict.burnUSD, projectedUSDPerHour: verdict.projectedUSDPerHour}} : {}),
	};
}

function readKept(file: string, key: string, paths: readonly string[]): Kept | undefined {
	try {
		const k = v8.deserialize(fs.readFileSync(file)) as Kept;
		if (k?.version !== 1 || k.key !== key || !Array.isArray(k.files) || k.files.length !== paths.length || k.files.some((p, i) => p !== paths[i])) return undefined;
		if (checkState(k.aggregate) || checkFiles(k.states)) return undefined;
		return k;
	} catch {
		return undefined;
	}
}

function writeKept(file: string, k: Kept): void {
	try {
		const dir = path.dirname(file);
		fs.mkdirSync(dir, {recursive: true, mode: 0o700});
		fs.writeFileSync(`${file}.${process.pid}`, v8.serialize(k), {mode: 0o600});
		fs.renameSync(`${file}.${process.pid}`, file);
		// The newest sessions only: a kept state is a few KB to a few hundred.
		const all = fs.readdirSync(dir).filter(n => n.endsWith('.bin')).map(n => ({n, t: fs.statSync(path.join(dir, n)).mtimeMs}));
		if (all.length > KEPT_SESSIONS) for (const x of all.sort((a, b) => b.t - a.t).slice(KEPT_SESSIONS)) fs.rmSync(path.join(dir, x.n), {force: true});
	} catch {
		// A read-only cache folder: the next run reads the session whole.
	}
}

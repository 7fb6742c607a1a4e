// What the aggregate keeps per call and per session, and the unit of money: the types every
// core module shares, below the aggregate so none of them imports it for a type.
import type {Activity, RateLimitEvent, ReplacePolicy, ToolId} from './types.js';

/** Nano-dollars per dollar: money is summed as integers. */
export const NANO = 1e9;

/** The numbers a call (or a rollup of calls) adds up: one list for records, rows and rollups. */
export type Counts = {
	/** Model calls this record stands for (1 unless the store only keeps sums). */
	calls: number;
	input: number;
	cacheRead: number;
	cacheWrite5m: number;
	cacheWrite1h: number;
	output: number;
	reasoning: number;
	/** Estimated output the store never recorded (see UsageEvent.unrecorded). */
	unrecorded: number;
	/** Calls among `calls` whose usage is such a placeholder (0 or `calls` for one call; a sum on a rollup). */
	placeholders: number;
	/** What `unrecorded` would cost at the model's output rate, nano-dollars (not in `nano`). */
	unrecordedNano: number;
	webSearches: number;
	/** Cost in integer nano-dollars: sums are exact and independent of arrival order. */
	nano: number;
	/** Copilot premium requests (may be fractional: a model's multiplier). */
	premiumRequests: number;
};

/** Every field of Counts, in one order. */
export const COUNT_FIELDS = ['calls', 'input', 'cacheRead', 'cacheWrite5m', 'cacheWrite1h', 'output', 'reasoning', 'unrecorded', 'placeholders', 'unrecordedNano', 'webSearches', 'nano', 'premiumRequests'] as const satisfies ReadonlyArray<keyof Counts>;

/** Counts of nothing. */
export const NO_COUNTS: Readonly<Counts> = Object.freeze({calls: 0, input: 0, cacheRead: 0, cacheWrite5m: 0, cacheWrite1h: 0, output: 0, reasoning: 0, unrecorded: 0, placeholders: 0, unrecordedNano: 0, webSearches: 0, nano: 0, premiumRequests: 0});

/** One counted call as kept in memory. */
export type CallRecord = Counts & {
	readonly key: string;
	readonly altKey?: string;
	sidechain: boolean;
	readonly tool: ToolId;
	readonly session: SessionState;
	project: string;
	model: string;
	/** Timestamp of the first line seen for this call. */
	readonly ts: number;
	priced: boolean;
	estimated: boolean;
	activity: Activity;
	/** What the activity depends on of its copies' tools, commands and prompts (activityFeatures: a later copy's are added). */
	features: number;
	tools: readonly string[];
	commands: readonly string[];
	reportedCostUSD?: number;
	group?: string;
	/** On a sealed rollup: time of its newest call (`ts` is its oldest). */
	lastTs?: number;
	/**
	 * When this copy's numbers were read (real time, ms): of two burntops' copies of a call
	 * that a store rewrites, the one read later is the newer (see absorb).
	 */
	at: number;
	/** The store's rule for another copy of this call. */
	replace: ReplacePolicy;
};

/**
 * The empty map and set every session starts with: its own are made on the first entry (most
 * sessions of a long history never have an API error, a working folder apart from the project,
 * or prompts and failing results still kept: ~1 KB a session less). Writing to them throws.
 */
class NoEntries<K, V> extends Map<K, V> {
	override set(): this {
		return readOnly();
	}

	override delete(): boolean {
		return readOnly();
	}

	override clear(): void {
		readOnly();
	}
}

class NoMembers<T> extends Set<T> {
	override add(): this {
		return readOnly();
	}

	override delete(): boolean {
		return readOnly();
	}

	override clear(): void {
		readOnly();
	}
}

function readOnly(): never {
	throw new Error('a shared empty map or set was written to');
}

const NO_ENTRIES = new NoEntries<never, never>();
const NO_MEMBERS = new NoMembers<never>();

/** The shared empty map (compare with === before writing: replace it with a map of its own). */
export function emptyMap<K, V>(): Map<K, V> {
	return NO_ENTRIES as unknown as Map<K, V>;
}

export function emptySet<T>(): Set<T> {
	return NO_MEMBERS as unknown as Set<T>;
}

export type SessionState = {
	readonly key: string;
	readonly tool: ToolId;
	readonly sessionId: string;
	project: string;
	firstAt: number;
	lastAt: number;
	/** Running totals over all time (exact: amended with the calls). */
	calls: number;
	/** Nano-dollars. */
	nano: number;
	tokens: number;
	models: Set<string>;
	/** Distinct API-error lines with their times (bounded). */
	errors: Map<string, number>;
	/** Latest Codex rate-limit report. */
	rateLimit?: RateLimitEvent;
	/** Newest calls for drill-down (bounded ring, oldest first). */
	recent: CallRecord[];
	files: Set<string>;
	/** Working folders the session ran in, when they differ from its project (bounded). */
	cwds: Set<string>;
	turnId?: string;
	turnActivity?: Activity;
	/** Sealed while quiet: its drill-down state is gone (set again only by a new call). */
	quiet?: boolean;
	/** Latest prompt seen (for loop detection context). */
	lastPrompt?: string;
	/** Times of user prompts (bounded, deduplicated by key). */
	prompts: Map<string, number>;
	/** Recent failing tool results (bounded, deduplicated by key). */
	results: Map<string, {ts: number; hash: string; text: string}>;
};


// Normalised records shared by every store, the aggregate and the views.
// Pure data: no I/O, no React.

export const TOOL_IDS = [
	'claude-code',
	'codex',
	'cursor',
	'gemini-cli',
	'opencode',
	'kilo-cli',
	'copilot-cli',
	'qwen-code',
	'cline',
	'roo-code',
	'kilo-code',
] as const;

export type ToolId = (typeof TOOL_IDS)[number];

export const ACTIVITIES = [
	'coding',
	'debugging',
	'testing',
	'exploring',
	'planning',
	'delegation',
	'git',
	'build/deploy',
	'conversation',
] as const;

export type Activity = (typeof ACTIVITIES)[number];

/** How a later event with the same dedupe key relates to the one already counted. */
export type ReplacePolicy =
	/** Claude streaming: keep the line with the largest output, ties go to the later line. */
	| 'max-output'
	/** The store rewrites the record in place (SQLite rows, whole-file JSON): last wins. */
	| 'last'
	/** Replays (Codex forks, re-sent totals): the first copy wins, later ones are dropped. */
	| 'first';

/** One billed model call. `input` is fresh (uncached) input for every tool. */
export type UsageEvent = {
	readonly kind: 'usage';
	readonly tool: ToolId;
	readonly sessionId: string;
	/** The session's git repository root (see ingest/git-root), else its working directory, else the store's folder name. */
	readonly project: string;
	/** The raw working directory when `project` was resolved to a repository root. */
	readonly cwd?: string;
	/** `owner/name` of the repository's remote, when known. */
	readonly remote?: string;
	readonly model: string;
	/** Epoch milliseconds. */
	readonly ts: number;
	readonly input: number;
	readonly cacheRead: number;
	readonly cacheWrite5m: number;
	readonly cacheWrite1h: number;
	/** Output including reasoning/thinking (billed at the output rate). */
	readonly output: number;
	/** Informational: the part of `output` that was reasoning. */
	readonly reasoning: number;
	/** Output tokens the store never recorded, estimated from the content (Claude Code responses left with streaming placeholder usage). Not in `output`. */
	readonly unrecorded?: number;
	readonly webSearches: number;
	readonly reportedCostUSD?: number;
	/** Prefer `reportedCostUSD` over a computed price (stores whose own cost is authoritative). */
	readonly preferReportedCost?: boolean;
	readonly dedupeKey: string;
	readonly replace: ReplacePolicy;
	/** Model calls this record stands for (stores that only keep per-session sums); default 1. */
	readonly calls?: number;
	/**
	 * Records of one group from sources of different authority (per-call rows vs a session
	 * summary): only the highest `rank` seen for the group counts.
	 */
	readonly group?: string;
	readonly rank?: number;
	/** Copilot premium requests (what Copilot bills), when the store reports them. */
	readonly premiumRequests?: number;
	/** Secondary identity (Claude message.id) used to fold sidechain replays into the parent's call. */
	readonly altKey?: string;
	readonly sidechain?: boolean;
	/** Claude fast mode. */
	readonly fast?: boolean;
	/** The model name had to be guessed (e.g. Codex rollouts with no turn_context). */
	readonly modelGuessed?: boolean;
	/** The store cannot give exact numbers (Cursor): shown with "≈". */
	readonly estimated?: boolean;
	/** Tool names used by this call (for activity and loop detection). */
	readonly tools?: readonly string[];
	/** Shell commands run by this call, normalised text. */
	readonly commands?: readonly string[];
	/** The user prompt that started this call's turn (truncated). */
	readonly prompt?: string;
	/** Identity of the turn (user message id) for activity carry-over. */
	readonly turnId?: string;
	readonly file?: string;
};

/** An API error or retry line (Claude `isApiErrorMessage`, Codex error events). */
export type ErrorEvent = {
	readonly kind: 'error';
	readonly tool: ToolId;
	readonly sessionId: string;
	readonly project: string;
	readonly ts: number;
	readonly dedupeKey: string;
	readonly text: string;
};

/** Codex rate-limit windows as last reported. */
export type RateLimitWindow = {
	readonly usedPercent: number;
	readonly windowMinutes: number;
	/** Epoch ms, when known. */
	readonly resetsAt?: number;
};

export type RateLimitEvent = {
	readonly kind: 'rate-limit';
	readonly tool: ToolId;
	readonly sessionId: string;
	readonly ts: number;
	readonly primary?: RateLimitWindow;
	readonly secondary?: RateLimitWindow;
};

/** A prompt typed by the user (not a tool result): separates human-driven from unattended work. */
export type PromptEvent = {
	readonly kind: 'prompt';
	readonly tool: ToolId;
	readonly sessionId: string;
	readonly ts: number;
	readonly dedupeKey: string;
};

/** A failing tool result, hashed, for "same error again and again". */
export type ToolResultEvent = {
	readonly kind: 'tool-result';
	readonly tool: ToolId;
	readonly sessionId: string;
	readonly ts: number;
	readonly dedupeKey: string;
	readonly hash: string;
	/** First line of the result, for evidence. */
	readonly text: string;
	readonly error: boolean;
};

export type IngestEvent = UsageEvent | ErrorEvent | RateLimitEvent | PromptEvent | ToolResultEvent;

/** Token and money totals: the `U` object of the snapshot. */
export type Totals = {
	calls: number;
	inputTokens: number;
	outputTokens: number;
	cacheReadTokens: number;
	cacheWriteTokens: number;
	reasoningTokens: number;
	costUSD: number;
	/** Output the stores never recorded (placeholder usage), estimated from content: not in the figures above. */
	unrecordedOutputTokensEstimate: number;
	/** What that output would cost at its model's output rate. */
	unrecordedCostUSDEstimate: number;
	cacheHitRate: number;
	/** Calls whose model has no known price (excluded from costUSD). */
	unpricedCalls: number;
	/** Some figure in here is an estimate (guessed model, Cursor local counts, unpriced calls). */
	estimated: boolean;
	/** Copilot premium requests, where reported. */
	premiumRequests: number;
};

export type EmitFn = (event: IngestEvent) => void;

/** No tools or commands: one shared array for the many events and records with none (frozen: never grown in place). */
export const NO_NAMES: readonly string[] = Object.freeze([]);

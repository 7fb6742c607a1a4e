// Deterministic activity of one model call, from the tools it used, the shell commands it
// ran and the user prompt that started its turn. Documented in the README ("Activity").
import type {Activity} from './types.js';

export type ActivityInput = {
	readonly tools?: readonly string[];
	readonly commands?: readonly string[];
	readonly prompt?: string;
	/** Activity of the previous call in the same turn, carried over by tool-less calls. */
	readonly previous?: Activity;
};

const DELEGATION = /^(Task|Agent|spawn_agent|delegate|subagent)$/i;
const PLANNING = /^(TodoWrite|ExitPlanMode|EnterPlanMode|update_plan|exit_plan_mode|write_todos)$/i;
const EDITS = /^(Edit|MultiEdit|Write|NotebookEdit|apply_patch|write_file|replace|edit_file|create_file|str_replace_based_edit_tool|str_replace_editor)$/i;
const SHELL = /^(Bash|shell|exec_command|shell_command|local_shell_call|run_shell_command|container\.exec|BashOutput)$/i;
const READS = /^(Read|Grep|Glob|LS|WebSearch|WebFetch|web_search|read_file|read_many_files|list_directory|search_file_content|glob|grep|NotebookRead|view_image|google_web_search|web_fetch)$|^mcp__/i;

const TEST_CMD = /\b(npm (run )?test|pnpm (run )?test|yarn (run )?test|bun test|npx (jest|vitest|mocha|playwright)|pytest|jest|vitest|mocha|go test|cargo (test|nextest)|mix test|rspec|phpunit|ctest|make (test|check)|node --test|tox|python -m (unittest|pytest)|gradle(w)? test|mvn test|dotnet test|deno test)\b/i;
const GIT_CMD = /\bgit (commit|push|pull|merge|rebase|checkout|switch|branch|add|stash|tag|cherry-pick|reset|revert|fetch|clone|am|restore)\b|\bgh (pr|release|repo)\b/i;
const BUILD_CMD = /\b(npm (run )?build|pnpm (run )?build|yarn (run )?build|tsc|make|cmake|cargo build|go build|docker|docker-compose|kubectl|helm|terraform|deploy|pm2|systemctl|vercel|netlify|flyctl|fly deploy|mix (compile|deps\.get|release)|npm (install|ci|i)|pnpm (install|add|i)|yarn (add|install)|pip3? install|uv (sync|add|pip)|brew install|apt(-get)? install|gradle(w)? (build|assemble)|mvn (package|install|compile)|webpack|vite build|esbuild)\b/i;
const READ_CMD = /^\s*(ls|cat|head|tail|grep|rg|find|fd|tree|wc|pwd|echo|which|file|stat|du|df|sed -n|awk|less|git (status|log|diff|show|blame))\b/i;

// Phrases that mention errors while asking for a feature ("add error handling").
const FEATURE_ERROR_PHRASES = /\b(error[- ]handling|handle (the )?errors?|error (messages?|boundar(y|ies)|codes?|types?|states?|pages?|reporting|logging))\b/gi;
const DEBUG_INTENT = /\b(fix(es|ing|ed)?|bugs?|buggy|debug(ging)?|broken|crash(es|ing|ed)?|fail(s|ing|ed|ure|ures)?|regression|stack ?trace|traceback|exceptions?|errors?|doesn'?t work|does not work|not working|isn'?t working|wrong (output|result|value)s?|investigate why|why (is|does|doesn'?t|isn'?t))\b/i;
const PLAN_INTENT = /\b(plan|planning|design|architect(ure)?|approach|brainstorm|proposal|strategy|roadmap|trade-?offs?)\b/i;
const TEST_INTENT = /\b(tests?|testing|coverage|pytest|jest|vitest)\b/i;

/** True when the prompt asks to find or fix a fault, not to build a feature that handles errors. */
export function hasDebugIntent(prompt: string | undefined): boolean {
	if (!prompt) return false;
	return DEBUG_INTENT.test(prompt.replace(FEATURE_ERROR_PHRASES, ' '));
}

// What each tool name and shell command is, worked out once per distinct string (the regexes
// ran for every call: ~30 ms a GB). Bounded: a history has a few dozen tool names but many commands.
const T_DELEGATION = 1;
const T_EDITS = 2;
const T_PLANNING = 4;
const T_SHELL = 8;
const T_READS = 16;
const C_TEST = 1;
const C_GIT = 2;
const C_BUILD = 4;
const C_READ = 8;
const toolKinds = new Map<string, number>();
const commandKinds = new Map<string, number>();
const MAX_KNOWN = 4096;

function kindOf(cache: Map<string, number>, s: string, work: (s: string) => number): number {
	let k = cache.get(s);
	if (k === undefined) {
		k = work(s);
		if (cache.size >= MAX_KNOWN) cache.clear();
		cache.set(s, k);
	}

	return k;
}

// The work functions are made once: an arrow written in the call made a closure per tool name and command (~16 MB a GB).
const toolWork = (s: string) => (DELEGATION.test(s) ? T_DELEGATION : 0) | (EDITS.test(s) ? T_EDITS : 0) | (PLANNING.test(s) ? T_PLANNING : 0) | (SHELL.test(s) ? T_SHELL : 0) | (READS.test(s) ? T_READS : 0);
const commandWork = (s: string) => (TEST_CMD.test(s) ? C_TEST : 0) | (GIT_CMD.test(s) ? C_GIT : 0) | (BUILD_CMD.test(s) ? C_BUILD : 0) | (READ_CMD.test(s) ? C_READ : 0);
const toolKind = (t: string) => kindOf(toolKinds, t, toolWork);
const commandKind = (c: string) => kindOf(commandKinds, c, commandWork);

/** Set in activityFeatures when a call ran a command that is not a read. */
const F_OTHER_COMMANDS = 1 << 9;
/** Set when a call used any tool. */
const F_TOOLS = 1 << 10;
/** The prompt of the call's turn asks to find or fix a fault, to plan, to test. */
const F_DEBUG = 1 << 11;
const F_PLAN = 1 << 12;
const F_TEST = 1 << 13;

/**
 * Everything a call's activity depends on but its turn (14 bits): the kinds of its tools and
 * commands, whether any tool was used or any command was not a read, and what its prompt asks.
 * Two copies of a call have the union (OR) of their features, so a call classified again from
 * them gets the same activity whichever copy came first, and a sealed call that keeps only these
 * bits takes a later copy exactly as an open one does.
 */
export function activityFeatures(tools: readonly string[] = [], commands: readonly string[] = [], prompt?: string): number {
	let f = tools.length > 0 ? F_TOOLS : 0;
	// Indexed loops: an iterator per list while the JIT is still cold was ~10 MB of garbage a GB.
	for (let i = 0; i < tools.length; i++) f |= toolKind(tools[i]!);
	for (let i = 0; i < commands.length; i++) {
		const k = commandKind(commands[i]!);
		f |= k << 5;
		if ((k & C_READ) === 0) f |= F_OTHER_COMMANDS;
	}

	return prompt ? f | promptBits(prompt) : f;
}

let bitsPrompt: string | undefined;
let bits = 0;

/** What a prompt asks, as features; every call of a turn asks about the same prompt: the last answer is kept. */
function promptBits(prompt: string): number {
	if (prompt !== bitsPrompt) {
		bitsPrompt = prompt;
		bits = (hasDebugIntent(prompt) ? F_DEBUG : 0) | (PLAN_INTENT.test(prompt) ? F_PLAN : 0) | (TEST_INTENT.test(prompt) ? F_TEST : 0);
	}

	return bits;
}

export function classifyActivity({tools, commands, prompt, previous}: ActivityInput): Activity {
	return classifyFeatures(activityFeatures(tools, commands, prompt), previous);
}

/** The activity of a call with these features (activityFeatures), after a call of its turn with `previous`. */
export function classifyFeatures(features: number, previous?: Activity): Activity {
	const t = features & 31;
	const c = (features >> 5) & 15;
	if ((t & T_DELEGATION) !== 0) return 'delegation';
	const debug = (features & F_DEBUG) !== 0;
	if ((t & T_EDITS) !== 0) return debug ? 'debugging' : 'coding';

	if ((c & C_TEST) !== 0) return 'testing';
	if ((c & C_GIT) !== 0) return 'git';
	if ((c & C_BUILD) !== 0) return 'build/deploy';

	if ((t & T_PLANNING) !== 0) return 'planning';
	const shell = (t & T_SHELL) !== 0;
	if (shell && (features & F_OTHER_COMMANDS) !== 0) return debug ? 'debugging' : 'coding';
	if (shell || (t & T_READS) !== 0) return debug ? 'debugging' : 'exploring';
	if ((features & F_TOOLS) !== 0) return debug ? 'debugging' : 'coding';

	// No tools: the answer belongs to what the turn was doing.
	if (previous && previous !== 'conversation') return previous;
	if (debug) return 'debugging';
	if ((features & F_PLAN) !== 0) return 'planning';
	if ((features & F_TEST) !== 0) return 'testing';
	return 'conversation';
}

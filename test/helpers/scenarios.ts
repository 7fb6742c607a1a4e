// Generated Claude Code sessions for the loop detectors: one realistic file per pattern, and
// healthy sessions that must not be flagged. Written in the real on-disk format and read
// through the real parser.
import path from 'node:path';
import {claudeAssistant, claudePath, write} from './home.js';

export const NOW = Date.parse('2026-03-10T03:00:00Z');
const MIN = 60_000;

export type Step = {
	/** Minutes before NOW. */
	at: number;
	tools?: Array<{name: string; input?: unknown}>;
	/** A failing tool result after the call, with this text. */
	error?: string;
	/** A typed prompt before the call. */
	prompt?: string;
	apiError?: boolean;
	input?: number;
	cacheRead?: number;
	cacheWrite?: number;
	output?: number;
	model?: string;
	sidechain?: boolean;
};

let n = 0;

export function session(home: string, name: string, steps: readonly Step[]): string {
	const sid = `${name}-${++n}`;
	const cwd = `/home/u/${name}`;
	const lines: unknown[] = [];
	for (const s of steps) {
		const t = NOW - s.at * MIN;
		const ts = new Date(t).toISOString();
		if (s.prompt) lines.push({type: 'user', cwd, sessionId: sid, uuid: `p-${sid}-${t}`, timestamp: new Date(t - 1000).toISOString(), message: {role: 'user', content: s.prompt}});
		if (s.apiError) {
			lines.push({type: 'assistant', isApiErrorMessage: true, cwd, sessionId: sid, uuid: `e-${sid}-${t}`, timestamp: ts, message: {model: '<synthetic>', id: `e${t}`, role: 'assistant', content: [{type: 'text', text: 'API Error: 429 rate_limit_error'}], usage: {input_tokens: 0, output_tokens: 0}}});
			continue;
		}

		const id = `m-${sid}-${t}-${lines.length}`;
		lines.push(claudeAssistant({id, ts, sessionId: sid, cwd, tools: s.tools ?? [{name: 'Read'}], input: s.input ?? 10, cacheRead: s.cacheRead ?? 30_000, cacheWrite: s.cacheWrite ?? 500, output: s.output ?? 400, model: s.model ?? 'claude-sonnet-4-5-20250929', sidechain: s.sidechain}));
		if (s.error) {
			lines.push({type: 'user', cwd, sessionId: sid, uuid: `r-${id}`, timestamp: new Date(t + 2000).toISOString(), message: {role: 'user', content: [{tool_use_id: `toolu_${id}_0`, type: 'tool_result', content: s.error, is_error: true}]}, toolUseResult: {stderr: s.error}});
		}
	}

	write(claudePath(home, `-home-u-${name}`, `${sid}.jsonl`), lines);
	return sid;
}

/** `count` times spread evenly from `oldest` to `newest` minutes before NOW, in time order. */
const range = (count: number, oldest: number, newest: number) => Array.from({length: count}, (_, i) => (count === 1 ? newest : oldest - ((oldest - newest) * i) / (count - 1)));
const bash = (command: string) => [{name: 'Bash', input: {command}}];
const FAIL = 'FAIL test/etl.test.ts\n  ● loads orders › expected 1200 rows, received 0\n    at Object.<anonymous> (test/etl.test.ts:42:17)';

/** The same failing `npm test` 14 times in 9 minutes, no edits. */
export const repeatedCommand = (home: string) =>
	session(home, 'etl', [{at: 40, prompt: 'make the tests pass'}, ...range(14, 10, 1).map(at => ({at, tools: bash('npm test -- --runInBand'), error: FAIL}))]);

/** Different commands, the same error every time. */
export const repeatedError = (home: string) =>
	session(home, 'build', [{at: 30, prompt: 'fix the build'}, ...range(7, 12, 3).map((at, i) => ({at, tools: bash(['npm run build', 'npx tsc -p .', 'node scripts/build.js', 'make'][i % 4]!), error: `error TS2307: Cannot find module './generated/schema'\nDone in ${1 + i}.${i}s`}))]);

/** A retry storm against rate limits. */
export const apiStorm = (home: string) =>
	session(home, 'api', [{at: 20, prompt: 'refactor the client'}, ...range(4, 9, 6).map(at => ({at})), ...range(8, 4, 1).map(at => ({at, apiError: true}))]);

/** Cache collapses on a large Opus context: full price every turn. */
export const cacheCollapse = (home: string) =>
	session(home, 'report', [
		{at: 60, prompt: 'summarise the logs'},
		...range(15, 30, 6).map(at => ({at, model: 'claude-opus-4-6', input: 20, cacheRead: 150_000, cacheWrite: 1000, tools: [{name: 'Read'}]})),
		...range(5, 3, 1).map(at => ({at, model: 'claude-opus-4-6', input: 150_000, cacheRead: 0, cacheWrite: 1000, tools: [{name: 'Read'}]})),
	]);

/** 45 calls in 40 minutes re-reading a large context with tiny output, no prompt, no edits. */
export const noProgress = (home: string) =>
	session(home, 'stuck', [{at: 45, prompt: 'investigate the flaky test'}, ...range(45, 40, 1).map(at => ({at, cacheRead: 90_000, output: 120, tools: [{name: ['Read', 'Grep', 'Glob'][Math.floor(at) % 3]!}]}))]);

/** A burst of spend far above the session's own rate (on its own not a loop). */
export const spike = (home: string) =>
	session(home, 'spiky', [
		{at: 120, prompt: 'tidy the docs'},
		...range(10, 100, 10).map(at => ({at, output: 100, cacheRead: 5000})),
		...range(6, 4, 1).map(at => ({at, model: 'claude-opus-4-6', output: 3000, cacheRead: 180_000, cacheWrite: 20_000})),
	]);

// Healthy sessions -------------------------------------------------------------------------

/** Three hours of a person working: prompts every few minutes, edits, tests after edits. */
export const humanDriven = (home: string) =>
	session(home, 'human', range(60, 178, 1).flatMap((at, i) => [
		{at: at + 1, prompt: i % 2 ? 'looks good, next: the settings page' : 'fix that failing assertion', tools: [{name: 'Read'}]},
		{at: at + 0.5, tools: [{name: 'Edit'}]},
		{at, tools: bash('npm test'), error: i % 3 === 0 ? `FAIL test/case-${i}.test.ts` : undefined},
	]));

/** Parallel subagents: a short burst of many distinct calls after a quiet start. */
export const subagentBurst = (home: string) =>
	session(home, 'research', [
		{at: 40, prompt: 'survey how the payment module is used across the repo', tools: [{name: 'Task'}]},
		...range(5, 35, 15).map(at => ({at, tools: [{name: 'Read'}]})),
		...range(40, 4, 1).map((at, i) => ({at, sidechain: true, tools: [{name: ['Grep', 'Read', 'Glob'][i % 3]!, input: {pattern: `pay${i}`}}], output: 300})),
	]);

/** A big refactor: many edits, tests after every few, failures that change as work progresses. */
export const bigRefactor = (home: string) =>
	session(home, 'refactor', [
		{at: 14.5, prompt: 'rename Order to Purchase everywhere and keep the tests green'},
		...range(36, 14, 1).map((at, i) => (i % 3 === 2 ? {at, tools: bash('npm test'), error: i < 30 ? `FAIL ${34 - i} tests failing in src/module-${i}.test.ts` : undefined} : {at, tools: [{name: 'Edit', input: {file_path: `src/m${i}.ts`}}]})),
	]);

export const scenarioPath = (home: string, name: string) => path.join(home, '.claude', 'projects', `-home-u-${name}`);

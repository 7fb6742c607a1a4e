// The command line: help text, flags, and the checks meow does not make (a flag missing its
// value, an unknown flag) as messages with exit code 2 instead of an exit from inside meow.
import path from 'node:path';
import type {Result} from 'meow';
import {packageVersion} from '../package-version.js';

// From src/ (tsx), dist/ or dist/chunks/ (the bundle): the nearest package.json up is burntop's.
export const VERSION = packageVersion(path.dirname(new URL(import.meta.url).pathname));

export const HELP = `
	Usage
	  $ burntop                 live monitor (full screen, needs a terminal)
	  $ burntop --once [--json] one snapshot of all spend, then exit
	  $ burntop --watch --json  one snapshot per line (NDJSON) whenever spend changes
	  $ burntop doctor          where it looked, what it found, parsed and skipped, per tool
	  $ burntop export [--format csv|json] [--by day|project|model|session] [--since] [--until]
	                            totals for spreadsheets (CSV by default, grouped by day)
	  $ burntop report daily|weekly|monthly|session|blocks [--json] [--breakdown]
	                   [--tool T] [--project P] [--model M] [--since] [--until]
	                            spend per day, week, month, session or 5-hour block
	  $ burntop statusline      one line for Claude Code's statusLine (JSON on stdin; --help)
	  $ burntop hook            Claude Code PreToolUse hook: blocks a looping session (--help)

	Options
	  --once            Print one snapshot and exit
	  --json            As JSON (with --once)
	  --since DATE      Only calls at or after DATE (YYYY-MM-DD local, or ISO time)
	  --until DATE      Only calls up to DATE (a bare date includes that whole day)
	  --now ISO         Evaluate every window as if it were this instant
	  --alert-cmd CMD   Run CMD with each alert as JSON on stdin (loops, $/hour, budget)
	  --check           Exit 1 when a session looks like a runaway loop or a budget is exceeded (for cron), else 0
	  --demo            Replay bundled sample sessions live (no agent history needed)
	  --watch           Stream snapshots with a "burn" section (needs --json)
	  --interval MS     At most one --watch line per MS milliseconds (default 1000)
	  --serve-metrics [HOST:]PORT
	                    Serve /metrics (OpenMetrics) while the monitor or --watch runs; binds
	                    127.0.0.1 unless HOST is given
	  --otlp-endpoint URL
	                    Push the same metrics over OTLP/HTTP (e.g. http://localhost:4318)
	  --otlp-interval MS  Push every MS milliseconds (default 60000)
	  --label K=V       Add a label to exported metrics (repeatable; also "labels" in the config)
	  --guard[=dry]     With the monitor or --watch: stop an agent whose session is a runaway loop
	                    (settings in the config's "guard"; =dry only logs what it would do)
	  --no-cache        Neither read nor write the index (~/.cache/burntop): read every file
	  --format F        export: csv (default) or json
	  --by G            export: day (default), project, model or session
	  --tool T          report: one tool (claude-code, codex, …; blocks default to claude-code)
	  --project P       report: projects whose path contains P
	  --model M         report: models whose name contains M (e.g. opus)
	  --breakdown       report: a row per model under each row
	  -v, --version     The version of burntop
	  -h, --help        This text

	Stores are found under $HOME (Claude Code: $CLAUDE_CONFIG_DIR, ~/.claude, ~/.config/claude;
	Codex: $CODEX_HOME, ~/.codex). Prices and aliases: ~/.config/burntop/config.json.
`;

export const FLAGS = {
	once: {type: 'boolean', default: false},
	json: {type: 'boolean', default: false},
	since: {type: 'string'},
	until: {type: 'string'},
	now: {type: 'string'},
	watch: {type: 'boolean', default: false},
	demo: {type: 'boolean', default: false},
	check: {type: 'boolean', default: false},
	alertCmd: {type: 'string'},
	interval: {type: 'number', default: 1000},
	format: {type: 'string'},
	by: {type: 'string'},
	tool: {type: 'string'},
	project: {type: 'string'},
	model: {type: 'string'},
	breakdown: {type: 'boolean', default: false},
	serveMetrics: {type: 'string'},
	otlpEndpoint: {type: 'string'},
	otlpInterval: {type: 'number', default: 60_000},
	label: {type: 'string', isMultiple: true},
	cache: {type: 'boolean', default: true},
	guard: {type: 'string'},
	help: {type: 'boolean', default: false, shortFlag: 'h'},
	version: {type: 'boolean', default: false, shortFlag: 'v'},
} as const;

const SHORT: Readonly<Record<string, string>> = {h: 'help', v: 'version'};

/** A flag that takes a value given none (`--since` last, or followed by another flag). */
export function missingValue(argv: readonly string[]): string | undefined {
	for (let i = 0; i < argv.length; i++) {
		const arg = argv[i]!;
		if (arg === '--') break;
		if (!arg.startsWith('--') || arg.includes('=')) continue;
		const camel = arg.slice(2).replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
		const spec = (FLAGS as Record<string, {type: string}>)[camel];
		if (!spec || spec.type === 'boolean') continue;
		const next = argv[i + 1];
		if (next === undefined || (next.startsWith('-') && !/^-\d/.test(next))) return arg;
	}

	return undefined;
}

/** meow exits the process on an unknown flag; a caller (and tests) need a return code instead. */
export function unknownFlag(argv: readonly string[]): string | undefined {
	for (const arg of argv) {
		if (arg === '--') break;
		if (!arg.startsWith('-') || arg === '-' || /^-\d/.test(arg)) continue;
		if (/^-[a-z]$/i.test(arg)) {
			if (!SHORT[arg.slice(1)]) return arg;
			continue;
		}

		const name = arg.replace(/^-+/, '').split('=')[0]!.replace(/^no-/, '');
		const camel = name.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
		if (!(camel in FLAGS)) return arg;
	}

	return undefined;
}

export type Flags = Result<typeof FLAGS>['flags'];

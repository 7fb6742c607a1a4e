// Flag parsing and mode dispatch. Everything from outside (argv, env, streams, clock)
// comes in as arguments so tests can run the real CLI in-process.
import os from 'node:os';
import meow from 'meow';
import {Alerter, alertLogPath, systemOutputs, validateAlertCmd} from './alerts.js';
import fs from 'node:fs';
import path from 'node:path';
import {onSealGrid} from './core/aggregate.js';
import {cacheDir, IndexCache, indexKey} from './ingest/index-cache.js';
import {terminalSafe} from './core/terminal-safe.js';
import {ALL_STORES} from './ingest/stores.js';
import {ConfigError, configPath, labelProblem, loadConfig, type GuardConfig} from './config.js';
import {Guard} from './guard.js';
import {tuningFrom} from './tuning.js';
import {withoutWasm} from './ingest/marker-scan.js';
import {findAgentProcess, listAgents, signalAgent} from './procs.js';
import {checkTelemetry, startTelemetry, TelemetryError} from './telemetry/index.js';
import {EXPORT_BY, exportRows, FIGURE_COLUMNS, KEY_COLUMNS, toCsv, type ExportBy} from './core/export.js';
import {DateError, parseWhen} from './core/time.js';
import {Engine, type LiveSnapshot} from './engine.js';
import {renderText} from './report/text.js';
import {renderReport} from './report/reports-text.js';
import {buildReport, REPORTS, type ReportKind} from './core/reports.js';
import {computeBurn, type Burn} from './core/burn-rate.js';
import type {Suggestion} from './core/loops.js';
import type {BudgetStatus} from './core/budgets.js';
import {localDate} from './core/time.js';
import {makeStatus, writeStatus} from './status-file.js';

export type Io = {
	argv: string[];
	env: NodeJS.ProcessEnv | Record<string, string | undefined>;
	stdout: NodeJS.WritableStream & {isTTY?: boolean; columns?: number; rows?: number};
	stderr: NodeJS.WritableStream;
	stdin?: NodeJS.ReadableStream & {isTTY?: boolean};
	/** Injected clock (tests). */
	clock?: () => number;
	/** Stops --watch (tests); signals do it for the real process. */
	signal?: AbortSignal;
};

// From src/ (tsx), dist/ or dist/chunks/ (the bundle): the nearest package.json up is burntop's.
function ownVersion(): string {
	let dir = path.dirname(new URL(import.meta.url).pathname);
	while (!fs.existsSync(path.join(dir, 'package.json')) && path.dirname(dir) !== dir) dir = path.dirname(dir);
	return (JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as {version: string}).version;
}

const VERSION = ownVersion();

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

const FLAGS = {
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
function missingValue(argv: readonly string[]): string | undefined {
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
function unknownFlag(argv: readonly string[]): string | undefined {
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

export async function main(io: Io): Promise<number> {
	// `--guard` alone means on; `--guard=dry` logs only.
	io = {...io, argv: io.argv.map(a => (a === '--guard' ? '--guard=on' : a))};
	const bad = unknownFlag(io.argv);
	if (bad) {
		io.stderr.write(`burntop: unknown option ${bad} (see burntop --help)\n`);
		return 2;
	}

	const cli = meow(HELP, {
		importMeta: import.meta,
		argv: io.argv,
		autoHelp: false,
		autoVersion: false,
		allowUnknownFlags: true,
		flags: FLAGS,
	});

	const flags = cli.flags;
	const needs = missingValue(io.argv);
	if (needs) {
		io.stderr.write(`burntop: ${needs} needs a value (see burntop --help)\n`);
		return 2;
	}

	for (const [name, value] of [['--interval', flags.interval], ['--otlp-interval', flags.otlpInterval]] as const) {
		if (!Number.isFinite(value)) {
			io.stderr.write(`burntop: ${name} must be a number of milliseconds\n`);
			return 2;
		}
	}

	const command = cli.input[0];
	if (command !== undefined && command !== 'doctor' && command !== 'export' && command !== 'report') {
		io.stderr.write(`burntop: unknown command "${command}" (commands: doctor, export, report; see burntop --help)\n`);
		return 2;
	}

	const kind = cli.input[1];
	if (command === 'report' && !(REPORTS as readonly string[]).includes(kind ?? '')) {
		io.stderr.write(`burntop: report needs one of ${REPORTS.join(', ')}${kind === undefined ? '' : `, not "${kind}"`}\n`);
		return 2;
	}

	if (command !== 'report' && (flags.tool !== undefined || flags.project !== undefined || flags.model !== undefined || flags.breakdown)) {
		io.stderr.write('burntop: --tool, --project, --model and --breakdown belong to `burntop report`\n');
		return 2;
	}

	if (flags.tool !== undefined && !ALL_STORES.some(s => s.tool === flags.tool)) {
		io.stderr.write(`burntop: --tool must be one of ${[...new Set(ALL_STORES.map(s => s.tool))].join(', ')}, not "${flags.tool}"\n`);
		return 2;
	}

	if (command !== 'export' && (flags.format !== undefined || flags.by !== undefined)) {
		io.stderr.write('burntop: --format and --by belong to `burntop export`\n');
		return 2;
	}

	const format = flags.format ?? 'csv';
	const by = flags.by ?? 'day';
	if (command === 'export') {
		if (format !== 'csv' && format !== 'json') {
			io.stderr.write(`burntop: --format must be csv or json, not "${format}"\n`);
			return 2;
		}

		if (!(EXPORT_BY as readonly string[]).includes(by)) {
			io.stderr.write(`burntop: --by must be one of ${EXPORT_BY.join(', ')}, not "${by}"\n`);
			return 2;
		}
	}

	if (flags.help) {
		io.stdout.write(HELP.replace(/^\n/, '').replace(/^\t/gm, '') + '\n');
		return 0;
	}

	if (flags.version) {
		io.stdout.write(`${VERSION}\n`);
		return 0;
	}

	const clock = io.clock ?? Date.now;
	const tuning = tuningFrom(io.env);
	if (tuning.wasm === false) withoutWasm();
	let now: number;
	let since: number | undefined;
	let until: number | undefined;
	try {
		now = flags.now ? parseWhen(flags.now, '--now') : clock();
		since = flags.since ? parseWhen(flags.since, '--since') : undefined;
		until = flags.until ? parseWhen(flags.until, '--until', true) : undefined;
	} catch (error) {
		if (error instanceof DateError) {
			io.stderr.write(`burntop: ${error.message}\n`);
			return 2;
		}

		throw error;
	}

	if (since !== undefined && until !== undefined && since > until) {
		io.stderr.write('burntop: --since is after --until\n');
		return 2;
	}

	const home = io.env['HOME'] || os.homedir();
	let config;
	try {
		config = loadConfig(configPath(home, io.env));
	} catch (error) {
		if (error instanceof ConfigError) {
			io.stderr.write(`burntop: ${error.message}\n`);
			return 2;
		}

		throw error;
	}

	if (flags.alertCmd !== undefined) {
		const problem = validateAlertCmd(flags.alertCmd, io.env);
		if (problem) {
			io.stderr.write(`burntop: ${problem}\n`);
			return 2;
		}
	}

	const guardMode = flags.guard ?? (config.guard.mode === 'off' ? undefined : config.guard.mode);
	if (guardMode !== undefined && guardMode !== 'on' && guardMode !== 'dry') {
		io.stderr.write(`burntop: --guard takes no value or =dry, not "${guardMode}"\n`);
		return 2;
	}

	if (flags.guard !== undefined && (command !== undefined || flags.once || flags.check || (!flags.watch && !(io.stdout.isTTY && io.stdin?.isTTY)))) {
		io.stderr.write('burntop: --guard runs with the monitor or --watch --json\n');
		return 2;
	}

	const alerter = (bellStream: NodeJS.WritableStream) => new Alerter(config.alerts, systemOutputs({bellStream, logFile: alertLogPath(home, io.env), alertCmd: flags.alertCmd, env: io.env}), clock);
	// The persistent index, for the user's own stores. Off with --no-cache, for the demo, and for
	// a window off the 15-minute grid (an index saved by a long run holds 15-minute rollups).
	const useIndex = flags.cache && onSealGrid(since) && onSealGrid(until);
	const indexFor = (at: string) => {
		if (!useIndex || at !== home) return undefined;
		const roots = {home, claude: io.env['CLAUDE_CONFIG_DIR'] ?? '', codex: io.env['CODEX_HOME'] ?? '', xdgConfig: io.env['XDG_CONFIG_HOME'] ?? '', xdgData: io.env['XDG_DATA_HOME'] ?? ''};
		const key = indexKey({version: VERSION, aliases: config.aliases, prices: config.prices, attribution: config.attribution, stores: ALL_STORES.map(st => `${st.tool}:${st.kind}`)});
		return {cache: new IndexCache(path.join(cacheDir(home, io.env, process.platform), 'index.sqlite')), home: JSON.stringify(roots), key};
	};

	// status.json for the statusline and the hook: today's spend, the rate, flagged sessions and
	// budgets as of now (never from a run looking at another instant, nor the demo's).
	const statusFolder = useIndex && !flags.now && !flags.demo ? cacheDir(home, io.env, process.platform) : undefined;
	let statusAt = Number.NEGATIVE_INFINITY;
	const leaveStatus = (live: {burn: Burn; suggestions: Suggestion[]; budgets?: BudgetStatus[]}, at: number, every = 0) => {
		if (!statusFolder || at - statusAt < every) return;
		statusAt = at;
		writeStatus(statusFolder, makeStatus(at, localDate(at), live.burn.spentTodayUSD, live.burn.windows['5m'].usdPerMin, live.suggestions, live.budgets ?? []));
	};

	// The engine in use: the monitor swaps in a new one for the demo; exports follow it.
	let current: Engine | undefined;
	const makeEngine = (at = home) => (current = new Engine({
		index: indexFor(at),
		env: {home: at, env: at === home ? io.env : {HOME: at}, platform: process.platform},
		pricing: {aliases: config.aliases, overrides: config.prices},
		loops: config.loops,
		budgets: config.budgets,
		attribution: config.attribution,
		sealOld: onSealGrid(since) && onSealGrid(until),
		// The benchmark's and tests' switches (tuning.ts).
		...(tuning.parallelMinBytes !== undefined ? {parallelMinBytes: tuning.parallelMinBytes} : {}),
		...(tuning.parallel !== undefined ? {parallel: tuning.parallel} : {}),
		tuning: {workers: tuning.workers, wasm: tuning.wasm, workerDies: tuning.workerDies},
		clock,
	}));
	const engine = makeEngine();

	const labels: Record<string, string> = {...config.labels};
	for (const l of flags.label ?? []) {
		const eq = l.indexOf('=');
		const problem = eq <= 0 ? 'use --label NAME=VALUE' : labelProblem(l.slice(0, eq), l.slice(eq + 1));
		if (problem) {
			io.stderr.write(`burntop: --label ${l}: ${problem}\n`);
			return 2;
		}

		labels[l.slice(0, eq)] = l.slice(eq + 1);
	}

	const exporting = flags.serveMetrics !== undefined || flags.otlpEndpoint !== undefined;
	const interactive = !flags.once && !flags.json && !flags.watch && !flags.check;
	const monitor = interactive && command === undefined && Boolean(io.stdout.isTTY && io.stdin?.isTTY);
	if (exporting) {
		if (!monitor && !flags.watch) {
			io.stderr.write('burntop: --serve-metrics and --otlp-endpoint run with the monitor or --watch --json\n');
			return 2;
		}

		const problem = checkTelemetry({serve: flags.serveMetrics, otlp: flags.otlpEndpoint, otlpIntervalMs: flags.otlpInterval});
		if (problem) {
			io.stderr.write(`burntop: ${problem}\n`);
			return 2;
		}
	}

	/** Run a long-lived mode with the exports on, and close them after it. */
	const withTelemetry = async (run: () => Promise<number>): Promise<number> => {
		if (!exporting) return run();
		let t;
		try {
			t = await startTelemetry({
				serve: flags.serveMetrics, otlp: flags.otlpEndpoint, otlpIntervalMs: flags.otlpInterval, labels,
				engine: () => current!, clock, version: VERSION,
				onError: m => io.stderr.write(`burntop: ${m}\n`),
			});
		} catch (error) {
			if (!(error instanceof TelemetryError)) throw error;
			io.stderr.write(`burntop: ${error.message}\n`);
			return 2;
		}

		if (t.metricsUrl && !monitor) io.stderr.write(`burntop: serving metrics at ${t.metricsUrl}\n`);
		try {
			return await run();
		} finally {
			await t.close();
		}
	};

	if (command === 'export') {
		engine.discover();
		await engine.scan();
		const g = by as ExportBy;
		const rows = exportRows(engine.aggregate, g, {now, since, until});
		if (format === 'csv') {
			io.stdout.write(terminalSafe(toCsv(g, rows)));
		} else {
			const w = {...(since === undefined ? {} : {since: new Date(since).toISOString()}), ...(until === undefined ? {} : {until: new Date(until).toISOString()})};
			io.stdout.write(JSON.stringify({version: 1, by: g, generatedAt: new Date(clock()).toISOString(), now: new Date(now).toISOString(), ...w, currency: 'USD', columns: [...KEY_COLUMNS[g], ...FIGURE_COLUMNS], rows}) + '\n');
		}

		const skipped = engine.reader.health().linesSkipped;
		if (skipped > 0) io.stderr.write(`burntop: ${skipped} unreadable lines were skipped (see burntop doctor)\n`);
		return engine.finish(0);
	}

	if (command === 'report') {
		engine.discover();
		const progress = progressLine(engine, io);
		await engine.scan(progress.tick);
		progress.done();
		const filter = {tool: flags.tool ?? (kind === 'blocks' ? 'claude-code' : undefined), project: flags.project, model: flags.model};
		const report = buildReport(engine.aggregate, kind as ReportKind, {now, since, until}, filter, flags.breakdown);
		if (flags.json) {
			const w = {...(since === undefined ? {} : {since: new Date(since).toISOString()}), ...(until === undefined ? {} : {until: new Date(until).toISOString()})};
			const {blocks: _, kind: __, ...rest} = report;
			io.stdout.write(JSON.stringify({version: 1, report: kind, generatedAt: new Date(clock()).toISOString(), now: new Date(now).toISOString(), ...w, filter, currency: 'USD', ...rest}) + '\n');
		} else {
			const columns = (io.stdout as Partial<NodeJS.WriteStream>).isTTY ? (io.stdout as NodeJS.WriteStream).columns : undefined;
			const window = since !== undefined || until !== undefined ? ` · ${since === undefined ? '…' : new Date(since).toISOString()} → ${until === undefined ? 'now' : new Date(until).toISOString()}` : '';
			io.stdout.write(terminalSafe(renderReport(report, {width: columns && columns > 0 ? columns : undefined, filter, window})) + '\n');
		}

		return engine.finish(0);
	}

	if (command === 'doctor') {
		engine.discover();
		await engine.scan();
		const {doctor} = await import('./doctor.js');
		const r = doctor(engine, now);
		io.stdout.write(terminalSafe(r.text) + '\n');
		return engine.finish(r.clean ? 0 : 1);
	}

	if (monitor) {
		const {runMonitor} = await import('./monitor.js');
		// --now: the monitor starts at that instant and its clock runs on from there.
		const startedAt = clock();
		const monitorClock = flags.now ? () => now + (clock() - startedAt) : clock;
		const alerts = alerter(io.stdout);
		const guard = guardMode && !flags.demo ? makeGuard(config.guard, guardMode, alerts, monitorClock) : undefined;
		return withTelemetry(() => runMonitor({makeEngine, demo: flags.demo, clock: monitorClock, window: {since, until}, stdout: io.stdout as NodeJS.WriteStream, stdin: io.stdin as NodeJS.ReadStream, alerter: alerts, guard: guard ? guardMode : undefined, onLive: live => {
			leaveStatus(live, monitorClock(), 5000);
			guard?.check(live, key => current?.aggregate.sessions.get(key));
		}}));
	}

	if (flags.demo) {
		io.stderr.write('burntop: --demo is the full-screen monitor and needs a terminal\n');
		return 2;
	}

	if (flags.watch) {
		if (!flags.json) {
			io.stderr.write('burntop: --watch streams JSON: use --watch --json (the live screen is plain `burntop`)\n');
			return 2;
		}

		if (!Number.isFinite(flags.interval) || flags.interval < 50) {
			io.stderr.write('burntop: --interval must be a number of milliseconds, at least 50\n');
			return 2;
		}

		const alerts = alerter(io.stderr);
		const guard = guardMode ? makeGuard(config.guard, guardMode, alerts, clock) : undefined;
		return withTelemetry(() => watchJson(engine, io, clock, flags.interval, {since, until}, alerts, live => {
			leaveStatus(live, clock(), 5000);
			guard?.check(live, key => engine.aggregate.sessions.get(key));
		}));
	}

	const timing = tuning.timing ? (label: string) => io.stderr.write(`burntop timing: ${label} at ${Math.round(performance.now())} ms\n`) : () => {};
	timing('start of the scan');
	engine.discover();
	timing('files found, index loaded');
	await engine.scan();
	timing('transcripts read');
	const snapshot = engine.snapshot({now, since, until}, clock());
	leaveStatus({...snapshot, burn: computeBurn(engine.aggregate, now)}, now);
	// performance.now() counts from the start of the process: this is the time to the first snapshot.
	timing('snapshot ready');
	if (tuning.timing) io.stderr.write(`burntop timing: scan ${engine.scanMode}, V8 new space ${(await import('node:v8')).getHeapSpaceStatistics().find(s => s.space_name === 'new_space')!.space_size / 1024 / 1024} MB\n`);

	if (flags.check) {
		const flagged = snapshot.suggestions;
		const over = (snapshot.budgets ?? []).filter(b => b.level === 'over');
		if (flags.json) {
			io.stdout.write(JSON.stringify({flagged: flagged.length, suggestions: flagged, overBudget: over.length, budgets: snapshot.budgets ?? []}) + '\n');
		} else {
			if (flagged.length === 0) io.stdout.write('burntop --check: no runaway sessions\n');
			for (const f of flagged) io.stdout.write(terminalSafe(`${f.tool} ${f.sessionId} (${f.project}): ${f.reasons.map(r => r.text).join('; ')} — $${f.projectedUSDPerHour.toFixed(2)}/hour`) + '\n');
			for (const b of snapshot.budgets ?? []) io.stdout.write(terminalSafe(`budget ${b.label}: ${b.text}`) + '\n');
		}

		return engine.finish(flagged.length > 0 || over.length > 0 ? 1 : 0);
	}

	if (flags.json) {
		io.stdout.write(JSON.stringify(snapshot) + '\n');
		return engine.finish(0);
	}

	const columns = (io.stdout as Partial<NodeJS.WriteStream>).isTTY ? (io.stdout as NodeJS.WriteStream).columns : undefined;
	io.stdout.write(terminalSafe(renderText(snapshot, {width: columns && columns > 0 ? columns : undefined})) + '\n');
	if (!flags.once) {
		io.stdout.write('\n(no terminal: printed one snapshot. For a live feed in scripts and status bars use --watch --json.)\n');
	}

	return engine.finish(0);
}

function makeGuard(cfg: GuardConfig, mode: 'on' | 'dry', alerts: Alerter, clock: () => number): Guard {
	return new Guard(cfg, mode, {
		find: q => findAgentProcess(q),
		signal: (p, sig) => signalAgent(p, sig, true),
		running: p => listAgents().some(x => x.pid === p.pid && Math.abs(x.startedAt - p.startedAt) <= 2000),
		alert: a => alerts.send(a),
		clock,
		later: (fn, ms) => void setTimeout(fn, ms),
	});
}

/**
 * A progress line on stderr once a scan has taken a second (a first run, or many changed
 * files): rewritten in place on a terminal, one line otherwise. Cleared when done.
 */
function progressLine(engine: Engine, io: Io): {tick: () => void; done: () => void} {
	const started = performance.now();
	const tty = (io.stderr as Partial<NodeJS.WriteStream>).isTTY === true;
	let shown = 0;
	let said = false;
	const done = () => {
		if (shown > 0 && tty) io.stderr.write('\r\u001B[K');
		shown = 0;
	};

	const tick = () => {
		const t = performance.now();
		if (t - started < 1000 || t - shown < 250) return;
		const p = engine.progress;
		shown = t;
		const pct = p.bytesTotal > 0 ? Math.floor((100 * p.bytesRead) / p.bytesTotal) : 0;
		if (tty) io.stderr.write(`\rburntop: reading history ${p.filesRead}/${p.filesTotal} files (${pct}%)…\u001B[K`);
		else if (!said) io.stderr.write(`burntop: reading history (${p.filesTotal} files; the next runs use the index)…\n`);
		said = true;
	};

	return {tick, done};
}

/**
 * `--watch --json`: one live snapshot per line whenever the aggregate changed. A change after
 * a quiet spell is written at once; changes within `interval` of the last line wait for it.
 */
async function watchJson(engine: Engine, io: Io, clock: () => number, interval: number, w: {since?: number; until?: number}, alerter: Alerter, onLive: (live: LiveSnapshot) => void): Promise<number> {
	let lastVersion = -1;
	let lastFilesRead = -1;
	let lastDone = false;
	let lastAt = Number.NEGATIVE_INFINITY;
	let timer: NodeJS.Timeout | undefined;
	let stopped = false;
	const publish = () => {
		timer = undefined;
		if (stopped) return;
		const p = engine.progress;
		if (engine.aggregate.version === lastVersion && p.filesRead === lastFilesRead && p.done === lastDone) return;
		lastVersion = engine.aggregate.version;
		lastFilesRead = p.filesRead;
		lastDone = p.done;
		lastAt = performance.now();
		const live = engine.liveSnapshot(clock(), w);
		io.stdout.write(JSON.stringify(live) + '\n');
		if (p.done) {
			alerter.check(live);
			onLive(live);
		}
	};

	const schedule = () => {
		if (timer || stopped) return;
		timer = setTimeout(publish, Math.max(0, lastAt + interval - performance.now()));
	};

	// Signals are handled from the start: a SIGTERM/SIGHUP during start-up still exits cleanly.
	const stopRequested = new Promise<void>(resolve => {
		const stop = () => resolve();
		io.signal?.addEventListener('abort', stop, {once: true});
		if (!io.signal) {
			for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.once(sig, stop);
		}
	});
	engine.discover();
	// History loads (recent files first) while the watchers get ready; the first line goes
	// out after the first slice of reading.
	const backfill = engine.backfill(schedule);
	await engine.startLive(schedule);
	await stopRequested;
	stopped = true;
	clearTimeout(timer);
	await backfill.catch(() => {});
	await engine.close();
	return 0;
}

// Parse the command line and dispatch to a command (src/commands/). Everything from outside
// (argv, env, streams, clock) comes in as arguments so tests can run the real CLI in-process.
import os from 'node:os';
import path from 'node:path';
import meow from 'meow';
import {Alerter, alertLogPath, systemOutputs, validateAlertCmd} from './alerts.js';
import {FLAGS, HELP, missingValue, unknownFlag, VERSION} from './cli/args.js';
import type {Io} from './cli/io.js';
import {runDoctor} from './commands/doctor.js';
import {runExport} from './commands/export.js';
import {runReport} from './commands/report.js';
import type {Run} from './commands/run.js';
import {runSnapshot} from './commands/snapshot.js';
import {watchJson} from './commands/watch.js';
import {ConfigError, configPath, labelProblem, loadConfig} from './config.js';
import {onSealGrid} from './core/aggregate.js';
import {EXPORT_BY, type ExportBy} from './core/export.js';
import {loopHorizon} from './core/loops.js';
import {REPORTS, type ReportKind} from './core/reports.js';
import {DateError, localDate, parseWhen} from './core/time.js';
import {Engine} from './engine.js';
import {systemGuard} from './guard.js';
import {cacheDir, IndexCache, indexKey} from './ingest/index-cache.js';
import {withoutWasm} from './ingest/marker-scan.js';
import {ALL_STORES} from './ingest/stores.js';
import {makeStatus, writeStatus} from './status-file.js';
import {checkTelemetry, startTelemetry, TelemetryError} from './telemetry/index.js';
import {tuningFrom} from './tuning.js';

export type {Io} from './cli/io.js';
export {HELP} from './cli/args.js';

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
		const key = indexKey({version: VERSION, aliases: config.aliases, prices: config.prices, attribution: config.attribution, stores: ALL_STORES.map(st => `${st.tool}:${st.kind}`), loopHorizon: loopHorizon(config.loops)});
		return {cache: new IndexCache(path.join(cacheDir(home, io.env, process.platform), 'index.sqlite')), home: JSON.stringify(roots), key};
	};

	// status.json for the statusline and the hook: today's spend, the rate, flagged sessions and
	// budgets as of now (never from a run looking at another instant, nor the demo's).
	const statusFolder = useIndex && !flags.now && !flags.demo ? cacheDir(home, io.env, process.platform) : undefined;
	let statusAt = Number.NEGATIVE_INFINITY;
	const leaveStatus: Run['leaveStatus'] = (live, at, every = 0) => {
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
		// Failed tool results no loop window can reach, from here on, are read without their text.
		resultsSince: Math.min(now, clock()) - loopHorizon(config.loops),
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

	const run: Run = {io, flags, clock, now, since, until, engine, tuning, leaveStatus};
	if (command === 'export') return runExport(run, by as ExportBy, format as 'csv' | 'json');
	if (command === 'report') return runReport(run, kind as ReportKind);
	if (command === 'doctor') return runDoctor(run);



	if (monitor) {
		const {runMonitor} = await import('./commands/monitor.js');
		// --now: the monitor starts at that instant and its clock runs on from there.
		const startedAt = clock();
		const monitorClock = flags.now ? () => now + (clock() - startedAt) : clock;
		const alerts = alerter(io.stdout);
		const guard = guardMode && !flags.demo ? systemGuard(config.guard, guardMode, alerts, monitorClock) : undefined;
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
		const guard = guardMode ? systemGuard(config.guard, guardMode, alerts, clock) : undefined;
		return withTelemetry(() => watchJson(engine, io, clock, flags.interval, {since, until}, alerts, live => {
			leaveStatus(live, clock(), 5000);
			guard?.check(live, key => engine.aggregate.sessions.get(key));
		}));
	}

	return runSnapshot(run);
}


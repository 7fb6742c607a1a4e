// Alerts for overnight watching: a session enters the loop list, spend passes a $/hour rate or
// a budget reaches 80% or 100%. Each goes to the terminal bell, a desktop notification (notify-send or
// osascript when present), an optional command (the alert as JSON on stdin) and a log file.
// Every alert key is rate-limited. Outputs are injected so tests see exactly what was sent.
import {usd} from './core/format.js';
import fs from 'node:fs';
import path from 'node:path';
import {childProcess} from './child-process.js';
import type {LiveSnapshot} from './engine.js';

export type AlertConfig = {
	/** Alert when the 5-minute burn rate reaches this many USD per hour. */
	usdPerHour?: number;
	/** Older form of a daily budget (config `budgets` supersedes it). */
	dailyBudgetUSD?: number;
	/** The same alert is not repeated within this many minutes. */
	repeatMinutes: number;
	bell: boolean;
	desktop: boolean;
};

export const ALERT_DEFAULTS: AlertConfig = {repeatMinutes: 30, bell: true, desktop: true};

export type Alert = {
	kind: 'loop' | 'rate' | 'budget' | 'guard';
	at: string;
	title: string;
	message: string;
	tool?: string;
	sessionId?: string;
	project?: string;
	projectedUSDPerHour?: number;
	budgetUSD?: number;
	spentUSD?: number;
	projectedUSD?: number;
	reasons?: string[];
	reasonKinds?: string[];
	/** The guard's decision: stopped, would-stop (dry run), skipped or failed, and why. */
	guardAction?: string;
	guardReason?: string;
	pid?: number;
};

export type AlertOutputs = {
	bell: () => void;
	notify: (title: string, body: string) => void;
	command?: (json: string) => void;
	log: (line: string) => void;
};

export class Alerter {
	private readonly last = new Map<string, number>();
	private flagged = new Set<string>();

	constructor(private readonly config: AlertConfig, private readonly out: AlertOutputs, private readonly clock: () => number = Date.now) {}

	/** Compare with the previous snapshot; send and return the new alerts. */
	check(live: LiveSnapshot): Alert[] {
		const now = this.clock();
		const alerts: Array<[string, Alert]> = [];
		const at = new Date(now).toISOString();
		const current = new Set<string>();
		for (const s of live.suggestions) {
			const key = `loop:${s.tool}:${s.sessionId}`;
			current.add(key);
			if (this.flagged.has(key)) continue; // Alert when a session enters the list.
			alerts.push([key, {
				kind: 'loop',
				at,
				title: `burntop: possible runaway loop in ${s.project || s.sessionId}`,
				message: `${s.tool} ${s.sessionId}: ${s.reasons.map(r => r.text).join('; ')} — ${usd(s.projectedUSDPerHour)}/hour if it continues`,
				tool: s.tool,
				sessionId: s.sessionId,
				project: s.project,
				projectedUSDPerHour: s.projectedUSDPerHour,
				reasons: s.reasons.map(r => r.text),
				reasonKinds: s.reasons.map(r => r.kind),
			}]);
		}

		this.flagged = current;
		const perHour = live.burn.windows['5m'].usdPerMin * 60;
		if (this.config.usdPerHour !== undefined && perHour >= this.config.usdPerHour) {
			alerts.push(['rate', {kind: 'rate', at, title: `burntop: spending ${usd(perHour)}/hour`, message: `above your alert rate of ${usd(this.config.usdPerHour)}/hour`, projectedUSDPerHour: perHour}]);
		}

		// Budgets: once per budget, period and level (80%, then 100%).
		for (const b of live.budgets ?? []) {
			if (b.level !== 'warn' && b.level !== 'over') continue;
			const pct = Math.round(b.fraction * 100);
			alerts.push([`budget:${b.id}:${b.periodStart}:${b.level}`, {
				kind: 'budget',
				at,
				title: b.level === 'over' ? `burntop: ${b.label} budget exceeded (${pct}%)` : `burntop: ${pct}% of the ${b.label} budget spent`,
				message: b.text,
				...(b.project ? {project: b.project} : {}),
				...(b.tool ? {tool: b.tool} : {}),
				budgetUSD: b.budgetUSD,
				spentUSD: b.spentUSD,
				...(b.projectedUSD === undefined ? {} : {projectedUSD: b.projectedUSD}),
			}]);
		}

		const sent: Alert[] = [];
		for (const [key, alert] of alerts) {
			const prev = this.last.get(key);
			if (prev !== undefined && (alert.kind === 'budget' || now - prev < this.config.repeatMinutes * 60_000)) continue;
			this.last.set(key, now);
			this.send(alert);
			sent.push(alert);
		}

		return sent;
	}

	/** An alert decided elsewhere (the guard's): sent at once, every output. */
	send(a: Alert): void {
		const json = JSON.stringify(a);
		// The log keeps what and when, never session content (commands, error text).
		const {title: _t, message: _m, reasons: _r, ...meta} = a;
		this.out.log(JSON.stringify(meta));
		if (this.config.bell) this.out.bell();
		if (this.config.desktop) this.out.notify(a.title, a.message);
		this.out.command?.(json);
	}
}

/** One line into the alert log; a log that cannot be written never stops anything. */
export function appendLog(file: string, line: string): void {
	try {
		fs.mkdirSync(path.dirname(file), {recursive: true});
		fs.appendFileSync(file, line + '\n');
	} catch {}
}

export function alertLogPath(home: string, env: Readonly<Record<string, string | undefined>>): string {
	const base = env['XDG_STATE_HOME'] || path.join(home, '.local', 'state');
	return path.join(base, 'burntop', 'alerts.log');
}

function onPath(cmd: string, env: Readonly<Record<string, string | undefined>>): boolean {
	return (env['PATH'] ?? '').split(path.delimiter).some(dir => {
		try {
			fs.accessSync(path.join(dir, cmd), fs.constants.X_OK);
			return true;
		} catch {
			return false;
		}
	});
}

/** Real outputs. Failures are logged, never thrown: an alert must not stop the monitor. */
export function systemOutputs(o: {bellStream: NodeJS.WritableStream; logFile: string; alertCmd?: string; env: Readonly<Record<string, string | undefined>>}): AlertOutputs {
	const log = (line: string) => appendLog(o.logFile, line);

	const notifier = process.platform === 'darwin' && onPath('osascript', o.env) ? 'osascript' : onPath('notify-send', o.env) ? 'notify-send' : undefined;
	return {
		bell: () => o.bellStream.write('\u0007'),
		notify: (title, body) => {
			if (!notifier) return;
			const args = notifier === 'osascript' ? ['-e', `display notification ${JSON.stringify(body)} with title ${JSON.stringify(title)}`] : [title, body];
			childProcess().spawn(notifier, args, {stdio: 'ignore', detached: true}).on('error', () => {}).unref();
		},
		command: o.alertCmd
			? json => {
				const child = childProcess().spawn('/bin/sh', ['-c', o.alertCmd!], {stdio: ['pipe', 'ignore', 'pipe'], env: o.env as NodeJS.ProcessEnv});
				let err = '';
				child.stderr.on('data', d => (err += d));
				child.on('error', e => log(JSON.stringify({alertCmdError: e.message})));
				child.on('exit', code => {
					if (code !== 0) log(JSON.stringify({alertCmdExit: code, stderr: err.slice(0, 500)}));
				});
				child.stdin.on('error', () => {});
				child.stdin.end(json + '\n');
			}
			: undefined,
		log,
	};
}

/** A usable --alert-cmd: one line, a program that exists. */
export function validateAlertCmd(cmd: string, env: Readonly<Record<string, string | undefined>>): string | undefined {
	if (!cmd.trim()) return '--alert-cmd is empty';
	if (/[\n\r]/.test(cmd)) return '--alert-cmd must be one line';
	const program = cmd.trim().split(/\s+/)[0]!;
	if (program.includes('/')) {
		try {
			fs.accessSync(program, fs.constants.X_OK);
		} catch {
			return `--alert-cmd: ${program} is not an executable file`;
		}
	} else if (!onPath(program, env) && childProcess().spawnSync('/bin/sh', ['-c', 'command -v "$1"', 'sh', program]).status !== 0) {
		return `--alert-cmd: ${program} not found on PATH`;
	}

	return undefined;
}

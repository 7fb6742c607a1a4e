// ~/.config/burntop/config.json: model aliases and price overrides (later: thresholds, budgets).
import path from 'node:path';
import {ALERT_DEFAULTS, type AlertConfig} from './alerts.js';
import {LOOP_DEFAULTS, type LoopThresholds} from './core/loops.js';
import type {Budget} from './core/budgets.js';
import {TOOL_IDS, type ToolId} from './core/types.js';
import type {PriceOverrides} from './pricing/index.js';
import {readRegular} from './ingest/safe-file.js';

export type Config = {
	aliases: Record<string, string>;
	prices: PriceOverrides;
	loops: Partial<LoopThresholds>;
	alerts: AlertConfig;
	budgets: Budget[];
	/** 'git': projects are repository roots (default); 'cwd': raw working folders. */
	attribution: 'git' | 'cwd';
	/** Labels added to exported metrics (team, user…). */
	labels: Record<string, string>;
	guard: GuardConfig;
};

/** The overnight guard (off unless `mode` or --guard says otherwise) and the hook's threshold. */
export type GuardConfig = {
	mode: 'off' | 'on' | 'dry';
	/** `burntop hook` refuses tool calls of a session flagged at or above this loop score. */
	hookScore: number;
	/** The guard stops a session flagged at or above this score… */
	score: number;
	/** …for this many minutes in a row. */
	forMinutes: number;
	/** Or one whose next hour is projected at or above this many USD (off when absent). */
	projectedHourUSD?: number;
	/** Never a session with a prompt typed in the last this many minutes (the hook too). */
	promptGraceMinutes: number;
	/** SIGINT first; SIGTERM after this many seconds if it still runs. */
	graceSeconds: number;
};

export const GUARD_DEFAULTS: GuardConfig = {mode: 'off', hookScore: 4, score: 5, forMinutes: 10, promptGraceMinutes: 15, graceSeconds: 15};

export class ConfigError extends Error {}

export function configPath(home: string, env: Readonly<Record<string, string | undefined>>): string {
	const base = env['XDG_CONFIG_HOME'] || path.join(home, '.config');
	return path.join(base, 'burntop', 'config.json');
}

export function loadConfig(file: string): Config {
	let text: string;
	try {
		text = readRegular(file);
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code === 'ENOENT') return parseConfig({}, file);
		throw new ConfigError(`cannot read ${file}: ${(error as Error).message}`);
	}

	let raw: unknown;
	try {
		raw = JSON.parse(text);
	} catch (error) {
		throw new ConfigError(`${file} is not valid JSON: ${(error as Error).message}`);
	}

	return parseConfig(raw, file);
}

const PRICE_FIELDS = ['input', 'output', 'cacheRead', 'cacheWrite', 'cacheWrite1h'] as const;

export function parseConfig(raw: unknown, file = 'config'): Config {
	if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new ConfigError(`${file}: the top level must be an object`);
	const r = raw as Record<string, unknown>;
	const known = new Set(['aliases', 'prices', 'loops', 'alerts', 'budgets', 'attribution', 'labels', 'guard', '$schema']);
	for (const k of Object.keys(r)) if (!known.has(k)) throw new ConfigError(`${file}: unknown key "${k}" (known: ${[...known].filter(x => x !== '$schema').join(', ')})`);

	const aliases: Record<string, string> = {};
	if (r['aliases'] !== undefined) {
		if (typeof r['aliases'] !== 'object' || r['aliases'] === null) throw new ConfigError(`${file}: "aliases" must be an object of model → model`);
		for (const [k, v] of Object.entries(r['aliases'])) {
			if (typeof v !== 'string' || !v) throw new ConfigError(`${file}: aliases["${k}"] must be a model name string`);
			aliases[k] = v;
		}
	}

	const prices: Record<string, {input: number; output: number; cacheRead?: number; cacheWrite?: number; cacheWrite1h?: number}> = {};
	if (r['prices'] !== undefined) {
		if (typeof r['prices'] !== 'object' || r['prices'] === null) throw new ConfigError(`${file}: "prices" must be an object of model → rates`);
		for (const [model, v] of Object.entries(r['prices'])) {
			if (typeof v !== 'object' || v === null) throw new ConfigError(`${file}: prices["${model}"] must be an object`);
			const rates = v as Record<string, unknown>;
			for (const k of Object.keys(rates)) {
				if (!(PRICE_FIELDS as readonly string[]).includes(k)) throw new ConfigError(`${file}: prices["${model}"].${k} is not a rate (use ${PRICE_FIELDS.join(', ')}; USD per million tokens)`);
				const n = rates[k];
				if (typeof n !== 'number' || !Number.isFinite(n) || n < 0) throw new ConfigError(`${file}: prices["${model}"].${k} must be a non-negative number (USD per million tokens)`);
			}

			if (rates['input'] === undefined || rates['output'] === undefined) throw new ConfigError(`${file}: prices["${model}"] needs at least "input" and "output"`);
			prices[model] = rates as typeof prices[string];
		}
	}

	const loops: Partial<LoopThresholds> = {};
	if (r['loops'] !== undefined) {
		if (typeof r['loops'] !== 'object' || r['loops'] === null || Array.isArray(r['loops'])) throw new ConfigError(`${file}: "loops" must be an object of thresholds`);
		for (const [k, v] of Object.entries(r['loops'])) {
			if (!(k in LOOP_DEFAULTS)) throw new ConfigError(`${file}: loops.${k} is not a threshold (known: ${Object.keys(LOOP_DEFAULTS).join(', ')})`);
			if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) throw new ConfigError(`${file}: loops.${k} must be a positive number`);
			loops[k as keyof LoopThresholds] = v;
		}
	}

	const alerts: AlertConfig = {...ALERT_DEFAULTS};
	if (r['alerts'] !== undefined) {
		if (typeof r['alerts'] !== 'object' || r['alerts'] === null || Array.isArray(r['alerts'])) throw new ConfigError(`${file}: "alerts" must be an object`);
		for (const [k, v] of Object.entries(r['alerts'])) {
			if (k === 'bell' || k === 'desktop') {
				if (typeof v !== 'boolean') throw new ConfigError(`${file}: alerts.${k} must be true or false`);
				alerts[k] = v;
			} else if (k === 'usdPerHour' || k === 'dailyBudgetUSD' || k === 'repeatMinutes') {
				if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) throw new ConfigError(`${file}: alerts.${k} must be a positive number`);
				alerts[k] = v;
			} else {
				throw new ConfigError(`${file}: alerts.${k} is not a setting (known: usdPerHour, dailyBudgetUSD, repeatMinutes, bell, desktop)`);
			}
		}
	}

	const budgets = parseBudgets(r['budgets'], file);
	// The older single setting is a daily budget.
	if (alerts.dailyBudgetUSD !== undefined && !budgets.some(b => b.period === 'day' && !b.project && !b.tool)) budgets.push({period: 'day', usd: alerts.dailyBudgetUSD});

	const attribution = r['attribution'] ?? 'git';
	if (attribution !== 'git' && attribution !== 'cwd') throw new ConfigError(`${file}: "attribution" must be "git" (projects are repository roots) or "cwd" (raw working folders)`);

	const labels: Record<string, string> = {};
	if (r['labels'] !== undefined) {
		if (typeof r['labels'] !== 'object' || r['labels'] === null || Array.isArray(r['labels'])) throw new ConfigError(`${file}: "labels" must be an object of name → value, e.g. {"team": "payments"}`);
		for (const [k, v] of Object.entries(r['labels'])) {
			const problem = labelProblem(k, v);
			if (problem) throw new ConfigError(`${file}: labels.${k}: ${problem}`);
			labels[k] = v as string;
		}
	}

	return {aliases, prices, loops, alerts, budgets, attribution, labels, guard: parseGuard(r['guard'], file)};
}

function parseGuard(raw: unknown, file: string): GuardConfig {
	const g: GuardConfig = {...GUARD_DEFAULTS};
	if (raw === undefined) return g;
	if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new ConfigError(`${file}: "guard" must be an object such as {"mode": "dry", "score": 5, "forMinutes": 10}`);
	for (const [k, v] of Object.entries(raw)) {
		if (k === 'mode') {
			if (v !== 'off' && v !== 'on' && v !== 'dry') throw new ConfigError(`${file}: guard.mode must be "off", "on" or "dry" (log what it would do)`);
			g.mode = v;
		} else if (k === 'hookScore' || k === 'score' || k === 'forMinutes' || k === 'projectedHourUSD' || k === 'promptGraceMinutes' || k === 'graceSeconds') {
			const min = k === 'forMinutes' || k === 'promptGraceMinutes' ? 0 : Number.MIN_VALUE;
			if (typeof v !== 'number' || !Number.isFinite(v) || v < min) throw new ConfigError(`${file}: guard.${k} must be a ${min === 0 ? 'number ≥ 0' : 'positive number'}`);
			g[k] = v;
		} else {
			throw new ConfigError(`${file}: guard.${k} is not a setting (known: mode, hookScore, score, forMinutes, projectedHourUSD, promptGraceMinutes, graceSeconds)`);
		}
	}

	return g;
}

const RESERVED_LABELS = new Set(['tool', 'project', 'model', 'class', 'window', 'budget', 'period', 'le', 'quantile']);

/** Why `name=value` cannot be a metric label, if it cannot. */
export function labelProblem(name: string, value: unknown): string | undefined {
	if (!/^[a-zA-Z_][a-zA-Z0-9_]*$/.test(name) || name.startsWith('__')) return 'a label name is letters, digits and _, not starting with a digit or __';
	if (RESERVED_LABELS.has(name)) return `"${name}" is used by burntop's own metrics`;
	if (typeof value !== 'string' || value.length === 0 || value.length > 200) return 'the value must be a non-empty string of at most 200 characters';
	return undefined;
}

function parseBudgets(raw: unknown, file: string): Budget[] {
	if (raw === undefined) return [];
	if (!Array.isArray(raw)) throw new ConfigError(`${file}: "budgets" must be a list such as [{"period": "month", "usd": 300}]`);
	return raw.map((b, i) => {
		const where = `${file}: budgets[${i}]`;
		if (typeof b !== 'object' || b === null || Array.isArray(b)) throw new ConfigError(`${where} must be an object with "period" and "usd"`);
		const o = b as Record<string, unknown>;
		for (const k of Object.keys(o)) if (!['period', 'usd', 'project', 'tool', 'action'].includes(k)) throw new ConfigError(`${where}.${k} is not a budget field (known: period, usd, project, tool, action)`);
		if (o['action'] !== undefined && o['action'] !== 'alert' && o['action'] !== 'block' && o['action'] !== 'stop') throw new ConfigError(`${where}.action must be "alert" (the default), "block" (the hook refuses tool calls) or "stop" (the guard stops agents)`);
		if (o['period'] !== 'day' && o['period'] !== 'week' && o['period'] !== 'month') throw new ConfigError(`${where}.period must be "day", "week" or "month"`);
		if (typeof o['usd'] !== 'number' || !Number.isFinite(o['usd']) || o['usd'] <= 0) throw new ConfigError(`${where}.usd must be a positive number of US dollars`);
		if (o['project'] !== undefined && (typeof o['project'] !== 'string' || !o['project'])) throw new ConfigError(`${where}.project must be a project path or a remote owner/name`);
		if (o['tool'] !== undefined && !(TOOL_IDS as readonly unknown[]).includes(o['tool'])) throw new ConfigError(`${where}.tool must be one of ${TOOL_IDS.join(', ')}`);
		return {period: o['period'], usd: o['usd'], ...(o['project'] ? {project: o['project'] as string} : {}), ...(o['tool'] ? {tool: o['tool'] as ToolId} : {}), ...(o['action'] ? {action: o['action'] as Budget['action']} : {})};
	});
}

// Per-call pricing from public per-token rates (@pydantic/genai-prices bundled data, offline).
// Knows no files: aliases and overrides come in as plain objects.
import {createRequire} from 'node:module';
import type {calcPrice as CalcPrice} from '@pydantic/genai-prices';
import type {UsageEvent} from '../core/types.js';

let calc: typeof CalcPrice | undefined;
/** The price data loads on the first price asked for: a warm start from the index needs none. */
function calcPrice(): typeof CalcPrice {
	calc ??= (createRequire(import.meta.url)('@pydantic/genai-prices') as {calcPrice: typeof CalcPrice}).calcPrice;
	return calc;
}

/** A rate in USD per million tokens, flat or tiered by the request's total input. */
export type Rate = number | {base: number; tiers: ReadonlyArray<{start: number; price: number}>};

/** Per-million-token rates of one model. Missing cache rates fall back as the public price lists do. */
export type ModelRates = {
	input: Rate;
	output: Rate;
	cacheRead?: Rate;
	cacheWrite?: Rate;
	cacheWrite1h?: Rate;
	/** USD per 1,000 web search requests. */
	webSearchPerK?: number;
};

export type PriceOverrides = Readonly<Record<string, Readonly<{
	input: number;
	output: number;
	cacheRead?: number;
	cacheWrite?: number;
	cacheWrite1h?: number;
}>>>;

export type PricingOptions = {
	/** Model name → model name to price it as. */
	aliases?: Readonly<Record<string, string>>;
	/** Model name → explicit rates (USD per million tokens). */
	overrides?: PriceOverrides;
};

/** What pricing needs of a call. */
export type Priceable = Pick<UsageEvent, 'model' | 'ts' | 'input' | 'cacheRead' | 'cacheWrite5m' | 'cacheWrite1h' | 'output' | 'webSearches' | 'fast'>;

export type PriceResult = {
	/** USD; 0 when not priced. */
	cost: number;
	priced: boolean;
	/** The rates were adjusted by an assumption (fast-mode multiplier without a published entry). */
	approximate: boolean;
	/** Which catalogue entry or override priced it. */
	source?: string;
};

/**
 * Anthropic's fast mode multiplies the standard rates. Used only when the catalogue
 * has no `-fast` entry of its own for the model.
 */
const FAST_MULTIPLIERS: Readonly<Record<string, number>> = {
	'claude-opus-4-6': 6,
};

const DAY_MS = 86_400_000;

type Resolved = {rates: ModelRates; source: string; multiplier: number; approximate: boolean} | undefined;
type CatalogueHit = {rates: ModelRates; source: string; dated: boolean};

export class Pricer {
	/** Per model and fast flag: the answer for every day when its catalogue price has no date conditions, else per day. */
	private readonly cache = new Map<string, {always?: Resolved; days: Map<number, Resolved>}>();
	/** The last answer: calls come in runs of the same model on the same day. */
	private last?: {model: string; day: number; fast: boolean; resolved: Resolved};

	constructor(private readonly options: PricingOptions = {}) {}

	/** Price one call. Never throws; unknown models come back `priced: false`. */
	price(call: Priceable): PriceResult {
		const resolved = this.resolve(call.model, call.ts, call.fast === true);
		if (!resolved) return {cost: 0, priced: false, approximate: false};
		const cost = costWithRates(resolved.rates, call) * resolved.multiplier;
		return {cost, priced: true, approximate: resolved.approximate, source: resolved.source};
	}

	/** The rates a model resolves to at an instant (for display and tests). */
	rates(model: string, ts: number, fast = false): ModelRates | undefined {
		return this.resolve(model, ts, fast)?.rates;
	}

	private resolve(model: string, ts: number, fast: boolean): Resolved {
		const day = Number.isFinite(ts) ? Math.floor(ts / DAY_MS) : 0;
		const last = this.last;
		if (last && last.model === model && last.day === day && last.fast === fast) return last.resolved;
		const key = fast ? `${model}\u0000fast` : model;
		let entry = this.cache.get(key);
		if (!entry) {
			entry = {days: new Map()};
			this.cache.set(key, entry);
		}

		let resolved: Resolved;
		if (entry.always) resolved = entry.always;
		else if (entry.days.has(day)) resolved = entry.days.get(day);
		else {
			const found = this.lookup(model, new Date(day * DAY_MS + DAY_MS / 2), fast);
			resolved = found?.resolved;
			if (found && !found.dated) entry.always = resolved;
			else entry.days.set(day, resolved);
		}

		this.last = {model, day, fast, resolved};
		return resolved;
	}

	private lookup(model: string, date: Date, fast: boolean): {resolved: Resolved; dated: boolean} | undefined {
		const aliased = this.options.aliases?.[model] ?? model;
		const override = this.options.overrides?.[model] ?? this.options.overrides?.[aliased];
		if (override) {
			return {resolved: {rates: {...override}, source: `config:${model}`, multiplier: 1, approximate: false}, dated: false};
		}

		const candidates = modelCandidates(aliased);
		if (fast) {
			for (const c of candidates) {
				// Prefix rules (starts_with "claude-opus-4-6") also match "…-fast": insist on a fast entry.
				const hit = [catalogue(`${c}-fast`, date), catalogue(`${dotted(c)}-fast`, date)].find(h => h?.source.includes('fast'));
				if (hit) return {resolved: {rates: hit.rates, source: hit.source, multiplier: 1, approximate: false}, dated: hit.dated};
			}
		}

		for (const c of candidates) {
			const hit = catalogue(c, date);
			if (!hit) continue;
			const base = {rates: hit.rates, source: hit.source};
			if (!fast) return {resolved: {...base, multiplier: 1, approximate: false}, dated: hit.dated};
			const m = Object.entries(FAST_MULTIPLIERS).find(([prefix]) => c.startsWith(prefix));
			// A fast entry that appears later would change the answer: fast lookups stay per day.
			return {
				resolved: m ? {...base, multiplier: m[1], approximate: false, source: `${hit.source}×${m[1]} fast`} : {...base, multiplier: 1, approximate: true},
				dated: true,
			};
		}

		return undefined;
	}
}

/** Names to try for a model id as written by a tool (provider prefixes, dated suffixes). */
function modelCandidates(model: string): string[] {
	const out = [model];
	const slash = model.lastIndexOf('/');
	if (slash !== -1) out.push(model.slice(slash + 1));
	return out;
}

function dotted(model: string): string {
	return model.replace(/-(\d+)-(\d+)(?=$|-)/, '-$1.$2');
}

/**
 * Catalogue answers by model and day (`model|day`), or for every day (`model|*`) when the
 * model's price has no date conditions. A process can keep them between runs
 * (`importCatalogue`/`exportCatalogue`, stored by the caller with the price data's version):
 * the price data takes ~30–40 ms to load, the answers none.
 */
const memo = new Map<string, CatalogueHit | null>();
let memoChanged = false;

/**
 * Take answers kept by an earlier run. Anything not of their shape (a damaged or edited file)
 * is refused whole: false, nothing taken, and the price data answers as usual.
 */
export function importCatalogue(entries: unknown): boolean {
	if (!Array.isArray(entries) || !entries.every(isEntry)) return false;
	for (const [k, v] of entries as Array<[string, CatalogueHit | null]>) memo.set(k, v);
	return true;
}

/** The answers kept, or undefined when none was added since the import or the last export (a monitor saves its index again and again). */
export function exportCatalogue(): Array<[string, CatalogueHit | null]> | undefined {
	if (!memoChanged) return undefined;
	memoChanged = false;
	return [...memo];
}

/** Load the price data now instead of at the first price asked for, unless kept answers may spare it. */
export function loadPriceData(): void {
	if (memo.size === 0) calcPrice();
}

/** Whether this process loaded the price data (diagnostics: kept answers spare it). */
export function priceDataLoaded(): boolean {
	return calc !== undefined;
}

const MEMO_KEY = /^.+\|(\d+|\*)$/;

function isEntry(e: unknown): boolean {
	return Array.isArray(e) && e.length === 2 && typeof e[0] === 'string' && MEMO_KEY.test(e[0]) && (e[1] === null || isHit(e[1]));
}

function isHit(v: unknown): boolean {
	if (!v || typeof v !== 'object') return false;
	const h = v as Record<string, unknown>;
	const r = h['rates'] as Record<string, unknown> | undefined;
	if (typeof h['source'] !== 'string' || typeof h['dated'] !== 'boolean' || !r || typeof r !== 'object') return false;
	const optional = (x: unknown) => x === undefined || isRate(x);
	return isRate(r['input']) && isRate(r['output']) && optional(r['cacheRead']) && optional(r['cacheWrite']) && optional(r['cacheWrite1h']) && (r['webSearchPerK'] === undefined || isAmount(r['webSearchPerK']));
}

function isAmount(x: unknown): boolean {
	return typeof x === 'number' && Number.isFinite(x) && x >= 0;
}

function isRate(x: unknown): boolean {
	if (isAmount(x)) return true;
	if (!x || typeof x !== 'object') return false;
	const t = x as {base?: unknown; tiers?: unknown};
	if (!isAmount(t.base) || !Array.isArray(t.tiers)) return false;
	let last = -1;
	for (const tier of t.tiers as unknown[]) {
		const {start, price} = (tier ?? {}) as {start?: unknown; price?: unknown};
		if (!isAmount(start) || !isAmount(price) || (start as number) < last) return false;
		last = start as number;
	}

	return true;
}

/**
 * Per model priced under start dates only: the days each answer holds for ([from, to), day
 * numbers), so a long history asks the price data once per price period, not once per day
 * (~0.1 ms each; a model with a dated price on every day of two years cost ~70 ms).
 */
const periods = new Map<string, Array<{from: number; to: number; hit: CatalogueHit}>>();

function catalogue(model: string, date: Date): CatalogueHit | undefined {
	if (!model || model === '<synthetic>') return undefined;
	const always = memo.get(`${model}|*`);
	if (always) return always;
	const day = Math.floor(date.getTime() / DAY_MS);
	const key = `${model}|${day}`;
	const known = memo.get(key);
	if (known !== undefined) return known ?? undefined;
	let hit: CatalogueHit | undefined;
	const held = periods.get(model);
	if (held) for (let i = 0; i < held.length && !hit; i++) if (day >= held[i]!.from && day < held[i]!.to) hit = held[i]!.hit;
	if (!hit) {
		const found = lookupCatalogue(model, date);
		hit = found?.hit;
		if (found?.period) {
			const list = periods.get(model) ?? [];
			list.push({...found.period, hit: found.hit});
			periods.set(model, list);
		}
	}

	// A price with no date conditions answers for every day: kept once, not per day.
	memo.set(hit && !hit.dated ? `${model}|*` : key, hit ?? null);
	memoChanged = true;
	return hit;
}

/**
 * The days around `day` with the same price, when the model's prices differ by start date only
 * (each applies from its date until a later one's): undefined under any other condition (a time
 * of day), which is asked for day by day.
 */
export function pricePeriod(constraints: readonly unknown[], day: number): {from: number; to: number} | undefined {
	let from = Number.NEGATIVE_INFINITY;
	let to = Number.POSITIVE_INFINITY;
	for (const c of constraints) {
		if (c === null || c === undefined) continue;
		const {type, start_date: start} = c as {type?: unknown; start_date?: unknown};
		if (type !== 'start_date' || typeof start !== 'string') return undefined;
		const at = Date.parse(start);
		// A date with a time, or none that parses: the period is not whole days.
		if (!Number.isFinite(at) || at % DAY_MS !== 0) return undefined;
		const d = at / DAY_MS;
		if (d <= day) from = Math.max(from, d);
		else to = Math.min(to, d);
	}

	return {from, to};
}

function lookupCatalogue(model: string, date: Date): {hit: CatalogueHit; period?: {from: number; to: number}} | undefined {
	let result;
	try {
		result = calcPrice()({input_tokens: 1, output_tokens: 1}, model, {timestamp: date});
	} catch {
		return undefined;
	}

	if (!result) return undefined;
	const p = result.model_price as Record<string, unknown>;
	const rate = (k: string): Rate | undefined => toRate(p[k]);
	const input = rate('input_mtok');
	const output = rate('output_mtok');
	if (input === undefined || output === undefined) return undefined;
	const web = p['web_searches_kcount'];
	const prices = (result.model as {prices?: unknown}).prices;
	const hit: CatalogueHit = {
		rates: {
			input,
			output,
			cacheRead: rate('cache_read_mtok'),
			cacheWrite: rate('cache_write_mtok') ?? rate('cache_write_5m_mtok'),
			cacheWrite1h: rate('cache_write_1h_mtok'),
			webSearchPerK: typeof web === 'number' ? web : undefined,
		},
		source: `${result.provider.id}/${result.model.id}`,
		// Prices under date or time-of-day conditions: the answer may differ on another day.
		dated: Array.isArray(prices),
	};
	const period = Array.isArray(prices) ? pricePeriod(prices.map(x => (x as {constraint?: unknown})?.constraint), Math.floor(date.getTime() / DAY_MS)) : undefined;
	return {hit, period};
}

function toRate(v: unknown): Rate | undefined {
	if (typeof v === 'number' && Number.isFinite(v)) return v;
	if (v && typeof v === 'object' && 'base' in v && 'tiers' in v) {
		const t = v as {base: number; tiers: Array<{start: number; price: number}>};
		return {base: t.base, tiers: [...t.tiers].sort((a, b) => a.start - b.start)};
	}

	return undefined;
}

/** Rate in force for a request whose total input (fresh + cache read + cache write) is `totalInput`. */
export function rateAt(rate: Rate, totalInput: number): number {
	if (typeof rate === 'number') return rate;
	let r = rate.base;
	// Long-context tiers apply to the whole request once its input passes the threshold.
	// (An index loop: one call per token class of every call, and for...of allocated an iterator.)
	const tiers = rate.tiers;
	for (let i = 0; i < tiers.length; i++) if (totalInput > tiers[i]!.start) r = tiers[i]!.price;
	return r;
}

/** USD for one call at the given rates. Missing cache rates fall back to their parent class. */
export function costWithRates(rates: ModelRates, c: Priceable): number {
	const totalInput = c.input + c.cacheRead + c.cacheWrite5m + c.cacheWrite1h;
	const input = rateAt(rates.input, totalInput);
	const cacheRead = rates.cacheRead === undefined ? input : rateAt(rates.cacheRead, totalInput);
	const write5m = rates.cacheWrite === undefined ? input : rateAt(rates.cacheWrite, totalInput);
	const write1h = rates.cacheWrite1h === undefined ? write5m : rateAt(rates.cacheWrite1h, totalInput);
	const perToken =
		c.input * input +
		c.cacheRead * cacheRead +
		c.cacheWrite5m * write5m +
		c.cacheWrite1h * write1h +
		c.output * rateAt(rates.output, totalInput);
	return perToken / 1e6 + (c.webSearches * (rates.webSearchPerK ?? 0)) / 1000;
}

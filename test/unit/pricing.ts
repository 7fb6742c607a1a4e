import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {calcPrice, findProvider} from '@pydantic/genai-prices';
import {costWithRates, pricePeriod, Pricer, rateAt, type Priceable} from '../../src/pricing/index.js';

const FEB = Date.parse('2026-02-10T12:00:00Z');
const call = (model: string, p: Partial<Priceable>): Priceable => ({
	model, ts: FEB, input: 0, cacheRead: 0, cacheWrite5m: 0, cacheWrite1h: 0, output: 0, webSearches: 0, ...p,
});
const near = (a: number, b: number, rel = 1e-9) => assert.ok(Math.abs(a - b) <= Math.abs(b) * rel + 1e-12, `${a} vs ${b}`);

describe('pricing', () => {
	const pricer = new Pricer();

	it('hand calculation: claude-sonnet-4-5 from the published rates (within 1%)', () => {
		// Anthropic list price for Sonnet 4.5 ($/MTok): input 3, output 15, cache read 0.30,
		// 5m write 3.75, 1h write 6.00. 12,000 in + 40,000 read + 2,000 5m + 1,000 1h + 800 out:
		// 0.036 + 0.012 + 0.0075 + 0.006 + 0.012 = 0.0735.
		const r = pricer.price(call('claude-sonnet-4-5-20250929', {input: 12_000, cacheRead: 40_000, cacheWrite5m: 2000, cacheWrite1h: 1000, output: 800}));
		assert.ok(r.priced);
		assert.ok(Math.abs(r.cost - 0.0735) / 0.0735 < 0.01, String(r.cost));
	});

	it('hand calculation: gpt-5.3-codex from the published rates (within 1%)', () => {
		// OpenAI list price for gpt-5.3-codex ($/MTok): input 1.75, cached input 0.175, output 14.
		// 20,000 fresh + 80,000 cached + 1,500 out: 0.035 + 0.014 + 0.021 = 0.07.
		const r = pricer.price(call('gpt-5.3-codex', {input: 20_000, cacheRead: 80_000, output: 1500}));
		assert.ok(Math.abs(r.cost - 0.07) / 0.07 < 0.01, String(r.cost));
	});

	it('each token class is priced at its own rate', () => {
		const rates = pricer.rates('claude-sonnet-4-5-20250929', FEB)!;
		const unit = (p: Partial<Priceable>) => pricer.price(call('claude-sonnet-4-5-20250929', p)).cost * 1e6;
		near(unit({input: 1}), rateAt(rates.input, 1));
		near(unit({cacheRead: 1}), 0.3);
		near(unit({cacheWrite5m: 1}), 3.75);
		near(unit({cacheWrite1h: 1}), 6);
		near(unit({output: 1}), 15);
		near(pricer.price(call('claude-sonnet-4-5-20250929', {webSearches: 1000})).cost, 10);
	});

	it('the >200k long-context tier is decided per request by its total input', () => {
		const below = pricer.price(call('claude-sonnet-4-5-20250929', {input: 1000, cacheRead: 199_000, output: 1000})).cost;
		const above = pricer.price(call('claude-sonnet-4-5-20250929', {input: 1001, cacheRead: 199_000, output: 1000})).cost;
		near(below, (1000 * 3 + 199_000 * 0.3 + 1000 * 15) / 1e6);
		// Whole request at the long-context rates: input 6, cache read 0.6, output 22.5.
		near(above, (1001 * 6 + 199_000 * 0.6 + 1000 * 22.5) / 1e6);
	});

	it('agrees with genai-prices calcPrice on random usage across models', () => {
		let seed = 7;
		const rnd = (n: number) => {
			seed = (seed * 1103515245 + 12345) % 2 ** 31;
			return seed % n;
		};

		for (const model of ['claude-opus-4-6', 'claude-sonnet-4-5-20250929', 'claude-haiku-4-5-20251001', 'gpt-5.3-codex', 'gpt-5', 'gemini-2.5-pro', 'gemini-3-flash-preview']) {
			for (let i = 0; i < 40; i++) {
				const c = call(model, {input: rnd(300_000), cacheRead: rnd(200_000), cacheWrite5m: rnd(20_000), cacheWrite1h: model.startsWith('claude') ? rnd(20_000) : 0, output: rnd(20_000)});
				const theirs = calcPrice({
					input_tokens: c.input + c.cacheRead + c.cacheWrite5m + c.cacheWrite1h,
					cache_read_tokens: c.cacheRead,
					cache_write_tokens: c.cacheWrite5m + c.cacheWrite1h,
					...(c.cacheWrite1h ? {cache_write_1h_tokens: c.cacheWrite1h} : {}),
					output_tokens: c.output,
				}, model, {timestamp: new Date(FEB)})!;
				near(pricer.price(c).cost, theirs.total_price, 1e-9);
			}
		}
	});

	it('uses the price in force on the call\'s date (Opus 4.6 dropped its long-context tier on 2026-03-13)', () => {
		const big = {input: 300_000, output: 1000};
		const feb = pricer.price(call('claude-opus-4-6', big)).cost;
		const apr = pricer.price(call('claude-opus-4-6', {...big, ts: Date.parse('2026-04-01T00:00:00Z')})).cost;
		near(feb, (300_000 * 10 + 1000 * 37.5) / 1e6);
		near(apr, (300_000 * 5 + 1000 * 25) / 1e6);
	});

	it('fast mode: a catalogue -fast entry, else a published multiplier, else marked approximate', () => {
		const std = pricer.price(call('claude-opus-4-6', {input: 1000, output: 1000}));
		const fast = pricer.price(call('claude-opus-4-6', {input: 1000, output: 1000, fast: true}));
		near(fast.cost, std.cost * 6);
		assert.equal(fast.approximate, false);
		const unknown = pricer.price(call('claude-opus-4-20250514', {input: 1000, output: 1000, fast: true}));
		assert.equal(unknown.approximate, true);
	});

	it('an unknown model is unpriced, never $0-as-priced and never guessed', () => {
		const r = pricer.price(call('aide-gpt-5', {input: 1000, output: 10}));
		assert.deepEqual(r, {cost: 0, priced: false, approximate: false});
		assert.equal(pricer.price(call('<synthetic>', {output: 1})).priced, false);
	});

	it('aliases and config overrides price what the catalogue does not know', () => {
		const p = new Pricer({aliases: {'aide-gpt-5': 'gpt-5'}, overrides: {'my-local': {input: 2, output: 4, cacheRead: 0.5}}});
		near(p.price(call('aide-gpt-5', {input: 1000})).cost, new Pricer().price(call('gpt-5', {input: 1000})).cost);
		near(p.price(call('my-local', {input: 1e6, output: 1e6, cacheRead: 1e6})).cost, 6.5);
	});

	it('strips a provider prefix (openai/gpt-5)', () => {
		assert.ok(pricer.price(call('openai/gpt-5', {input: 10})).priced);
	});

	it('missing cache rates fall back to the parent class', () => {
		near(costWithRates({input: 2, output: 8}, call('x', {cacheRead: 1e6, cacheWrite5m: 1e6, cacheWrite1h: 1e6})), 6);
	});
});

describe('prices that change on a date', () => {
	const DAY = 86_400_000;
	const day = (iso: string) => Date.parse(iso) / DAY;

	it('an answer holds from the last start date on or before the day to the next one', () => {
		const c = [null, {type: 'start_date', start_date: '2026-03-13'}, {type: 'start_date', start_date: '2026-08-21'}];
		assert.deepEqual(pricePeriod(c, day('2025-01-01')), {from: Number.NEGATIVE_INFINITY, to: day('2026-03-13')});
		assert.deepEqual(pricePeriod(c, day('2026-03-13')), {from: day('2026-03-13'), to: day('2026-08-21')});
		assert.deepEqual(pricePeriod(c, day('2026-08-20')), {from: day('2026-03-13'), to: day('2026-08-21')});
		assert.deepEqual(pricePeriod(c, day('2026-09-01')), {from: day('2026-08-21'), to: Number.POSITIVE_INFINITY});
		// Any other condition (a time of day), or a start that is not a whole day: day by day.
		assert.equal(pricePeriod([null, {type: 'time_of_day', start_time: '16:30:00', end_time: '00:30:00'}], day('2026-01-01')), undefined);
		assert.equal(pricePeriod([{type: 'start_date', start_date: '2026-03-13T12:00:00Z'}], day('2026-01-01')), undefined);
		assert.equal(pricePeriod([{type: 'start_date'}], day('2026-01-01')), undefined);
	});

	it('every dated model of the price data: the price on each day equals the price data asked for that day', () => {
		// Every model whose price changes on a date, from the providers of the tools burntop reads.
		const models = new Set<string>();
		for (const id of ['anthropic', 'openai', 'google', 'deepseek', 'x-ai', 'mistral', 'moonshotai', 'qwen', 'zai']) {
			for (const m of findProvider({providerId: id})?.models ?? []) if (Array.isArray(m.prices) && m.prices.some(p => p.constraint)) models.add(m.id);
		}

		assert.ok(models.has('claude-opus-4-6'), [...models].join(' '));
		const starts = (m: string) => {
			const r = calcPrice({input_tokens: 1, output_tokens: 1}, m, {timestamp: new Date()});
			return (r?.model.prices as Array<{constraint?: {start_date?: string}}>).flatMap(p => (p.constraint?.start_date ? [day(p.constraint.start_date)] : []));
		};

		const big = {input: 250_000, cacheRead: 30_000, cacheWrite5m: 20_000, cacheWrite1h: 10_000, output: 7000};
		let asked = 0;
		for (const m of models) {
			// The days either side of each start date, walked forward and back (a period reused past
			// its end, or before its start, shows), and every 11th day of 2025–2027.
			const days = new Set<number>();
			for (const s of starts(m)) for (let d = s - 3; d <= s + 3; d++) days.add(d);
			for (let d = day('2025-01-01'); d < day('2028-01-01'); d += 11) days.add(d);
			const sorted = [...days].sort((a, b) => a - b);
			for (const order of [sorted, [...sorted].reverse()]) {
				const pricer = new Pricer();
				for (const d of order) {
					const ts = d * DAY + 7 * 3_600_000;
					const want = calcPrice({input_tokens: big.input + big.cacheRead + big.cacheWrite5m + big.cacheWrite1h, cache_read_tokens: big.cacheRead, cache_write_tokens: big.cacheWrite5m + big.cacheWrite1h, output_tokens: big.output}, m, {timestamp: new Date(d * DAY + DAY / 2)});
					const got = pricer.rates(m, ts);
					// Priced by token on that day (some models are priced per minute or request: none).
					const tokens = want?.model_price['input_mtok'] !== undefined && want.model_price['output_mtok'] !== undefined;
					assert.equal(got !== undefined, tokens, `${m} on day ${d}`);
					if (!got || !want) continue;
					assert.equal(JSON.stringify(got.input), JSON.stringify(want.model_price['input_mtok']), `${m} on ${new Date(ts).toISOString()}`);
					assert.equal(JSON.stringify(got.output), JSON.stringify(want.model_price['output_mtok']), `${m} on ${new Date(ts).toISOString()}`);
					assert.equal(JSON.stringify(got.cacheRead), JSON.stringify(want.model_price['cache_read_mtok']), `${m} on ${new Date(ts).toISOString()}`);
					asked++;
				}
			}
		}

		assert.ok(asked > 200, String(asked));
	});
});


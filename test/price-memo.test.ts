// The price answers kept between runs (prices.json beside the index): a run with the index
// prices new calls without loading the price data, gives the numbers a --no-cache run gives,
// and a damaged file is ignored, never trusted.
import assert from 'node:assert/strict';
import {spawnSync} from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {describe, it} from 'node:test';
import {loadPriceMemo} from '../src/price-memo.js';
import {exportCatalogue, importCatalogue, Pricer} from '../src/pricing/index.js';
import {builtCli} from './helpers/built-cli.js';
import {append, claudeAssistant, claudePath, tempHome, write} from './helpers/home.js';

type Totals = {calls: number; inputTokens: number; outputTokens: number; costUSD: number};

describe('price answers kept between runs', () => {
	it('refuse anything not of their shape, whole, and keep pricing as before', () => {
		const pricer = new Pricer();
		const call = {model: 'claude-sonnet-4-5-20250929', ts: Date.parse('2026-03-02T10:00:00Z'), input: 1000, cacheRead: 0, cacheWrite5m: 0, cacheWrite1h: 0, output: 100, webSearches: 0};
		const before = pricer.price(call).cost;
		const good = ['m|1', {rates: {input: 1, output: 2}, source: 'x/y', dated: false}];
		for (const bad of [
			undefined, null, 'x', {}, [['m|1']], [['m', null]], [['m|x', null]], [[1, null]],
			[good, ['claude-sonnet-4-5-20250929|*', {rates: {input: -1, output: 2}, source: 's', dated: false}]],
			[['claude-sonnet-4-5-20250929|*', {rates: {input: 1, output: Number.NaN}, source: 's', dated: false}]],
			[['claude-sonnet-4-5-20250929|*', {rates: {input: 1, output: 2, cacheRead: 'cheap'}, source: 's', dated: false}]],
			[['claude-sonnet-4-5-20250929|*', {rates: {input: {base: 1, tiers: [{start: 200_000, price: 2}, {start: 100, price: 3}]}, output: 2}, source: 's', dated: false}]],
			[['claude-sonnet-4-5-20250929|*', {rates: {input: 1, output: 2}, source: 's'}]],
		]) {
			assert.equal(importCatalogue(bad), false, JSON.stringify(bad));
			assert.equal(new Pricer().price(call).cost, before, JSON.stringify(bad));
		}

		// What a run exports is taken back; an undated price is kept once for every day.
		const kept = exportCatalogue();
		assert.ok(kept && kept.some(([k]) => k === 'claude-sonnet-4-5-20250929|*'), JSON.stringify(kept?.map(([k]) => k)));
		// Nothing new since: nothing to write again.
		assert.equal(exportCatalogue(), undefined);
		assert.equal(importCatalogue(JSON.parse(JSON.stringify(kept))), true);
		assert.equal(new Pricer().price({...call, ts: Date.parse('2026-09-30T10:00:00Z')}).cost, before);
	});

	it('price a later run\'s new calls without the price data, with the numbers of a --no-cache run; a damaged file is ignored', t => {
		const cli = builtCli(t);
		if (!cli) return;
		const root = tempHome('burntop-prices-');
		const home = path.join(root, 'home');
		const cache = path.join(root, 'cache');
		const file = claudePath(home, '-home-u-proj', 'sess-1.jsonl');
		write(file, [claudeAssistant({id: 'msg_1', ts: '2026-03-02T10:00:00.000Z', input: 1200, output: 300, cacheRead: 5000, cacheWrite: 800})]);
		const env = {...process.env, HOME: home, XDG_CACHE_HOME: cache, CLAUDE_CONFIG_DIR: '', CODEX_HOME: '', BURNTOP_TIMING: '1'};
		const run = (extra: string[] = []) => {
			const r = spawnSync(process.execPath, [cli, '--once', '--json', ...extra], {encoding: 'utf8', env});
			assert.equal(r.status, 0, r.stderr);
			const loaded = /^burntop timing: price data (loaded|not loaded) on this thread$/m.exec(r.stderr);
			assert.ok(loaded, r.stderr);
			const totals = (JSON.parse(r.stdout) as {totals: Totals}).totals;
			return {loaded: loaded[1] === 'loaded', totals: [totals.calls, totals.inputTokens, totals.outputTokens, totals.costUSD].join(' ')};
		};

		const first = run();
		assert.equal(first.loaded, true);
		const memo = path.join(cache, 'burntop', 'prices.json');
		assert.ok(fs.existsSync(memo));
		// A new call on another day: answered from the kept price, the same numbers as a cold run's.
		append(file, [claudeAssistant({id: 'msg_2', ts: '2026-04-15T09:00:00.000Z', input: 700, output: 9000, cacheRead: 20_000})]);
		const second = run();
		assert.equal(second.loaded, false);
		const cold = run(['--no-cache']);
		assert.equal(cold.loaded, true);
		assert.equal(second.totals, cold.totals);
		assert.notEqual(second.totals, first.totals);
		// An edited file: ignored (the price data answers), never a crash or another number.
		const version = (JSON.parse(fs.readFileSync(memo, 'utf8')) as {version: string}).version;
		fs.writeFileSync(memo, JSON.stringify({version, entries: [['claude-sonnet-4-5-20250929|*', {rates: {input: 1e9, output: -5}, source: 'edited', dated: false}]]}));
		append(file, [claudeAssistant({id: 'msg_3', ts: '2026-04-16T09:00:00.000Z', input: 10, output: 20})]);
		const after = run();
		assert.equal(after.loaded, true);
		assert.equal(after.totals, run(['--no-cache']).totals);
		// One that is not JSON at all, or kept for another version of the price data: nothing taken
		// (a model only the file knows stays unknown); the same file for this version is taken.
		const planted = (v: string) => JSON.stringify({version: v, entries: [['planted-model|*', {rates: {input: 1, output: 2}, source: 'planted', dated: false}]]});
		for (const text of ['{not json', planted('other')]) {
			fs.writeFileSync(memo, text);
			loadPriceMemo(path.dirname(memo));
			assert.equal(new Pricer().rates('planted-model', Date.now()), undefined, text);
		}

		fs.writeFileSync(memo, planted(version));
		loadPriceMemo(path.dirname(memo));
		assert.deepEqual(new Pricer().rates('planted-model', Date.now()), {input: 1, output: 2});
	});
});

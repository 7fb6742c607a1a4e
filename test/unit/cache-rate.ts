// The Cache tab's collapse list: a session whose cache stopped hitting stays listed for as long
// as it keeps paying, and what it pays extra only grows.
import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {cacheView} from '../../src/core/cache-rate.js';
import {Engine} from '../../src/engine.js';
import {tempHome} from '../helpers/home.js';
import * as sc from '../helpers/scenarios.js';

function scanned(steps: sc.Step[]) {
	const home = tempHome();
	sc.session(home, 's', steps);
	const engine = new Engine({env: {home, env: {HOME: home}, platform: process.platform}});
	engine.discover();
	engine.scanAll();
	return cacheView(engine.aggregate, sc.NOW, (c, split) => engine.aggregate.reprice(c, split));
}

/** 10 cached Opus calls, then `collapsed` uncached ones, the last a minute before NOW (all within the hour). */
function view(collapsed: number) {
	const healthy = Array.from({length: 10}, (_, i) => ({at: 59 - i, model: 'claude-opus-4-6', input: 20, cacheRead: 150_000, cacheWrite: 1000}));
	const broken = Array.from({length: collapsed}, (_, i) => ({at: 1 + (48 * (collapsed - 1 - i)) / collapsed, model: 'claude-opus-4-6', input: 150_000, cacheRead: 0, cacheWrite: 1000}));
	return scanned([...healthy, ...broken]);
}

describe('cache collapse list', () => {
	it('keeps a session listed while its cache stays collapsed, the extra cost growing with every call', () => {
		const extras: number[] = [];
		for (const n of [5, 12, 30, 45]) {
			const v = view(n);
			assert.equal(v.collapses.length, 1, `${n} collapsed calls: still listed`);
			const c = v.collapses[0]!;
			assert.equal(c.recentCalls, n, 'every call since the collapse is counted');
			assert.ok(c.before > 0.9, `before: ${c.before}`);
			assert.equal(c.after, 0);
			extras.push(c.extraUSD);
		}

		for (let i = 1; i < extras.length; i++) assert.ok(extras[i]! > extras[i - 1]!, `extra cost grows: ${extras.join(' → ')}`);
		// Each uncached call of 150k Opus input pays about the gap between the input and cache-read rates.
		const perCall = extras[3]! / 45;
		assert.ok(perCall > 0.5 && perCall < 1, String(perCall));
	});

	it('a short dip that recovered is not a collapse', () => {
		const steps = Array.from({length: 20}, (_, i) => ({at: 30 - i, model: 'claude-opus-4-6', input: i === 17 ? 150_000 : 20, cacheRead: i === 17 ? 0 : 150_000, cacheWrite: 1000}));
		assert.equal(scanned(steps).collapses.length, 0);
	});
});

import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import * as loopsModule from '../../src/core/loops.js';
import {LOOP_DEFAULTS, loopHorizon, normaliseCommand, sessionReasons} from '../../src/core/loops.js';
import {Engine} from '../../src/engine.js';
import {runCli, tempHome, write} from '../helpers/home.js';
import * as sc from '../helpers/scenarios.js';

function scan(build: (home: string) => string) {
	const home = tempHome();
	const sid = build(home);
	const engine = new Engine({env: {home, env: {HOME: home}, platform: process.platform}});
	engine.discover();
	engine.scanAll();
	const state = [...engine.aggregate.sessions.values()].find(s => s.sessionId === sid)!;
	return {home, sid, engine, state, kinds: sessionReasons(state, sc.NOW).reasons.map(r => r.kind), suggestions: engine.suggestions(sc.NOW)};
}

describe('loop detectors on generated sessions', () => {
	it('repeated identical tool calls: `npm test` 14× in 9 min, same error', () => {
		const r = scan(sc.repeatedCommand);
		assert.ok(r.kinds.includes('repeated-command'));
		assert.ok(r.kinds.includes('repeated-error'));
		const s = r.suggestions.find(x => x.sessionId === r.sid)!;
		const reason = s.reasons.find(x => x.kind === 'repeated-command')!;
		assert.equal(reason.text, '`npm test -- --runInBand` run 14× in 9 min, same error, no file edits');
		assert.ok(s.burnUSD > 0);
		assert.match(s.advice, /Stop the agent/);
	});

	it('repeated identical errors across different commands', () => {
		const r = scan(sc.repeatedError);
		assert.deepEqual(r.kinds.filter(k => k.startsWith('repeated')), ['repeated-error']);
		const s = r.suggestions.find(x => x.sessionId === r.sid)!;
		assert.match(s.reasons[0]!.text, /^the same error 7× in 9 min: error TS2307: Cannot find module/);
	});

	it('failed results before a reader\'s horizon keep their time and key, not their text, and are never a repeat', () => {
		const home = tempHome();
		const sid = sc.repeatedError(home);
		const scanWith = (resultsSince?: number) => {
			const engine = new Engine({env: {home, env: {HOME: home}, platform: process.platform}, ...(resultsSince === undefined ? {} : {resultsSince})});
			engine.discover();
			engine.scanAll();
			const state = [...engine.aggregate.sessions.values()].find(s => s.sessionId === sid)!;
			const repeat = engine.suggestions(sc.NOW).find(x => x.sessionId === sid)?.reasons.find(r => r.kind === 'repeated-error')?.text;
			return {engine, state, repeat};
		};

		const all = scanWith();
		// Between the second and third of the seven errors: five (the threshold) after it.
		const times = [...all.state.results.values()].map(r => r.ts).sort((a, b) => a - b);
		const cut = (times[1]! + times[2]!) / 2;
		const part = scanWith(cut);
		assert.deepEqual([...part.state.results.keys()], [...all.state.results.keys()]);
		let before = 0;
		let after = 0;
		for (const [k, r] of part.state.results) {
			const whole = all.state.results.get(k)!;
			assert.equal(r.ts, whole.ts);
			if (r.ts >= cut) {
				assert.deepEqual(r, whole);
				after++;
			} else {
				assert.deepEqual([r.hash, r.text], ['', '']);
				before++;
			}
		}

		assert.ok(before > 0 && after >= LOOP_DEFAULTS.repeatedError, `${before} before, ${after} after`);
		assert.match(all.repeat!, /^the same error 7× /);
		// Those without text are not the same error as each other: only the ones after the cut repeat.
		assert.match(part.repeat!, new RegExp(`^the same error ${after}× `));
		// Five without text before a later cut are no repeat either: two real ones remain, too few.
		assert.equal(scanWith((times[4]! + times[5]!) / 2).repeat, undefined);
		// At the CLI's horizon (two days back) nothing a window reaches loses its text.
		assert.equal(loopHorizon(), 2 * 24 * 60 * 60_000);
		assert.equal(loopHorizon({windowMinutes: 5000}), 5000 * 60_000);
		assert.deepEqual(scanWith(sc.NOW - loopHorizon()).engine.suggestions(sc.NOW), all.engine.suggestions(sc.NOW));
	});

	it('the CLI reads failed results\' text back to its horizon from --now, not from the clock', async () => {
		const home = tempHome();
		sc.repeatedError(home);
		// The clock is months after the session; --now is its time.
		const r = await runCli(['--once', '--json', '--no-cache', '--now', new Date(sc.NOW).toISOString()], {HOME: home});
		const doc = JSON.parse(r.stdout) as {suggestions: Array<{reasons: Array<{kind: string; text: string}>}>};
		assert.ok(doc.suggestions.some(s => s.reasons.some(x => x.kind === 'repeated-error' && /^the same error 7× in 9 min: error TS2307/.test(x.text))), r.stdout.slice(0, 400));
	});

	it('API-error retry storms', () => {
		const r = scan(sc.apiStorm);
		assert.ok(r.kinds.includes('api-errors'));
		assert.ok(r.suggestions.some(x => x.sessionId === r.sid && /8 API errors in 5 min/.test(x.reasons[0]!.text)));
	});

	it('cache collapse on a large context is flagged with its cost', () => {
		const r = scan(sc.cacheCollapse);
		assert.ok(r.kinds.includes('cache-collapse'));
		assert.ok(r.kinds.includes('expensive'));
		const s = r.suggestions.find(x => x.sessionId === r.sid)!;
		assert.match(s.reasons.find(x => x.kind === 'cache-collapse')!.text, /fell from 99% to 0% with 151\.0k tokens/);
		// 5-minute rate: 5 uncached Opus calls of ~151k input in the last 3 minutes.
		assert.ok(s.projectedUSDPerHour > 20, String(s.projectedUSDPerHour));
	});

	it('context re-sent with no progress, unattended', () => {
		const r = scan(sc.noProgress);
		assert.ok(r.kinds.includes('no-progress'));
		assert.ok(r.kinds.includes('unattended'));
		assert.ok(r.suggestions.some(x => x.sessionId === r.sid));
	});

	it('a spend spike is reported but on its own does not flag a session', () => {
		const r = scan(sc.spike);
		assert.ok(r.kinds.includes('spend-spike'), r.kinds.join());
		assert.ok(!r.suggestions.some(x => x.sessionId === r.sid));
	});

	it('a new session far above the user\'s usual rate is reported against that rate', () => {
		const home = tempHome();
		// A week of ordinary use: a $0.01 call per hour in 30 hours, then a new session burning fast.
		sc.session(home, 'usual', Array.from({length: 30}, (_, i) => ({at: 60 * 24 * 6 - i * 60 * 4, output: 100, cacheRead: 1000})));
		const sid = sc.session(home, 'newburn', [{at: 6, prompt: 'go'}, ...Array.from({length: 6}, (_, i) => ({at: 4 - i * 0.5, model: 'claude-opus-4-6', output: 3000, cacheRead: 150_000}))]);
		const engine = new Engine({env: {home, env: {HOME: home}, platform: process.platform}});
		engine.discover();
		engine.scanAll();
		const s = [...engine.aggregate.sessions.values()].find(x => x.sessionId === sid)!;
		const {usualRate} = loopsModule;
		const usual = usualRate(engine.aggregate, sc.NOW);
		assert.ok(usual > 0);
		const spike = sessionReasons(s, sc.NOW, LOOP_DEFAULTS, usual).reasons.find(r => r.kind === 'spend-spike')!;
		assert.match(spike.text, /vs your usual \$[\d.]+\/min \(\d+×\)/);
	});

	for (const [name, build] of [['a long human-driven session', sc.humanDriven], ['a burst of parallel subagents', sc.subagentBurst], ['a big refactor with many edits and test runs', sc.bigRefactor]] as const) {
		it(`${name} is not flagged`, () => {
			const r = scan(build);
			assert.ok(r.state.calls > 30, `${r.state.calls} calls`);
			assert.equal(r.suggestions.filter(x => x.sessionId === r.sid).length, 0, `flagged for: ${r.kinds.join(', ')}`);
			assert.ok(!r.kinds.includes('repeated-command') && !r.kinds.includes('repeated-error'), r.kinds.join());
		});
	}

	it('a finished loop (last call long ago) is not suggested for a kill', () => {
		const r = scan(sc.repeatedCommand);
		assert.equal(r.engine.suggestions(sc.NOW + 60 * 60_000).length, 0);
	});

	it('suggestions are sorted by projected cost of the next hour', () => {
		const home = tempHome();
		sc.repeatedCommand(home);
		sc.cacheCollapse(home);
		const engine = new Engine({env: {home, env: {HOME: home}, platform: process.platform}});
		engine.discover();
		engine.scanAll();
		const s = engine.suggestions(sc.NOW);
		assert.equal(s.length, 2);
		assert.ok(s[0]!.projectedUSDPerHour >= s[1]!.projectedUSDPerHour);
		assert.equal(s[0]!.project, '/home/u/report');
	});

	it('thresholds come from the config file and are validated', async () => {
		const home = tempHome();
		sc.repeatedCommand(home);
		const now = ['--now', new Date(sc.NOW).toISOString()];
		const flagged = await runCli(['--check', ...now], {HOME: home});
		assert.equal(flagged.code, 1);
		assert.match(flagged.stdout, /npm test -- --runInBand` run 14×/);
		write(`${home}/.config/burntop/config.json`, JSON.stringify({loops: {repeatedCommand: 20, repeatedError: 20}}));
		assert.equal((await runCli(['--check', ...now], {HOME: home})).code, 0);
		write(`${home}/.config/burntop/config.json`, JSON.stringify({loops: {repeatedComand: 20}}));
		const bad = await runCli(['--check'], {HOME: home});
		assert.equal(bad.code, 2);
		assert.match(bad.stderr, /loops\.repeatedComand is not a threshold/);
	});

	it('--once --json carries the suggestions', async () => {
		const home = tempHome();
		sc.apiStorm(home);
		const r = await runCli(['--once', '--json', '--now', new Date(sc.NOW).toISOString()], {HOME: home});
		const doc = JSON.parse(r.stdout);
		assert.equal(doc.suggestions.length, 1);
		for (const k of ['tool', 'sessionId', 'project', 'score', 'reasons', 'burnUSD', 'projectedUSDPerHour']) assert.ok(k in doc.suggestions[0], k);
		for (const k of ['kind', 'text', 'evidence']) assert.ok(k in doc.suggestions[0].reasons[0], k);
	});

	it('normalises commands so reruns match', () => {
		assert.equal(normaliseCommand('  npm   test /tmp/jest_abc123 --seed 48213 '), 'npm test /tmp/… --seed #');
		assert.equal(LOOP_DEFAULTS.repeatedCommand, 6);
	});
});

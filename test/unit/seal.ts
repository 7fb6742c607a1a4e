// Long runs fold old calls into rollups; totals must not move, replays must stay duplicates.
import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {Aggregate, SEAL_AFTER} from '../../src/core/aggregate.js';
import {FingerprintSet, fingerprint} from '../../src/core/fingerprints.js';
import {SealedCalls} from '../../src/core/sealed-calls.js';
import {buildSnapshot, type Window} from '../../src/core/snapshot.js';
import type {UsageEvent} from '../../src/core/types.js';
import {decodeRecord, decodeRecords, encodeRecords} from '../../src/core/record-table.js';
import {Pricer} from '../../src/pricing/index.js';
import {claudeSession, codexRollout, rng} from '../helpers/corpus.js';
import {claudeAssistant, claudePath, codexPath, tempHome, write} from '../helpers/home.js';
import {Engine} from '../../src/engine.js';
import {sameCounts, setCounts, union} from '../../src/core/aggregate-rules.js';
import {COUNT_FIELDS, NO_COUNTS, type Counts} from '../../src/core/records.js';
import {RollupTable} from '../../src/core/rollup-table.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const T0 = Date.parse('2026-03-01T00:00:00Z');
const MODELS = ['claude-sonnet-4-5-20250929', 'claude-opus-4-6', 'gpt-5.3-codex', 'mystery-model-x'];
const HEALTH = {files: 0, bytes: 0, linesSkipped: 0, errors: []};
const TOOLS = ['Read', 'Edit', 'Bash', 'Task', 'TodoWrite', 'Grep', 'mcp__db__query', 'WebSearch'];
const COMMANDS = ['npm test', 'git commit -m wip', 'ls -la', 'make', 'python3 run.py', 'cat x'];
const PROMPTS = ['fix the failing upload', 'plan the new design', undefined, 'add tests for it', 'add error handling'];

function call(r: () => number, i: number, ts: number, session: number): UsageEvent {
	return {
		kind: 'usage', tool: session % 3 === 0 ? 'codex' : 'claude-code', sessionId: `s${session}`, project: `/p/${session % 4}`,
		model: MODELS[session % MODELS.length]!, ts, input: Math.floor(r() * 5000), cacheRead: Math.floor(r() * 90_000),
		cacheWrite5m: Math.floor(r() * 3000), cacheWrite1h: i % 7 === 0 ? 1000 : 0, output: 1 + Math.floor(r() * 2000),
		reasoning: 0, webSearches: 0, dedupeKey: `k${i}`, replace: 'max-output', tools: i % 5 === 0 ? ['Edit'] : ['Read'],
	};
}

/** Six days of calls in 12 sessions (bursts of half a day), each streamed as 1–3 lines with growing output. */
function history(seed: number): UsageEvent[] {
	const r = rng(seed);
	const out: UsageEvent[] = [];
	for (let i = 0; i < 6000; i++) {
		const ts = T0 + Math.floor((i / 6000) * 6 * DAY) + Math.floor(r() * 60_000);
		const c = call(r, i, ts, (Math.floor(i / 500) + (r() < 0.1 ? 1 : 0)) % 12); // Sessions come in bursts.
		const lines = 1 + Math.floor(r() * 3);
		for (let l = 1; l <= lines; l++) out.push({...c, output: Math.ceil((c.output * l) / lines)});
	}

	return out;
}

/** Windows on the 15-minute grid, as the monitor uses: all, days in UTC and in UTC+5:45, hours. */
function windows(now: number): Window[] {
	const w: Window[] = [{now}];
	for (let d = 0; d < 7; d++) {
		w.push({now, since: T0 + d * DAY});
		w.push({now, since: T0 + d * DAY - (5 * HOUR + 45 * 60_000), until: T0 + (d + 1) * DAY - (5 * HOUR + 45 * 60_000) - 1});
	}

	for (let h = 0; h < 150; h += 7) w.push({now, since: T0 + h * HOUR, until: T0 + (h + 1) * HOUR - 1});
	return w;
}

const view = (a: Aggregate, w: Window) => {
	const s = buildSnapshot(a, w, HEALTH, w.now);
	// Session rows keep first/last times; everything else must be identical too.
	return JSON.stringify({t: s.totals, tools: s.tools, projects: s.projects, models: s.models, activities: s.activities, sessions: s.sessions, unpriced: s.health.unpricedModels, est: s.health.estimatedCalls});
};

describe('sealing old calls into rollups', () => {
	for (const seed of [1, 2, 3]) {
		it(`leaves every window's totals unchanged (seed ${seed})`, () => {
			const pricer = new Pricer();
			const a = new Aggregate(e => pricer.price(e));
			for (const e of history(seed)) a.apply(e);
			const now = T0 + 6 * DAY + HOUR;
			const before = windows(now).map(w => view(a, w));
			const open = a.calls.size;
			const sealed = a.seal(now);
			assert.ok(sealed > open / 2, `most calls are sealed (${sealed} of ${open})`);
			assert.equal(a.calls.size, open - sealed);
			assert.ok(a.rollupCount < sealed / 2, `rollups are fewer than calls (${a.rollupCount} for ${sealed})`);
			for (const c of a.calls.values()) assert.ok(c.ts >= now - SEAL_AFTER - 2 * HOUR, 'only calls within two days of the newest stay open');
			const after = windows(now).map(w => view(a, w));
			for (let i = 0; i < before.length; i++) assert.equal(after[i], before[i], `window ${i}`);
		});
	}

	it('a replay of a sealed call with the same numbers stays a duplicate, a new call still counts', () => {
		const pricer = new Pricer();
		const a = new Aggregate(e => pricer.price(e));
		const events = history(7);
		for (const e of events) a.apply(e);
		const now = T0 + 6 * DAY + HOUR;
		a.seal(now);
		const total = () => buildSnapshot(a, {now}, HEALTH).totals;
		const before = JSON.stringify(total());
		for (const e of events.filter(e => e.ts < T0 + DAY)) assert.equal(a.apply(e), 'duplicate');
		assert.equal(JSON.stringify(total()), before);
		const r = rng(99);
		assert.equal(a.apply({...call(r, 99_999, T0 + DAY, 1), dedupeKey: 'brand-new'}), 'added');
		assert.equal(total().calls, JSON.parse(before).calls + 1);
	});

	// The property the index rests on: sealing (at any moment) changes no number, whatever copies come later.
	for (const seed of [11, 12, 13, 14]) {
		it(`later copies of any age follow the store's rule on sealed calls as on open ones (seed ${seed})`, () => {
			const r = rng(seed);
			const pricer = new Pricer();
			const sealedAgg = new Aggregate(e => pricer.price(e));
			const plain = new Aggregate(e => pricer.price(e));
			const base = history(seed).map(e => ({...e, altKey: r() < 0.2 ? `m${e.dedupeKey}` : undefined}));
			const policies = ['max-output', 'last', 'first'] as const;
			const events: UsageEvent[] = base.map(e => ({...e, replace: policies[Number(e.dedupeKey.slice(1)) % 3]!}));
			// Later copies: same numbers, more or fewer output tokens, another model or project, a sidechain
			// twin, other tools, commands and prompt (a streamed line with the next content block, a replay).
			const some = <T>(xs: readonly T[]) => xs.filter(() => r() < 0.3);
			for (let i = 0; i < 3000; i++) {
				const e = events[Math.floor(r() * events.length)]!;
				const kind = Math.floor(r() * 8);
				if (kind >= 6) {
					events.push({...e, output: e.output + (kind === 6 ? 0 : 1), tools: some(TOOLS), commands: some(COMMANDS), prompt: PROMPTS[Math.floor(r() * PROMPTS.length)]});
					continue;
				}

				if (kind === 0) events.push({...e});
				else if (kind === 1) events.push({...e, output: e.output + 1 + Math.floor(r() * 500)});
				else if (kind === 2) events.push({...e, output: Math.max(0, e.output - 1 - Math.floor(r() * 50)), input: e.input + 3});
				else if (kind === 3) events.push({...e, model: MODELS[Math.floor(r() * MODELS.length)]!, project: `/p/${Math.floor(r() * 6)}`});
				else if (kind === 4 && e.altKey) events.push({...e, dedupeKey: `side-${e.dedupeKey}-${i}`, sidechain: true});
				else if (e.altKey) events.push({...e, dedupeKey: `main-${e.dedupeKey}-${i}`, sidechain: false, output: e.output + 2});
			}

			const now = T0 + 6 * DAY + HOUR;
			for (let i = 0; i < events.length; i++) {
				const e = events[i]!;
				sealedAgg.apply(e);
				plain.apply(e);
				// Seal at random moments, as a long run or a scan between files does.
				if (r() < 0.002) sealedAgg.seal(Math.min(now, e.ts + 3 * DAY));
			}

			sealedAgg.seal(now);
			sealedAgg.series.compact();
			plain.series.compact();
			assert.ok(sealedAgg.sealedCalls > 1000, `calls were sealed (${sealedAgg.sealedCalls})`);
			for (const w of windows(now)) assert.equal(view(sealedAgg, w), view(plain, w));
			// And through the index: the loaded state answers later copies the same way.
			const loaded = new Aggregate(e => pricer.price(e));
			loaded.importState(structuredClone(sealedAgg.exportState()));
			for (const e of events.slice(0, 2000)) {
				const x = {...e, output: e.output + (e.ts % 2)};
				loaded.apply(x);
				plain.apply(x);
			}

			for (const w of windows(now)) assert.equal(view(loaded, w), view(plain, w));
		});
	}

	it('a loaded state has the time series and the sessions of the one saved, over 60 days (older than every bucket, quiet ones)', () => {
		const pricer = new Pricer();
		const a = new Aggregate(e => pricer.price(e));
		const r = rng(21);
		// 60 days: 29 of them older than the hour buckets' 31; sessions a day long, most quiet by the end.
		for (let i = 0; i < 6000; i++) a.apply(call(r, i, T0 + Math.floor((i / 6000) * 60 * DAY), Math.floor(i / 100)));
		const now = T0 + 60 * DAY;
		a.seal(now);
		// The hours read (up to 7 days: loops, cache rate) and far beyond, short of the 31-day edge:
		// there a rollup counts at its first call's minute, a call at its own.
		const series = (x: Aggregate) => {
			x.series.compact();
			return JSON.stringify({hours: x.series.lastHours(now, 30 * 24), minutes: x.series.lastMinutes(now, 24 * 60)});
		};

		const quiet = [...a.sessions.values()].filter(s => s.recent.length === 0).length;
		assert.ok(quiet > 50, `most sessions are quiet (${quiet})`);
		for (const owned of [false, true]) {
			const loaded = new Aggregate(e => pricer.price(e));
			loaded.importState(structuredClone(a.exportState()), false, owned);
			assert.equal(series(loaded), series(a), `owned: ${owned}`);
			assert.ok(loaded.series.lastHours(now, 30 * 24).filter(h => h.cell.calls > 0).length > 600, 'the hours hold calls');
			for (const s of a.sessions.values()) assert.deepEqual(loaded.sessions.get(s.key)!.recent.map(c => c.key), s.recent.map(c => c.key), s.key);
			// A new call in a loaded quiet session starts a ring of its own, as in the original.
			const next = {...call(r, 99_999, now + 1000, 1)};
			loaded.apply(next);
			a.apply(next);
			assert.deepEqual(loaded.sessions.get('claude-code:s1')!.recent.map(c => c.key), a.sessions.get('claude-code:s1')!.recent.map(c => c.key));
			assert.equal(loaded.sessions.get('claude-code:s1')!.recent.length, 1, 'a quiet session: the new call alone');
			assert.equal(series(loaded), series(a));
		}
	});

	it('quiet sessions keep no call in memory and drop loop-detection state; busy ones keep theirs', () => {
		const pricer = new Pricer();
		const a = new Aggregate(e => pricer.price(e));
		const r = rng(5);
		for (let i = 0; i < 600; i++) a.apply(call(r, i, T0 + i * 60_000, 1));
		for (let i = 0; i < 600; i++) a.apply(call(r, 10_000 + i, T0 + 5 * DAY + i * 1000, 2));
		a.seal(T0 + 5 * DAY + DAY / 2);
		assert.equal(a.sessions.get('claude-code:s1')!.recent.length, 0);
		assert.equal(a.sessions.get('claude-code:s1')!.calls, 600, 'running totals stay');
		assert.equal(a.sessions.get('claude-code:s2')!.recent.length, 500);
	});

	it('uses the newest call, not a clock far ahead, as the reference', () => {
		const pricer = new Pricer();
		const a = new Aggregate(e => pricer.price(e));
		const r = rng(6);
		for (let i = 0; i < 100; i++) a.apply(call(r, i, T0 + i * 60_000, 1));
		assert.equal(a.seal(T0 + 365 * DAY), 0, 'a year-long jump of the clock seals nothing new');
	});
});

/** Every rollup's hash the same: each lookup goes through the collision fallback. */
class Colliding extends Aggregate {
	protected override rollupHash(): void {
		this.hash[0] = 7;
		this.hash[1] = 9;
	}
}

describe('sealing each file\'s old calls as soon as it is read (a cold scan)', () => {
	for (const seed of [4, 5, 6]) {
		it(`equals never sealing, whatever the files' order and borders (seed ${seed})`, () => {
			const r = rng(seed);
			// Codex-like sessions keep the first copy, the rest the largest output; every other copy brings other tools.
			const events = history(seed).map((e, i) => ({...e, ...(e.tool === 'codex' ? {replace: 'first' as const} : {}), ...(i % 2 ? {tools: [TOOLS[i % TOOLS.length]!], commands: [COMMANDS[i % COMMANDS.length]!]} : {})}));
			const distinct = new Set(events.map(e => e.dedupeKey)).size;
			// Files: runs of events cut at random (a call's streamed lines may fall in two files), read in random order.
			const files: UsageEvent[][] = [];
			for (let i = 0; i < events.length; ) {
				const n = 1 + Math.floor(r() * 400);
				files.push(events.slice(i, i + n));
				i += n;
			}

			for (let i = files.length - 1; i > 0; i--) {
				const j = Math.floor(r() * (i + 1));
				[files[i], files[j]] = [files[j]!, files[i]!];
			}

			const now = T0 + 6 * DAY + HOUR;
			const pricer = new Pricer();
			const sealing = new Aggregate(e => pricer.price(e));
			const open = new Aggregate(e => pricer.price(e));
			sealing.trackFresh(true);
			let sealed = 0;
			for (const f of files) {
				for (const e of f) {
					sealing.apply(e);
					open.apply(e);
				}

				sealed += sealing.sealFresh(now);
				if (r() < 0.05) sealed += sealing.seal(now); // The every-64-files seal, at random moments.
			}

			sealing.trackFresh(false);
			assert.ok(sealed > distinct / 2, `most calls sealed as their file ended (${sealed} of ${distinct})`);
			for (const w of windows(now)) assert.equal(view(sealing, w), view(open, w));
			// Late copies after the scan (a resumed session, a re-read file) still find their calls.
			for (const e of events.filter((_, i) => i % 97 === 0)) assert.equal(sealing.apply(e), open.apply(e));
			for (const w of windows(now)) assert.equal(view(sealing, w), view(open, w));
		});
	}

	it('in a whole scan: the same snapshot with sealOld (each file sealed when read) as without', () => {
		const home = tempHome('burntop-fresh-');
		const r = rng(9);
		const t0 = Date.parse('2026-09-01T00:00:00Z');
		for (let s = 0; s < 25; s++) {
			const start = t0 + Math.floor(r() * 20 * DAY);
			const lines = claudeSession(r, `sess-${s}`, 20 + Math.floor(r() * 40), start, `m${s}-`);
			write(claudePath(home, `-home-u-p${s % 5}`, `sess-${s}.jsonl`), lines);
			// A resumed session: its first calls replayed in a new file.
			if (s % 7 === 0) write(claudePath(home, `-home-u-p${s % 5}`, `sess-${s}-resumed.jsonl`), [...lines.slice(0, 12), ...claudeSession(r, `sess-${s}`, 5, start + 3 * DAY, `r${s}-`)]);
			// Codex rollouts, and forks that replay their parent's lines.
			const rollout = codexRollout(r, `c-${s}`, 10 + Math.floor(r() * 30), start);
			write(codexPath(home, `rollout-c-${s}.jsonl`), rollout);
			if (s % 5 === 0) write(codexPath(home, `rollout-c-${s}-fork.jsonl`), [rollout[0]!.replace(`c-${s}`, `c-${s}-fork`), ...rollout.slice(1)]);
		}

		const now = t0 + 25 * DAY;
		const scan = (sealOld: boolean) => {
			const e = new Engine({env: {home, env: {HOME: home}, platform: process.platform}, clock: () => now, sealOld, parallel: false});
			e.discover();
			e.scanAll();
			return e;
		};

		const sealing = scan(true);
		const open = scan(false);
		// Fewer than 64 files: every call sealed during the scan was sealed as its file ended.
		assert.ok(sealing.aggregate.sealedCalls > 1000, `calls sealed during the scan: ${sealing.aggregate.sealedCalls}`);
		for (const w of [{now}, {now, since: t0 + 5 * DAY}, {now, since: t0 + 10 * DAY, until: t0 + 11 * DAY - 1}]) assert.equal(view(sealing.aggregate, w), view(open.aggregate, w));
	});
});

describe('rollups found by a hash of their identity', () => {
	for (const seed of [4, 5]) {
		it(`give the same numbers when every hash collides, through seals, late copies and a reload (seed ${seed})`, () => {
			const pricer = new Pricer();
			const price = (e: UsageEvent) => pricer.price(e);
			const events = history(seed);
			const r = rng(seed);
			const run = (a: Aggregate) => {
				// Sealed a day at a time: later calls join rollups made by earlier seals.
				let day = 1;
				for (const e of events) {
					if (e.ts > T0 + day * DAY + SEAL_AFTER) a.seal(T0 + day++ * DAY + SEAL_AFTER);
					a.apply(e);
				}

				return a;
			};

			const plain = run(new Aggregate(price));
			const colliding = run(new Colliding(price));
			// Late copies of sealed calls (more output, another model) move numbers between rollups.
			const late = Array.from({length: 300}, () => {
				const e = events[Math.floor(r() * events.length)]!;
				return {...e, output: e.output + 1 + Math.floor(r() * 500), model: r() < 0.3 ? MODELS[Math.floor(r() * MODELS.length)]! : e.model};
			});
			for (const e of late) {
				plain.apply(e);
				colliding.apply(e);
			}

			const now = T0 + 6 * DAY + HOUR;
			plain.seal(now);
			colliding.seal(now);
			assert.equal(colliding.rollupCount, plain.rollupCount, 'one rollup per identity either way');
			for (const w of windows(now)) assert.equal(view(colliding, w), view(plain, w));
			// Loaded rollups are found again (keyed on the first seal after a load).
			const reloaded = new Colliding(price);
			reloaded.importState(structuredClone(colliding.exportState()));
			const more = history(seed + 100).map(e => ({...e, dedupeKey: `more-${e.dedupeKey}`}));
			for (const e of more) {
				reloaded.apply(e);
				plain.apply(e);
			}

			reloaded.seal(now);
			plain.seal(now);
			assert.equal(reloaded.rollupCount, plain.rollupCount);
			for (const w of windows(now)) assert.equal(view(reloaded, w), view(plain, w));
		});
	}
});

describe('fingerprints of sealed keys', () => {
	it('finds every added key and no other among 200,000', () => {
		const s = new FingerprintSet();
		for (let i = 0; i < 200_000; i++) assert.equal(s.add(fingerprint(`msg_${i}:req_${i * 7}`)), true);
		assert.equal(s.size, 200_000);
		assert.equal(s.add(fingerprint('msg_5:req_35')), false);
		let found = 0;
		for (let i = 0; i < 200_000; i++) if (s.has(fingerprint(`msg_${i}:req_${i * 7}`))) found++;
		let false_ = 0;
		for (let i = 0; i < 200_000; i++) if (s.has(fingerprint(`other_${i}`))) false_++;
		assert.equal(found, 200_000);
		assert.equal(false_, 0);
		assert.ok(s.bytes <= 200_000 * 8 * 4, `${s.bytes} bytes`);
	});

	it('the sealed-call ledger remembers every key whatever its age, 200,000 of them in under 155 bytes each', () => {
		const l = new SealedCalls();
		const n = {input: 1, cacheRead: 2, cacheWrite5m: 3, cacheWrite1h: 4, output: 5, reasoning: 0, unrecorded: 0, placeholders: 0, unrecordedNano: 0, webSearches: 0, nano: 9, calls: 1, premiumRequests: 0, ts: T0, at: T0};
		for (let i = 0; i < 200_000; i++) l.add(`k${i}`, i % 2 ? `alt${i}` : undefined, {...n, ts: T0 - i * DAY}, 0, 0, 0);
		for (let i = 0; i < 200_000; i += 997) {
			assert.equal(l.find(`k${i}`), i);
			assert.equal(l.read(i).ts, T0 - i * DAY);
		}

		assert.equal(l.find('k200000'), -1);
		assert.equal(l.findAlt('alt3'), 3);
		assert.equal(l.findAlt('alt4'), -1);
		assert.ok(l.bytes / 200_000 < 155, `${(l.bytes / 200_000).toFixed(0)} bytes a call`);
		// Counts past 32 bits (a store's per-session sum) and fractional premium requests keep their values.
		const big = {...n, cacheRead: 7_000_000_000, calls: 3, premiumRequests: 1.5};
		const row = l.add('wide', undefined, big, 0, 0, 0);
		assert.deepEqual(l.read(row), big);
		const back = new SealedCalls();
		back.importState(structuredClone(l.exportState()));
		assert.deepEqual(back.read(row), big);
		assert.deepEqual(back.read(5), {...n, ts: T0 - 5 * DAY});
		// An estimate of unrecorded output makes the row one placeholder call.
		const guessed = l.add('placeholder', undefined, {...n, unrecorded: 300, placeholders: 1, unrecordedNano: 4_500_000}, 0, 0, 0);
		assert.deepEqual(l.read(guessed), {...n, unrecorded: 300, placeholders: 1, unrecordedNano: 4_500_000});
		// A ledger loaded with no row (its arrays empty) still takes new rows.
		const empty = new SealedCalls();
		empty.importState(structuredClone(new SealedCalls().exportState()));
		for (let i = 0; i < 300; i++) empty.add(`e${i}`, undefined, {...n, output: i}, 0, 0, 0);
		assert.equal(empty.read(empty.find('e299')).output, 299);
		assert.equal(SealedCalls.check(empty.exportState(), new Float64Array([300, 300 * 9])), undefined);
	});
});

describe('the union of two copies\' tool lists', () => {
	it('equals a plain ordered union on random lists, and keeps a list that already is it', () => {
		const reference = (a: readonly string[], b: readonly string[]) => {
			const out = [...a];
			for (const x of b) if (!out.includes(x)) out.push(x);
			return out;
		};
		const random = rng(7);
		const names = ['Read', 'Edit', 'Bash', 'Grep', 'Task'];
		const list = () => Array.from({length: Math.floor(random() * 5)}, () => names[Math.floor(random() * names.length)]!);
		let kept = 0;
		for (let i = 0; i < 5000; i++) {
			const a = list();
			// Half the time b grows a (what streamed lines do), else anything.
			const b = random() < 0.5 ? [...a, ...list()] : list();
			const u = union(a, b);
			assert.deepEqual(u, reference(a, b), `${JSON.stringify(a)} ∪ ${JSON.stringify(b)}`);
			if (u === b) kept++;
			if (u !== a && u !== b) assert.notEqual(u.length, a.length);
		}

		assert.ok(kept > 500, `b kept ${kept} times`);
		const a = ['Read'];
		assert.equal(union(a, ['Read']), a);
		assert.equal(union(a, undefined), a);
		const grown = ['Read', 'Edit'];
		assert.equal(union(a, grown), grown);
		assert.deepEqual(union(a, ['Read', 'Edit', 'Edit']), ['Read', 'Edit']);
		assert.deepEqual(union(['Edit'], ['Read', 'Edit']), ['Edit', 'Read']);
	});
});

describe('merging two sealed-call ledgers', () => {
	it('appends every row, key and twin key with its numbers, flags, features and shifted rollup, across several growths', () => {
		const n = {input: 1, cacheRead: 2, cacheWrite5m: 3, cacheWrite1h: 4, output: 5, reasoning: 0, unrecorded: 0, placeholders: 0, unrecordedNano: 0, webSearches: 0, nano: 9, calls: 1, premiumRequests: 0, ts: T0, at: T0};
		const row = (i: number) => ({...n, output: i, nano: i * 1000, ts: T0 - i, premiumRequests: i % 3 === 0 ? 0.5 : 0});
		const a = new SealedCalls();
		for (let i = 0; i < 300; i++) a.add(`a${i}`, i % 2 ? `alt-a${i}` : undefined, row(i), i % 64, i % 7, i % 5);
		const b = new SealedCalls();
		// Enough rows that the merge grows the columns and both key tables several times over.
		for (let i = 0; i < 5000; i++) b.add(`b${i}`, i % 3 ? `alt-b${i}` : undefined, row(i), (i * 3) % 64, i % 11, i % 13);
		const wide = {...n, cacheRead: 7_000_000_000, calls: 3};
		const w = b.add('b-wide', undefined, wide, 2, 4, 6);
		a.merge(structuredClone(b.exportState()), 1000);
		assert.equal(a.rows, 300 + 5001);
		assert.equal(a.keyCount, 300 + 5001);
		for (let i = 0; i < 300; i++) {
			const r = a.find(`a${i}`);
			assert.equal(r, i);
			assert.deepEqual(a.read(r), row(i));
			assert.deepEqual([a.flags[r], a.rollup[r], a.features[r]], [i % 64, i % 7, i % 5]);
			assert.equal(a.findAlt(`alt-a${i}`), i % 2 ? i : -1);
		}

		for (let i = 0; i < 5000; i++) {
			const r = a.find(`b${i}`);
			assert.equal(r, 300 + i);
			assert.deepEqual(a.read(r), row(i));
			assert.deepEqual([a.flags[r], a.rollup[r], a.features[r]], [(i * 3) % 64, 1000 + (i % 11), i % 13]);
			assert.equal(a.findAlt(`alt-b${i}`), i % 3 ? 300 + i : -1);
		}

		assert.equal(a.find('b-wide'), 300 + w);
		assert.deepEqual(a.read(300 + w), wide);
		assert.equal(a.find('c0'), -1);
		assert.equal(a.overlaps(structuredClone(b.exportState())), true);
		const c = new SealedCalls();
		c.add('c0', undefined, n, 0, 0, 0);
		assert.equal(a.overlaps(structuredClone(c.exportState())), false);
		// Rows added after the merge go on after the merged ones.
		assert.equal(a.add('after', undefined, n, 0, 0, 0), 300 + 5001);
	});
});

describe('saving and loading the aggregate (the index)', () => {
	it('round-trips records, rollups and recent rings exactly; ring entries are the open records themselves', () => {
		const pricer = new Pricer();
		const a = new Aggregate(e => pricer.price(e));
		for (const e of history(4)) a.apply(e);
		const now = T0 + 6 * DAY + HOUR;
		a.seal(now);
		const st = structuredClone(a.exportState());
		const b = new Aggregate(e => pricer.price(e));
		b.importState(st);
		for (const w of windows(now)) assert.equal(view(b, w), view(a, w));
		const strip = (r: {session: unknown}) => JSON.stringify({...r, session: undefined});
		for (const [key, s] of a.sessions) {
			const t = b.sessions.get(key)!;
			assert.equal(t.recent.length, s.recent.length, key);
			assert.deepEqual(t.recent.map(strip), s.recent.map(strip), key);
			for (const r of t.recent) {
				assert.equal(r.session, t, 'a ring record points at its session');
				if (a.calls.has(r.key)) assert.equal(b.calls.get(r.key), r, 'an open record is one object in the ring and the ledger');
			}
		}

		// Amending an open call after loading changes the ring's record too.
		const open = [...b.calls.values()].at(-1)!;
		const e = history(4).find(x => x.dedupeKey === open.key)!;
		assert.equal(b.apply({...e, output: open.output + 1000}), 'amended');
		assert.equal(b.sessions.get(open.session.key)!.recent.find(r => r.key === open.key)!.output, open.output);
	});
});

describe('record columns of the index', () => {
	it('round-trip every field, undefined and empty ones included, with shared sessions, strings and lists', () => {
		const sessions = [{name: 'a'}, {name: 'b'}];
		const base = {
			sidechain: false, tool: 'claude-code' as const, calls: 1, project: '/p', model: 'claude-opus-4-6', ts: T0, input: 12, cacheRead: 90_001,
			cacheWrite5m: 3, cacheWrite1h: 0, output: 7, reasoning: 0, unrecorded: 0, placeholders: 0, unrecordedNano: 0, webSearches: 0, nano: 123_456_789_012, priced: true, estimated: false,
			activity: 'coding' as const, features: 0, tools: [] as string[], commands: [] as string[], premiumRequests: 0, at: T0 + 5, replace: 'max-output' as const,
		};
		const records = [
			{...base, key: 'k1', session: sessions[1]!},
			{...base, key: 'k2', replace: 'first' as const, altKey: 'alt2', sidechain: true, tool: 'codex' as const, reasoning: 5, unrecorded: 40, placeholders: 1, unrecordedNano: 600_000, priced: false, estimated: true, features: 16_383, tools: ['Bash', 'Edit'], commands: ['npm test'], reportedCostUSD: 0.25, group: 'g1', lastTs: T0 + HOUR, session: sessions[0]!},
			{...base, key: 'k3', replace: 'last' as const, calls: 17, webSearches: 2, premiumRequests: 1.5, reportedCostUSD: 0, commands: ['ls'], session: sessions[1]!},
		];
		const t = structuredClone(encodeRecords(records, r => sessions.indexOf(r.session)));
		assert.deepEqual(t.strings.filter(s => s === '/p').length, 1, 'a repeated string is stored once');
		const back = decodeRecords(t, sessions);
		assert.equal(back.length, 3);
		for (let i = 0; i < 3; i++) {
			assert.equal(back[i]!.session, sessions[sessions.indexOf(records[i]!.session)], 'the same session object');
			assert.deepEqual({...back[i], session: undefined}, {altKey: undefined, reportedCostUSD: undefined, group: undefined, lastTs: undefined, ...records[i], session: undefined});
		}

		assert.deepEqual(decodeRecord(t, 2, sessions), back[2]);
		assert.equal(decodeRecords(t, sessions, 1).length, 1);
	});
});

describe('merging the state of an aggregate that read other stores (split cold scan)', () => {
	const pricer = new Pricer();
	const make = () => new Aggregate(e => pricer.price(e));
	const events = history(6);

	it('equals one aggregate that saw both, when the two share no session', () => {
		const claude = events.filter(e => e.tool === 'claude-code');
		const codex = events.filter(e => e.tool === 'codex');
		const one = make();
		for (const e of events) one.apply(e);
		const a = make();
		for (const e of claude) a.apply(e);
		const b = make();
		for (const e of codex) b.apply(e);
		a.mergeState(structuredClone(b.exportState()));
		a.series.compact();
		one.series.compact();
		const now = T0 + 6 * DAY + HOUR;
		for (const w of windows(now)) assert.equal(view(a, w), view(one, w));
	});

	it('refuses (changing nothing) when a session or call is on both sides; sealed sides merge exactly', () => {
		const a = make();
		for (const e of events.slice(0, 3000)) a.apply(e);
		const b = make();
		for (const e of events.slice(2000)) b.apply(e);
		const before = {calls: a.calls.size, sessions: a.sessions.size, version: a.version};
		assert.throws(() => a.mergeState(structuredClone(b.exportState())), /merge: (session|call) /);
		assert.deepEqual({calls: a.calls.size, sessions: a.sessions.size, version: a.version}, before);
		const c = make();
		for (const e of events.filter(e => e.tool === 'codex')) c.apply(e);
		const now = T0 + 6 * DAY + HOUR;
		c.seal(now);
		const d = make();
		for (const e of events.filter(e => e.tool !== 'codex')) d.apply(e);
		d.seal(now);
		d.mergeState(structuredClone(c.exportState()));
		const one = make();
		for (const e of events) one.apply(e);
		for (const x of [d, one]) x.series.compact();
		for (const w of windows(now)) assert.equal(view(d, w), view(one, w));
		// A replay of a call the merged side had sealed is still a duplicate.
		assert.equal(d.apply(events.find(e => e.tool === 'codex')!), 'duplicate');
	});
});

describe('drill-down into a quiet session', () => {
	it('reads its timeline again from its files: the same calls as before sealing, totals untouched', () => {
		const home = tempHome('burntop-quiet-');
		const t0 = Date.parse('2026-10-01T10:00:00Z');
		const lines = Array.from({length: 30}, (_, i) => claudeAssistant({id: `msg_q${i}`, ts: new Date(t0 + i * 60_000).toISOString(), sessionId: 'quiet-1', cwd: '/home/u/q', input: 10 + i, output: 100 + i, cacheRead: 500 * i, tools: [{name: i % 2 ? 'Edit' : 'Read'}]}));
		write(claudePath(home, '-home-u-q', 'quiet-1.jsonl'), lines);
		write(claudePath(home, '-home-u-busy', 'busy-1.jsonl'), [claudeAssistant({id: 'msg_busy', ts: new Date(t0 + 10 * DAY).toISOString(), sessionId: 'busy-1', output: 7})]);
		const now = t0 + 10 * DAY + HOUR;
		const open = new Engine({env: {home, env: {HOME: home}, platform: process.platform}, clock: () => now});
		open.discover();
		open.scanAll();
		const before = open.sessionDetail('claude-code:quiet-1', now)!;
		assert.equal(before.recent.length, 30);
		const e = new Engine({env: {home, env: {HOME: home}, platform: process.platform}, clock: () => now, sealOld: true});
		e.discover();
		e.scanAll();
		e.aggregate.seal(now);
		assert.equal(e.aggregate.sessions.get('claude-code:quiet-1')!.recent.length, 0, 'nothing of it held in memory');
		const after = e.sessionDetail('claude-code:quiet-1', now)!;
		assert.deepEqual(after, before);
	});
});

describe('session maps and sets', () => {
	it('start as one shared empty map or set, made a session\'s own on the first entry, shared again when sealed quiet', async () => {
		const {emptyMap, emptySet} = await import('../../src/core/records.js');
		const pricer = new Pricer();
		const a = new Aggregate(e => pricer.price(e));
		a.apply({...call(rng(1), 1, T0, 1), cwd: '/p/1'});
		a.apply({...call(rng(2), 2, T0, 2), cwd: '/elsewhere'});
		a.apply({kind: 'error', tool: 'claude-code', sessionId: 's2', project: '/p/2', ts: T0 + 1, dedupeKey: 'err-1', text: 'overloaded'});
		a.apply({kind: 'prompt', tool: 'claude-code', sessionId: 's2', ts: T0 + 2, dedupeKey: 'prompt-1'});
		const [one, two] = [a.sessions.get('claude-code:s1')!, a.sessions.get('claude-code:s2')!];
		assert.equal(one.errors, emptyMap());
		assert.equal(one.prompts, emptyMap());
		assert.equal(one.cwds, emptySet(), 'the working folder is the project');
		assert.notEqual(two.errors, emptyMap());
		assert.deepEqual([...two.errors.keys()], ['err-1']);
		assert.deepEqual([...two.prompts.keys()], ['prompt-1']);
		assert.deepEqual([...two.cwds], ['/elsewhere']);
		assert.throws(() => emptyMap<string, number>().set('x', 1));
		assert.throws(() => emptySet<string>().add('x'));
		// Reloaded: what is empty is shared again; what is not stays.
		const back = new Aggregate(e => pricer.price(e));
		back.importState(structuredClone(a.exportState()));
		assert.equal(back.sessions.get('claude-code:s1')!.errors, emptyMap());
		assert.deepEqual([...back.sessions.get('claude-code:s2')!.errors.keys()], ['err-1']);
		a.apply(call(rng(3), 3, T0 + 10 * DAY, 3)); // Sealing counts back from the newest call.
		a.seal(T0 + 10 * DAY);
		assert.equal(two.prompts, emptyMap(), 'a quiet session lets its prompts go');
		assert.deepEqual([...two.errors.keys()], ['err-1'], 'errors stay');
	});
});

describe('an exported state', () => {
	it('holds views of the rollup columns: imported as it is, the importer copies them (a later change to the exporter does not reach it)', () => {
		const pricer = new Pricer();
		const price = (e: UsageEvent) => pricer.price(e);
		const events = history(9);
		const a = new Aggregate(price);
		for (const e of events.slice(0, 8000)) a.apply(e);
		const now = T0 + 6 * DAY + HOUR;
		a.seal(now);
		const b = new Aggregate(price);
		b.importState(a.exportState());
		const before = windows(now).map(w => view(b, w));
		assert.deepEqual(before, windows(now).map(w => view(a, w)));
		// More calls sealed into a's existing rollups.
		for (const e of events.slice(8000)) a.apply(e);
		a.seal(now);
		assert.notDeepEqual(windows(now).map(w => view(a, w)), before, 'a changed');
		assert.deepEqual(windows(now).map(w => view(b, w)), before, 'b did not');
	});
});

describe('every count, field by field', () => {
	// addTo(), numbers(), sameCounts() and setCounts() name the counts one by one (a loop over their
	// names was a keyed load per count per call): a count added to COUNT_FIELDS must be added to them too.
	it('sameCounts tells a difference in any count; setCounts copies every count; a rollup adds and takes out every count', () => {
		const base = Object.fromEntries(COUNT_FIELDS.map((k, i) => [k, 10 + i])) as unknown as Counts;
		assert.ok(sameCounts(base, {...base}));
		const copied = {...NO_COUNTS};
		setCounts(copied, base);
		assert.deepEqual(copied, base);
		const table = new RollupTable();
		const agg = new Aggregate(() => ({cost: 0, priced: false, approximate: false}));
		agg.apply({kind: 'usage', tool: 'claude-code', sessionId: 's', project: '/p', model: 'm', ts: T0, input: 1, cacheRead: 0, cacheWrite5m: 0, cacheWrite1h: 0, output: 1, reasoning: 0, webSearches: 0, dedupeKey: 'k', replace: 'max-output'});
		const record = {...agg.calls.get('k')!, ...base};
		const at = table.add(record);
		for (const k of COUNT_FIELDS) {
			assert.ok(!sameCounts(base, {...base, [k]: base[k] + 1}), k);
			const before = table.numbers(at, {...base, priced: false, estimated: false});
			table.addTo(at, {...NO_COUNTS, [k]: 5}, 1);
			const after = table.numbers(at, {...base, priced: false, estimated: false});
			for (const j of COUNT_FIELDS) assert.equal(after[j] - before[j], j === k ? 5 : 0, `${k} added, ${j} read`);
			table.addTo(at, {...NO_COUNTS, [k]: 5}, -1);
			assert.ok(sameCounts(table.numbers(at, {...base, priced: false, estimated: false}), before), `${k} taken out`);
		}
	});
});

// npm run bench:soak [-- --events 10000000 --sessions 5000 --days 60] [-- --no-seal]
// Memory under a long run: feeds the live engine 10 million normalised events across 5,000
// sessions, time-compressed over 60 days of call time, as the parsers would emit them:
// calls streamed in two lines (the second with the final output), a resumed session
// replaying its parent's calls, prompts, failing tool results, API errors. Every 100,000
// events the monitor's refresh runs (engine.liveSnapshot: compaction, sealing, snapshot,
// burn rate, loop detection). Prints RSS and heap (after GC) along the way and checks the
// final totals against the generator's own sums.
import process from 'node:process';
import {Engine} from '../src/engine.js';
import type {IngestEvent, UsageEvent} from '../src/core/types.js';

const args = process.argv.slice(2);
const arg = (name: string, dflt: number) => (args.includes(name) ? Number(args[args.indexOf(name) + 1]) : dflt);
const EVENTS = arg('--events', 10_000_000);
const SESSIONS = arg('--sessions', 5000);
const DAYS = arg('--days', 60);
const seal = !args.includes('--no-seal');
const REFRESH = 100_000;
const REPORT = Math.max(REFRESH, Math.floor(EVENTS / 10 / REFRESH) * REFRESH);
const gc = (globalThis as {gc?: () => void}).gc;

const DAY = 86_400_000;
const T0 = Date.parse('2026-06-01T00:00:00Z');
const CONCURRENT = 4;
const perSession = Math.floor(EVENTS / SESSIONS);
const blocks = Math.ceil(SESSIONS / CONCURRENT);
const blockMs = (DAYS * DAY) / blocks;
const step = Math.floor(blockMs / perSession); // ms between a session's events
const MODELS = ['claude-sonnet-4-5-20250929', 'claude-opus-4-6', 'gpt-5.3-codex', 'claude-haiku-4-5-20251001'];

let seed = 42;
const rnd = () => {
	seed = (Math.imul(seed, 1_664_525) + 1_013_904_223) >>> 0;
	return seed / 2 ** 32;
};

const expected = {calls: 0, input: 0, output: 0, cacheRead: 0, cacheWrite: 0};

/** The events of one session, one at a time; usage calls come as two streamed lines. */
function* session(i: number, start: number): Generator<IngestEvent> {
	const tool = i % 3 === 0 ? 'codex' : 'claude-code';
	const sessionId = `soak-${i}`;
	const project = `/home/dev/project-${i % 40}`;
	const model = MODELS[i % MODELS.length]!;
	// Every 50th session is a resume of the previous one: it replays 50 of its calls first.
	let emitted = 0;
	const parent = firstCalls.get(i - 1);
	if (i % 50 === 49 && parent) {
		for (const e of parent.slice(0, Math.min(50, perSession))) {
			emitted++;
			yield {...e, sessionId, ts: start};
		}
	}

	const mine: UsageEvent[] = [];
	firstCalls.set(i, mine);
	firstCalls.delete(i - CONCURRENT * 2);

	for (let k = 0; emitted < perSession; k++) {
		const ts = start + k * step;
		const r = rnd();
		if (k % 10 === 0) {
			emitted++;
			yield {kind: 'prompt', tool, sessionId, ts, dedupeKey: `${sessionId}:p${k}`};
			continue;
		}

		if (r < 0.02) {
			emitted++;
			yield {kind: 'tool-result', tool, sessionId, ts, dedupeKey: `${sessionId}:r${k}`, hash: `h${k % 7}`, text: 'FAIL test/etl.test.ts expected 1200 rows, received 0', error: true};
			continue;
		}

		if (r < 0.025) {
			emitted++;
			yield {kind: 'error', tool, sessionId, project, ts, dedupeKey: `${sessionId}:e${k}`, text: 'API Error: 529 overloaded'};
			continue;
		}

		if (emitted + 2 > perSession) {
			emitted++;
			yield {kind: 'prompt', tool, sessionId, ts, dedupeKey: `${sessionId}:p${k}`};
			continue;
		}

		emitted += 2;
		yield usage(i, tool, sessionId, project, model, ts, k, 1);
		const final = usage(i, tool, sessionId, project, model, ts, k, 2);
		if (mine.length < 50) mine.push(final);
		yield final;
	}
}

/** Each live session's first calls, for the resumed session that replays them. */
const firstCalls = new Map<number, UsageEvent[]>();

function usage(owner: number, tool: 'codex' | 'claude-code', sessionId: string, project: string, model: string, ts: number, k: number, line: 1 | 2): UsageEvent {
	const key = `msg_${owner}_${k}:req_${owner}_${k}`;
	const base = 800 + ((owner * 7919 + k * 104_729) % 4000);
	// Line 1 is the first streamed copy; line 2 has the final output.
	const output = line === 1 ? 1 : base;
	const e: UsageEvent = {
		kind: 'usage', tool, sessionId, project, model, ts, input: 12 + (k % 50), cacheRead: 20_000 + k * 40, cacheWrite5m: 400 + (k % 300),
		cacheWrite1h: 0, output, reasoning: 0, webSearches: 0, dedupeKey: key, replace: 'max-output', tools: k % 4 === 0 ? ['Edit'] : ['Read', 'Grep'],
		turnId: `${sessionId}:${Math.floor(k / 10)}`,
	};
	if (line === 2) {
		// The generator's own sum: one call per key, its final line (replays are not new keys).
		expected.calls++;
		expected.input += e.input;
		expected.cacheRead += e.cacheRead;
		expected.cacheWrite += e.cacheWrite5m;
		expected.output += e.output;
	}

	return e;
}

const mb = (n: number) => (n / 1_048_576).toFixed(0).padStart(5);
const engine = new Engine({env: {home: '/nonexistent', env: {}, platform: process.platform}, stores: []});
engine.discover();
engine.progress.done = true; // Back-fill is over: this is the long live run.
if (!seal) engine.aggregate.seal = () => 0;

console.log(`soak: ${EVENTS.toLocaleString('en')} events, ${SESSIONS.toLocaleString('en')} sessions (${CONCURRENT} at a time), ${DAYS} days of call time, sealing ${seal ? 'on' : 'off'}, gc ${gc ? 'after each report' : 'unavailable (run with --expose-gc)'}`);
console.log(' events      day   rss MB  heap MB  open calls  rollups  sealed-key MB  sessions  refresh ms');
const t0 = performance.now();
let n = 0;
let refreshMs = 0;
let now = T0;
const rssAt: number[] = [];
for (let b = 0; b < blocks && n < EVENTS; b++) {
	const start = T0 + b * blockMs;
	const gens = [];
	for (let j = 0; j < CONCURRENT && b * CONCURRENT + j < SESSIONS; j++) gens.push(session(b * CONCURRENT + j, start));
	// Round-robin: concurrent sessions interleave, each in its own time order.
	while (gens.length > 0) {
		for (let g = gens.length - 1; g >= 0; g--) {
			const next = gens[g]!.next();
			if (next.done) {
				gens.splice(g, 1);
				continue;
			}

			const ev = next.value;
			engine.aggregate.apply(ev);
			if (ev.ts > now) now = ev.ts;
			if (++n % REFRESH === 0) {
				const t = performance.now();
				engine.liveSnapshot(now + 1000);
				refreshMs = performance.now() - t;
			}

			if (n % REPORT === 0) {
				gc?.();
				const m = process.memoryUsage();
				rssAt.push(m.rss);
				const a = engine.aggregate;
				console.log(`${String(n / 1e6).padStart(5)}M ${String(Math.floor((now - T0) / DAY)).padStart(8)} ${mb(m.rss)}    ${mb(m.heapUsed)}  ${String(a.calls.size).padStart(10)} ${String(a.rollupCount).padStart(8)} ${(a.sealedKeyBytes / 1_048_576).toFixed(1).padStart(14)} ${String(a.sessions.size).padStart(9)} ${refreshMs.toFixed(0).padStart(11)}`);
			}
		}
	}
}

const wall = (performance.now() - t0) / 1000;
const snap = engine.liveSnapshot(now + 1000);
const t = snap.totals;
const exact = t.calls === expected.calls && t.inputTokens === expected.input && t.outputTokens === expected.output && t.cacheReadTokens === expected.cacheRead && t.cacheWriteTokens === expected.cacheWrite;
console.log(`\n${n.toLocaleString('en')} events in ${wall.toFixed(1)} s (${Math.round(n / wall).toLocaleString('en')} events/s); ${t.calls.toLocaleString('en')} distinct calls, $${t.costUSD.toFixed(2)}`);
console.log(`totals vs generator: ${exact ? 'exact' : `MISMATCH ${JSON.stringify({got: t, expected})}`}`);
const half = rssAt[Math.floor(rssAt.length / 2) - 1];
if (half) console.log(`RSS at half-way ${mb(half).trim()} MB, at the end ${mb(rssAt.at(-1)!).trim()} MB (${(((rssAt.at(-1)! - half) / half) * 100).toFixed(0)}% over the second half)`);
process.exitCode = exact ? 0 : 1;

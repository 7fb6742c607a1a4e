// Scan workers send events packed (event-codec): what arrives equals what was sent, for every
// event kind and value a parser writes, including shapes that change from event to event.
import assert from 'node:assert/strict';
import path from 'node:path';
import {describe, it} from 'node:test';
import {generate} from '../../bench/generate.js';
import type {IngestEvent} from '../../src/core/types.js';
import {discoverStore} from '../../src/ingest/discover.js';
import {packEvents, unpackEvents} from '../../src/ingest/event-codec.js';
import {StoreReader} from '../../src/ingest/reader.js';
import {ALL_STORES} from '../../src/ingest/stores.js';
import {tempHome} from '../helpers/home.js';

/** JSON drops undefined-valued keys: compare as the aggregate reads them. */
const plain = (events: readonly IngestEvent[]) => JSON.parse(JSON.stringify(events)) as unknown;

describe('event codec', () => {
	it('round-trips every event of a generated history, file by file', () => {
		const dir = tempHome('burntop-codec-');
		generate(dir, 8, 9);
		const home = path.join(dir, 'home');
		const env = {home, env: {HOME: home}, platform: process.platform};
		let batch: IngestEvent[] = [];
		const reader = new StoreReader(ev => batch.push(ev), env);
		let events = 0;
		const kinds = new Set<string>();
		for (const store of ALL_STORES) {
			for (const f of discoverStore(store, env).files) {
				batch = [];
				reader.read(reader.track(store, f), true);
				for (const e of batch) kinds.add(e.kind);
				const packed = packEvents(batch);
				assert.deepEqual(plain(unpackEvents(packed)), plain(batch), f.path);
				events += batch.length;
			}
		}

		// (Rate-limit reports are thinned per read: ~960 events here.)
		assert.ok(events > 800, `${events} events`);
		assert.deepEqual([...kinds].sort(), ['prompt', 'rate-limit', 'tool-result', 'usage']);
	});

	it('keeps numbers, flags, lists, nested objects, unicode and changing shapes', () => {
		const events = [
			{kind: 'usage', tool: 'claude-code', sessionId: 's', project: '/p', model: 'm', ts: 1.5, input: 0, cacheRead: 2 ** 40, cacheWrite5m: 0, cacheWrite1h: 0, output: -0, reasoning: 0, webSearches: 0, dedupeKey: 'k1', replace: 'max-output', tools: ['Bash', 'Edit'], commands: [], sidechain: false, fast: true, prompt: 'héllo \u0000 "quoted" €'},
			{kind: 'usage', tool: 'claude-code', sessionId: 's', project: '/p', model: 'm', ts: 2, input: 1, cacheRead: 0, cacheWrite5m: 0, cacheWrite1h: 0, output: 3, reasoning: 0, webSearches: 0, dedupeKey: 'k2', replace: 'max-output', tools: ['Bash'], commands: ['npm test'], sidechain: true, fast: false, prompt: 'héllo \u0000 "quoted" €'},
			{kind: 'rate-limit', tool: 'codex', sessionId: 's2', ts: 3, primary: {usedPercent: 12.5, windowMinutes: 300, resetsAt: 1_771_864_834_000}},
			{kind: 'usage', tool: 'codex', sessionId: 's2', project: '/q', model: 'gpt', ts: 4, input: 5, cacheRead: 6, cacheWrite5m: 0, cacheWrite1h: 0, output: 7, reasoning: 2, webSearches: 1, dedupeKey: 'k3', replace: 'first', reportedCostUSD: 0.125, preferReportedCost: true, modelGuessed: true},
			{kind: 'tool-result', tool: 'claude-code', sessionId: 's', ts: 5, dedupeKey: 'r', hash: 'abc', text: 'Error: nope', error: true},
			{kind: 'usage', tool: 'claude-code', sessionId: 's', project: '/p', model: 'm', ts: 6, input: 1, cacheRead: 0, cacheWrite5m: 0, cacheWrite1h: 0, output: 3, reasoning: 0, webSearches: 0, dedupeKey: 'k4', replace: 'max-output', tools: ['Bash'], commands: ['npm test'], sidechain: true, fast: false, prompt: 'another'},
		] as unknown as IngestEvent[];
		const back = unpackEvents(packEvents(events));
		assert.deepEqual(plain(back), plain(events));
		assert.equal(Object.is((back[0] as {output: number}).output, -0), true);
		assert.deepEqual(unpackEvents(packEvents([])), []);
	});
});

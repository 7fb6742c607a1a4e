// The parsers' fast paths give exactly what the slow ones would: parseTime against Date.parse,
// relativeParts against path.relative.
import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import path from 'node:path';
import {isoUtc, parseTime, relativeParts} from '../src/ingest/util.js';
import {rng} from './helpers/corpus.js';

describe('parseTime', () => {
	it('equals Date.parse on 100,000 random instants, with and without milliseconds', () => {
		const r = rng(3);
		let fast = 0;
		for (let i = 0; i < 100_000; i++) {
			const t = Math.floor(Date.UTC(1990, 0, 1) + r() * (Date.UTC(2060, 0, 1) - Date.UTC(1990, 0, 1)));
			const iso = new Date(t).toISOString();
			const short = iso.slice(0, 19) + 'Z';
			for (const s of [iso, short]) {
				assert.equal(parseTime(s), Date.parse(s), s);
				if (isoUtc(s) !== undefined) fast++;
			}
		}

		// Days 29–31 go to Date.parse; the rest take the fast path.
		assert.ok(fast > 180_000, `${fast} took the fast path`);
	});

	it('leaves other forms and odd values to Date.parse, with the same result', () => {
		const odd = ['2026-02-30T10:00:00.000Z', '2026-13-01T00:00:00.000Z', '2026-01-01T24:00:00.000Z', '2026-01-01T10:00:60Z', '0099-01-01T00:00:00.000Z',
			'2026-01-01T10:00:00+02:00', '2026-01-01 10:00:00Z', '2026-01-01T10:00:00.1234Z', '2026-01-01', 'Thu, 01 Jan 2026 10:00:00 GMT', '2026-0a-01T10:00:00.000Z', '', 'not a date'];
		for (const s of odd) {
			assert.equal(isoUtc(s), undefined, s);
			const want = Date.parse(s);
			assert.equal(parseTime(s), Number.isNaN(want) ? undefined : want, s);
		}

		assert.equal(parseTime(1_767_225_600), 1_767_225_600_000);
		assert.equal(parseTime(1_767_225_600_000), 1_767_225_600_000);
		assert.equal(parseTime(-5), undefined);
	});
});

describe('relativeParts', () => {
	it('equals path.relative for joined paths and for odd ones', () => {
		const cases: Array<[string, string]> = [
			['/home/u/.claude/projects', '/home/u/.claude/projects/-home-u-app/s.jsonl'],
			['/home/u/.claude/projects', '/home/u/.claude/projects/-p/sess/subagents/agent-1.jsonl'],
			['/home/u/.codex/sessions', '/home/u/.codex/sessions/2026/01/31/rollout-x.jsonl'],
			['/home/u/.codex/sessions/', '/home/u/.codex/sessions/2026/a.jsonl'],
			['/r', '/r/a/../b/c.jsonl'],
			['/r', '/r/./a.jsonl'],
			['/r', '/r//a.jsonl'],
			['/r', '/rx/a.jsonl'],
			['/r', '/elsewhere/a.jsonl'],
		];
		for (const [root, p] of cases) assert.deepEqual(relativeParts({root, path: p}), path.relative(root, p).split(path.sep), `${root} ${p}`);
	});
});

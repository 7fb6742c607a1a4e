// The parsers' fast paths give exactly what the slow ones would: parseTime against Date.parse,
// relativeParts against path.relative.
import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import path from 'node:path';
import {isoUtc, isoUtcBytes, parseTime, relativeParts} from '../../src/ingest/util.js';
import {rng} from '../helpers/corpus.js';

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

		// Every real day of every month takes the fast path.
		assert.equal(fast, 200_000);
	});

	it('equals Date.parse for instants that follow each other within a day and across days, months and years (the kept day start)', () => {
		const r = rng(9);
		let t = Date.UTC(2023, 11, 31, 20, 0, 0);
		let prev = '';
		for (let i = 0; i < 30_000; i++) {
			// Mostly seconds apart, sometimes hours, sometimes back to the day before.
			const x = r();
			t += x < 0.9 ? Math.floor(r() * 5000) : x < 0.97 ? Math.floor(r() * 6 * 3_600_000) : -Math.floor(r() * 30 * 3_600_000);
			const iso = new Date(t).toISOString();
			for (const s of [iso, iso.slice(0, 19) + 'Z', prev]) if (s) assert.equal(parseTime(s), Date.parse(s), s);
			prev = iso;
		}
	});

	it('takes the last days of months and leap days fast, and leaves days a month lacks to Date.parse', () => {
		for (const year of [1999, 2000, 2023, 2024, 2100, 2400]) {
			for (let month = 1; month <= 12; month++) {
				for (let day = 27; day <= 32; day++) {
					const s = `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}T23:59:59.999Z`;
					const want = Date.parse(s);
					const real = new Date(Date.UTC(year, month - 1, day)).getUTCMonth() === month - 1;
					assert.equal(isoUtc(s), real ? want : undefined, s);
					assert.equal(parseTime(s), Number.isNaN(want) ? undefined : want, s);
				}
			}
		}
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

describe('isoUtcBytes', () => {
	it('equals isoUtc on the same text read from bytes at any offset: instants, month ends, odd forms and random one-byte changes', () => {
		const r = rng(5);
		const texts: string[] = ['2026-02-30T10:00:00.000Z', '2026-13-01T00:00:00.000Z', '2026-01-01T24:00:00.000Z', '2026-01-01T10:00:60Z', '0099-01-01T00:00:00.000Z',
			'2026-01-01T10:00:00+02:00', '2026-01-01 10:00:00Z', '2026-01-01T10:00:00.1234Z', '2026-01-01', '', '2024-02-29T23:59:59.999Z', '2023-02-29T00:00:00Z'];
		for (let i = 0; i < 20_000; i++) {
			const iso = new Date(Math.floor(Date.UTC(1990, 0, 1) + r() * (Date.UTC(2060, 0, 1) - Date.UTC(1990, 0, 1)))).toISOString();
			texts.push(iso, iso.slice(0, 19) + 'Z');
		}

		// Each with one byte changed (a digit, a separator, a byte over 127), so every check is met by a failing case.
		const changed = texts.slice(12, 4012).map((t, i) => {
			const at = Math.floor(r() * t.length);
			const by = [48 + Math.floor(r() * 10), 45, 58, 84, 90, 46, 32, 0xc3, Math.floor(r() * 256)][i % 9]!;
			return Buffer.concat([Buffer.from(t.slice(0, at), 'latin1'), Buffer.from([by]), Buffer.from(t.slice(at + 1), 'latin1')]);
		});

		let fast = 0;
		for (const b of [...texts.map(t => Buffer.from(t, 'latin1')), ...changed]) {
			const pad = Math.floor(r() * 7);
			const buf = Buffer.concat([Buffer.from('{"ts":"'.slice(0, pad)), b, Buffer.from('"}9')]);
			const got = isoUtcBytes(buf, pad, b.length);
			assert.equal(got, isoUtc(b.toString('latin1')), b.toString('latin1'));
			if (got !== undefined) fast++;
		}

		assert.ok(fast > 40_000, String(fast));
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

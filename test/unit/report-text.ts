// `burntop --once` as text: tables fit the terminal, and what was left out is named.
import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {renderText} from '../../src/report/text.js';
import {Engine} from '../../src/engine.js';
import {claudeAssistant as a, claudePath, tempHome, write} from '../helpers/home.js';

const NOW = Date.parse('2026-03-10T14:30:00Z');

function snapshot() {
	const h = tempHome();
	for (let i = 0; i < 14; i++) {
		write(claudePath(h, `-home-u-p${i}`, `s${i}.jsonl`), [a({id: `m${i}`, ts: new Date(NOW - 60_000 * (i + 1)).toISOString(), output: 1000 * (i + 1), input: 12_345_678, cacheRead: 98_765_432, cacheWrite: 1_234_567, sessionId: `s-${i}`, cwd: `/home/user/some/rather/long/path/to/the/project-number-${i}`})]);
	}

	const engine = new Engine({env: {home: h, env: {HOME: h}, platform: process.platform}, clock: () => NOW});
	engine.discover();
	engine.scanAll();
	return engine.snapshot({now: NOW}, NOW);
}

describe('text report', () => {
	it('fits the terminal width, leaving out columns by priority and saying which', () => {
		const s = snapshot();
		for (const width of [60, 80, 100]) {
			const text = renderText(s, {width});
			const long = text.split('\n').filter(l => l.length > width && !l.startsWith('(left out') && !l.startsWith('… and') && !l.startsWith('Read '));
			assert.deepEqual(long, [], `${width} columns`);
			assert.match(text, /number-13 /, 'names keep their telling end');
		}

		const narrow = renderText(s, {width: 60});
		assert.match(narrow, /\(left out to fit 60 columns: cache write, input(, output)?/);
		assert.match(narrow.split('\n').find(l => l.startsWith('tool'))!, /calls.*cost$/);
		const wide = renderText(s);
		assert.doesNotMatch(wide, /left out/);
		assert.match(wide, /cache write/);
	});

	it('says how many projects and models were not listed and how to see them', () => {
		const text = renderText(snapshot(), {width: 120});
		assert.match(text, /… and 4 more projects: `burntop export --by project` lists them all/);
		assert.equal(text.split('\n').filter(l => /project-number-/.test(l)).length, 10);
		assert.match(renderText(snapshot(), {limit: 20}), /project-number-13/);
	});
});

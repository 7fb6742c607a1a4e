import assert from 'node:assert/strict';
import {test} from 'node:test';
import {jsonChunks} from '../../src/core/json-chunks.js';

test('jsonChunks: the pieces join to JSON.stringify exactly, each bounded', () => {
	let seed = 7;
	const r = () => ((seed = (Math.imul(seed, 1_103_515_245) + 12_345) >>> 0) / 2 ** 32);
	const leaf = (): unknown => [1.5, -0, 'a"b\\c\u2028é😀', null, undefined, true, {x: undefined, y: [undefined, 2]}, new Date(0), () => 1][Math.floor(r() * 9)];
	for (let round = 0; round < 50; round++) {
		const value: Record<string, unknown> = {};
		for (let k = 0; k < 1 + Math.floor(r() * 8); k++) {
			value[`k${k}"é`] = r() < 0.5 ? Array.from({length: Math.floor(r() * 3000)}, leaf) : leaf();
		}

		const max = 1 + Math.floor(r() * 4096);
		const pieces = [...jsonChunks(value, max)];
		assert.equal(pieces.join(''), JSON.stringify(value), `round ${round}`);
		// A piece passes `max` by at most one element's text.
		for (const p of pieces.slice(0, -1)) assert.ok(p.length < max + 200, `piece of ${p.length} for max ${max}`);
	}
});

test('jsonChunks: an object with no arrays is one piece', () => {
	assert.deepEqual([...jsonChunks({a: 1, b: {c: [1, 2]}, d: undefined})], ['{"a":1,"b":{"c":[1,2]}}']);
	assert.deepEqual([...jsonChunks({})], ['{}']);
});

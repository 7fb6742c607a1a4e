// Large typed arrays on pages of their own (src/core/pages.ts): ordinary typed arrays to every
// user, zeroed, cloned and serialized like any other, also through the index's raw slices.
import assert from 'node:assert/strict';
import v8 from 'node:v8';
import {describe, it} from 'node:test';
import {pages, regrow} from '../src/core/pages.js';
import {SealedCalls} from '../src/core/sealed-calls.js';

describe('pages', () => {
	for (const [Type, n] of [[Float64Array, 100_000], [Uint32Array, 300_001], [Int32Array, 70_000], [Uint8Array, 1_000_003], [Uint32Array, 10]] as const) {
		it(`${Type.name} of ${n}: length, zeroed, written and read, cloned, serialized`, () => {
			const a = pages(Type as Float64ArrayConstructor, n);
			assert.ok(a instanceof Type);
			assert.equal(a.length, n);
			assert.equal(a.byteOffset, 0);
			assert.ok(a.every(x => x === 0));
			for (let i = 0; i < n; i += 997) a[i] = i % 251;
			const clone = structuredClone(a);
			const back = v8.deserialize(v8.serialize(a.subarray(0, n - 1))) as Float64Array;
			for (let i = 0; i < n - 1; i += 997) {
				assert.equal(clone[i], i % 251);
				assert.equal(back[i], i % 251);
			}

			// As the index writes a raw slice: a Buffer over the array's own memory.
			const bytes = Buffer.from(a.buffer, a.byteOffset, a.byteLength);
			assert.equal(bytes.length, n * Type.BYTES_PER_ELEMENT);
		});
	}

	it('a ledger growing through many sizes keeps every row', () => {
		const ledger = new SealedCalls();
		const rows = 120_000;
		for (let i = 0; i < rows; i++) ledger.add(`k${i}`, undefined, {input: i, cacheRead: 0, cacheWrite5m: 0, cacheWrite1h: 0, output: 2 * i, reasoning: 0, webSearches: 0, calls: 1, unrecorded: 0, placeholders: 0, unrecordedNano: 0, nano: 10 * i, premiumRequests: 0, ts: 1_700_000_000_000 + i, at: 1}, 0, i % 7, 0);
		assert.equal(ledger.rows, rows);
		for (const i of [0, 1, 4095, 65_535, 99_999, rows - 1]) {
			const r = ledger.find(`k${i}`);
			assert.notEqual(r, -1);
			assert.equal(ledger.read(r).output, 2 * i);
			assert.equal(ledger.rollup[r], i % 7);
		}
	});

	it('regrow: an array pages() made grows where it is (the old array left detached), values kept', () => {
		const a = pages(Uint32Array, 100_000);
		for (let i = 0; i < a.length; i++) a[i] = i * 3;
		const b = regrow(Uint32Array, a, 250_000);
		assert.equal(b.length, 250_000);
		assert.equal(a.length, 0, 'grown in place: the old view is detached');
		for (let i = 0; i < 100_000; i++) assert.equal(b[i], i * 3);
		for (let i = 100_000; i < 250_000; i++) assert.equal(b[i], 0);
		// Grown again, and once more within its last page.
		const c = regrow(Uint32Array, regrow(Uint32Array, b, 250_001), 1_000_000);
		assert.equal(c[99_999], 99_999 * 3);
		assert.equal(c.length, 1_000_000);
	});

	it('regrow: any other array is copied, and the original left as it was', () => {
		const small = new Float64Array(10).fill(2.5);
		const grown = regrow(Float64Array, small, 70_000);
		assert.equal(small.length, 10);
		assert.equal(grown[9], 2.5);
		assert.equal(grown.length, 70_000);
		// A view that is not at the start of its memory cannot grow there.
		const paged = pages(Int32Array, 100_000);
		const tail = paged.subarray(10);
		const copy = regrow(Int32Array, tail, 200_000);
		assert.equal(paged.length, 100_000);
		assert.equal(copy.length, 200_000);
	});
});

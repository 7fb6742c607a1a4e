// Large typed arrays on pages of their own (src/core/pages.ts): ordinary typed arrays to every
// user, zeroed, cloned and serialized like any other, also through the index's raw slices.
import assert from 'node:assert/strict';
import v8 from 'node:v8';
import {describe, it} from 'node:test';
import path from 'node:path';
import {generate} from '../bench/generate.js';
import {pages} from '../src/core/pages.js';
import {SealedCalls} from '../src/core/sealed-calls.js';
import {Engine} from '../src/engine.js';
import {IndexCache} from '../src/ingest/index-cache.js';
import {tempHome} from './helpers/home.js';

/** A ledger of `rows` calls (`alt`: with alternate keys), through many sizes of its columns. */
function ledgerOf(rows: number, alt = false): SealedCalls {
	const ledger = new SealedCalls();
	for (let i = 0; i < rows; i++) ledger.add(`k${i}`, alt ? `a${i}` : undefined, {input: i, cacheRead: 0, cacheWrite5m: 0, cacheWrite1h: 0, output: 2 * i, reasoning: 0, webSearches: 0, calls: 1, unrecorded: 0, placeholders: 0, unrecordedNano: 0, nano: 10 * i, premiumRequests: 0, ts: 1_700_000_000_000 + i, at: 1}, 0, i % 7, 0);
	return ledger;
}

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
		const rows = 120_000;
		const ledger = ledgerOf(rows);
		assert.equal(ledger.rows, rows);
		for (const i of [0, 1, 4095, 65_535, 99_999, rows - 1]) {
			const r = ledger.find(`k${i}`);
			assert.notEqual(r, -1);
			assert.equal(ledger.read(r).output, 2 * i);
			assert.equal(ledger.rollup[r], i % 7);
		}
	});
});

describe('no ArrayBuffer is ever detached', () => {
	it('a split scan, an index save and a warm start never grow a WebAssembly memory (growing detaches its buffer)', async () => {
		// V8 slows every typed-array access in the process after the first detached ArrayBuffer (a
		// global protector): a Float64Array loop ~40 → 69–117 ms (bench/detach-probe.mjs).
		const dir = tempHome('burntop-detach-');
		generate(dir, 6, 3);
		const home = path.join(dir, 'home');
		const Memory = (globalThis as unknown as {WebAssembly: {Memory: {prototype: {grow(n: number): number}}}}).WebAssembly.Memory;
		const grow = Memory.prototype.grow;
		let grown = 0;
		Memory.prototype.grow = function (this: unknown, n: number) {
			// burntop's own (tsx's module lexer grows its memory as it loads the sources).
			if (new Error('grow').stack!.split('\n')[2]!.includes('/src/')) grown++;
			return grow.call(this, n);
		};
		try {
			// Past the size from which pages() serves its columns, through many growths.
			assert.ok(ledgerOf(120_000, true).bytes > 4 << 20);
			const index = {cache: new IndexCache(path.join(dir, 'index.sqlite')), home, key: 'k'};
			for (let run = 0; run < 2; run++) {
				const e = new Engine({env: {home, env: {HOME: home}, platform: process.platform}, parallelMinBytes: 0, index, sealOld: true});
				e.discover();
				await e.scan();
				assert.ok(e.aggregate.sealedCalls > 100, 'the ledger grew through many sizes');
				e.finish(0);
			}
		} finally {
			Memory.prototype.grow = grow;
		}

		assert.equal(grown, 0);
	});
});

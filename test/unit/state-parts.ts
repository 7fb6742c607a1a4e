// A state cut into parts and put back: over a MessagePort (a store worker's result) and as index rows.
import assert from 'node:assert/strict';
import {MessageChannel, receiveMessageOnPort} from 'node:worker_threads';
import {describe, it} from 'node:test';
import v8 from 'node:v8';
import {postParts, takeParts} from '../../src/ingest/parts-port.js';
import {INDEX_PARTS, MESSAGE_PARTS, PartsJoiner, stateParts} from '../../src/ingest/state-parts.js';
import {pages} from '../../src/core/pages.js';

function sample() {
	// A column with spare capacity (as the ledger's are) and one on WebAssembly pages.
	const spare = new Float64Array(50_000);
	for (let i = 0; i < spare.length; i++) spare[i] = i * 1.5;
	const paged = pages(Uint32Array, 300_000);
	for (let i = 0; i < paged.length; i++) paged[i] = (i * 2_654_435_761) >>> 0;
	return {
		aggregate: {
			sessions: Array.from({length: 1000}, (_, i) => ({key: `s${i}`, models: new Set([`m${i % 3}`]), errors: new Map([[`e${i}`, i]]), recent: Int32Array.from([i, i + 1])})),
			ledger: {rows: 40_000, nums: spare.subarray(0, 40_000), keys: {hi: paged, lo: new Uint16Array(0), size: 7}, wide: [[3, [1, 2]]]},
			small: new Uint8Array([1, 2, 3]),
		},
		files: Array.from({length: 300}, (_, i) => ({path: `/h/f${i}.jsonl`, parser: new Uint8Array(v8.serialize({n: i}))})),
		failed: [],
	};
}

describe('state parts', () => {
	it('over a MessagePort: the same value back, every message small, views sent without their spare capacity', () => {
		const value = sample();
		const {port1, port2} = new MessageChannel();
		postParts(port1, value);
		const j = new PartsJoiner();
		assert.equal(takeParts(port2, j), true);
		port1.close();
		const back = j.value as typeof value;
		assert.deepEqual(back, value);
		assert.equal(back.aggregate.ledger.nums.length, 40_000);
		assert.equal(back.aggregate.ledger.nums.buffer.byteLength >= 40_000 * 8, true);
		assert.ok(back.aggregate.ledger.nums.buffer.byteLength < 50_000 * 8, 'the spare capacity stayed behind');
		for (const [at, v] of stateParts(value, MESSAGE_PARTS)) {
			const bytes = at.endsWith('>') ? (v as Uint8Array).byteLength : v8.serialize(v).length;
			assert.ok(bytes <= 64 * 1024, `${at}: ${bytes} bytes in one message`);
		}
	});

	it('a raw slice travels with its own bytes only, not the buffer it is a view of', () => {
		const {port1, port2} = new MessageChannel();
		postParts(port1, {nums: sample().aggregate.ledger.nums});
		let raw = 0;
		for (let m = receiveMessageOnPort(port2); m && m.message !== null; m = receiveMessageOnPort(port2)) {
			const [at, v] = m.message as [string, Uint8Array];
			if (!at.endsWith('>')) continue;
			raw++;
			assert.ok(v.buffer.byteLength <= MESSAGE_PARTS.chunk, `${at}: a ${v.buffer.byteLength}-byte buffer arrived`);
		}

		port1.close();
		assert.equal(raw, Math.ceil((40_000 * 8) / MESSAGE_PARTS.chunk));
	});

	it('takeParts without the end mark yet: false, and it goes on where it stopped', () => {
		const value = sample();
		const {port1, port2} = new MessageChannel();
		const parts = [...stateParts(value, MESSAGE_PARTS)];
		const j = new PartsJoiner();
		for (const [at, v] of parts.slice(0, 10)) port1.postMessage([at, at.endsWith('>') ? new Uint8Array(v as Uint8Array) : v]);
		assert.equal(takeParts(port2, j), false);
		for (const [at, v] of parts.slice(10)) port1.postMessage([at, at.endsWith('>') ? new Uint8Array(v as Uint8Array) : v]);
		port1.postMessage(null);
		assert.equal(takeParts(port2, j), true);
		port1.close();
		assert.deepEqual(j.value, value);
	});

	it('index rows and messages cut the same value differently and join to the same', () => {
		const value = sample();
		const join = (sizes: typeof INDEX_PARTS) => {
			const j = new PartsJoiner();
			for (const [at, v] of stateParts(value, sizes)) j.add(at, v);
			return j.value;
		};

		assert.ok([...stateParts(value, MESSAGE_PARTS)].length > [...stateParts(value, INDEX_PARTS)].length);
		assert.deepEqual(join(INDEX_PARTS), value);
		assert.deepEqual(join(MESSAGE_PARTS), value);
	});
});

import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import {describe, it} from 'node:test';
import type {IngestEvent} from '../../src/core/types.js';
import {FileCursor} from '../../src/ingest/line-reader.js';
import {compileMarkers} from '../../src/ingest/marker-scan.js';
import type {LineParser} from '../../src/ingest/types.js';
import {tempHome} from '../helpers/home.js';

/** A parser that records the `n` field of each record. */
function recorder(): {parser: LineParser; seen: unknown[]} {
	const seen: unknown[] = [];
	return {seen, parser: {line: (r: any) => seen.push(r.n)}};
}

const MARK = compileMarkers(['"usage"']);
const noop = (_e: IngestEvent) => {};

describe('line reader', () => {
	it('a prefix marker matches only with one of its endings, and matches past non-matching prefixes', () => {
		const {parser, seen} = recorder();
		const c = new FileCursor('x', parser, compileMarkers([{prefix: '"type":"', then: ['token_count"', 'error"']}]));
		const lines = [
			'{"n":1,"type":"event_msg","payload":{"type":"token_count"}}',
			'{"n":2,"type":"event_msg","payload":{"type":"agent_message"}}',
			'{"n":3,"type":"response_item","payload":{"type":"error"}}',
			'{"n":4,"type":"errors"}',
			'{"n":5,"type":"token_counts","x":"\\"type\\":\\"error\\""}',
			'{"n":6,"payload":{"type":"token_count"',
		];
		c.feed(Buffer.from(lines.join('\n')), noop, true);
		assert.deepEqual(seen, [1, 3], 'an unterminated last line is not a record');
	});

	it('parses only lines holding a marker; buffers a partial line until its newline', () => {
		const {parser, seen} = recorder();
		const c = new FileCursor('x', parser, MARK);
		const text = '{"n":1,"usage":1}\n{"n":2}\n{"n":3,"usage":1';
		const consumed = c.feed(Buffer.from(text), noop, false);
		assert.deepEqual(seen, [1]);
		assert.equal(consumed, text.lastIndexOf('\n') + 1);
	});

	it('decodes a multi-byte character split across two reads intact', () => {
		const {parser} = recorder();
		const texts: string[] = [];
		parser.line = (r: any) => texts.push(r.t);
		const file = path.join(tempHome(), 'a.jsonl');
		const line = Buffer.from('{"t":"日本語","usage":1}\n');
		fs.writeFileSync(file, line.subarray(0, 9)); // Cuts inside 日.
		const c = new FileCursor(file, parser, MARK);
		const fd = () => fs.openSync(file, 'r');
		let f = fd();
		c.readTo(f, fs.fstatSync(f).size, noop, false);
		fs.closeSync(f);
		assert.equal(texts.length, 0);
		fs.appendFileSync(file, line.subarray(9));
		f = fd();
		c.readTo(f, fs.fstatSync(f).size, noop, false);
		fs.closeSync(f);
		assert.deepEqual(texts, ['日本語']);
	});

	it('counts invalid JSON and non-JSON lines by reason and keeps reading', () => {
		const {parser, seen} = recorder();
		const c = new FileCursor('x', parser, MARK);
		c.feed(Buffer.from('{"n":1,"usage":1}\n{"usage": broken\nGARBAGE "usage"\n\u0000\u0001\n\n{"n":2,"usage":1}\n'), noop, true);
		assert.deepEqual(seen, [1, 2]);
		assert.deepEqual(Object.fromEntries(c.skips), {'invalid JSON': 1, 'not a JSON object': 2});
	});

	it('uses a whole unterminated last record without consuming it; never consumes a half-written one, reads it whole once finished', () => {
		const {parser, seen} = recorder();
		const c = new FileCursor('x', parser, MARK);
		const whole = c.feed(Buffer.from('{"n":1,"usage":1}\n{"n":2,"usage":1}'), noop, true);
		assert.deepEqual(seen, [1, 2]);
		assert.equal(whole, 18);
		const {parser: p2, seen: s2} = recorder();
		const d = new FileCursor('y', p2, MARK);
		assert.equal(d.feed(Buffer.from('{"n":1,"usage":1}\n{"n":2,"usa'), noop, true), 18);
		assert.deepEqual(s2, [1]);
		assert.equal(d.offset, 18, 'the offset stays at the start of the unfinished line');
		assert.equal(d.unfinished, true);
		assert.equal(d.skips.size, 0, 'not counted as a bad line');
		d.feed(Buffer.from('{"n":2,"usage":1}\n'), noop, true);
		assert.deepEqual(s2, [1, 2]);
		assert.equal(d.unfinished, false);
	});

	it('streams past an over-long line without buffering it and reads the next one', () => {
		const {parser, seen} = recorder();
		const file = path.join(tempHome(), 'big.jsonl');
		const big = 40 * 1024 * 1024;
		const fd0 = fs.openSync(file, 'w');
		fs.writeSync(fd0, '{"n":1,"usage":1}\n{"n":0,"x":"');
		fs.writeSync(fd0, Buffer.alloc(big, 0x61));
		fs.writeSync(fd0, '"}\n{"n":2,"usage":1}\n');
		fs.closeSync(fd0);
		const c = new FileCursor(file, parser, MARK);
		const fd = fs.openSync(file, 'r');
		c.readTo(fd, fs.fstatSync(fd).size, noop, true);
		fs.closeSync(fd);
		assert.deepEqual(seen, [1, 2]);
		assert.equal(c.skips.get('line longer than 32 MB'), 1);
		assert.equal(c.offset, fs.statSync(file).size);
	});

	it('a parser that throws on odd input costs one line, not the file', () => {
		const seen: number[] = [];
		const c = new FileCursor('x', {line: (r: any) => {
			if (r.n === 2) throw new Error('boom');
			seen.push(r.n);
		}}, MARK);
		c.feed(Buffer.from('{"n":1,"usage":1}\n{"n":2,"usage":1}\n{"n":3,"usage":1}\n'), noop, true);
		assert.deepEqual(seen, [1, 3]);
		assert.equal(c.skips.get('parser error: boom'), 1);
	});
});

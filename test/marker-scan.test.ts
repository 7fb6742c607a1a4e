// The WebAssembly marker pass finds exactly what the indexOf pass finds, on random blocks
// built from every store's markers, escaped copies, stray quotes and backslashes, and bytes
// past the end of the block; and whole scans give the same numbers with either pass.
import assert from 'node:assert/strict';
import {spawnSync} from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {describe, it} from 'node:test';
import {builtCli} from './helpers/built-cli.js';
import {generate} from '../bench/generate.js';
import {BLOCK_BYTES, compileMarkers, findHits, findHitsIndexOf, wasmScanner} from '../src/ingest/marker-scan.js';
import {ALL_STORES} from '../src/ingest/stores.js';
import type {Marker} from '../src/ingest/types.js';
import {rng} from './helpers/corpus.js';
import {claudeAssistant, claudePath, tempHome, write} from './helpers/home.js';
import {Engine} from '../src/engine.js';

const ROOT = path.resolve(import.meta.dirname, '..');
const storeMarkers: Array<readonly Marker[]> = ALL_STORES.flatMap(s => (s.kind === 'jsonl' ? [s.markers] : s.kind === 'mixed' ? [s.jsonl.markers] : []));

function wasmHits(bytes: Buffer, markers: ReturnType<typeof compileMarkers>, stale = 0): number[] {
	const block = wasmScanner()!.block;
	block.set(bytes);
	// Bytes after the data are left from earlier reads: they must never make or break a hit.
	block.fill(stale, bytes.length, Math.min(block.length, bytes.length + 64));
	const hits: number[] = [];
	findHits(block.subarray(0, bytes.length), bytes.length, markers, hits);
	return hits;
}

function indexOfHits(bytes: Buffer, markers: ReturnType<typeof compileMarkers>): number[] {
	const hits: number[] = [];
	findHitsIndexOf(bytes, bytes.length, markers, hits);
	return hits;
}

describe('marker pass', () => {
	it('has WebAssembly SIMD here (CI must test that pass, not only the fallback)', () => {
		assert.ok(wasmScanner(), 'WebAssembly SIMD unavailable');
		assert.equal(wasmScanner()!.block.length, BLOCK_BYTES);
	});

	it('counts a marker only at an unescaped quote, wholly inside the block', () => {
		const m = compileMarkers(['"usage"', {prefix: '"type":"', then: ['token_count"', 'error"']}]);
		const text = '{"usage":1}\n{"t":"say \\"usage\\" or \\"usage"}\n{"x":"\\\\","usage":2}\n{"type":"error"}{"type":"other"}{"type":"token_count"';
		// Not the escaped copies in the second line, nor "type":"other".
		const expected = ['"usage":1', '"usage":2', '"type":"error"', '"type":"token_count"'].map(w => text.indexOf(w));
		assert.deepEqual(indexOfHits(Buffer.from(text), m), expected);
		assert.deepEqual(wasmHits(Buffer.from(text), m), expected);
		// Cut inside the last marker: it no longer counts.
		const cut = Buffer.from(text.slice(0, -3));
		assert.deepEqual(wasmHits(cut, m), expected.slice(0, 3));
		assert.deepEqual(indexOfHits(cut, m), expected.slice(0, 3));
	});

	it('finds a marker that straddles the 1 MiB slices the scan works in', () => {
		const m = compileMarkers(['"usage"']);
		for (const at of [1024 * 1024 - 3, 1024 * 1024 - 1, 1024 * 1024, 2 * 1024 * 1024 - 16]) {
			const bytes = Buffer.alloc(2 * 1024 * 1024 + 100, 'a');
			bytes.write('"usage"', at);
			assert.deepEqual(wasmHits(bytes, m), [at]);
		}
	});

	it('equals the indexOf pass on 3,000 random blocks for every store marker list', () => {
		const r = rng(42);
		const pick = <T>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)]!;
		let total = 0;
		for (const list of storeMarkers) {
			const compiled = compileMarkers(list);
			const words = list.flatMap(x => (typeof x === 'string' ? [x] : x.then.map(t => x.prefix + t)));
			const pieces = [...words, ...words.map(w => w.replaceAll('"', '\\"')), ...words.map(w => w.slice(0, 1 + Math.floor(w.length / 2))), '"', '\\', '\\\\', '\\"', '\n', '{', '":"', 'é', '€', ' ', 'usage', 'type', '"user"', '"userType"', '"isSidechain"', '"role":"assistant"', '"types"'];
			for (let n = 0; n < 3000 / storeMarkers.length; n++) {
				const parts: string[] = [];
				const len = Math.floor(r() * 120);
				for (let k = 0; k < len; k++) parts.push(r() < 0.8 ? pick(pieces) : String.fromCharCode(32 + Math.floor(r() * 95)));
				const bytes = Buffer.from(parts.join(''));
				const want = indexOfHits(bytes, compiled);
				assert.deepEqual(wasmHits(bytes, compiled, r() < 0.5 ? 0x22 : 0x5c), want, JSON.stringify(bytes.toString()));
				total += want.length;
			}
		}

		assert.ok(total > 3000, `only ${total} hits: the blocks must hold markers`);
	});

	it('takes every store\'s marker list in the WebAssembly pass (none falls back to indexOf)', () => {
		const block = wasmScanner()!.block;
		block.write('{"type":"user","usage":1}\n');
		for (const list of storeMarkers) assert.equal(wasmScanner()!.find(block.subarray(0, 26), 26, compileMarkers(list), []), true, JSON.stringify(list));
	});

	it('falls back to indexOf for a marker that does not start with a quote', () => {
		const m = compileMarkers(['usage']);
		assert.deepEqual(wasmHits(Buffer.from('a usage b "usage"'), m), [2, 11]);
	});
});

describe('whole scans', () => {
	it('give the same output with the WebAssembly pass and without it (BURNTOP_NO_WASM)', t => {
		// The bundle, as users run it (tsx compiled the sources again in each process).
		const cli = builtCli(t);
		if (!cli) return;
		const dir = tempHome('burntop-wasm-');
		generate(dir, 4, 5);
		const run = (extra: Record<string, string>) => {
			const out = spawnSync(process.execPath, [cli, '--once', '--json', '--no-cache', '--now', '2030-01-01T00:00:00Z'], {env: {...process.env, HOME: path.join(dir, 'home'), CLAUDE_CONFIG_DIR: '', CODEX_HOME: '', ...extra}, encoding: 'utf8', maxBuffer: 1 << 28});
			assert.equal(out.status, 0, out.stderr);
			const j = JSON.parse(out.stdout);
			delete j.generatedAt;
			return j;
		};

		const a = run({});
		const b = run({BURNTOP_NO_WASM: '1'});
		assert.ok(a.totals.calls > 100);
		assert.deepEqual(a, b);
	});

	it('counts calls around and inside lines longer than the 4 MB block (read past the WebAssembly block)', () => {
		const home = tempHome('burntop-wasm-long-');
		const big = claudeAssistant({id: 'm2', ts: '2026-03-01T10:01:00.000Z', output: 20, tools: [{name: 'Write', input: {file_path: '/x', content: 'x'.repeat(9 * 1024 * 1024)}}]});
		write(claudePath(home, '-p', 's.jsonl'), [
			claudeAssistant({id: 'm1', ts: '2026-03-01T10:00:00.000Z', output: 1}),
			big,
			// A tool result of 5 MB that mentions "usage" (escaped): skipped unparsed, not an error.
			{type: 'user', sessionId: 'sess-1', timestamp: '2026-03-01T10:01:30.000Z', message: {role: 'user', content: [{type: 'tool_result', tool_use_id: 't', content: 'the \"usage\": {} '.repeat(300_000)}]}},
			claudeAssistant({id: 'm3', ts: '2026-03-01T10:02:00.000Z', output: 300}),
		]);
		const e = new Engine({env: {home, env: {HOME: home}, platform: process.platform}});
		e.discover();
		e.scanAll();
		const snap = e.snapshot({now: Date.parse('2030-01-01T00:00:00Z')});
		assert.equal(snap.totals.calls, 3);
		assert.equal(snap.totals.outputTokens, 321);
		assert.equal(snap.health.linesSkipped, 0);
	});

	it('the committed WebAssembly matches its source (when wabt is installed)', t => {
		if (spawnSync('wat2wasm', ['--version']).status !== 0) {
			t.skip('wat2wasm not installed (apt-get install wabt)');
			return;
		}

		const out = spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'wasm.mjs'), '--check'], {encoding: 'utf8'});
		assert.equal(out.status, 0, out.stdout + out.stderr);
		assert.ok(fs.existsSync(path.join(ROOT, 'src', 'ingest', 'wasm', 'marker-scan.wat')));
	});
});

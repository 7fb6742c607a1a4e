// THROWAWAY PROTOTYPE (issue 16): usage-walker.wat against JSON.parse on the Claude Code lines a
// cold scan parses (those holding "usage"), same sums required. Not part of burntop.
//   node bench/prototypes/usage-walker.mjs <claude projects folder> [rounds]
import {execFileSync} from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const root = process.argv[2];
const rounds = Number(process.argv[3] ?? 5);
const wasmFile = path.join(os.tmpdir(), `usage-walker-${process.pid}.wasm`);
execFileSync('wat2wasm', ['--enable-all', path.join(import.meta.dirname, 'usage-walker.wat'), '-o', wasmFile]);
const {exports: w} = new WebAssembly.Instance(new WebAssembly.Module(fs.readFileSync(wasmFile)));
fs.rmSync(wasmFile);

// The candidate lines: what the marker pass hands the Claude parser.
const chunks = [];
for (const f of fs.readdirSync(root, {recursive: true})) {
	if (!String(f).endsWith('.jsonl')) continue;
	for (const line of fs.readFileSync(path.join(root, String(f)), 'utf8').split('\n')) if (line.includes('"usage"')) chunks.push(line);
}
const text = chunks.join('\n') + '\n';
const bytes = Buffer.from(text);
console.log(`${chunks.length} lines, ${(bytes.length / 1e6).toFixed(1)} MB`);

const fnv = s => { let h = 0x811c9dc5; for (const c of Buffer.from(s)) h = Math.imul(h ^ c, 0x01000193); return h | 0; };
w.keys(...['type', 'message', 'usage', 'input_tokens', 'output_tokens', 'cache_read_input_tokens', 'cache_creation_input_tokens', 'assistant'].map(fnv));
const BASE = 64;
const need = BASE + bytes.length + 64 + (chunks.length + 1) * 24;
const mem = w.memory;
if (mem.buffer.byteLength < need) mem.grow(Math.ceil((need - mem.buffer.byteLength) / 65536));
const heap = new Uint8Array(mem.buffer);
const OUT = (BASE + bytes.length + 64 + 15) & ~15;

const byParse = (line, sums) => {
	const r = JSON.parse(line);
	if (r.type !== 'assistant' || !r.message || typeof r.message.usage !== 'object' || r.message.usage === null) return;
	const u = r.message.usage;
	sums[0]++;
	sums[1] += u.input_tokens ?? 0;
	sums[2] += u.output_tokens ?? 0;
	sums[3] += u.cache_read_input_tokens ?? 0;
	sums[4] += u.cache_creation_input_tokens ?? 0;
};

function parseAll() {
	const sums = [0, 0, 0, 0, 0];
	// As the reader does: each line decoded from the block, then parsed.
	let start = 0;
	for (let i = bytes.indexOf(10); i !== -1; start = i + 1, i = bytes.indexOf(10, start)) byParse(bytes.toString('utf8', start, i), sums);
	return sums;
}

function walkAll() {
	const sums = [0, 0, 0, 0, 0];
	heap.set(bytes, BASE);
	heap.fill(0, BASE + bytes.length, BASE + bytes.length + 64);
	const n = w.walk(BASE, BASE + bytes.length, OUT);
	const out = new Int32Array(mem.buffer, OUT, n * 6);
	let fallback = 0;
	let start = BASE;
	for (let k = 0; k < n; k++) {
		const flags = out[k * 6];
		const end = out[k * 6 + 5];
		if (flags & 2) {
			fallback++;
			byParse(Buffer.from(mem.buffer, start, end - start).toString('utf8'), sums);
		} else if (flags & 1) {
			sums[0]++;
			sums[1] += out[k * 6 + 1];
			sums[2] += out[k * 6 + 2];
			sums[3] += out[k * 6 + 3];
			sums[4] += out[k * 6 + 4];
		}

		start = end + 1;
	}

	return {sums, fallback};
}

const a = parseAll();
const b = walkAll();
console.log('JSON.parse sums', a.join(' '));
console.log('walker sums    ', b.sums.join(' '), `(${b.fallback} lines by JSON.parse)`);
if (a.join() !== b.sums.join()) throw new Error('sums differ');
// MODE=parse or MODE=walk: only that one, `rounds` times (for --trace-gc-nvp).
const mode = process.env['MODE'];
if (mode) {
	const t = performance.now();
	for (let r = 0; r < rounds; r++) (mode === 'walk' ? walkAll : parseAll)();
	console.log(`${mode} × ${rounds}: ${(performance.now() - t).toFixed(0)} ms`);
	process.exit(0);
}

for (let r = 0; r < rounds; r++) {
	let t = performance.now();
	parseAll();
	const tp = performance.now() - t;
	t = performance.now();
	walkAll();
	const tw = performance.now() - t;
	console.log(`round ${r + 1}: JSON.parse ${tp.toFixed(0)} ms, walker ${tw.toFixed(0)} ms (${((tw * 1e6) / bytes.length).toFixed(2)} ns/byte)`);
}

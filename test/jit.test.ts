// The inlining budget (jit.ts), seen in V8's own trace of its inlining decisions
// (--trace-turbo-inlining): a probe in one process, V8's default before the module the CLI
// imports first and the budget after it, in a worker thread and after a worker's start (which puts
// V8's default young generation back: young-generation.ts), each hot function optimized on demand.
import assert from 'node:assert/strict';
import {spawnSync} from 'node:child_process';
import path from 'node:path';
import {describe, it} from 'node:test';

const HEAP = path.resolve(import.meta.dirname, '..', 'src', 'heap.ts');

/**
 * Two functions of ~80 bytecode bytes each called from `hot` (fresh ones per phase), which is
 * optimized right then (V8's natives: no wait for the tiering, no on-stack replacement of the
 * loop instead, which the trace would show as inlined into another function).
 */
const phase = (hot: string) => `
{
	function first(a, b) { let s = 0; for (let i = 0; i < a; i++) { s += (i * b) % 7; s ^= i << 1; if (s > 1000) s -= 999; s += a > b ? 1 : 2; s += Math.max(a, b) % 3; } return s; }
	function second(a, b) { let s = 0; for (let i = 0; i < b; i++) { s += (i * a) % 5; s ^= i << 2; if (s > 900) s -= 899; s += a > b ? 3 : 4; s += Math.min(a, b) % 3; } return s; }
	function ${hot}(x) { return first(x & 7, 3) + second(3, x & 7); }
	%PrepareFunctionForOptimization(${hot});
	let t = 0;
	for (let i = 0; i < 100; i++) t += ${hot}(i);
	%OptimizeFunctionOnNextCall(${hot});
	t += ${hot}(5);
	console.log(t);
}
`;

describe('inlining budget', () => {
	it('is applied by the module the CLI imports first, and holds in a worker thread and after one starts: one of two mid-sized callees is inlined, both before it', () => {
		const inWorker = `${phase('inWorker')}\nimport('node:worker_threads').then(w => w.parentPort.postMessage('done'));`;
		const probe = `${phase('before')}
await import(${JSON.stringify(HEAP)});
const {Worker} = await import('node:worker_threads');
const worker = new Worker(${JSON.stringify(inWorker)}, {eval: true});
await new Promise((resolve, reject) => { worker.once('message', resolve); worker.once('error', reject); });
await worker.terminate();
${phase('after')}`;
		const r = spawnSync(process.execPath, ['--allow-natives-syntax', '--trace-turbo-inlining', '--import', 'tsx', '--input-type=module', '-e', probe], {encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, env: {...process.env, BURNTOP_JIT_DEFAULTS: ''}});
		assert.equal(r.status, 0, r.stderr);
		const into = (hot: string) => [...r.stdout.matchAll(new RegExp(`^Inlining .*<SharedFunctionInfo (\\w+)>\\} into .*<SharedFunctionInfo ${hot}>\\}$`, 'gm'))].map(m => m[1]!).sort();
		assert.deepEqual(into('before'), ['first', 'second']);
		for (const hot of ['inWorker', 'after']) assert.equal(into(hot).length, 1, `inlined into ${hot}: ${into(hot).join(', ')}`);
	});
});

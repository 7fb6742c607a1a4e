// The inlining budget (jit.ts): what the CLI applies at start, seen in V8's own trace of the
// inlining decisions (--trace-turbo-inlining), against V8's default (BURNTOP_JIT_DEFAULTS=1).
import assert from 'node:assert/strict';
import {spawnSync} from 'node:child_process';
import path from 'node:path';
import {describe, it} from 'node:test';
import {generate} from '../bench/generate.js';
import {builtCli} from './helpers/built-cli.js';
import {tempHome} from './helpers/home.js';

const HEAP = path.resolve(import.meta.dirname, '..', 'src', 'heap.ts');

/** Two functions of ~80 bytecode bytes each called from one hot function; which of them TurboFan inlines into it. */
const PROBE = `
await import(${JSON.stringify(HEAP)});
function first(a, b) { let s = 0; for (let i = 0; i < a; i++) { s += (i * b) % 7; s ^= i << 1; if (s > 1000) s -= 999; s += a > b ? 1 : 2; s += Math.max(a, b) % 3; } return s; }
function second(a, b) { let s = 0; for (let i = 0; i < b; i++) { s += (i * a) % 5; s ^= i << 2; if (s > 900) s -= 899; s += a > b ? 3 : 4; s += Math.min(a, b) % 3; } return s; }
function hot(x) { return first(x & 7, 3) + second(3, x & 7); }
let t = 0;
for (let i = 0; i < 2e6; i++) t += hot(i);
console.log(t);
`;

function inlinedIntoHot(env: Record<string, string>): string[] {
	const r = spawnSync(process.execPath, ['--trace-turbo-inlining', '--import', 'tsx', '--input-type=module', '-e', PROBE], {encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, env: {...process.env, BURNTOP_JIT_DEFAULTS: '', ...env}});
	assert.equal(r.status, 0, r.stderr);
	return [...r.stdout.matchAll(/^Inlining .*<SharedFunctionInfo (\w+)>\} into .*<SharedFunctionInfo hot>\}$/gm)].map(m => m[1]!).sort();
}

describe('inlining budget', () => {
	it('is applied by the module the CLI imports first: one of two mid-sized callees is inlined, not both', () => {
		assert.deepEqual(inlinedIntoHot({BURNTOP_JIT_DEFAULTS: '1'}), ['first', 'second']);
		const ours = inlinedIntoHot({});
		assert.equal(ours.length, 1, `inlined: ${ours.join(', ')}`);
	});

	it('makes a cold scan inline less, on the main thread and in the store worker', t => {
		const cli = builtCli(t);
		if (!cli) return;

		const dir = tempHome('burntop-jit-');
		generate(dir, 8, 3);
		const home = path.join(dir, 'home');
		const run = (extra: Record<string, string>) => {
			const r = spawnSync(process.execPath, ['--trace-turbo-inlining', cli, '--once', '--json', '--no-cache'], {encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, env: {...process.env, HOME: home, CLAUDE_CONFIG_DIR: '', CODEX_HOME: '', BURNTOP_JIT_DEFAULTS: '', BURNTOP_TIMING: '1', BURNTOP_PARALLEL_MIN_BYTES: '0', ...extra}});
			assert.equal(r.status, 0, r.stderr);
			assert.match(r.stderr, /^burntop timing: scan split,/m);
			return r.stdout.match(/^Inlining /gm)?.length ?? 0;
		};

		const ours = run({});
		const defaults = run({BURNTOP_JIT_DEFAULTS: '1'});
		// Measured 39 against 57–61 (under load too): the budget, not the run, decides.
		assert.ok(ours > 0 && ours <= 0.8 * defaults, `inlined ${ours} times, ${defaults} with V8's default`);
	});
});

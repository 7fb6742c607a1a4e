// V8's young-generation setting (young-generation.ts) survives the worker threads of a split
// cold scan: starting a worker puts V8's default back for the whole process, and the main
// thread's new space then grew from 2 to 32 MB during the scan (+29 MB peak on 1 GB). Checked on
// the bundle, as users run it: from source, tsx's loader thread resets the setting again.
import assert from 'node:assert/strict';
import {spawnSync} from 'node:child_process';
import path from 'node:path';
import {describe, it} from 'node:test';
import v8 from 'node:v8';
import {startWorker} from '../src/ingest/parallel.js';
import {keepYoungGenerationSmall, whileWorkersStart} from '../src/young-generation.js';
import {generate} from '../bench/generate.js';
import {builtCli} from './helpers/built-cli.js';
import {tempHome} from './helpers/home.js';

describe('young generation during a split scan', () => {
	/** One generated history (24 MB: Claude Code and Codex) for both checks. */
	let generated: string | undefined;
	const history = () => {
		if (!generated) {
			const dir = tempHome('burntop-young-');
			generate(dir, 24, 3);
			generated = path.join(dir, 'home');
		}

		return generated;
	};

	it('stays at its first size on the main thread while a worker reads another store', t => {
		const cli = builtCli(t);
		if (!cli) return;

		const home = history();
		const run = (extra: Record<string, string>) => {
			const r = spawnSync(process.execPath, [cli, '--once', '--json', '--no-cache'], {encoding: 'utf8', env: {...process.env, HOME: home, CLAUDE_CONFIG_DIR: '', CODEX_HOME: '', BURNTOP_GC_DEFAULTS: '', BURNTOP_TIMING: '1', BURNTOP_PARALLEL_MIN_BYTES: '0', ...extra}});
			assert.equal(r.status, 0, r.stderr);
			const m = /^burntop timing: scan (\w+), V8 new space ([\d.]+) MB$/m.exec(r.stderr);
			assert.ok(m, r.stderr);
			return {mode: m[1], newSpaceMB: Number(m[2])};
		};

		// Two 1 MB semi-spaces, or 2 MB if it grew once in the block this thread was reading when
		// the worker's start reset the setting (re-applied after each block while a worker starts).
		const ours = run({});
		assert.equal(ours.mode, 'split');
		assert.ok(ours.newSpaceMB <= 4, `new space ${ours.newSpaceMB} MB`);
		// V8's defaults grow it further on the same scan (up to 16 MB semi-spaces on 1 GB).
		assert.ok(run({BURNTOP_GC_DEFAULTS: '1'}).newSpaceMB >= 2 * ours.newSpaceMB);
	});

	it('scavenges without helper tasks, on the main thread and the worker', t => {
		const cli = builtCli(t);
		if (!cli) return;

		const home = history();
		/** Scavenges of a split scan, and how many of them helper tasks worked on (V8's --trace-gc-nvp). */
		const scavenges = (extra: Record<string, string>) => {
			const r = spawnSync(process.execPath, ['--trace-gc-nvp', cli, '--once', '--json', '--no-cache'], {encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, env: {...process.env, HOME: home, CLAUDE_CONFIG_DIR: '', CODEX_HOME: '', BURNTOP_GC_DEFAULTS: '', BURNTOP_PARALLEL_MIN_BYTES: '0', ...extra}});
			assert.equal(r.status, 0, r.stderr);
			const helped = [...r.stdout.matchAll(/gc=s .*?background\.scavenge\.parallel=([\d.]+)/g)].map(m => Number(m[1]));
			return {all: helped.length, helped: helped.filter(ms => ms > 0).length};
		};

		const ours = scavenges({});
		assert.ok(ours.all > 20, `${ours.all} scavenges`);
		assert.equal(ours.helped, 0);
		// V8's defaults do use them on the same scan: the check can see it.
		assert.ok(scavenges({BURNTOP_GC_DEFAULTS: '1'}).helped > 0);
	});

	it('is re-applied after each block only until a starting worker runs, with no event handled meanwhile', async () => {
		const set = v8.setFlagsFromString;
		let calls = 0;
		v8.setFlagsFromString = (flags: string) => {
			calls++;
			set(flags);
		};
		try {
			keepYoungGenerationSmall();
			const worker = startWorker(new URL('helpers/started-worker.ts', import.meta.url), {});
			// The main thread reading synchronously: a block every millisecond, no event handled (no
			// 'online'). It sleeps instead of reading, leaving the cores to the starting worker.
			const sleeper = new Int32Array(new SharedArrayBuffer(4));
			const pause = () => Atomics.wait(sleeper, 0, 0, 1);

			calls = 0;
			const deadline = performance.now() + 20_000;
			let quiet = 0;
			while (quiet < 200 && performance.now() < deadline) {
				const before = calls;
				whileWorkersStart();
				quiet = calls === before ? quiet + 1 : 0;
				pause();
			}

			// Re-applied while the worker started (tsx's loader makes that hundreds of milliseconds here), then never again.
			assert.ok(calls > 0 && quiet === 200, `${calls} re-applications, ${quiet} blocks since the last`);
			await worker.terminate();
		} finally {
			v8.setFlagsFromString = set;
		}
	});
});


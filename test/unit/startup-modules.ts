// What a start loads: worker_threads only when a scan uses workers (~3 ms of every start else),
// better-sqlite3 only for an index or a SQLite store (~6–10 ms).
import assert from 'node:assert/strict';
import {spawnSync} from 'node:child_process';
import path from 'node:path';
import {describe, it} from 'node:test';
import {builtCli} from '../helpers/built-cli.js';
import {claudeAssistant, claudePath, tempHome, write} from '../helpers/home.js';

/** The built-in modules a `--once --json` run of the bundled CLI loaded. */
function builtins(cli: string, home: string, cache: string): string[] {
	const script = `process.on('exit', () => process.stderr.write('\\nLOADED ' + JSON.stringify(process.moduleLoadList)));
process.argv.splice(1, process.argv.length - 1, 'burntop', '--once', '--json');
await import(${JSON.stringify(cli)});`;
	const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], {encoding: 'utf8', env: {...process.env, HOME: home, XDG_CACHE_HOME: cache, CLAUDE_CONFIG_DIR: '', CODEX_HOME: ''}});
	assert.equal(r.status, 0, r.stderr);
	assert.ok(JSON.parse(r.stdout).totals, 'a snapshot was written');
	return JSON.parse(r.stderr.split('\nLOADED ')[1]!) as string[];
}

describe('start-up modules', () => {
	it('a start with no history, a first run and a warm start never load worker_threads', t => {
		const cli = builtCli(t);
		if (!cli) return;
		const empty = tempHome('burntop-modules-empty-');
		assert.ok(!builtins(cli, empty, path.join(empty, 'cache')).some(m => m.includes('worker_threads')));
		const home = tempHome('burntop-modules-');
		write(claudePath(home, '-p', 's1.jsonl'), [claudeAssistant({id: 'm1', requestId: 'r1', ts: '2026-03-01T10:00:00Z', sessionId: 's1', output: 10})]);
		const cache = path.join(home, 'cache');
		for (const run of ['first', 'warm']) {
			const loaded = builtins(cli, home, cache);
			assert.ok(loaded.includes('NativeModule fs'), `${run}: the list is real`);
			assert.deepEqual(loaded.filter(m => m.includes('worker_threads')), [], run);
		}
	});

	it('better-sqlite3 loads only for the index or a SQLite store', t => {
		const cli = builtCli(t);
		if (!cli) return;
		const home = tempHome('burntop-modules-sqlite-');
		write(claudePath(home, '-p', 's1.jsonl'), [claudeAssistant({id: 'm1', requestId: 'r1', ts: '2026-03-01T10:00:00Z', sessionId: 's1', output: 10})]);
		const loads = (args: string[]) => {
			const script = `const M = (await import('node:module')).default;
process.on('exit', () => process.stderr.write('\\nSQLITE ' + Object.keys(M._cache).some(k => k.includes('better-sqlite3'))));
process.argv.splice(1, process.argv.length - 1, 'burntop', ...${JSON.stringify(args)});
await import(${JSON.stringify(cli)});`;
			const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], {encoding: 'utf8', env: {...process.env, HOME: home, XDG_CACHE_HOME: path.join(home, 'cache'), CLAUDE_CONFIG_DIR: '', CODEX_HOME: ''}});
			assert.equal(r.status, 0, r.stderr);
			assert.equal(JSON.parse(r.stdout).totals.calls, 1);
			return r.stderr.split('\nSQLITE ')[1] === 'true';
		};

		assert.equal(loads(['--once', '--json', '--no-cache']), false, 'no index, no SQLite store');
		assert.equal(loads(['--once', '--json']), true, 'the index is SQLite');
	});
});

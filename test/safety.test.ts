// The stores are never written: after a full run (--once, doctor, --watch, the live engine) over
// a writable copy of the fixture home, every file has the same bytes and mtime, and no file
// was added (no SQLite -wal/-shm/-journal beside a database).
import assert from 'node:assert/strict';
import {spawn} from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import {describe, it} from 'node:test';
import {builtCli} from './helpers/built-cli.js';
import Database from 'better-sqlite3';
import {Engine} from '../src/engine.js';
import {FIXTURE_HOME, runCli, sharedAvailable, tempHome} from './helpers/home.js';

const ROOT = path.resolve(import.meta.dirname, '..');

function fingerprint(dir: string): Map<string, string> {
	const out = new Map<string, string>();
	const walk = (d: string): void => {
		for (const e of fs.readdirSync(d, {withFileTypes: true})) {
			const p = path.join(d, e.name);
			if (e.isDirectory()) walk(p);
			else out.set(path.relative(dir, p), `${crypto.createHash('sha256').update(fs.readFileSync(p)).digest('hex')} ${fs.statSync(p).mtimeMs}`);
		}
	};

	walk(dir);
	return out;
}

describe('safety: the stores are read, never written', {skip: !sharedAvailable() && 'needs ../shared'}, () => {
	it('checksums, mtimes and the file list are unchanged after --once, doctor, --watch and live tailing', async t => {
		// The bundled CLI, as users run it.
		const cli = builtCli(t);
		if (!cli) return;
		const home = tempHome('burntop-safety-');
		fs.cpSync(FIXTURE_HOME, home, {recursive: true, preserveTimestamps: true});
		for (const f of [...fingerprint(home).keys()]) fs.chmodSync(path.join(home, f), 0o644);
		// A WAL-mode database without sidecars, as a stopped OpenCode leaves it.
		const kilo = path.join(home, '.local', 'share', 'kilo');
		fs.mkdirSync(kilo, {recursive: true});
		const db = new Database(path.join(kilo, 'kilo.db'));
		db.pragma('journal_mode = WAL');
		db.exec('CREATE TABLE session (id TEXT, directory TEXT); CREATE TABLE message (id TEXT, session_id TEXT, time_created INTEGER, time_updated INTEGER, data TEXT); CREATE TABLE part (id TEXT, message_id TEXT, session_id TEXT, time_created INTEGER, time_updated INTEGER, data TEXT);');
		db.close();
		const before = fingerprint(home);
		assert.ok([...before.keys()].every(k => !/-(wal|shm)$/.test(k)), 'no sidecars to start with');

		// burntop's own files (alert log, index) live outside the store folders.
		const env = {HOME: home, XDG_STATE_HOME: path.join(tempHome(), 'state'), XDG_CACHE_HOME: path.join(tempHome(), 'cache')};
		assert.equal((await runCli(['--once', '--json'], env)).code, 0);
		assert.equal((await runCli(['doctor'], env)).code, 0);
		const child = spawn(process.execPath, [cli, '--watch', '--json', '--interval', '100'], {cwd: ROOT, env: {...process.env, ...env, CLAUDE_CONFIG_DIR: '', CODEX_HOME: ''}, stdio: ['ignore', 'pipe', 'ignore']});
		let lines = 0;
		child.stdout.on('data', d => (lines += String(d).split('\n').length - 1));
		await new Promise(r => setTimeout(r, 2500));
		child.kill('SIGTERM');
		await new Promise(r => child.on('exit', r));
		assert.ok(lines > 0);
		const e = new Engine({env: {home, env, platform: process.platform}});
		e.discover();
		await e.startLive(() => {}, {sweepMs: 200, fullSweepMs: 400});
		await e.backfill();
		await new Promise(r => setTimeout(r, 600));
		await e.close();

		const after = fingerprint(home);
		assert.deepEqual([...after.keys()].sort(), [...before.keys()].sort(), 'no file added or removed');
		for (const [f, print] of before) assert.equal(after.get(f), print, `${f} changed`);
	});
});

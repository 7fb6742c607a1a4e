// Chaos: a separate writer process appends in random chunks, copy-truncates (rotation), renames
// files away and continues in a new one (new inode), and creates and deletes duplicate copies,
// while the real live tailer (chokidar, settle re-reads, stat sweep) follows. Deleted copies only
// ever hold records that also live elsewhere, so the end state must equal a cold scan exactly.
import assert from 'node:assert/strict';
import {spawn} from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {after, describe, it} from 'node:test';
import {Engine} from '../src/engine.js';
import {claudeSession, rng} from './helpers/corpus.js';
import {scanHome, tempHome} from './helpers/home.js';

const WRITER = `
const fs = require('fs'), path = require('path');
const [dir, planFile, seedArg] = process.argv.slice(1);
const plan = JSON.parse(fs.readFileSync(planFile, 'utf8'));
let a = Number(seedArg) >>> 0;
const r = () => { a = (a + 0x6d2b79f5) >>> 0; let t = a; t = Math.imul(t ^ (t >>> 15), t | 1); t ^= t + Math.imul(t ^ (t >>> 7), t | 61); return ((t ^ (t >>> 14)) >>> 0) / 4294967296; };
const files = plan.map((p, i) => ({name: path.join(dir, 'f' + i + '.jsonl'), bytes: Buffer.from(p), at: 0, gen: 0}));
const copies = [];
let k = 0;
const step = () => {
  const open = files.filter(f => f.at < f.bytes.length);
  if (open.length === 0) { for (const c of copies) fs.rmSync(c, {force: true}); process.exit(0); }
  const f = open[Math.floor(r() * open.length)];
  const roll = r();
  if (roll < 0.04 && f.at > 0) {
    // copytruncate: the old part moves to a rotated file, the original starts empty.
    fs.copyFileSync(f.name, f.name.replace('.jsonl', '-rot' + (k++) + '.jsonl'));
    fs.truncateSync(f.name, 0);
    f.bytes = f.bytes.subarray(f.at); f.at = 0;
  } else if (roll < 0.07 && f.at > 0) {
    // Rename away and continue in a new file (new inode) under the same name.
    fs.renameSync(f.name, f.name.replace('.jsonl', '-old' + (k++) + '.jsonl'));
    f.bytes = f.bytes.subarray(f.at); f.at = 0;
    fs.writeFileSync(f.name, '');
  } else if (roll < 0.10 && f.at > 0) {
    // A duplicate copy (like a resume replay), deleted later: its records exist elsewhere.
    const c = f.name.replace('.jsonl', '-dup' + (k++) + '.jsonl');
    fs.copyFileSync(f.name, c);
    copies.push(c);
  } else if (roll < 0.13 && copies.length > 0) {
    fs.rmSync(copies.splice(Math.floor(r() * copies.length), 1)[0], {force: true});
  } else {
    const n = Math.min(f.bytes.length - f.at, 1 + Math.floor(r() * (r() < 0.5 ? 60 : 900)));
    fs.appendFileSync(f.name, f.bytes.subarray(f.at, f.at + n));
    f.at += n;
  }
  setTimeout(step, Math.floor(r() * 6));
};
step();
`;

const engines: Engine[] = [];
after(async () => Promise.all(engines.map(e => e.close())));

const view = (t: {calls: number; inputTokens: number; outputTokens: number; cacheReadTokens: number; cacheWriteTokens: number; costUSD: number}) =>
	`${t.calls}/${t.inputTokens}/${t.outputTokens}/${t.cacheReadTokens}/${t.cacheWriteTokens}/${t.costUSD}`;

/** One seed: a home, a writer following its plan, the live engine following the writer; equal to a cold scan at the end. */
async function chaos(seed: number): Promise<void> {
	const home = tempHome('burntop-chaos-');
	const dir = path.join(home, '.claude', 'projects', '-chaos');
	fs.mkdirSync(dir, {recursive: true});
	const r = rng(seed);
	const plan = Array.from({length: 4}, (_, i) => claudeSession(r, `s${i}`, 15 + Math.floor(r() * 20), Date.parse('2026-03-01T10:00:00Z'), `c${seed}-${i}-`).map(l => l + '\n').join(''));
	const planFile = path.join(home, 'plan.json');
	fs.writeFileSync(planFile, JSON.stringify(plan));

	const e = new Engine({env: {home, env: {HOME: home}, platform: process.platform}});
	engines.push(e);
	e.discover();
	await e.startLive(() => {}, {sweepMs: 300, fullSweepMs: 1000});
	await e.backfill();
	const writer = spawn(process.execPath, ['-e', WRITER, dir, planFile, String(seed)], {stdio: 'inherit'});
	const code = await new Promise(res => writer.on('exit', res));
	assert.equal(code, 0);

	const now = Date.parse('2030-01-01T00:00:00Z');
	const cold = view(scanHome(home, {}, now).totals);
	// Let the watcher and the sweeps catch up, then compare.
	const start = Date.now();
	let live = '';
	while (Date.now() - start < 10_000) {
		live = view(e.snapshot({now}).totals);
		if (live === cold) break;
		await new Promise(res => setTimeout(res, 100));
	}

	assert.equal(live, cold, `seed ${seed}`);
	assert.ok(Number(cold.split('/')[0]) > 40, `seed ${seed}`);
}

describe('chaos: live tailing against a writer that appends, rotates, renames and deletes', () => {
	// The seeds run side by side (each has its own home, writer and engine): the writers mostly wait.
	it('seeds 11, 22 and 33 each end equal to a cold scan', async () => {
		await Promise.all([11, 22, 33].map(chaos));
	});
});

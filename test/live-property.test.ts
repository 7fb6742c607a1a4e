// Property: however the bytes arrive (random chunk sizes that split lines and multi-byte
// characters, copy-truncate rewrites, files appearing mid-run, reads that miss events), the
// live totals end equal to a cold scan of the same files.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import {describe, it} from 'node:test';
import {Engine} from '../src/engine.js';
import {Tailer} from '../src/ingest/tailer.js';
import type {Snapshot} from '../src/core/snapshot.js';
import {claudeSession, codexRollout, int, rng} from './helpers/corpus.js';
import {claudePath, codexPath, scanHome, tempHome} from './helpers/home.js';

type Target = {path: string; bytes: Buffer; written: number};

function plan(r: () => number, home: string): Target[] {
	const t0 = Date.parse('2026-03-01T09:00:00Z');
	const targets: Target[] = [];
	const nClaude = int(r, 1, 4);
	let first: string[] = [];
	for (let i = 0; i < nClaude; i++) {
		const sid = `sess${i}-${int(r, 0, 9999)}`;
		// Sometimes a resumed session replays the first one's lines.
		const replay = i > 0 && r() < 0.4 ? first.slice(0, int(r, 1, first.length)) : [];
		const lines = claudeSession(r, sid, int(r, 2, 25), t0 + i * 1000, `m${i}-`, replay);
		if (i === 0) first = lines;
		// The second session lives in a linked project folder: the watcher and the cold scan both follow it.
		if (i === 1) {
			const elsewhere = tempHome('burntop-prop-linked-');
			fs.mkdirSync(path.join(home, '.claude', 'projects'), {recursive: true});
			fs.symlinkSync(elsewhere, path.join(home, '.claude', 'projects', '-linked'));
		}

		const file = i === 2 ? claudePath(home, '-p0', path.join(sid, 'subagents', 'agent-a.jsonl')) : i === 1 ? claudePath(home, '-linked', `${sid}.jsonl`) : claudePath(home, `-p${i % 2}`, `${sid}.jsonl`);
		targets.push({path: file, bytes: Buffer.from(lines.map(l => l + '\n').join('')), written: 0});
	}

	for (let i = 0; i < int(r, 1, 3); i++) {
		const id = `019c0000-0000-7000-8000-${String(100000000000 + int(r, 0, 99999999)).slice(0, 12)}`;
		targets.push({path: codexPath(home, `rollout-2026-03-01T09-00-0${i}-${id}.jsonl`), bytes: Buffer.from(codexRollout(r, id, int(r, 2, 20), t0).map(l => l + '\n').join('')), written: 0});
	}

	return targets;
}

const view = (s: Snapshot) => ({
	totals: s.totals,
	tools: s.tools,
	sessions: s.sessions.map(x => ({id: x.sessionId, calls: x.calls, input: x.inputTokens, output: x.outputTokens, read: x.cacheReadTokens, write: x.cacheWriteTokens, cost: x.costUSD})).sort((a, b) => a.id.localeCompare(b.id)),
});

async function runSeed(seed: number): Promise<void> {
	const r = rng(seed);
	const home = tempHome('burntop-prop-');
	fs.mkdirSync(path.join(home, '.claude', 'projects'), {recursive: true});
	fs.mkdirSync(path.join(home, '.codex', 'sessions'), {recursive: true});
	const env = {home, env: {HOME: home}, platform: process.platform};
	const engine = new Engine({env});
	engine.discover();
	const tailer = new Tailer({reader: engine.reader, stores: engine.stores, env, onRead: () => {}});
	const targets = plan(r, home);
	const storeFor = (p: string) => engine.stores[p.includes(`${path.sep}.codex${path.sep}`) ? 1 : 0]!;

	while (targets.some(t => t.written < t.bytes.length)) {
		const t = targets[int(r, 0, targets.length - 1)]!;
		if (t.written >= t.bytes.length) continue;
		const roll = r();
		if (roll < 0.01 && t.written > 0) {
			// copytruncate-style rotation: emptied, then written again from the start.
			fs.truncateSync(t.path, 0);
			t.written = 0;
		} else {
			const n = Math.min(t.bytes.length - t.written, int(r, 1, roll < 0.5 ? 40 : 700));
			fs.mkdirSync(path.dirname(t.path), {recursive: true});
			fs.appendFileSync(t.path, t.bytes.subarray(t.written, t.written + n));
			t.written += n;
		}

		const read = r();
		if (read < 0.6) {
			const sf = {path: t.path, root: path.join(home, t.path.includes('.codex') ? '.codex/sessions' : '.claude/projects'), priority: 0};
			engine.reader.read(engine.reader.track(storeFor(t.path), sf), false);
		} else if (read < 0.65) {
			tailer.sweep(true);
		}
	}

	tailer.sweep(true);
	const now = Date.parse('2030-01-01T00:00:00Z');
	const liveSnap = engine.snapshot({now}, now);
	const cold = scanHome(home, {}, now);
	// Compare as text: a structural diff of two large snapshots takes minutes to print.
	const [l, c] = [JSON.stringify(view(liveSnap)), JSON.stringify(view(cold))];
	if (l !== c) {
		const at = [...l].findIndex((ch, i) => ch !== c[i]);
		assert.fail(`seed ${seed}: live differs from cold at char ${at}:\n live …${l.slice(Math.max(0, at - 120), at + 120)}\n cold …${c.slice(Math.max(0, at - 120), at + 120)}`);
	}

	assert.ok(cold.totals.calls > 0);
	await tailer.close();
	fs.rmSync(home, {recursive: true, force: true});
}

describe('a copy-truncated file grown past the offset before the next read', () => {
	it('is read again from its start: its new lines count (same totals as a cold scan)', () => {
		const home = tempHome('burntop-rotate-');
		const r = rng(7);
		const file = claudePath(home, '-p', 's.jsonl');
		fs.mkdirSync(path.dirname(file), {recursive: true});
		const lines = claudeSession(r, 's', 12, Date.parse('2026-03-01T09:00:00Z'), 'rot-').map(l => l + '\n');
		const env = {home, env: {HOME: home}, platform: process.platform};
		const engine = new Engine({env});
		engine.discover();
		const track = () => engine.reader.track(engine.stores[0]!, {path: file, root: path.join(home, '.claude', 'projects'), priority: 0});
		fs.writeFileSync(file, lines.slice(0, 4).join(''));
		engine.reader.read(track(), false);
		const offset = track().cursor.offset;
		// Rotated: the first part to a copy, the rest written into the emptied file, more of it than the offset.
		fs.copyFileSync(file, file.replace('.jsonl', '-rot.jsonl'));
		fs.truncateSync(file, 0);
		fs.appendFileSync(file, lines.slice(4).join(''));
		assert.ok(fs.statSync(file).size > offset);
		engine.reader.read(track(), false);
		engine.reader.read(engine.reader.track(engine.stores[0]!, {path: file.replace('.jsonl', '-rot.jsonl'), root: path.join(home, '.claude', 'projects'), priority: 0}), false);
		const now = Date.parse('2030-01-01T00:00:00Z');
		const live = engine.snapshot({now}, now).totals;
		const cold = scanHome(home, {}, now).totals;
		assert.ok(cold.calls >= 8, `${cold.calls} calls`);
		assert.deepEqual([live.calls, live.outputTokens, live.costUSD], [cold.calls, cold.outputTokens, cold.costUSD]);
	});
});

describe('live totals equal a cold scan (property, many seeds)', () => {
	for (let seed = 1; seed <= 30; seed++) {
		it(`seed ${seed}`, () => runSeed(seed));
	}
});

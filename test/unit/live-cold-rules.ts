// One rule for the cold scan and the live path: a linked project folder is read by both; a
// later line of a call sealed days ago (appended while watching) amends it in both.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import {after, describe, it} from 'node:test';
import {Engine} from '../../src/engine.js';
import {append, claudeAssistant, claudePath, scanHome, tempHome, write} from '../helpers/home.js';
import {waitFor} from '../helpers/wait.js';

const engines: Engine[] = [];
after(async () => Promise.all(engines.map(e => e.close())));

const NOW = Date.parse('2026-12-01T12:00:00Z');
const row = (h: string) => {
	const t = scanHome(h, {}, NOW).tools.find(x => x.tool === 'claude-code');
	return [t?.calls ?? 0, t?.outputTokens ?? 0];
};

async function live(h: string): Promise<Engine> {
	const e = new Engine({env: {home: h, env: {HOME: h}, platform: process.platform}, clock: () => NOW, sealOld: true});
	engines.push(e);
	e.discover();
	await e.startLive(() => {}, {sweepMs: 200, fullSweepMs: 60_000});
	await e.backfill();
	return e;
}

const liveRow = (e: Engine) => {
	const t = e.liveSnapshot(NOW).tools.find(x => x.tool === 'claude-code');
	return [t?.calls ?? 0, t?.outputTokens ?? 0];
};

describe('live and cold follow one rule', () => {
	it('a linked project folder is read cold and live; a link back to an ancestor is no loop', async () => {
		const h = tempHome();
		write(claudePath(h, '-home-u-real', 'a.jsonl'), [claudeAssistant({id: 'm_a', ts: '2026-11-30T10:00:00Z', sessionId: 'a', output: 10})]);
		const elsewhere = path.join(tempHome(), 'kept-elsewhere');
		write(path.join(elsewhere, 'b.jsonl'), [claudeAssistant({id: 'm_b', ts: '2026-11-30T10:05:00Z', sessionId: 'b', output: 20})]);
		fs.symlinkSync(elsewhere, path.join(h, '.claude', 'projects', '-home-u-linked'));
		fs.symlinkSync(path.join(h, '.claude', 'projects'), path.join(elsewhere, 'loop'));
		assert.deepEqual(row(h), [2, 30]);
		const e = await live(h);
		assert.deepEqual(liveRow(e), [2, 30]);
		append(path.join(elsewhere, 'b.jsonl'), [claudeAssistant({id: 'm_b2', ts: '2026-11-30T10:06:00Z', sessionId: 'b', output: 5})]);
		await waitFor(() => liveRow(e)[0] === 3, 'the append in the linked folder');
		assert.deepEqual(liveRow(e), row(h));
	});

	it('the final line of a call sealed days ago, appended while watching, amends it as a cold scan would', async () => {
		const h = tempHome();
		const old = claudePath(h, '-home-u-old', 'old.jsonl');
		write(old, [claudeAssistant({id: 'm_old', ts: '2026-11-20T10:00:00Z', sessionId: 'old', output: 1})]);
		write(claudePath(h, '-home-u-new', 'new.jsonl'), [claudeAssistant({id: 'm_new', ts: '2026-12-01T11:00:00Z', sessionId: 'new', output: 7})]);
		const e = await live(h);
		e.liveSnapshot(NOW); // The monitor's refresh: the old call is sealed now.
		assert.ok(e.aggregate.sealedCalls >= 1, 'the old call was sealed');
		append(old, [claudeAssistant({id: 'm_old', ts: '2026-11-20T10:00:05Z', sessionId: 'old', output: 149})]);
		await waitFor(() => liveRow(e)[1] === 156, 'the amended old call');
		assert.deepEqual(liveRow(e), row(h));
		assert.deepEqual(row(h), [2, 156]);
	});
});

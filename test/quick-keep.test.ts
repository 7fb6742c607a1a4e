// The statusline and the hook keep a session's reading state between runs and read only what
// was appended. Seeded random writes as agents make them (whole lines, streamed copies of a
// response, half a line then the rest, a subagent file, the file replaced by a new one with
// more, a replayed line): after every step a lookup that continues from the kept state equals
// one that reads everything.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import {describe, it} from 'node:test';
import {lookSession, type SessionLook} from '../src/quick.js';
import {rng} from './helpers/corpus.js';
import {claudeAssistant, claudePath, tempHome} from './helpers/home.js';

const NOW = Date.parse('2026-03-10T03:00:00Z');

function view(l: SessionLook | undefined): unknown {
	return l && {calls: l.calls, spent: Math.round(l.spentUSD * 1e9), context: l.contextTokens, perMin: Math.round(l.usdPerMin * 1e9), estimated: l.estimated, loop: l.loop?.score ?? 0, last: l.lastAt};
}

describe('kept session state (statusline, hook)', () => {
	for (const seed of [1, 2, 3, 4, 5, 6]) {
		it(`seed ${seed}: continuing from the kept state equals reading everything, after every step`, () => {
			const r = rng(seed);
			const home = tempHome();
			const keep = path.join(tempHome('burntop-keep-'), 'sessions');
			const sid = `sess-${seed}`;
			const file = claudePath(home, '-p', `${sid}.jsonl`);
			fs.mkdirSync(path.dirname(file), {recursive: true});
			fs.writeFileSync(file, '');
			let n = 0;
			let pendingHalf = '';
			const line = (id: string, output: number) => JSON.stringify(claudeAssistant({id, sessionId: sid, ts: new Date(NOW - 600_000 + n * 7000).toISOString(), output, cacheRead: 20_000 + n * 100, tools: [{name: 'Bash', input: {command: `npm test ${n % 3}`}}]})) + '\n';
			const look = (withKeep: boolean) => view(lookSession({env: {home, env: {HOME: home}, platform: process.platform}, tool: 'claude-code', sessionId: sid, transcript: file, now: NOW, ...(withKeep ? {keep, keyOf: 'k'} : {})}));
			for (let step = 0; step < 40; step++) {
				const op = r();
				n++;
				if (pendingHalf) {
					fs.appendFileSync(file, pendingHalf);
					pendingHalf = '';
				} else if (op < 0.4) {
					fs.appendFileSync(file, line(`m${n}`, 1 + Math.floor(r() * 500)));
				} else if (op < 0.6) {
					// A response streamed over lines: a placeholder, then the final usage.
					const id = `m${n}`;
					fs.appendFileSync(file, line(id, 3) + line(id, 3 + Math.floor(r() * 900)));
				} else if (op < 0.7) {
					const whole = line(`m${n}`, 40);
					const cut = 1 + Math.floor(r() * (whole.length - 2));
					fs.appendFileSync(file, whole.slice(0, cut));
					pendingHalf = whole.slice(cut);
				} else if (op < 0.8) {
					const sub = path.join(file.replace(/\.jsonl$/, ''), 'subagents', `agent-${n}.jsonl`);
					fs.mkdirSync(path.dirname(sub), {recursive: true});
					fs.writeFileSync(sub, JSON.stringify(claudeAssistant({id: `s${n}`, sessionId: sid, ts: new Date(NOW - 300_000).toISOString(), output: 9, sidechain: true})) + '\n');
				} else if (op < 0.9) {
					// Replaced by a new file (new inode) holding the same lines and one more.
					const text = fs.readFileSync(file, 'utf8');
					fs.rmSync(file);
					fs.writeFileSync(file, text + line(`m${n}`, 77));
				} else {
					// An earlier line written again (a replay): counted once either way.
					const lines = fs.readFileSync(file, 'utf8').split('\n').filter(l => l.startsWith('{') && l.endsWith('}'));
					if (lines.length > 0) fs.appendFileSync(file, `${lines[Math.floor(r() * lines.length)]}\n`);
				}

				const fresh = look(false);
				assert.deepEqual(look(true), fresh, `step ${step}`);
			}

			assert.ok(fs.readdirSync(keep).length === 1, 'one kept state for the session');
		});
	}

	it('a kept state under another key (burntop, prices or pricing config changed) is not used', () => {
		const home = tempHome();
		const keep = path.join(tempHome('burntop-keep-'), 'sessions');
		const file = claudePath(home, '-p', 's.jsonl');
		fs.mkdirSync(path.dirname(file), {recursive: true});
		fs.writeFileSync(file, JSON.stringify(claudeAssistant({id: 'a', sessionId: 's', ts: new Date(NOW - 60_000).toISOString(), output: 10})) + '\n');
		const at = (keyOf: string, model?: Record<string, string>) => lookSession({env: {home, env: {HOME: home}, platform: process.platform}, tool: 'claude-code', transcript: file, now: NOW, keep, keyOf, pricing: {aliases: model}})!;
		const first = at('one');
		// Same file, an alias that changes the price: the old key's state would give the old price.
		const other = at('two', {'claude-sonnet-4-5-20250929': 'claude-opus-4-6'});
		assert.notEqual(other.spentUSD, first.spentUSD);
		assert.equal(at('two', {'claude-sonnet-4-5-20250929': 'claude-opus-4-6'}).spentUSD, other.spentUSD);
	});
});

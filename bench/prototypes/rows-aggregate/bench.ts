// THROWAWAY PROTOTYPE (issue 16), not part of burntop: what the aggregate's counting would cost
// with calls as rows (numbers in typed arrays, dedupe keys as 64-bit fingerprints in an
// open-addressing table, sessions and rollup identities as small integers) instead of a record
// object per call. It keeps only what the totals need (the store's replace rule, sidechain twins,
// per-session and per-15-minute rollup sums), none of the aggregate's other work (activity,
// tools, drill-down rings, the time series, the index's ledger and its rollup bookkeeping), so it
// is a floor, not a design. The same events (read once) go through burntop's Aggregate and
// through this, rounds alternating, each in a fresh instance; the totals must agree.
//   npx tsx bench/prototypes/rows-aggregate/bench.ts [claude|codex|both] [rounds]
import path from 'node:path';
import type {UsageEvent} from '../../../src/core/types.js';
import {Pricer} from '../../../src/pricing/index.js';
import {corpus} from '../../corpus.js';
import {applyAll, fileEvents} from '../../store-scan.js';
import {RowsAggregate} from './rows.js';

const which = process.argv[2] ?? 'both';
const rounds = Number(process.argv[3] ?? 5);
const home = path.join(corpus(1024).dir, 'home');

const perFile = [...(which !== 'codex' ? fileEvents('claude', home) : []), ...(which !== 'claude' ? fileEvents('codex', home) : [])];
const pricer = new Pricer({});
for (const evs of perFile) for (const e of evs) if (e.kind === 'usage') pricer.price(e);
const price = (e: UsageEvent) => pricer.price(e);

const times = {aggregate: [] as number[], rows: [] as number[]};
let theirs = '';
let ours = '';
for (let r = 0; r < rounds; r++) {
	let t = performance.now();
	const agg = applyAll(perFile, price, Date.now());
	times.aggregate.push(performance.now() - t);
	const sum = [0, 0, 0, 0, 0, 0, 0];
	for (const c of agg.records()) {
		sum[0] += c.calls;
		sum[1] += c.input;
		sum[2] += c.cacheRead;
		sum[3] += c.cacheWrite5m + c.cacheWrite1h;
		sum[4] += c.output;
		sum[5] += c.nano;
	}

	theirs = sum.slice(0, 6).join(' ');
	t = performance.now();
	const rows = new RowsAggregate(price);
	for (const evs of perFile) for (const e of evs) rows.apply(e);
	times.rows.push(performance.now() - t);
	const u = rows.totals();
	ours = [u[0], u[1], u[2], u[3]! + u[4]!, u[5], u[7]].join(' ');
}

if (theirs !== ours) throw new Error(`totals differ: aggregate ${theirs}, rows ${ours}`);
console.log(`${which}: ${perFile.reduce((n, f) => n + f.length, 0)} events; totals (calls input cacheRead cacheWrite output nano) ${ours} both ways`);
console.log(`  Aggregate ${times.aggregate.map(x => x.toFixed(0)).join(' ')} ms; rows ${times.rows.map(x => x.toFixed(0)).join(' ')} ms (fresh instance per round, alternating)`);

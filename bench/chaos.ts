// The index property run long: many seeds, many steps each (test/helpers/ledger-world.ts).
// npm run bench:chaos [-- --seeds N --steps M --from S]
import {parseArgs} from 'node:util';
import {sharedAvailable} from '../test/helpers/home.js';
import {runSeed} from '../test/helpers/ledger-world.js';

const {values} = parseArgs({options: {seeds: {type: 'string', default: '40'}, steps: {type: 'string', default: '150'}, from: {type: 'string', default: '1000'}}});
const seeds = Number(values.seeds);
const steps = Number(values.steps);
const from = Number(values.from);
const withFixtures = sharedAvailable();
const t0 = performance.now();
let total = 0;
let saves = 0;
const failed: string[] = [];
for (let s = from; s < from + seeds; s++) {
	try {
		const r = runSeed(s, steps, withFixtures);
		total += r.steps;
		saves += r.saves;
	} catch (error) {
		failed.push(`seed ${s}: ${(error as Error).message.split('\n')[0]}`);
	}
}

console.log(`index chaos: ${seeds} seeds × ${steps} steps (${total} steps passed, ${saves} index saves, fixtures ${withFixtures ? 'in' : 'out'}), ${((performance.now() - t0) / 1000).toFixed(1)} s: ${failed.length} failed`);
for (const f of failed) console.log(`  ${f}`);
process.exitCode = failed.length > 0 ? 1 : 0;

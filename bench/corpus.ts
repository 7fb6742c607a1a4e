// The generated histories the benchmarks read: .bench-data/<MB>mb (git-ignored), made on first use.
import fs from 'node:fs';
import path from 'node:path';
import {generate, type Expected} from './generate.js';

export const ROOT = path.resolve(import.meta.dirname, '..');
export const DATA = path.join(ROOT, '.bench-data');

/** The history of `mb` MB (seed 1) and its expected totals, generated if missing. */
export function corpus(mb: number): {dir: string; expected: Expected} {
	const dir = path.join(DATA, `${mb}mb`);
	const exp = path.join(dir, 'expected.json');
	if (!fs.existsSync(exp)) {
		process.stdout.write(`generating ${mb} MB history… `);
		const t = performance.now();
		generate(dir, mb);
		console.log(`${((performance.now() - t) / 1000).toFixed(1)} s`);
	}

	return {dir, expected: JSON.parse(fs.readFileSync(exp, 'utf8'))};
}

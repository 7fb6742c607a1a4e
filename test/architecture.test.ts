// The layering the guide asks for, checked on every run: no import cycle among src/ modules
// (types included), and the pure core imports no view, no ingest module and no flags.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import {describe, it} from 'node:test';
// @ts-expect-error: a plain .mjs script (scripts/cycles.mjs), used by hand as well.
import {findCycles, importsOf} from '../scripts/cycles.mjs';

const SRC = path.resolve(import.meta.dirname, '..', 'src');

describe('architecture', () => {
	it('no import cycle in src/ (node scripts/cycles.mjs)', () => {
		assert.deepEqual(findCycles(), []);
	});

	it('core/ imports only core/ (and no react, ink, ingest, components or flags)', () => {
		const core = path.join(SRC, 'core');
		for (const f of fs.readdirSync(core).filter(n => n.endsWith('.ts'))) {
			const file = path.join(core, f);
			for (const dep of importsOf(file) as string[]) assert.ok(dep.startsWith(core + path.sep), `${f} imports ${path.relative(SRC, dep)}`);
			assert.doesNotMatch(fs.readFileSync(file, 'utf8'), /from '(ink|react|meow)'/, f);
		}
	});

	it('narrow modules: no source file over 400 lines (most under 300)', () => {
		const walk = (dir: string): string[] => fs.readdirSync(dir, {withFileTypes: true}).flatMap(e => (e.isDirectory() ? walk(path.join(dir, e.name)) : [path.join(dir, e.name)]));
		// The generated WebAssembly bytes are data, not code.
		const code = walk(SRC).filter(f => /\.tsx?$/.test(f) && !f.endsWith('.wasm.ts'));
		const long = code.map(f => [path.relative(SRC, f), fs.readFileSync(f, 'utf8').split('\n').length] as const).filter(([, n]) => n > 400);
		assert.deepEqual(long, []);
	});

	it('the cycle finder finds a cycle', () => {
		// A check that cannot fail proves nothing: two files importing each other.
		const dir = fs.mkdtempSync(path.join(SRC, '..', '.cycle-probe-'));
		try {
			fs.writeFileSync(path.join(dir, 'a.ts'), "import {b} from './b.js';\nexport const a = b;\n");
			fs.writeFileSync(path.join(dir, 'b.ts'), "import type {a} from './a.js';\nexport const b = 1 as unknown as typeof a;\n");
			assert.deepEqual(findCycles(dir), [['a.ts', 'b.ts', 'a.ts']]);
		} finally {
			fs.rmSync(dir, {recursive: true, force: true});
		}
	});
});

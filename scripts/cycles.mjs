// Import cycles among src/ modules (type-only imports included: a type in the wrong layer is
// the usual cause). Prints each cycle; exit 1 when there is one. No dependency: reads the
// import lines of src/**/*.ts(x).
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..', 'src');

function files(dir) {
	return fs.readdirSync(dir, {withFileTypes: true}).flatMap(e => {
		const p = path.join(dir, e.name);
		return e.isDirectory() ? files(p) : /\.tsx?$/.test(e.name) && !e.name.endsWith('.d.ts') ? [p] : [];
	});
}

/** The src/ modules a file imports (static and dynamic), by path. */
export function importsOf(file) {
	const text = fs.readFileSync(file, 'utf8');
	const out = new Set();
	for (const m of text.matchAll(/(?:^|\n)\s*(?:import|export)\s[^;]*?from\s+'(\.[^']+)'|import\(\s*'(\.[^']+)'\s*\)/g)) {
		const spec = (m[1] ?? m[2]).replace(/\.js$/, '');
		for (const ext of ['.ts', '.tsx']) {
			const p = path.resolve(path.dirname(file), spec + ext);
			if (fs.existsSync(p)) out.add(p);
		}
	}

	return [...out];
}

export function findCycles(dir = root) {
	const graph = new Map(files(dir).map(f => [f, importsOf(f)]));
	const cycles = [];
	const state = new Map();
	const stack = [];
	const visit = f => {
		state.set(f, 1);
		stack.push(f);
		for (const g of graph.get(f) ?? []) {
			if (state.get(g) === 1) cycles.push([...stack.slice(stack.indexOf(g)), g].map(p => path.relative(dir, p)));
			else if (!state.has(g)) visit(g);
		}

		stack.pop();
		state.set(f, 2);
	};

	for (const f of graph.keys()) if (!state.has(f)) visit(f);
	return cycles;
}

if (import.meta.url === `file://${process.argv[1]}`) {
	const cycles = findCycles();
	for (const c of cycles) console.log(`cycle: ${c.join(' → ')}`);
	console.log(cycles.length === 0 ? 'no import cycle in src/' : `${cycles.length} import cycle(s)`);
	process.exitCode = cycles.length === 0 ? 0 : 1;
}

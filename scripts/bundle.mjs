// Builds dist/burntop.mjs: one ESM file, so start-up does not resolve and compile hundreds of
// modules (the monitor's first frame: ~790 ms from tsc's output, ~490 ms bundled). Native and
// data-heavy packages stay external and load from node_modules when needed.
import fs from 'node:fs';
import path from 'node:path';
import {build} from 'esbuild';

const root = path.resolve(import.meta.dirname, '..');
const outfile = path.join(root, 'dist', 'burntop.mjs');

// meow evaluates normalize-package-data (SPDX license lists sorted with localeCompare, semver,
// hosted-git-info) and Babel's code frame (for JSON syntax errors in package.json) as it loads:
// ~15 ms of every start in a CPU profile, though burntop never asks meow for package data.
// Defer both to first use, and drop a dead `promisify(execFile)`. Should meow's file change
// shape, the build says so and leaves it.
const LAZY = [
	[
		'var normalizeExports = requireNormalize();\nconst normalizePackageData = getDefaultExportFromCjs(normalizeExports);',
		'let normalizeLazy;\nconst normalizePackageData = (...args) => (normalizeLazy ??= getDefaultExportFromCjs(requireNormalize()))(...args);',
	],
	[
		'var libExports = requireLib$1();',
		'let codeFrameLazy;\nconst libExports = {codeFrameColumns: (...args) => (codeFrameLazy ??= requireLib$1()).codeFrameColumns(...args)};',
	],
	// A leftover call whose result nobody keeps: it loaded child_process (~2.4 ms) at every start.
	['promisify(execFile);\n', ''],
	["import { execFile } from 'node:child_process';\n", ''],
];
const lazyMeow = {
	name: 'lazy-meow-dependencies',
	setup(b) {
		b.onLoad({filter: /meow[\\/]build[\\/]dependencies\.js$/}, args => {
			let text = fs.readFileSync(args.path, 'utf8');
			for (const [from, to] of LAZY) {
				if (text.includes(from)) text = text.replace(from, () => to);
				else console.warn(`bundle: meow/build/dependencies.js changed shape; left eager: ${from.split('\n')[0]}`);
			}

			return {contents: text, loader: 'js'};
		});
	},
};

// Chunk names carry content hashes: clear the old ones so dist holds only this build.
fs.rmSync(path.join(root, 'dist', 'chunks'), {recursive: true, force: true});
await build({
	// The scan workers are files of their own: worker threads load them by path.
	entryPoints: {burntop: path.join(root, 'src', 'cli.tsx'), 'scan-worker': path.join(root, 'src', 'ingest', 'scan-worker.ts'), 'store-worker': path.join(root, 'src', 'store-worker.ts')},
	outdir: path.join(root, 'dist'),
	outExtension: {'.js': '.mjs'},
	// The monitor (Ink, React) is its own chunk: --once, --watch and export never parse it.
	splitting: true,
	chunkNames: 'chunks/[name]-[hash]',
	bundle: true,
	platform: 'node',
	format: 'esm',
	target: 'node20.19',
	external: ['better-sqlite3', '@opentelemetry/*', '@pydantic/genai-prices', 'chokidar'],
	// Ink loads its devtools only with DEV=true; the bundle gets a stub instead of the package.
	alias: {'react-devtools-core': path.join(root, 'scripts', 'devtools-stub.js')},
	define: {'process.env.NODE_ENV': '"production"'},
	// CommonJS dependencies (React) call require(): give the ESM bundle one.
	banner: {js: "import {createRequire as __burntopRequire} from 'node:module'; const require = __burntopRequire(import.meta.url);"},
	logLevel: 'warning',
	plugins: [lazyMeow],
});
fs.chmodSync(outfile, 0o755);

// Is V8's ArrayBuffer-detaching protector still intact? A plain Float64Array loop is timed at the
// start and at exit: after the first detached ArrayBuffer in the process (memory.grow, a transfer)
// it runs ~1.7x slower. BENCHMARKS.md, session 11.
//   node bench/detach-probe.mjs                 the loop, nothing detached (ratio ~1.0)
//   PROBE_GROW=1 node bench/detach-probe.mjs    after one WebAssembly memory.grow (ratio ~1.7)
//   PROBE_CLI="--once --json" node bench/detach-probe.mjs   around a burntop run (dist/, npm run build)
import path from 'node:path';

const a = new Float64Array(1 << 20);
function loop(x) {
	let s = 0;
	for (let r = 0; r < 30; r++) {
		for (let i = 0; i < x.length; i++) {
			x[i] += i;
			s += x[i];
		}
	}

	return s;
}

const time = () => {
	loop(a);
	const t = performance.now();
	loop(a);
	return performance.now() - t;
};

const before = Math.min(time(), time(), time());
process.on('exit', () => {
	const after = Math.min(time(), time(), time());
	process.stderr.write(`PROBE before ${before.toFixed(0)} ms, after ${after.toFixed(0)} ms, ratio ${(after / before).toFixed(2)}\n`);
});
if (process.env.PROBE_GROW) new WebAssembly.Memory({initial: 1}).grow(1);
if (process.env.PROBE_CLI) {
	process.argv.splice(2, 0, ...process.env.PROBE_CLI.split(' '));
	await import(path.join(import.meta.dirname, '..', 'dist', 'burntop.mjs'));
}

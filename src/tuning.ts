// Benchmark and test switches (BURNTOP_*): read from the environment here only, by the CLI for
// its process; worker threads get them in their data. The product never needs any of them.
export type Tuning = {
	/** BURNTOP_PARALLEL=0: no worker threads; =files: the per-file split only. */
	parallel?: false | 'files';
	/** BURNTOP_PARALLEL_MIN_BYTES: unread JSONL bytes before workers are used (tests: 0). */
	parallelMinBytes?: number;
	/** BURNTOP_WORKERS: worker threads for the per-file split. */
	workers?: number;
	/** BURNTOP_NO_WASM=1: the indexOf marker pass instead of WebAssembly. */
	wasm?: false;
	/** BURNTOP_GC_DEFAULTS=1: V8's own young-generation sizing. */
	gcDefaults?: true;
	/** BURNTOP_JIT_DEFAULTS=1: V8's own inlining budget (jit.ts). */
	jitDefaults?: true;
	/** BURNTOP_TIMING=1: timings of the start on stderr. */
	timing?: true;
	/** BURNTOP_TEST_WORKER_DIES=1 (tests): scan workers exit before answering. */
	workerDies?: true;
};

export function tuningFrom(env: Readonly<Record<string, string | undefined>>): Tuning {
	const t: Tuning = {};
	if (env['BURNTOP_PARALLEL'] === '0') t.parallel = false;
	else if (env['BURNTOP_PARALLEL'] === 'files') t.parallel = 'files';
	if (env['BURNTOP_PARALLEL_MIN_BYTES']) t.parallelMinBytes = Number(env['BURNTOP_PARALLEL_MIN_BYTES']);
	if (Number(env['BURNTOP_WORKERS']) > 0) t.workers = Number(env['BURNTOP_WORKERS']);
	if (env['BURNTOP_NO_WASM']) t.wasm = false;
	if (env['BURNTOP_GC_DEFAULTS']) t.gcDefaults = true;
	if (env['BURNTOP_JIT_DEFAULTS']) t.jitDefaults = true;
	if (env['BURNTOP_TIMING']) t.timing = true;
	if (env['BURNTOP_TEST_WORKER_DIES']) t.workerDies = true;
	return t;
}

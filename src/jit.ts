// V8's optimizing compiler (TurboFan) for a process whose work is one burst: a cold scan reads a
// history once, so the compiler's own time counts as much as the code it makes. With V8's
// default inlining budget (920 bytecode bytes a function) a split cold scan of 1 GB spent ~0.7 s
// of CPU compiling (both threads' code), on threads of their own that take the core the split's
// other thread is using; at 150, ~0.45 s, for code as fast on 3 GB (BENCHMARKS.md, session 19).
// Small functions (≤ 27 bytes: getters, one-line helpers) are inlined whatever the budget.
// The setting is the process's (worker threads too). BURNTOP_JIT_DEFAULTS=1 keeps V8's default.
import v8 from 'node:v8';
import {tuningFrom} from './tuning.js';

const FLAGS = '--max-inlined-bytecode-size-cumulative=150';

/** Apply the setting (the CLI, at start, before the hot code is compiled). */
export function limitInlining(env: Readonly<Record<string, string | undefined>> = process.env): void {
	if (tuningFrom(env).jitDefaults) return;
	v8.setFlagsFromString(FLAGS);
}

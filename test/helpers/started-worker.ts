// A worker that only says it started (young-generation.test.ts), then waits to be terminated.
import '../../src/worker-started.js';

setTimeout(() => {}, 60_000);

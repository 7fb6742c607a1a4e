// The quick test files, in one process: a process per file cost ~0.35 s of CPU each (the runner,
// tsx, the modules compiled again), ~20 s of CPU and ~8 s of the suite's minute on 2 cores. Files
// here change no process-wide state (time zone, environment, price answers, V8 settings, detached
// buffers); those, and the long ones that mostly wait, keep a file of their own under test/. Named
// to sort early: the runner starts files in name order, and this one takes a few seconds.
import './unit/burn-rate.js';
import './unit/json-chunks.js';
import './unit/activity.js';
import './unit/pricing.js';
import './unit/claude.js';
import './unit/state-parts.js';
import './unit/git-root.js';
import './unit/codex.js';
import './unit/cache-rate.js';
import './unit/report-text.js';
import './unit/event-codec.js';
import './unit/live-cold-rules.js';
import './unit/util.js';
import './unit/loops.js';
import './unit/line-reader.js';
import './unit/placeholder-usage.js';
import './unit/fixtures-home.js';
import './unit/metrics-fuzz.js';
import './unit/cline-doctor.js';
import './unit/stores.js';
import './unit/bad-input.js';
import './unit/special-files.js';
import './unit/fuzz.js';
import './unit/seal.js';
import './unit/json-tape.js';
import './unit/startup-modules.js';

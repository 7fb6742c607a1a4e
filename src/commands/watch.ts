import type {Alerter} from '../alerts.js';
import type {Engine, LiveSnapshot} from '../engine.js';
import type {Io} from '../cli/io.js';
import {jsonChunks} from '../core/json-chunks.js';

/**
 * `--watch --json`: one live snapshot per line whenever the aggregate changed. A change after
 * a quiet spell is written at once; changes within `interval` of the last line wait for it.
 */
export async function watchJson(engine: Engine, io: Io, clock: () => number, interval: number, w: {since?: number; until?: number}, alerter: Alerter, onLive: (live: LiveSnapshot) => void): Promise<number> {
	let lastVersion = -1;
	let lastFilesRead = -1;
	let lastDone = false;
	let lastAt = Number.NEGATIVE_INFINITY;
	let timer: NodeJS.Timeout | undefined;
	let stopped = false;
	const publish = () => {
		timer = undefined;
		if (stopped) return;
		const p = engine.progress;
		if (engine.version === lastVersion && p.filesRead === lastFilesRead && p.done === lastDone) return;
		lastVersion = engine.version;
		lastFilesRead = p.filesRead;
		lastDone = p.done;
		lastAt = performance.now();
		const live = engine.liveSnapshot(clock(), w);
		// In pieces, as --once --json: a long history's line is megabytes, written every second.
		for (const piece of jsonChunks(live)) io.stdout.write(piece);
		io.stdout.write('\n');
		if (p.done) {
			alerter.check(live);
			onLive(live);
		}
	};

	const schedule = () => {
		if (timer || stopped) return;
		timer = setTimeout(publish, Math.max(0, lastAt + interval - performance.now()));
	};

	// Signals are handled from the start: a SIGTERM/SIGHUP during start-up still exits cleanly.
	const stopRequested = new Promise<void>(resolve => {
		const stop = () => resolve();
		io.signal?.addEventListener('abort', stop, {once: true});
		if (!io.signal) {
			for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.once(sig, stop);
		}
	});
	// --watch runs until a signal. A home with no store folder yet has no watcher, and the sweeps
	// that find one later do not hold the event loop: without this the process ended after its
	// first line (exit 13, a top-level await left pending).
	const alive = setInterval(() => {}, 1 << 30);
	engine.discover();
	// History loads (recent files first), then the watchers start; the first line goes out after
	// the first slice of reading.
	const following = engine.follow(schedule);
	await stopRequested;
	clearInterval(alive);
	stopped = true;
	clearTimeout(timer);
	await following.catch(() => {});
	await engine.close();
	return 0;
}

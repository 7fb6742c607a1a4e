import type {Engine} from '../engine.js';
import type {Io} from '../cli/io.js';

/**
 * A progress line on stderr once a scan has taken a second (a first run, or many changed
 * files): rewritten in place on a terminal, one line otherwise. Cleared when done.
 */
export function progressLine(engine: Engine, io: Io): {tick: () => void; done: () => void} {
	const started = performance.now();
	const tty = (io.stderr as Partial<NodeJS.WriteStream>).isTTY === true;
	let shown = 0;
	let said = false;
	const done = () => {
		if (shown > 0 && tty) io.stderr.write('\r\u001B[K');
		shown = 0;
	};

	const tick = () => {
		const t = performance.now();
		if (t - started < 1000 || t - shown < 250) return;
		const p = engine.progress;
		shown = t;
		const pct = p.bytesTotal > 0 ? Math.floor((100 * p.bytesRead) / p.bytesTotal) : 0;
		if (tty) io.stderr.write(`\rburntop: reading history ${p.filesRead}/${p.filesTotal} files (${pct}%)…\u001B[K`);
		else if (!said) io.stderr.write(`burntop: reading history (${p.filesTotal} files; the next runs use the index)…\n`);
		said = true;
	};

	return {tick, done};
}

// The load-time check of saved reading states: an index whose file states are not what
// burntop writes is set aside and rebuilt, never trusted.
import type {FileState} from './reader.js';

/** What is wrong with saved reading states (the index's load-time check), or undefined. */
export function checkFiles(states: readonly FileState[]): string | undefined {
	if (!Array.isArray(states)) return 'file states';
	for (const f of states) {
		const whole = [f.ino, f.size, f.offset, f.stats?.bytes, f.stats?.lines, f.stats?.parsed];
		if (typeof f.path !== 'string' || whole.some(v => !Number.isInteger(v) || (v as number) < 0) || f.offset > f.size || !Number.isFinite(f.mtimeMs)) return `reading state of ${f.path}`;
		if (!Array.isArray(f.skips) || f.skips.some(([r, n]: [string, number]) => typeof r !== 'string' || !Number.isInteger(n) || n < 0)) return `skip counts of ${f.path}`;
	}

	return undefined;
}

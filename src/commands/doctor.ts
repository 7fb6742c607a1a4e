// `burntop doctor`: where it looked, what it found, parsed and skipped.
import {terminalSafe} from '../core/terminal-safe.js';
import type {Run} from './run.js';

export async function runDoctor(r: Run): Promise<number> {
	r.engine.discover();
	await r.engine.scan();
	const {doctor} = await import('../doctor.js');
	const d = doctor(r.engine, r.now);
	r.io.stdout.write(terminalSafe(d.text) + '\n');
	return r.engine.finish(d.clean ? 0 : 1);
}

// Shared by the walker prototypes' timings (issue 16, throwaway): a Claude Code projects folder's
// assistant lines in one buffer, and ways of reading them timed in alternating rounds.
import fs from 'node:fs';
import path from 'node:path';

/** Every `"type":"assistant"` line under `root`, each ended by a newline in `buf`; `spans` holds start, end pairs. */
export function assistantLines(root: string): {count: number; buf: Buffer; spans: number[]} {
	const lines: Buffer[] = [];
	for (const f of fs.readdirSync(root, {recursive: true})) {
		if (!String(f).endsWith('.jsonl')) continue;
		for (const line of fs.readFileSync(path.join(root, String(f))).toString('latin1').split('\n')) if (line.includes('"type":"assistant"')) lines.push(Buffer.from(line, 'latin1'));
	}

	const buf = Buffer.concat(lines.flatMap(l => [l, Buffer.from('\n')]));
	const spans: number[] = [];
	for (let p = 0; p < buf.length; ) {
		const nl = buf.indexOf(10, p);
		spans.push(p, nl);
		p = nl + 1;
	}

	console.log(`${lines.length} lines, ${(buf.length / 1e6).toFixed(1)} MB`);
	return {count: lines.length, buf, spans};
}

/** Each way once per round, in turn; every way's sums must be the same. The sums, and each way's times (ms). */
export function alternate(ways: Record<string, () => number[]>, rounds: number): {sums: string; times: Record<string, number[]>} {
	const times: Record<string, number[]> = Object.fromEntries(Object.keys(ways).map(k => [k, []]));
	let sums = '';
	for (let r = 0; r < rounds; r++) {
		for (const [name, way] of Object.entries(ways)) {
			const t = performance.now();
			const s = way().join(' ');
			times[name]!.push(performance.now() - t);
			if (sums && s !== sums) throw new Error(`${name}: sums ${s} against ${sums}`);
			sums = s;
		}
	}

	return {sums, times};
}

export function median(v: readonly number[]): number {
	return [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)]!;
}

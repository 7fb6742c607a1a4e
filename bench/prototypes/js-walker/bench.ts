// THROWAWAY PROTOTYPE's timing (issue 16): the walk against JSON.parse (each line decoded from the
// block, as the reader does, then read the record way) on the assistant lines of a Claude Code
// projects folder, same sums required.
//   npx tsx bench/prototypes/js-walker/bench.ts <projects folder> [rounds]
import fs from 'node:fs';
import path from 'node:path';
import {assistantFromBytes, assistantFromRecord} from './claude-walk.js';

const root = process.argv[2]!;
const rounds = Number(process.argv[3] ?? 5);
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
const ways = {
	walk(): number[] {
		let n = 0;
		let out = 0;
		for (let k = 0; k < spans.length; k += 2) {
			const f = assistantFromBytes(buf, spans[k]!, spans[k + 1]!);
			if (f) {
				n++;
				out += f.output;
			}
		}

		return [n, out];
	},
	parse(): number[] {
		let n = 0;
		let out = 0;
		for (let k = 0; k < spans.length; k += 2) {
			const r = JSON.parse(buf.toString('utf8', spans[k]!, spans[k + 1]!));
			if (r.type !== 'assistant' || typeof r.message !== 'object' || r.message === null || r.isApiErrorMessage === true) continue;
			n++;
			out += assistantFromRecord(r.message, r, r, false).output;
		}

		return [n, out];
	},
};

const times: Record<string, number[]> = {walk: [], parse: []};
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

const med = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)]!;
console.log(`sums (lines, output) ${sums}; median of ${rounds}, alternating: walk ${med(times.walk!).toFixed(0)} ms, JSON.parse ${med(times.parse!).toFixed(0)} ms`);

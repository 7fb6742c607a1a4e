// THROWAWAY PROTOTYPE's timing (issue 16): the walk against JSON.parse + the same fields, on the
// assistant lines of a Claude Code projects folder, rounds alternating, same sums required.
//   npx tsx bench/prototypes/claude-walk/bench.ts .bench-data/1024mb/home/.claude/projects 7
import fs from 'node:fs';
import path from 'node:path';
import {ClaudeCall} from './claude-walk.js';
import {parseTime} from '../../../src/ingest/util.js';
const root = process.argv[2]!;
const rounds = Number(process.argv[3] ?? 7);
const lines: Buffer[] = [];
for (const f of fs.readdirSync(root, {recursive: true})) {
	if (!String(f).endsWith('.jsonl')) continue;
	for (const line of fs.readFileSync(path.join(root, String(f))).toString('latin1').split('\n')) if (line.includes('"type":"assistant"')) lines.push(Buffer.from(line, 'latin1'));
}
const buf = Buffer.concat(lines.flatMap(l => [l, Buffer.from('\n')]));
const spans: number[] = [];
for (let p = 0; p < buf.length; ) { const nl = buf.indexOf(10, p); spans.push(p, nl); p = nl + 1; }
console.log(`${lines.length} lines, ${(buf.length / 1e6).toFixed(1)} MB`);
const c = new ClaudeCall();
const ways: Record<string, () => number[]> = {
	walk() { let n = 0, out = 0; for (let k = 0; k < spans.length; k += 2) if (c.read(buf, spans[k]!, spans[k + 1]!)) { n++; out += c.output; for (let b = 0; b < c.blocks; b++) out += c.blockOutput[b]!; } return [n, out]; },
	parse() { let n = 0, out = 0; for (let k = 0; k < spans.length; k += 2) { const r = JSON.parse(buf.toString('utf8', spans[k]!, spans[k + 1]!)); if (r.type !== 'assistant' || r.message?.usage == null || r.message.model === '<synthetic>') continue; const ts = parseTime(r.timestamp); if (ts === undefined) continue; c.fromRecord(r.message, r.message.usage, r, r, false, ts); n++; out += c.output; for (let b = 0; b < c.blocks; b++) out += c.blockOutput[b]!; } return [n, out]; },
};
const times: Record<string, number[]> = {walk: [], parse: []};
let sums = '';
for (let r = 0; r < rounds; r++) for (const [name, way] of Object.entries(ways)) { const t = performance.now(); const s = way().join(' '); times[name]!.push(performance.now() - t); if (sums && s !== sums) throw new Error(`${name}: ${s} vs ${sums}`); sums = s; }
const med = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)]!;
console.log(`sums ${sums}; median of ${rounds}: walk ${med(times.walk!).toFixed(0)} ms, JSON.parse ${med(times.parse!).toFixed(0)} ms; walk ${times.walk!.map(x => x.toFixed(0)).join(' ')}`);

// THROWAWAY PROTOTYPE's timing (issue 16): the walk against JSON.parse + the same fields, on the
// assistant lines of a Claude Code projects folder, rounds alternating, same sums required.
//   npx tsx bench/prototypes/claude-walk/bench.ts .bench-data/1024mb/home/.claude/projects 7
import {parseTime} from '../../../src/ingest/util.js';
import {alternate, assistantLines, median} from '../assistant-lines.js';
import {ClaudeCall} from './claude-walk.js';

const rounds = Number(process.argv[3] ?? 7);
const {buf, spans} = assistantLines(process.argv[2]!);
const c = new ClaudeCall();
/** The call's recorded output and its content's estimate, summed over the lines read. */
const output = () => {
	let out = c.output;
	for (let b = 0; b < c.blocks; b++) out += c.blockOutput[b]!;
	return out;
};

const {sums, times} = alternate({
	walk() {
		let n = 0;
		let out = 0;
		for (let k = 0; k < spans.length; k += 2) {
			if (!c.read(buf, spans[k]!, spans[k + 1]!)) continue;
			n++;
			out += output();
		}

		return [n, out];
	},
	parse() {
		let n = 0;
		let out = 0;
		for (let k = 0; k < spans.length; k += 2) {
			const r = JSON.parse(buf.toString('utf8', spans[k]!, spans[k + 1]!));
			if (r.type !== 'assistant' || r.message?.usage == null || r.message.model === '<synthetic>') continue;
			const ts = parseTime(r.timestamp);
			if (ts === undefined) continue;
			c.fromRecord(r.message, r.message.usage, r, r, false, ts);
			n++;
			out += output();
		}

		return [n, out];
	},
}, rounds);
console.log(`sums ${sums}; median of ${rounds}: walk ${median(times['walk']!).toFixed(0)} ms, JSON.parse ${median(times['parse']!).toFixed(0)} ms; walk ${times['walk']!.map(x => x.toFixed(0)).join(' ')}`);

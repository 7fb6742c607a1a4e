// THROWAWAY PROTOTYPE's timing (issue 16): the walk against JSON.parse (each line decoded from the
// block, as the reader does, then read the record way) on the assistant lines of a Claude Code
// projects folder, same sums required.
//   npx tsx bench/prototypes/js-walker/bench.ts <projects folder> [rounds]
import {alternate, assistantLines, median} from '../assistant-lines.js';
import {assistantFromBytes, assistantFromRecord} from './claude-walk.js';

const rounds = Number(process.argv[3] ?? 5);
const {buf, spans} = assistantLines(process.argv[2]!);
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

const {sums, times} = alternate(ways, rounds);
console.log(`sums (lines, output) ${sums}; median of ${rounds}, alternating: walk ${median(times['walk']!).toFixed(0)} ms, JSON.parse ${median(times['parse']!).toFixed(0)} ms`);

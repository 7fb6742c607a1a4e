// THROWAWAY PROTOTYPE (issue 16, session 21): the "mini" rung of the floor ladder. A Claude Code
// assistant line goes from its tape (claude-tape.ts callFromTape) straight into typed-array rows:
// its dedupe key's 64-bit fingerprint in an open-addressing table, the largest output kept, the
// model and session as small integers. No event, no record, no activity, no twins, no price.
// A totals floor for the design "per-line work without objects, calls as rows", not a design.
import {fingerprintInto} from '../../../src/core/fingerprints.js';
import type {CallFields} from '../../../src/ingest/claude-tape.js';
import {keyOf} from '../../../src/ingest/claude-keys.js';
import {FpTable, grownTo, idIn} from '../rows-aggregate/rows.js';

const COLS = 6; // input, cacheRead, cacheWrite, output, model, session
const FP = new Uint32Array(2);

export class MiniRows {
	rows = new Float64Array(COLS * 4096);
	count = 0;
	readonly keys = new FpTable();
	readonly ids = new Map<string, number>();

	private id(s: string | undefined): number {
		return s === undefined ? -1 : idIn(this.ids, s);
	}

	add(c: CallFields): void {
		if (!c.id) return;
		fingerprintInto(keyOf(c.id, c.requestId), FP);
		const at = this.keys.get(FP[0]!, FP[1]!);
		let o: number;
		if (at !== 0) {
			o = (at - 1) * COLS;
			if (c.output < this.rows[o + 3]!) return;
		} else {
			const row = this.count++;
			if ((row + 1) * COLS > this.rows.length) this.rows = grownTo(this.rows, (row + 1) * COLS);

			this.keys.set(FP[0]!, FP[1]!, row + 1);
			o = row * COLS;
			this.rows[o + 4] = this.id(c.model);
			this.rows[o + 5] = this.id(c.sessionId);
		}

		const r = this.rows;
		r[o] = c.input;
		r[o + 1] = c.cacheRead;
		r[o + 2] = c.cacheCreation;
		r[o + 3] = c.output;
	}

	totals(): number[] {
		const t = [this.count, 0, 0, 0, 0];
		for (let i = 0; i < this.count * COLS; i += COLS) for (let k = 0; k < 4; k++) t[k + 1] += this.rows[i + k]!;
		return t;
	}
}

let MINI: MiniRows | undefined;
/** The thread's rows; their totals go to stderr at exit with PROTO_ROWS_PRINT=1. */
export function miniRows(): MiniRows {
	if (!MINI) {
		const rows = (MINI = new MiniRows());
		process.on('exit', () => {
			const u = rows.totals();
			if (process.env.PROTO_ROWS_PRINT) process.stderr.write(`mini Claude Code rows: calls ${u[0]} input ${u[1]} cacheRead ${u[2]} cacheWrite ${u[3]} output ${u[4]}\n`);
		});
	}

	return MINI;
}

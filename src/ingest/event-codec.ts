// Compact transfer of a file's events from a scan worker to the main thread. A structured
// clone or JSON of ~100k small objects costs about as much as parsing the lines did; here
// each event is its shape (keys and value kinds, listed once per batch), numbers in one
// Float64Array (transferred, not copied), and strings listed once per batch.
import type {IngestEvent} from '../core/types.js';

export type PackedEvents = {shapes: string[]; nums: Float64Array; strings: string; count: number};

// Value kinds in a shape: number, string, boolean, string array, undefined, anything else (JSON).
const NUM = 'n';
const STR = 's';
const BOOL = 'b';
const LIST = 'l';
const UNDEF = 'u';
const JSONV = 'j';

function kindOf(v: unknown): string {
	switch (typeof v) {
		case 'number':
			return NUM;
		case 'string':
			return STR;
		case 'boolean':
			return BOOL;
		case 'undefined':
			return UNDEF;
		default:
			return Array.isArray(v) && v.every(x => typeof x === 'string') ? LIST : JSONV;
	}
}

export function packEvents(events: readonly IngestEvent[]): PackedEvents {
	const shapes: string[] = [];
	const strings: string[] = [];
	const stringIds = new Map<string, number>();
	let nums = new Float64Array(Math.max(64, events.length * 24));
	let n = 0;
	const push = (x: number) => {
		if (n === nums.length) {
			const bigger = new Float64Array(nums.length * 2);
			bigger.set(nums);
			nums = bigger;
		}

		nums[n++] = x;
	};

	const str = (s: string) => {
		let id = stringIds.get(s);
		if (id === undefined) {
			id = strings.length;
			strings.push(s);
			stringIds.set(s, id);
		}

		push(id);
	};

	// Events from one parser site share their keys: a shape is found by comparing keys with
	// the shapes seen so far (interned strings compare by pointer), not by building its text.
	const known: Array<{keys: string[]; kinds: string[]; id: number; last: unknown[]}> = [];
	for (const e of events) {
		const rec = e as unknown as Record<string, unknown>;
		const keys = Object.keys(rec);
		let shape: (typeof known)[number] | undefined;
		for (const k of known) {
			if (k.keys.length !== keys.length) continue;
			let same = true;
			for (let j = 0; j < keys.length && same; j++) same = k.keys[j] === keys[j] && k.kinds[j] === kindOf(rec[keys[j]!]);
			if (same) {
				shape = k;
				break;
			}
		}

		if (!shape) {
			const kinds = keys.map(k => kindOf(rec[k]));
			shape = {keys, kinds, id: shapes.length, last: []};
			shapes.push(keys.map((k, j) => `${kinds[j]}${k}\u0000`).join(''));
			known.unshift(shape);
		}

		push(shape.id);
		const kinds = shape.kinds;
		const last = shape.last;
		for (let j = 0; j < keys.length; j++) {
			const v = rec[keys[j]!];
			switch (kinds[j]) {
				case NUM:
					push(v as number);
					break;
				case STR:
					// The same string as this field of the shape's previous event (file, session, model…): -1.
					if (v === last[j]) push(-1);
					else {
						str(v as string);
						last[j] = v;
					}

					break;
				case BOOL:
					push(v ? 1 : 0);
					break;
				case UNDEF:
					break;
				case LIST:
					push((v as string[]).length);
					for (const x of v as string[]) str(x);
					break;
				default:
					str(JSON.stringify(v));
			}
		}
	}

	return {shapes, nums: nums.slice(0, n), strings: JSON.stringify(strings), count: events.length};
}

type Field = {key: string; kind: string; last: unknown};
type Shape = {fields: Field[]; make: (v: unknown[]) => IngestEvent};

/**
 * An object literal per shape, compiled once: objects built key by key from a list slow every
 * later property read in the aggregate (measured: upsert took twice as long); these get the
 * same fast layout as the parsers' own literals. Keys are JSON-quoted, so any key is safe.
 */
function factory(keys: readonly string[]): (v: unknown[]) => IngestEvent {
	// eslint-disable-next-line @typescript-eslint/no-implied-eval
	return new Function('v', `return {${keys.map((k, j) => `${JSON.stringify(k)}: v[${j}]`).join(', ')}};`) as (v: unknown[]) => IngestEvent;
}

export function unpackEvents(p: PackedEvents): IngestEvent[] {
	const shapes: Shape[] = p.shapes.map(s => {
		const fields = s
			.split('\u0000')
			.slice(0, -1)
			.map(f => ({kind: f[0]!, key: f.slice(1), last: undefined as unknown}));
		return {fields, make: factory(fields.map(f => f.key))};
	});
	const strings = JSON.parse(p.strings) as string[];
	const nums = p.nums;
	const out: IngestEvent[] = new Array(p.count);
	const values: unknown[] = [];
	let i = 0;
	for (let e = 0; e < p.count; e++) {
		const shape = shapes[nums[i++]!]!;
		const fields = shape.fields;
		values.length = fields.length;
		for (let j = 0; j < fields.length; j++) {
			const f = fields[j]!;
			switch (f.kind) {
				case NUM:
					values[j] = nums[i++];
					break;
				case STR: {
					const id = nums[i++]!;
					if (id >= 0) f.last = strings[id];
					values[j] = f.last;
					break;
				}

				case BOOL:
					values[j] = nums[i++] === 1;
					break;
				case UNDEF:
					values[j] = undefined;
					break;
				case LIST: {
					const len = nums[i++]!;
					const list = new Array<string>(len);
					for (let k = 0; k < len; k++) list[k] = strings[nums[i++]!]!;
					values[j] = list;
					break;
				}

				default:
					values[j] = JSON.parse(strings[nums[i++]!]!);
			}
		}

		out[e] = shape.make(values);
	}

	return out;
}

// A state as parts of bounded size: how the index writes it (one row each) and how a store worker
// sends its aggregate to the main thread (one message each). No single large buffer is ever made:
// glibc raises its mmap threshold to the size of any large block freed (up to 32 MB), and every
// smaller block after that comes from a heap that fragments and never shrinks.
import v8 from 'node:v8';
import {pages, type TypedCtor} from '../core/pages.js';

/** How a state is cut: bytes per typed-array slice, items per array slice, the smallest typed array sent raw. */
export type PartSizes = {readonly chunk: number; readonly slice: number; readonly rawMin: number};

/**
 * Index rows. Typed arrays from 64 KB go raw: smaller ones inside a serialized part made parts of
 * up to 3 MB (the ledger's key tables: three 1 MB arrays in one object), and serializing those
 * added ~15 MB of peak memory to the first run on 3 GB (BENCHMARKS.md). Arrays by 256 items: a
 * part serializes to about a megabyte or less.
 */
export const INDEX_PARTS: PartSizes = {chunk: 1 << 20, slice: 256, rawMin: 1 << 16};
/**
 * Messages: each well under malloc's 128 KB mmap threshold. Every typed array goes raw, copied:
 * a message clones a view's whole buffer (a ledger column's spare capacity too).
 */
export const MESSAGE_PARTS: PartSizes = {chunk: 1 << 15, slice: 16, rawMin: 1};

type Typed = Float64Array | Uint32Array | Int32Array | Uint16Array | Uint8Array;
const TYPED: Record<string, TypedCtor<Typed>> = {f64: Float64Array, u32: Uint32Array, i32: Int32Array, u16: Uint16Array, u8: Uint8Array};
const tagOf = (t: Typed) => (t instanceof Float64Array ? 'f64' : t instanceof Uint32Array ? 'u32' : t instanceof Int32Array ? 'i32' : t instanceof Uint16Array ? 'u16' : 'u8');

/** A part's bytes: raw for a typed array's slice (its path ends in `>`), else v8-serialized. */
export function encodePart(at: string, value: unknown): Buffer {
	return at.endsWith('>') ? (value as Buffer) : v8.serialize(value);
}

export function decodePart(at: string, data: Buffer): unknown {
	return at.endsWith('>') ? data : v8.deserialize(data);
}

/**
 * The state as parts of bounded size, each serialized only when it is written: one v8.serialize
 * of the whole 1 GB state grew a ~16 MB buffer and SQLite copied it, ~50 MB more peak memory on
 * the run that writes the index. Objects split by field, arrays into slices (a path names the
 * field, and `[]` marks a slice to append); anything else is one part. Raw slices are views of
 * the array's memory (no copy: ~40 MB less peak while a 3 GB history's index is written).
 */
export function* stateParts(value: unknown, sizes: PartSizes = INDEX_PARTS, at = '', depth = 0): Generator<[string, unknown]> {
	if (ArrayBuffer.isView(value) && !(value instanceof DataView) && value.byteLength >= sizes.rawMin) {
		// `<type:length:offset>`
		const t = value as Typed;
		const per = sizes.chunk / t.BYTES_PER_ELEMENT;
		for (let i = 0; i < t.length; i += per) {
			const n = Math.min(per, t.length - i);
			yield [`${at}<${tagOf(t)}:${t.length}:${i}>`, Buffer.from(t.buffer, t.byteOffset + i * t.BYTES_PER_ELEMENT, n * t.BYTES_PER_ELEMENT)];
		}
	} else if (ArrayBuffer.isView(value) && !(value instanceof DataView) && value.byteLength === 0) {
		yield [at, new (value.constructor as TypedCtor<Typed>)(0)];
	} else if (Array.isArray(value) && value.length > sizes.slice) {
		for (let i = 0; i < value.length; i += sizes.slice) yield [`${at}[]`, value.slice(i, i + sizes.slice)];
	} else if (depth < 4 && value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
		yield [`${at}{}`, {}];
		for (const [k, v] of Object.entries(value)) yield* stateParts(v, sizes, `${at}.${k}`, depth + 1);
	} else {
		yield [at, value];
	}
}

/** The value stateParts() split, put back together part by part (typed arrays on pages()). */
export class PartsJoiner {
	private readonly root: {v?: unknown} = {};

	get value(): unknown {
		return this.root.v;
	}

	add(at: string, value: unknown): void {
		const raw = /<(\w+):(\d+):(\d+)>$/.exec(at);
		if (raw) {
			// A typed array's slice: the whole array is made at its first slice, each copied into place.
			const [o, k] = this.slot(at.slice(0, raw.index));
			const Type = TYPED[raw[1]!];
			const length = Number(raw[2]);
			if (!Type) throw new Error(`part ${at}: unknown type`);
			let whole = o[k] as Typed | undefined;
			if (!(whole instanceof Type) || whole.length !== length) o[k] = whole = pages(Type, length);
			const bytes = value as Uint8Array;
			const offset = Number(raw[3]) * whole.BYTES_PER_ELEMENT;
			if (bytes.length % whole.BYTES_PER_ELEMENT !== 0 || offset + bytes.length > whole.byteLength) throw new Error(`part ${at}: out of bounds`);
			new Uint8Array(whole.buffer, offset, bytes.length).set(bytes);
			return;
		}

		const slice = at.endsWith('[]');
		const [o, k] = this.slot(slice || at.endsWith('{}') ? at.slice(0, -2) : at);
		if (slice) {
			const list = (o[k] ??= []) as unknown[];
			for (const x of value as unknown[]) list.push(x);
		} else {
			o[k] = value;
		}
	}

	private slot(at: string): [Record<string, unknown>, string] {
		let o = this.root as Record<string, unknown>;
		let key = 'v';
		for (const k of at.split('.').slice(1)) {
			o = o[key] as Record<string, unknown>;
			key = k;
		}

		return [o, key];
	}
}

/** The value stateParts() split, from its parts in order. */
export function joinParts(parts: Iterable<[string, unknown]>): unknown {
	const j = new PartsJoiner();
	for (const [at, value] of parts) j.add(at, value);
	return j.value;
}

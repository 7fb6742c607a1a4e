// A store's fields read from a line's tape (json-tape.ts) as its JSON path reads them from the
// parsed record: keys looked up by number (the last of a repeated one, as JSON.parse keeps), and
// util's asString, asNumber and parseTime on the values.
import {type Interned, type JsonTape, NONE, NULL, NUMBER, STRING} from './json-tape.js';
import {asNumber, parseTime} from './util.js';

/** Key names read from one object, and (once its NameSet is ready) each name's number → its place in the list. */
export type Names = {readonly names: readonly string[]; readonly slots: Int8Array};

export function names(...list: string[]): Names {
	return {names: list, slots: new Int8Array(64).fill(-1)};
}

/** A path of keys from the line's object, and (once bound to the thread's tape) its node there. */
export type Path = {readonly keys: readonly string[]; node: number};

export function path(...keys: string[]): Path {
	return {keys, node: 0};
}

/** A store's name lists and paths, numbered on the thread's tape before its first line is read from one. */
export class NameSet {
	private tape?: JsonTape;

	constructor(private readonly lists: readonly Names[], private readonly paths: readonly Path[] = []) {}

	/** Whether the names and paths have their numbers on this tape. Numbering them now is too late for the line already read: leave it to JSON.parse. */
	ready(t: JsonTape): boolean {
		if (this.tape === t) return true;
		for (const list of this.lists) {
			list.slots.fill(-1);
			list.names.forEach((name, j) => {
				list.slots[t.name(name)] = j;
			});
		}

		for (const p of this.paths) p.node = t.path(p.keys);
		this.tape = t;
		return false;
	}
}

/** Entries found by fields(), by the place of their name in the list (reused: nothing allocated per line). */
export const found = new Int32Array(16);

/**
 * Entries of object `o`'s values for the keys in `list` (the last of a repeated key, as in
 * JSON.parse), into found[0..]; NONE where absent. False if a key is escaped (it might be one of
 * the names). Keys are numbered only in objects at most 5 deep (the line's own object is 1):
 * deeper, every name is absent.
 */
export function fields(t: JsonTape, o: number, list: Names): boolean {
	const slots = list.slots;
	const count = list.names.length;
	for (let j = 0; j < count; j++) found[j] = NONE;
	const stop = t.next(o);
	for (let k = o + 1; k < stop; k = t.next(k + 1)) {
		const id = t.nameOf(k);
		if (id !== 0) {
			const j = slots[id]!;
			if (j >= 0) found[j] = k + 1;
		} else if (t.escaped(k)) return false;
	}

	return true;
}

/**
 * fields() of a content block whose list starts with `type`: false (leave the line to JSON.parse)
 * also when its type is an escaped string, which could be any of the types compared by bytes.
 */
export function blockFields(t: JsonTape, e: number, list: Names): boolean {
	if (!fields(t, e, list)) return false;
	const type = found[0]!;
	return t.kind(type) !== STRING || !t.escaped(type);
}

/** util's asString() of the value at e: a non-empty string, else undefined (`cache`: see Interned). */
export function stringAt(t: JsonTape, e: number, cache?: Interned): string | undefined {
	if (t.kind(e) !== STRING || t.units(e) === 0) return undefined;
	return cache ? t.interned(e, cache) : t.text(e);
}

/** util's asNumber() of the value at e. */
export function countAt(t: JsonTape, e: number): number {
	switch (t.kind(e)) {
		case NUMBER:
			return Math.round(t.number(e));
		case STRING:
			return asNumber(t.text(e));
		case NULL:
		case 0:
			return 0;
		default:
			return Number.NaN;
	}
}

/** util's parseTime() of the value at e. */
export function timeAt(t: JsonTape, e: number): number | undefined {
	const k = t.kind(e);
	return k === STRING ? (t.isoTime(e) ?? parseTime(t.text(e))) : k === NUMBER ? parseTime(t.number(e)) : undefined;
}

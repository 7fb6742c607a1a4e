// THROWAWAY PROTOTYPE (issue 16), not part of burntop. A validating walk over JSON bytes, for a store's hot lines (claude-walk.ts): the fields a parser
// needs are read in place and the rest is checked and stepped over, with no string or object made
// for it. Anything the walk does not take exactly as JSON.parse would (RFC 8259: a control byte in
// a string, a bad escape, a malformed number or literal, bytes after the value; also invalid UTF-8
// anywhere, an escaped key, nesting past MAX_DEPTH) gives FAIL, and the caller parses the line
// with JSON.parse instead. check.ts holds it to JSON.parse line by line.

export const FAIL = -1;
export const MAX_DEPTH = 200;

export const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;
export const OPEN_BRACE = 0x7b;
export const CLOSE_BRACE = 0x7d;
export const OPEN_BRACKET = 0x5b;
export const CLOSE_BRACKET = 0x5d;
const MINUS = 0x2d;
const PLUS = 0x2b;
const DOT = 0x2e;
const ZERO = 0x30;
const NINE = 0x39;

/** The string walkString() last passed: its content's span, escapes, and length in UTF-16 units (what `.length` of the parsed string is). */
export const str = {start: 0, end: 0, escaped: false, ascii: true, units: 0};
/** The number walkNumber() last passed: `simple` when it is an integer of at most 15 digits (its value exact in `value`), else read it with numberValue(). */
export const num = {start: 0, end: 0, simple: false, value: 0};

const isDigit = (c: number) => c >= ZERO && c <= NINE;
const isHex = (c: number) => (c >= ZERO && c <= NINE) || ((c | 0x20) >= 0x61 && (c | 0x20) <= 0x66);
const isCont = (c: number) => c >= 0x80 && c <= 0xbf;

/** The byte at i, or -1 past the end (the buffer holds other lines there). */
export function byteAt(buf: Uint8Array, i: number, end: number): number {
	return i < end ? buf[i]! : -1;
}

/** The first position at or after i that is not JSON whitespace. */
export function ws(buf: Uint8Array, i: number, end: number): number {
	while (i < end) {
		const c = buf[i]!;
		if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) break;
		i++;
	}

	return i;
}

/** Bytes of the valid UTF-8 sequence at i (lead byte ≥ 0x80), or FAIL (Unicode's table 3-7). */
function utf8Length(buf: Uint8Array, i: number, end: number): number {
	const c = buf[i]!;
	if (c >= 0xc2 && c <= 0xdf) return i + 1 < end && isCont(buf[i + 1]!) ? 2 : FAIL;
	if (c >= 0xe0 && c <= 0xef) {
		if (i + 2 >= end) return FAIL;
		const d = buf[i + 1]!;
		const ok = c === 0xe0 ? d >= 0xa0 && d <= 0xbf : c === 0xed ? d >= 0x80 && d <= 0x9f : isCont(d);
		return ok && isCont(buf[i + 2]!) ? 3 : FAIL;
	}

	if (c >= 0xf0 && c <= 0xf4) {
		if (i + 3 >= end) return FAIL;
		const d = buf[i + 1]!;
		const ok = c === 0xf0 ? d >= 0x90 && d <= 0xbf : c === 0xf4 ? d >= 0x80 && d <= 0x8f : isCont(d);
		return ok && isCont(buf[i + 2]!) && isCont(buf[i + 3]!) ? 4 : FAIL;
	}

	return FAIL;
}

// Byte classes inside a string: 0 plain ASCII, 1 the closing quote, 2 a backslash, 3 a control byte, 4 a UTF-8 lead or stray byte.
const CLASS = new Uint8Array(256);
for (let c = 0; c < 256; c++) CLASS[c] = c === QUOTE ? 1 : c === BACKSLASH ? 2 : c < 0x20 ? 3 : c >= 0x80 ? 4 : 0;

/** The string starting at the quote at p: the position after its closing quote (fills `str`), or FAIL. */
export function walkString(buf: Uint8Array, p: number, end: number): number {
	let i = p + 1;
	let units = 0;
	let escaped = false;
	let ascii = true;
	while (i < end) {
		const k = CLASS[buf[i]!]!;
		if (k === 0) {
			i++;
			units++;
			continue;
		}

		if (k === 1) {
			str.start = p + 1;
			str.end = i;
			str.escaped = escaped;
			str.ascii = ascii;
			str.units = units;
			return i + 1;
		}

		if (k === 3) return FAIL;
		if (k === 2) {
			escaped = true;
			const e = byteAt(buf, i + 1, end);
			if (e === 0x75) {
				// \uXXXX is one UTF-16 unit (a surrogate pair is two escapes, two units).
				if (i + 5 >= end || !isHex(buf[i + 2]!) || !isHex(buf[i + 3]!) || !isHex(buf[i + 4]!) || !isHex(buf[i + 5]!)) return FAIL;
				i += 6;
			} else if (e === QUOTE || e === BACKSLASH || e === 0x2f || e === 0x62 || e === 0x66 || e === 0x6e || e === 0x72 || e === 0x74) {
				i += 2;
			} else {
				return FAIL;
			}

			units++;
			continue;
		}

		ascii = false;
		const n = utf8Length(buf, i, end);
		if (n === FAIL) return FAIL;
		units += n === 4 ? 2 : 1;
		i += n;
	}

	return FAIL;
}

/** The number at p (JSON's grammar): the position after it (fills `num`), or FAIL. */
export function walkNumber(buf: Uint8Array, p: number, end: number): number {
	let i = p;
	const negative = byteAt(buf, i, end) === MINUS;
	if (negative) i++;
	let c = byteAt(buf, i, end);
	let value = 0;
	let digits = 0;
	if (c === ZERO) {
		i++;
		digits = 1;
	} else if (c > ZERO && c <= NINE) {
		while (i < end && isDigit((c = buf[i]!))) {
			value = value * 10 + (c - ZERO);
			i++;
			digits++;
		}
	} else {
		return FAIL;
	}

	let simple = digits <= 15 && !(negative && value === 0);
	if (byteAt(buf, i, end) === DOT) {
		const from = ++i;
		while (i < end && isDigit(buf[i]!)) i++;
		if (i === from) return FAIL;
		simple = false;
	}

	c = byteAt(buf, i, end);
	if (c === 0x65 || c === 0x45) {
		i++;
		c = byteAt(buf, i, end);
		if (c === PLUS || c === MINUS) i++;
		const from = i;
		while (i < end && isDigit(buf[i]!)) i++;
		if (i === from) return FAIL;
		simple = false;
	}

	num.start = p;
	num.end = i;
	num.simple = simple;
	num.value = negative ? -value : value;
	return i;
}

/** The value of the number walkNumber() last passed, as JSON.parse reads it (the same string-to-double conversion). */
export function numberValue(buf: Buffer): number {
	return num.simple ? num.value : Number(buf.toString('latin1', num.start, num.end));
}

const TRUE = [0x74, 0x72, 0x75, 0x65];
const FALSE = [0x66, 0x61, 0x6c, 0x73, 0x65];
const NULL = [0x6e, 0x75, 0x6c, 0x6c];

/** The literal true, false or null at p: the position after it, or FAIL. */
export function walkLiteral(buf: Uint8Array, p: number, end: number): number {
	const c = buf[p];
	const word = c === 0x74 ? TRUE : c === 0x66 ? FALSE : c === 0x6e ? NULL : undefined;
	if (!word || p + word.length > end) return FAIL;
	for (let k = 1; k < word.length; k++) if (buf[p + k] !== word[k]) return FAIL;
	return p + word.length;
}

/** Any value at p, checked and stepped over: the position after it, or FAIL. */
export function skipValue(buf: Uint8Array, p: number, end: number, depth: number): number {
	const c = byteAt(buf, p, end);
	if (c === QUOTE) return walkString(buf, p, end);
	if (c === OPEN_BRACE || c === OPEN_BRACKET) {
		if (depth >= MAX_DEPTH) return FAIL;
		const object = c === OPEN_BRACE;
		const close = object ? CLOSE_BRACE : CLOSE_BRACKET;
		let i = ws(buf, p + 1, end);
		if (byteAt(buf, i, end) === close) return i + 1;
		for (;;) {
			if (object) {
				if (byteAt(buf, i, end) !== QUOTE) return FAIL;
				i = walkString(buf, i, end);
				if (i === FAIL) return FAIL;
				i = ws(buf, i, end);
				if (byteAt(buf, i, end) !== COLON) return FAIL;
				i = ws(buf, i + 1, end);
			}

			i = skipValue(buf, i, end, depth + 1);
			if (i === FAIL) return FAIL;
			i = ws(buf, i, end);
			const d = byteAt(buf, i, end);
			if (d === close) return i + 1;
			if (d !== COMMA) return FAIL;
			i = ws(buf, i + 1, end);
		}
	}

	if (c === MINUS || isDigit(c)) return walkNumber(buf, p, end);
	return walkLiteral(buf, p, end);
}

/** Where a container walk is: `closed` once openContainer() or nextMember() passed its closing bracket. */
export const cur = {closed: false};

/** At a '{' or '[' (p): the position of its first member, or (cur.closed) the position after an empty one. */
export function openContainer(buf: Uint8Array, p: number, end: number, close: number): number {
	const i = ws(buf, p + 1, end);
	cur.closed = byteAt(buf, i, end) === close;
	return cur.closed ? i + 1 : i;
}

/** After a member's value (i): the next member's position, or (cur.closed) the position after the closing bracket. */
export function nextMember(buf: Uint8Array, i: number, end: number, close: number): number {
	i = ws(buf, i, end);
	const d = byteAt(buf, i, end);
	cur.closed = d === close;
	if (cur.closed) return i + 1;
	return d === COMMA ? ws(buf, i + 1, end) : FAIL;
}

/** An object member's key at i (its span in `str`): the position of its value, or FAIL (an escaped key too: keys are matched by their bytes). */
export function readKey(buf: Uint8Array, i: number, end: number): number {
	if (byteAt(buf, i, end) !== QUOTE) return FAIL;
	i = walkString(buf, i, end);
	if (i === FAIL || str.escaped) return FAIL;
	i = ws(buf, i, end);
	return byteAt(buf, i, end) === COLON ? ws(buf, i + 1, end) : FAIL;
}

/** A key's length, first and last byte in one number: most keys of an object differ in it, so one comparison turns most candidates down. */
export function codeOf(name: Uint8Array): number {
	return name.length === 0 ? 0 : (name.length << 16) | (name[0]! << 8) | name[name.length - 1]!;
}

/** codeOf() of the key in `str`. */
export function keyCode(buf: Uint8Array): number {
	const n = str.end - str.start;
	return n === 0 ? 0 : (n << 16) | (buf[str.start]! << 8) | buf[str.end - 1]!;
}

/** Whether the key in `str` is `name` (ASCII). */
export function keyIs(buf: Uint8Array, name: Uint8Array): boolean {
	const s = str.start;
	if (str.end - s !== name.length) return false;
	for (let k = 0; k < name.length; k++) if (buf[s + k] !== name[k]) return false;
	return true;
}

type Slicing = Buffer & {latin1Slice?(start: number, end: number): string; utf8Slice?(start: number, end: number): string};
// Buffer's own decoders, without toString()'s argument handling (a fifth of the walk's time).
const direct = typeof (Buffer.prototype as Slicing).latin1Slice === 'function' && typeof (Buffer.prototype as Slicing).utf8Slice === 'function';

/** The string in `str`, as JSON.parse gives it. */
export function stringValue(buf: Buffer): string {
	if (str.escaped) return JSON.parse(buf.toString('utf8', str.start - 1, str.end + 1)) as string;
	if (direct) return str.ascii ? (buf as Slicing).latin1Slice!(str.start, str.end) : (buf as Slicing).utf8Slice!(str.start, str.end);
	return buf.toString(str.ascii ? 'latin1' : 'utf8', str.start, str.end);
}

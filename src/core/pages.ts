// Large typed arrays in memory of their own, outside malloc's heap. A growing table frees its old
// array; glibc then raises its mmap threshold to that size (up to 32 MB), and every smaller
// allocation after it (read buffers, serialized index parts, SQLite pages) lands in the heap,
// which fragments and never shrinks. V8 maps a WebAssembly memory's pages itself, and a typed
// array on one is an ordinary typed array (one on a resizable ArrayBuffer is not: V8 11 reads it
// on slower paths). Measured: BENCHMARKS.md.
export type TypedCtor<T> = {new (buffer: ArrayBuffer, offset: number, length: number): T; new (length: number): T; readonly BYTES_PER_ELEMENT: number};

/** Below this, malloc serves the array from its heap either way. */
const MIN_BYTES = 256 * 1024;
const WASM_PAGE = 65_536;
// (This project's TypeScript lib has no WebAssembly types.)
const Memory = (globalThis as unknown as {WebAssembly?: {Memory: new (d: {initial: number}) => {buffer: ArrayBuffer}}}).WebAssembly?.Memory;
let unavailable = Memory === undefined;

export function pages<T>(Type: TypedCtor<T>, length: number): T {
	const bytes = length * Type.BYTES_PER_ELEMENT;
	if (bytes < MIN_BYTES || unavailable) return new Type(length);
	try {
		const memory = new Memory!({initial: Math.ceil(bytes / WASM_PAGE)});
		return new Type(memory.buffer, 0, length);
	} catch {
		// No WebAssembly, or address space refused: malloc's memory does the same job.
		unavailable = true;
		return new Type(length);
	}
}

/**
 * `array`'s values in a new pages() array of `length` (a growing table's next columns). Copied,
 * not grown in place: memory.grow detaches the old buffer, and V8's first detached ArrayBuffer
 * slows every typed-array access in the process (BENCHMARKS.md, session 11).
 */
export function grown<T extends {set(a: ArrayLike<number>): void}>(Type: TypedCtor<T>, array: ArrayLike<number>, length: number): T {
	const next = pages(Type, length);
	next.set(array);
	return next;
}

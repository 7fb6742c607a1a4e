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
type WasmMemory = {buffer: ArrayBuffer; grow(pages: number): number};
const Memory = (globalThis as unknown as {WebAssembly?: {Memory: new (d: {initial: number}) => WasmMemory}}).WebAssembly?.Memory;
let unavailable = Memory === undefined;
/** The memory behind each array pages() made (by its buffer), so it can grow where it is. */
const memoryOf = new WeakMap<ArrayBuffer, WasmMemory>();

export function pages<T>(Type: TypedCtor<T>, length: number): T {
	const bytes = length * Type.BYTES_PER_ELEMENT;
	if (bytes < MIN_BYTES || unavailable) return new Type(length);
	try {
		const memory = new Memory!({initial: Math.ceil(bytes / WASM_PAGE)});
		memoryOf.set(memory.buffer, memory);
		return new Type(memory.buffer, 0, length);
	} catch {
		// No WebAssembly, or address space refused: malloc's memory does the same job.
		unavailable = true;
		return new Type(length);
	}
}

/**
 * `array` lengthened to `length` with its values kept. An array pages() made grows in place: V8
 * reserves a WebAssembly memory's address space, so nothing is copied and the old and new array
 * never coexist (a copy held both: +13 MB while a 3 GB scan's ledgers merged). The old array is
 * left detached (length 0): views of it, such as an exported state's, must not outlive a growth.
 */
export function regrow<T extends ArrayLike<number> & {buffer: ArrayBufferLike; byteOffset: number; set(a: ArrayLike<number>): void}>(Type: TypedCtor<T>, array: T, length: number): T {
	const memory = array.byteOffset === 0 ? memoryOf.get(array.buffer as ArrayBuffer) : undefined;
	// Only the array's current buffer (a grown memory's old buffer still maps to it).
	if (memory && memory.buffer === array.buffer) {
		try {
			memory.grow(Math.max(0, Math.ceil((length * Type.BYTES_PER_ELEMENT) / WASM_PAGE) - memory.buffer.byteLength / WASM_PAGE));
			memoryOf.set(memory.buffer, memory);
			return new Type(memory.buffer, 0, length);
		} catch {
			// Address space refused: a copy below.
		}
	}

	const next = pages(Type, length);
	next.set(array);
	return next;
}

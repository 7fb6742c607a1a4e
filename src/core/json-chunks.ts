// JSON.stringify's exact text in pieces of about `max` characters, for an object whose large
// parts are arrays at its top level (a snapshot's sessions and projects). One string of a 3 GB
// history's snapshot was ~2 MB, and the buffer it became on its way to stdout was freed as one
// large block: glibc then raised its mmap threshold and later buffers fragmented its heap.

/** Pieces whose concatenation is JSON.stringify(value) (no toJSON on `value` itself). */
export function* jsonChunks(value: Record<string, unknown>, max = 32 * 1024): Generator<string> {
	let out = '{';
	let first = true;
	for (const [k, v] of Object.entries(value)) {
		if (!Array.isArray(v)) {
			const text = JSON.stringify(v);
			// Left out by JSON.stringify too: undefined, functions, symbols.
			if (text === undefined) continue;
			out += `${first ? '' : ','}${JSON.stringify(k)}:${text}`;
			first = false;
		} else {
			out += `${first ? '' : ','}${JSON.stringify(k)}:[`;
			first = false;
			for (let i = 0; i < v.length; i++) {
				out += (i === 0 ? '' : ',') + (JSON.stringify(v[i]) ?? 'null');
				if (out.length >= max) {
					yield out;
					out = '';
				}
			}

			out += ']';
		}

		if (out.length >= max) {
			yield out;
			out = '';
		}
	}

	yield `${out}}`;
}

/** Poll until `cond` holds; fail with `what` after `ms`. For live tests, never a timed assertion. */
export async function waitFor(cond: () => boolean, what: string, ms = 8000): Promise<void> {
	const start = Date.now();
	while (!cond()) {
		if (Date.now() - start > ms) throw new Error(`timed out waiting for ${what}`);
		await new Promise(r => setTimeout(r, 10));
	}
}

/** Poll until `get` yields a value (sync or async); fail with `what` after `ms`. */
export async function waitForValue<T>(get: () => T | undefined | Promise<T | undefined>, what: string, ms = 8000): Promise<T> {
	const start = Date.now();
	for (;;) {
		const v = await get();
		if (v !== undefined && v !== null) return v;
		if (Date.now() - start > ms) throw new Error(`timed out waiting for ${what}`);
		await new Promise(r => setTimeout(r, 20));
	}
}

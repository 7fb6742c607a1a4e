/** Poll until `cond` holds; fail with `what` after `ms`. For live tests, never a timed assertion. */
export async function waitFor(cond: () => boolean, what: string, ms = 8000): Promise<void> {
	const start = Date.now();
	while (!cond()) {
		if (Date.now() - start > ms) throw new Error(`timed out waiting for ${what}`);
		await new Promise(r => setTimeout(r, 10));
	}
}

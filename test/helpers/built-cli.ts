// The bundled CLI (dist/burntop.mjs, built by npm install) for tests that run it as users do.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';

/** dist/burntop.mjs; outside CI, when not built, the test is skipped (undefined). */
export function builtCli(t: {skip(message: string): void}): string | undefined {
	const cli = path.resolve(import.meta.dirname, '..', '..', 'dist', 'burntop.mjs');
	if (fs.existsSync(cli)) return cli;
	if (process.env['CI'] === 'true') assert.fail('dist/burntop.mjs is missing: npm ci runs the build');
	t.skip('not built (npm run build)');
	return undefined;
}

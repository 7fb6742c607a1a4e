// burntop's own cache folder (the index, status.json): its own module, so the statusline finds
// it without loading SQLite.
import fs from 'node:fs';
import {createRequire} from 'node:module';
import path from 'node:path';

/** `$XDG_CACHE_HOME/burntop`, else `~/Library/Caches/burntop` on macOS, else `~/.cache/burntop`. */
export function cacheDir(home: string, env: Readonly<Record<string, string | undefined>>, platform: NodeJS.Platform): string {
	if (env['XDG_CACHE_HOME']) return path.join(env['XDG_CACHE_HOME'], 'burntop');
	if (platform === 'darwin') return path.join(home, 'Library', 'Caches', 'burntop');
	if (platform === 'win32' && env['LOCALAPPDATA']) return path.join(env['LOCALAPPDATA'], 'burntop', 'cache');
	return path.join(home, '.cache', 'burntop');
}

let pricesVersion: string | undefined;

/** Version of the bundled price data: new prices mean new costs, so a new index. */
export function priceDataVersion(): string {
	if (pricesVersion) return pricesVersion;
	try {
		let dir = path.dirname(createRequire(import.meta.url).resolve('@pydantic/genai-prices'));
		while (!fs.existsSync(path.join(dir, 'package.json')) && path.dirname(dir) !== dir) dir = path.dirname(dir);
		pricesVersion = (JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as {version: string}).version;
	} catch {
		pricesVersion = 'unknown';
	}

	return pricesVersion;
}

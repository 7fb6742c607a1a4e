// burntop's own cache folder (the index, status.json): its own module, so the statusline finds
// it without loading SQLite.
import {createRequire} from 'node:module';
import path from 'node:path';
import {packageVersion} from '../package-version.js';

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
		pricesVersion = packageVersion(path.dirname(createRequire(import.meta.url).resolve('@pydantic/genai-prices')));
	} catch {
		pricesVersion = 'unknown';
	}

	return pricesVersion;
}

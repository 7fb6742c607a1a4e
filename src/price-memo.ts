// The model prices this machine looked up before: prices.json in burntop's cache folder, for
// this version of the price data. Loading the price data itself takes ~30–40 ms, which is most
// of a statusline run and a tenth of a warm start; the answers kept here take none.
import fs from 'node:fs';
import path from 'node:path';
import {priceDataVersion} from './ingest/cache-dir.js';
import {exportCatalogue, importCatalogue} from './pricing/index.js';

/** Take the kept answers, if any are there for this price data (a damaged file is ignored: the price data answers). */
export function loadPriceMemo(folder: string): void {
	try {
		const m = JSON.parse(fs.readFileSync(path.join(folder, 'prices.json'), 'utf8')) as {version?: unknown; entries?: unknown};
		if (m.version === priceDataVersion()) importCatalogue(m.entries);
	} catch {
		// None yet: the price data loads this once.
	}
}

/** Keep the answers this run added (written whole, then renamed: a reader never sees half a file). */
export function savePriceMemo(folder: string): void {
	const learned = exportCatalogue();
	if (!learned) return;
	const file = path.join(folder, 'prices.json');
	const temp = `${file}.${process.pid}`;
	try {
		fs.mkdirSync(folder, {recursive: true, mode: 0o700});
		fs.writeFileSync(temp, JSON.stringify({version: priceDataVersion(), entries: learned}), {mode: 0o600});
		fs.renameSync(temp, file);
	} catch {
		// A read-only or full cache folder: the next run loads the price data again; no half-written file stays.
		fs.rmSync(temp, {force: true});
	}
}

// The engine's side of the persistent index: load before any read (checked first), save as a
// union with what another burntop saved, and what doctor reports about it.
import type {Aggregate} from './core/aggregate.js';
import {checkState} from './core/state-check.js';
import type {EngineOptions, IndexStatus} from './engine-options.js';
import {checkFiles} from './ingest/file-state-check.js';
import type {StoreReader} from './ingest/reader.js';
import path from 'node:path';
import {loadPriceMemo, savePriceMemo} from './price-memo.js';

export class IndexKeeper {
	readonly status: IndexStatus = {state: 'off'};
	private versionAtLoad = -1;

	constructor(private readonly index: EngineOptions['index'], private readonly clock?: () => number) {}

	/**
	 * Restore the aggregate and the files' reading state from the index, before any read.
	 * A broken or foreign index is ignored (the cold scan gives the same numbers).
	 */
	load(aggregate: Aggregate, reader: StoreReader): IndexStatus {
		const ix = this.index;
		if (!ix) return this.status;
		// The price answers kept beside the index (never with --no-cache): new calls priced without loading the price data.
		loadPriceMemo(path.dirname(ix.cache.file));
		Object.assign(this.status, {state: 'none', file: ix.cache.file});
		try {
			const st = ix.cache.load(ix.home, ix.key);
			if (!st) return this.status;
			// Checked before anything is used: a failing index is set aside, every file is read, and the save replaces it.
			const problem = checkState(st.aggregate) ?? checkFiles(st.files);
			if (problem) {
				Object.assign(this.status, {state: 'error', message: `index failed its consistency check (${problem}): set aside and rebuilt from the session files`});
				return this.status;
			}

			// Read from the index just now: nothing else holds its arrays.
			aggregate.importState(st.aggregate, false, true);
			const restored = reader.importFiles(st.files);
			this.versionAtLoad = aggregate.version;
			Object.assign(this.status, {state: 'loaded', ...restored, savedAt: new Date(st.savedAt).toISOString()});
		} catch (error) {
			Object.assign(this.status, {state: 'error', message: `index not used: ${(error as Error).message}`});
		}

		return this.status;
	}

	/** Save the aggregate and reading state. Failures only show in the status: the index is a cache. */
	save(aggregate: Aggregate, reader: StoreReader): void {
		const ix = this.index;
		if (!ix) return;
		savePriceMemo(path.dirname(ix.cache.file));
		// Nothing new since it was loaded: the saved index is still exact.
		if (this.versionAtLoad === aggregate.version) return;
		try {
			ix.cache.save(ix.home, ix.key, theirs => {
				// Another burntop saved meanwhile: its calls join ours (a consistent one only).
				if (theirs && !checkState(theirs)) aggregate.absorb(theirs);
				// Saved sealed: a warm start loads rollups for old history, not every call.
				aggregate.seal((this.clock ?? Date.now)());
				return {aggregate: aggregate.exportState(), files: reader.exportFiles(true), savedAt: Date.now()};
			});
			this.versionAtLoad = aggregate.version;
		} catch (error) {
			Object.assign(this.status, {state: 'error', message: `index not saved: ${(error as Error).message}`});
		}
	}
}

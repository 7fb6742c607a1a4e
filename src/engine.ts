// Wires stores → reader → aggregate. Used by the CLI, the live monitor and tests.
import {Aggregate} from './core/aggregate.js';
import {buildSnapshot, type Snapshot, type Window} from './core/snapshot.js';
import type {UsageEvent} from './core/types.js';
import {discoverStore, type Discovery} from './ingest/discover.js';
import {StoreReader} from './ingest/reader.js';
import {ALL_STORES} from './ingest/stores.js';
import type {Store, StoreEnv} from './ingest/types.js';
import {Pricer, type PricingOptions} from './pricing/index.js';

export type EngineOptions = {
	env: StoreEnv;
	pricing?: PricingOptions;
	stores?: readonly Store[];
};

export class Engine {
	readonly aggregate: Aggregate;
	readonly reader: StoreReader;
	readonly pricer: Pricer;
	discoveries: Discovery[] = [];

	constructor(private readonly options: EngineOptions) {
		this.pricer = new Pricer(options.pricing);
		this.aggregate = new Aggregate((e: UsageEvent) => this.pricer.price(e));
		this.reader = new StoreReader(ev => this.aggregate.apply(ev));
	}

	get stores(): readonly Store[] {
		return this.options.stores ?? ALL_STORES;
	}

	/** Find every store's files (newest first) and start tracking them. */
	discover(): Discovery[] {
		this.discoveries = this.stores.map(s => discoverStore(s, this.options.env));
		for (const d of this.discoveries) for (const f of d.files) this.reader.track(d.store, f);
		return this.discoveries;
	}

	/** Read every tracked file to its end, most recently modified first. */
	scanAll(onProgress?: (done: number, total: number) => void): void {
		const files = [...this.reader.files.values()];
		let done = 0;
		for (const t of files) {
			this.reader.read(t, true);
			onProgress?.(++done, files.length);
		}
	}

	snapshot(w: Window, generatedAt = Date.now()): Snapshot {
		return buildSnapshot(this.aggregate, w, this.reader.health(), generatedAt);
	}
}

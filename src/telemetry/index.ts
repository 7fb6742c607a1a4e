// Starts the exports the user asked for (OpenMetrics endpoint, OTLP push) over the engine in use.
import {MetricsBuilder, type Family} from '../core/metrics.js';
import type {Engine} from '../engine.js';
import {parseListen, serveMetrics} from './openmetrics.js';
import {metricsUrl} from './otlp-url.js';

export type TelemetryOptions = {
	serve?: string;
	otlp?: string;
	otlpIntervalMs: number;
	/** Constant labels: on every OpenMetrics sample, and as OTLP resource attributes. */
	labels: Readonly<Record<string, string>>;
	engine: () => Engine;
	clock: () => number;
	version: string;
	onError: (message: string) => void;
};

export type Telemetry = {metricsUrl?: string; close: () => Promise<void>};

export class TelemetryError extends Error {}

/** Validate everything before anything starts, so a bad flag is an exit 2 with a message. */
export function checkTelemetry(o: Pick<TelemetryOptions, 'serve' | 'otlp' | 'otlpIntervalMs'>): string | undefined {
	if (o.serve !== undefined) {
		const at = parseListen(o.serve);
		if (typeof at === 'string') return at;
	}

	if (o.otlp !== undefined) {
		const url = metricsUrl(o.otlp);
		if (typeof url !== 'string') return url.error;
	}

	if (!Number.isFinite(o.otlpIntervalMs) || o.otlpIntervalMs < 100) return '--otlp-interval must be a number of milliseconds, at least 100';
	return undefined;
}

export async function startTelemetry(o: TelemetryOptions): Promise<Telemetry> {
	const problem = checkTelemetry(o);
	if (problem) throw new TelemetryError(problem);
	const builders = new WeakMap<Engine, MetricsBuilder>();
	const families = (labels: Readonly<Record<string, string>>): Family[] => {
		const e = o.engine();
		let b = builders.get(e);
		if (!b) {
			b = new MetricsBuilder();
			builders.set(e, b);
		}

		return b.families(e.metricsInput(o.clock(), labels));
	};

	const closers: Array<() => Promise<void>> = [];
	let url: string | undefined;
	if (o.serve !== undefined) {
		const server = await serveMetrics(parseListen(o.serve) as {host: string; port: number}, () => families(o.labels)).catch((error: Error) => {
			throw new TelemetryError(error.message);
		});
		url = server.url;
		closers.push(server.close);
	}

	if (o.otlp !== undefined) {
		// Loaded only when asked for: the SDK is the largest dependency and most runs never push.
		const {startOtlp} = await import('./otlp.js');
		const push = startOtlp({endpoint: o.otlp, intervalMs: o.otlpIntervalMs, attributes: o.labels, families: () => families({}), version: o.version, onError: o.onError});
		closers.push(push.shutdown);
	}

	return {
		metricsUrl: url,
		close: async () => {
			await Promise.all(closers.map(c => c().catch(() => {})));
		},
	};
}

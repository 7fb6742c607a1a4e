// `--otlp-endpoint URL`: push the same metric families over OTLP/HTTP (JSON) with the official
// OpenTelemetry JS SDK, every `intervalMs`, plus once at shutdown.
import os from 'node:os';
import {setGlobalErrorHandler} from '@opentelemetry/core';
import {OTLPMetricExporter} from '@opentelemetry/exporter-metrics-otlp-http';
import {resourceFromAttributes} from '@opentelemetry/resources';
import {MeterProvider, PeriodicExportingMetricReader} from '@opentelemetry/sdk-metrics';
import {diag, DiagLogLevel, type Observable} from '@opentelemetry/api';
import {FAMILIES, type Family} from '../core/metrics.js';
import {metricsUrl} from './otlp-url.js';

/** How long the final push at exit may take. */
const SHUTDOWN_MS = 1000;

export type OtlpOptions = {
	endpoint: string;
	intervalMs: number;
	/** Resource attributes beyond service and host (team, user… from config and --label). */
	attributes: Readonly<Record<string, string>>;
	families: () => Family[];
	version: string;
	onError: (message: string) => void;
};

export function startOtlp(o: OtlpOptions): {shutdown: () => Promise<void>} {
	const url = metricsUrl(o.endpoint);
	if (typeof url !== 'string') throw new Error(url.error);
	let lastError = '';
	const report = (error: unknown) => {
		const text = error instanceof Error ? error.message : String(error);
		const message = `OTLP export to ${url} failed: ${text.replace(/^PeriodicExportingMetricReader: /, '')}`;
		if (message !== lastError) o.onError(message);
		lastError = message;
	};

	// The SDK reports failed and timed-out exports through both channels; say each change once.
	setGlobalErrorHandler(report);
	const errorOnly = (...args: unknown[]) => report(args.map(a => (a instanceof Error ? a.message : String(a))).join(' '));
	diag.setLogger({error: errorOnly, warn: () => {}, info: () => {}, debug: () => {}, verbose: () => {}}, DiagLogLevel.ERROR);
	// The SDK retries a failed push with back-off until its own timeout (10 s by default), on timers
	// that hold the process: SIGTERM with an unreachable collector took 8.4 s to end `--watch`.
	// A retry never outlives the interval (each push carries cumulative values: one lost loses nothing).
	const exporter = new OTLPMetricExporter({url, timeoutMillis: Math.min(10_000, o.intervalMs)});
	const reader = new PeriodicExportingMetricReader({exporter, exportIntervalMillis: o.intervalMs, exportTimeoutMillis: Math.min(30_000, o.intervalMs)});
	const provider = new MeterProvider({
		resource: resourceFromAttributes({'service.name': 'burntop', 'service.version': o.version, 'host.name': os.hostname(), ...o.attributes}),
		readers: [reader],
	});
	const meter = provider.getMeter('burntop', o.version);
	const instruments = new Map<string, Observable>();
	for (const f of FAMILIES) {
		const opts = {description: f.help, ...(f.unit ? {unit: f.unit} : {})};
		instruments.set(f.name, f.type === 'counter' ? meter.createObservableCounter(f.name, opts) : meter.createObservableGauge(f.name, opts));
	}

	// One collection builds the families once; each instrument observes its own.
	meter.addBatchObservableCallback(result => {
		for (const f of o.families()) {
			const instrument = instruments.get(f.name);
			if (!instrument) continue;
			for (const s of f.samples) result.observe(instrument, s.value, s.labels);
		}
	}, [...instruments.values()]);
	// The last push on exit: a collector that accepts and never answers must not hold the exit (~10 s before).
	return {
		shutdown: async () => {
			let timer: NodeJS.Timeout | undefined;
			await Promise.race([provider.shutdown().catch(report), new Promise<void>(r => (timer = setTimeout(r, SHUTDOWN_MS)))]);
			clearTimeout(timer);
		},
	};
}

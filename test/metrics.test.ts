// Metrics export: the OpenMetrics endpoint parsed by a real parser (and promtool, and a real
// Prometheus scraping it, when installed), bounded label cardinality, and the OTLP push
// received by a local HTTP receiver.
import assert from 'node:assert/strict';
import {spawn, spawnSync} from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type {AddressInfo} from 'node:net';
import path from 'node:path';
import {Writable} from 'node:stream';
import {after, describe, it} from 'node:test';
import parsePrometheus from 'parse-prometheus-text-format';
import {Aggregate} from '../src/core/aggregate.js';
import {computeBurn} from '../src/core/burn-rate.js';
import {MetricsBuilder} from '../src/core/metrics.js';
import type {UsageEvent} from '../src/core/types.js';
import {main} from '../src/main.js';
import {render} from '../src/telemetry/openmetrics.js';
import {startOtlp} from '../src/telemetry/otlp.js';
import {builtCli} from './helpers/built-cli.js';
import {FIXTURE_HOME, runCli, sharedAvailable, tempHome} from './helpers/home.js';
import {waitFor, waitForValue} from './helpers/wait.js';

const skip = !sharedAvailable() && 'needs ../shared (required when CI=true)';

class Capture extends Writable {
	text = '';
	override _write(chunk: Buffer, _enc: BufferEncoding, cb: () => void): void {
		this.text += chunk.toString();
		cb();
	}
}

/** The real CLI in-process, stopped by `stop()`. */
function startCli(argv: string[], env: Record<string, string | undefined>) {
	const stdout = new Capture();
	const stderr = new Capture();
	const ac = new AbortController();
	const done = main({argv, env: {XDG_CACHE_HOME: tempHome('burntop-cache-'), ...env}, stdout, stderr, signal: ac.signal});
	return {stdout, stderr, done, stop: async () => {
		ac.abort();
		return done;
	}};
}

const running: Array<() => Promise<unknown>> = [];
after(async () => {
	await Promise.all(running.map(s => s()));
});

async function serving(env: Record<string, string | undefined>, extra: string[] = []) {
	const cli = startCli(['--watch', '--json', '--serve-metrics', '127.0.0.1:0', ...extra], env);
	running.push(cli.stop);
	const url = await waitForValue(() => /serving metrics at (\S+)/.exec(cli.stderr.text)?.[1], 'the metrics address');
	// The first snapshot line means history is in.
	await waitFor(() => cli.stdout.text.includes('"done":true'), 'the back-fill');
	return {cli, url};
}

type Parsed = Array<{name: string; type: string; metrics: Array<{value: string; labels?: Record<string, string>}>}>;
const sum = (p: Parsed, name: string, where: (l: Record<string, string>) => boolean = () => true) =>
	p.find(f => f.name === name)!.metrics.filter(m => where(m.labels ?? {})).reduce((n, m) => n + Number(m.value), 0);

describe('OpenMetrics endpoint on the fixture home', {skip}, () => {
	it('serves the snapshot totals, parsed by a Prometheus text parser and promtool', async () => {
		const {url} = await serving({HOME: FIXTURE_HOME}, ['--label', 'team=payments']);
		const snap = JSON.parse((await runCli(['--once', '--json'], {HOME: FIXTURE_HOME})).stdout);
		const res = await fetch(url);
		assert.equal(res.headers.get('content-type'), 'text/plain; version=0.0.4; charset=utf-8');
		const text = await res.text();
		const p = parsePrometheus(text) as Parsed;
		assert.deepEqual(p.map(f => f.name).slice(0, 3), ['burntop_tokens_total', 'burntop_cost_usd_total', 'burntop_calls_total']);
		assert.equal(sum(p, 'burntop_calls_total'), 305);
		assert.equal(sum(p, 'burntop_tokens_total', l => l['class'] === 'input'), snap.totals.inputTokens);
		assert.equal(sum(p, 'burntop_tokens_total', l => l['class'] === 'output'), snap.totals.outputTokens);
		assert.equal(sum(p, 'burntop_tokens_total', l => l['class'] === 'cache_read'), snap.totals.cacheReadTokens);
		assert.equal(sum(p, 'burntop_tokens_total', l => l['class'] === 'cache_write'), snap.totals.cacheWriteTokens);
		assert.ok(Math.abs(sum(p, 'burntop_cost_usd_total') - snap.totals.costUSD) < 1e-6);
		assert.ok(p.every(f => f.metrics.every(m => m.labels?.['team'] === 'payments')), 'the constant label on every sample');
		for (const tool of snap.tools) assert.equal(sum(p, 'burntop_calls_total', l => l['tool'] === tool.tool), tool.calls, tool.tool);

		const om = await fetch(url, {headers: {accept: 'application/openmetrics-text; version=1.0.0'}});
		assert.equal(om.headers.get('content-type'), 'application/openmetrics-text; version=1.0.0; charset=utf-8');
		const omText = await om.text();
		assert.ok(omText.endsWith('# EOF\n'));
		assert.match(omText, /^# TYPE burntop_calls counter$/m);
		assert.match(omText, /^burntop_calls_total\{/m);

		const promtool = spawnSync('promtool', ['check', 'metrics'], {input: text, encoding: 'utf8'});
		if (promtool.error) return; // promtool not installed: the npm parser above still checked it.
		assert.equal(promtool.status, 0, promtool.stdout + promtool.stderr);

		assert.equal((await fetch(url.replace('/metrics', '/other'))).status, 404);
		assert.equal((await fetch(url, {method: 'POST'})).status, 405);
	});

	it('a real Prometheus scrapes it (OpenMetrics negotiated) when prometheus is installed', async t => {
		if (spawnSync('prometheus', ['--version']).error) {
			t.skip('prometheus is not installed (Debian package "prometheus")');
			return;
		}

		const {url} = await serving({HOME: FIXTURE_HOME});
		const target = new URL(url).host;
		const dir = tempHome('burntop-prom-');
		fs.writeFileSync(path.join(dir, 'prometheus.yml'), `global:\n  scrape_interval: 1s\nscrape_configs:\n  - job_name: burntop\n    static_configs:\n      - targets: ['${target}']\n`);
		const free = await new Promise<number>(resolve => {
			const s = http.createServer().listen(0, '127.0.0.1', () => {
				const port = (s.address() as AddressInfo).port;
				s.close(() => resolve(port));
			});
		});
		const prom = spawn('prometheus', [`--config.file=${path.join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${path.join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${free}`], {stdio: 'ignore'});
		running.push(async () => prom.kill('SIGKILL'));
		const api = `http://127.0.0.1:${free}/api/v1`;
		const query = async (q: string) => {
			try {
				const r = await fetch(`${api}/query?query=${encodeURIComponent(q)}`);
				return (await r.json()) as {data?: {result: Array<{value: [number, string]}>}};
			} catch {
				return undefined;
			}
		};

		const calls = await waitForValue(async () => {
			const r = await query('sum(burntop_calls_total)');
			return r?.data?.result[0]?.value[1];
		}, 'Prometheus to scrape burntop', 30_000);
		assert.equal(Number(calls), 305);
		const targets = (await (await fetch(`${api}/targets`)).json()) as {data: {activeTargets: Array<{health: string; lastError: string}>}};
		assert.equal(targets.data.activeTargets[0]!.health, 'up');
		assert.equal(targets.data.activeTargets[0]!.lastError, '');
		prom.kill('SIGTERM');
	});
});

describe('metric families', () => {
	const event = (key: string, project: string, model: string, usd: number): UsageEvent => ({
		kind: 'usage', tool: 'claude-code', sessionId: key, project, model, ts: Date.parse('2026-03-01T10:00:00Z'), input: 10, cacheRead: 0,
		cacheWrite5m: 0, cacheWrite1h: 0, output: 1, reasoning: 0, webSearches: 0, dedupeKey: key, replace: 'max-output', reportedCostUSD: usd, preferReportedCost: true,
	});

	it('bounds label values: the largest first get their own, later ones stay "other" for good', () => {
		const agg = new Aggregate(() => ({cost: 0, priced: true, approximate: false}));
		agg.apply(event('a', '/p/small', 'm1', 1));
		agg.apply(event('b', '/p/big', 'm2', 9));
		agg.apply(event('c', '/p/mid', 'm3', 5));
		const b = new MetricsBuilder({maxProjects: 2, maxModels: 1});
		const at = Date.parse('2026-03-01T10:05:00Z');
		const input = () => ({agg, now: at, burn: computeBurn(agg, at), loopsFlagged: 0, budgets: [], labels: {}});
		const projects = (fams: ReturnType<MetricsBuilder['families']>) => {
			const m = new Map<string, number>();
			for (const s of fams.find(f => f.name === 'burntop_cost_usd')!.samples) m.set(s.labels['project']!, (m.get(s.labels['project']!) ?? 0) + s.value);
			return Object.fromEntries(m);
		};

		assert.deepEqual(projects(b.families(input())), {'/p/big': 9, '/p/mid': 5, other: 1});
		agg.apply(event('d', '/p/huge', 'm4', 100));
		assert.deepEqual(projects(b.families(input())), {'/p/big': 9, '/p/mid': 5, other: 101}, 'a new big project does not take a slot (counters never move)');
		const models = new Set(b.families(input()).find(f => f.name === 'burntop_calls')!.samples.map(s => s.labels['model']));
		assert.deepEqual([...models].sort(), ['m2', 'other']);
	});

	it('escapes label values that contain quotes, backslashes and newlines', () => {
		const agg = new Aggregate(() => ({cost: 0, priced: true, approximate: false}));
		const odd = 'C:\\work\\"quoted"\nline';
		agg.apply(event('a', odd, 'm', 1));
		const text = render(new MetricsBuilder().families({agg, now: Date.now(), burn: computeBurn(agg, Date.now()), loopsFlagged: 0, budgets: [], labels: {}}), false);
		const p = parsePrometheus(text) as Parsed;
		assert.equal(p.find(f => f.name === 'burntop_calls_total')!.metrics[0]!.labels!['project'], odd);
	});
});

describe('metrics flags', () => {
	it('clear errors for bad flags, a busy port, and exports without a long-running mode', async () => {
		const home = tempHome();
		let r = await runCli(['--once', '--serve-metrics', '9464'], {HOME: home});
		assert.equal(r.code, 2);
		assert.match(r.stderr, /--serve-metrics and --otlp-endpoint run with the monitor or --watch --json/);
		r = await runCli(['--watch', '--json', '--serve-metrics', 'nine'], {HOME: home});
		assert.match(r.stderr, /--serve-metrics: "nine" is not \[HOST:\]PORT/);
		r = await runCli(['--watch', '--json', '--otlp-endpoint', 'grpc://collector:4317'], {HOME: home});
		assert.match(r.stderr, /--otlp-endpoint: use an http:\/\/ or https:\/\/ URL/);
		r = await runCli(['--watch', '--json', '--serve-metrics', '0', '--label', 'tool=x'], {HOME: home});
		assert.match(r.stderr, /--label tool=x: "tool" is used by burntop's own metrics/);
		const busy = http.createServer();
		await new Promise<void>(resolve => busy.listen(0, '127.0.0.1', resolve));
		const port = (busy.address() as AddressInfo).port;
		r = await runCli(['--watch', '--json', '--serve-metrics', `127.0.0.1:${port}`], {HOME: home});
		assert.equal(r.code, 2);
		assert.match(r.stderr, new RegExp(`--serve-metrics: 127\\.0\\.0\\.1:${port} is already in use`));
		busy.close();
	});

	it('binds 127.0.0.1 unless a host is given', async () => {
		const {url} = await serving({HOME: tempHome()});
		assert.match(url, /^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
	});
});

describe('OTLP push', {skip}, () => {
	it('pushes the metrics with resource attributes to an OTLP/HTTP receiver', async () => {
		const bodies: Array<{path: string; type: string; body: any}> = [];
		const receiver = http.createServer((req, res) => {
			let data = '';
			req.on('data', c => (data += c));
			req.on('end', () => {
				bodies.push({path: req.url ?? '', type: req.headers['content-type'] ?? '', body: JSON.parse(data)});
				res.writeHead(200, {'content-type': 'application/json'}).end('{}');
			});
		});
		await new Promise<void>(resolve => receiver.listen(0, '127.0.0.1', resolve));
		const port = (receiver.address() as AddressInfo).port;
		const cli = startCli(['--watch', '--json', '--otlp-endpoint', `http://127.0.0.1:${port}`, '--otlp-interval', '300', '--label', 'team=payments', '--label', 'user=ana'], {HOME: FIXTURE_HOME});
		running.push(cli.stop);
		await waitFor(() => cli.stdout.text.includes('"done":true'), 'the back-fill');
		const callsIn = (body: any) => {
			const m = body.resourceMetrics[0].scopeMetrics.flatMap((s: any) => s.metrics).find((x: any) => x.name === 'burntop_calls');
			return m ? m.sum.dataPoints.reduce((n: number, d: any) => n + Number(d.asInt ?? d.asDouble), 0) : 0;
		};

		const body = await waitForValue(() => bodies.find(b => callsIn(b.body) === 305)?.body, 'an OTLP push with the totals', 10_000);
		assert.equal(bodies[0]!.path, '/v1/metrics');
		assert.match(bodies[0]!.type, /application\/json/);
		const rm = body.resourceMetrics[0];
		const attrs = Object.fromEntries(rm.resource.attributes.map((a: any) => [a.key, a.value.stringValue]));
		assert.equal(attrs['service.name'], 'burntop');
		assert.equal(attrs['team'], 'payments');
		assert.equal(attrs['user'], 'ana');
		assert.ok(attrs['host.name']);
		const metrics = rm.scopeMetrics.flatMap((s: any) => s.metrics);
		const calls = metrics.find((m: any) => m.name === 'burntop_calls');
		assert.equal(calls.sum.isMonotonic, true);
		const total = calls.sum.dataPoints.reduce((n: number, d: any) => n + Number(d.asInt ?? d.asDouble), 0);
		assert.equal(total, 305);
		assert.ok(metrics.some((m: any) => m.name === 'burntop_active_sessions' && m.gauge), 'gauges too');
		assert.equal(await cli.stop(), 0);
		receiver.close();
	});

	it('a collector that accepts and never answers does not hold the exit (within ~1 s of the stop)', async () => {
		const sockets: import('node:net').Socket[] = [];
		const silent = (await import('node:net')).createServer(socket => void sockets.push(socket));
		await new Promise<void>(resolve => silent.listen(0, '127.0.0.1', resolve));
		const port = (silent.address() as AddressInfo).port;
		const cli = startCli(['--watch', '--json', '--otlp-endpoint', `http://127.0.0.1:${port}`, '--otlp-interval', '200'], {HOME: tempHome()});
		running.push(cli.stop);
		await waitFor(() => cli.stdout.text.includes('"done":true') && sockets.length > 0, 'a push under way', 10_000);
		const t0 = performance.now();
		assert.equal(await cli.stop(), 0);
		const took = performance.now() - t0;
		for (const s of sockets) s.destroy();
		silent.close();
		assert.ok(took < 2500, `exit took ${took.toFixed(0)} ms`);
	});

	it('says so when the collector cannot be reached, and keeps running', async () => {
		const cli = startCli(['--watch', '--json', '--otlp-endpoint', 'http://127.0.0.1:9', '--otlp-interval', '200'], {HOME: tempHome()});
		running.push(cli.stop);
		await waitFor(() => /OTLP export to http:\/\/127\.0\.0\.1:9\/v1\/metrics failed/.test(cli.stderr.text), 'the export error', 10_000);
		assert.equal(await cli.stop(), 0);
	});

	/** A collector that answers every push with 503 (retryable: the SDK retries with back-off). */
	async function overloaded() {
		let pushes = 0;
		const server = http.createServer((req, res) => {
			req.resume();
			req.on('end', () => {
				pushes++;
				res.writeHead(503).end();
			});
		});
		await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
		return {url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, pushes: () => pushes, close: () => {
			server.closeAllConnections();
			server.close();
		}};
	}

	it('a failed push is not retried past the interval: nothing of it is left once shut down', async t => {
		const collector = await overloaded();
		t.after(collector.close);
		const timers = () => process.getActiveResourcesInfo().filter(r => r === 'Timeout').length;
		const before = timers();
		const errors: string[] = [];
		const families = () => [{name: 'burntop_calls', type: 'counter' as const, help: 'calls', samples: [{labels: {}, value: 1}]}];
		const push = startOtlp({endpoint: collector.url, intervalMs: 200, attributes: {}, families, version: 'test', onError: m => errors.push(m)});
		await waitFor(() => errors.length > 0, 'the export error', 10_000);
		await push.shutdown();
		// The SDK's default (10 s of retries with back-off) left its retry timers running here.
		await new Promise(r => setTimeout(r, 300));
		assert.equal(timers(), before, 'no retry timer outlives the shutdown');
	});

	it('SIGTERM ends the process within ~2 s while the collector refuses every push', async t => {
		// As users run it: the bundled CLI as a process, not main() in-process. The last push,
		// retried for 10 s, held the process 8.7 s from SIGTERM to exit at the default interval.
		// (This home is empty: --watch once ended by itself there after its first line, exit 13,
		// and this test failed when the signal came too late; see watch.test.ts.)
		const cli = builtCli(t);
		if (!cli) return;
		const collector = await overloaded();
		t.after(collector.close);
		const child = spawn(process.execPath, [cli, '--watch', '--json', '--otlp-endpoint', collector.url], {
			cwd: path.resolve(import.meta.dirname, '..'),
			env: {...process.env, HOME: tempHome(), XDG_CACHE_HOME: tempHome('burntop-cache-'), XDG_CONFIG_HOME: tempHome('burntop-config-')},
			stdio: ['ignore', 'pipe', 'inherit'],
		});
		let out = '';
		child.stdout.on('data', d => (out += d));
		const exited = new Promise<number | string | null>(resolve => child.once('exit', (code, signal) => resolve(code ?? signal)));
		t.after(() => child.kill('SIGKILL'));
		await waitFor(() => out.includes('\n'), 'the first --watch line', 20_000);
		const t0 = performance.now();
		child.kill('SIGTERM');
		const code = await exited;
		const took = performance.now() - t0;
		assert.equal(code, 0);
		assert.ok(collector.pushes() >= 1, 'the last push was tried');
		// The last push may take its 1 s; nothing waits longer.
		assert.ok(took < 2500, `exit took ${took.toFixed(0)} ms`);
	});
});

// `--serve-metrics`: /metrics in the OpenMetrics text format (or the Prometheus 0.0.4 text
// format for scrapers that do not ask for OpenMetrics). Binds 127.0.0.1 unless told otherwise.
import type {Family} from '../core/metrics.js';

export const OPENMETRICS_TYPE = 'application/openmetrics-text; version=1.0.0; charset=utf-8';
export const PROMETHEUS_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

function escapeLabel(v: string): string {
	return v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

function escapeHelp(v: string): string {
	return v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
}

function number(n: number): string {
	if (Number.isNaN(n)) return 'NaN';
	if (n === Number.POSITIVE_INFINITY) return '+Inf';
	if (n === Number.NEGATIVE_INFINITY) return '-Inf';
	return String(n);
}

/** Families as exposition text. OpenMetrics: counter family names without `_total`, samples with it, `# EOF`. */
export function render(families: readonly Family[], openMetrics: boolean): string {
	const out: string[] = [];
	for (const f of families) {
		const name = f.name;
		const sample = f.type === 'counter' ? `${name}_total` : name;
		const family = openMetrics || f.type !== 'counter' ? name : sample;
		out.push(`# HELP ${family} ${escapeHelp(f.help)}`, `# TYPE ${family} ${f.type}`);
		if (openMetrics && f.unit && name.endsWith(`_${f.unit}`)) out.push(`# UNIT ${family} ${f.unit}`);
		for (const s of f.samples) {
			const labels = Object.entries(s.labels).map(([k, v]) => `${k}="${escapeLabel(v)}"`).join(',');
			out.push(`${sample}${labels ? `{${labels}}` : ''} ${number(s.value)}`);
		}
	}

	if (openMetrics) out.push('# EOF');
	return out.join('\n') + '\n';
}

export type Listen = {host: string; port: number};

/** `9464`, `0.0.0.0:9464`, `[::1]:9464`, `localhost:9464`. */
export function parseListen(text: string): Listen | string {
	const t = text.trim();
	const m = /^\d+$/.test(t) ? [t, undefined, undefined, t] : /^(?:\[([^\]]+)\]|([^:[\]]+)):(\d+)$/.exec(t);
	if (!m) return `--serve-metrics: "${text}" is not [HOST:]PORT (e.g. 9464 or 0.0.0.0:9464)`;
	const port = Number(m[3]);
	// Port 0 asks the system for a free one (the address is printed).
	if (!Number.isInteger(port) || port < 0 || port > 65_535) return `--serve-metrics: port ${m[3]} is out of range (0-65535)`;
	return {host: m[1] ?? m[2] ?? '127.0.0.1', port};
}

export type MetricsServer = {url: string; close: () => Promise<void>};

/** The path of a request target (origin-form or absolute-form), or undefined when it is not one. */
export function requestPath(target: string | undefined): string | undefined {
	if (!target) return undefined;
	if (target.startsWith('/')) return target.split(/[?#]/, 1)[0];
	try {
		return new URL(target).pathname;
	} catch {
		return undefined;
	}
}

/** Serve /metrics; resolves once listening, rejects with a clear message when the address is taken. */
export async function serveMetrics(at: Listen, families: () => Family[]): Promise<MetricsServer> {
	// Loaded here: most runs serve nothing (~5 ms of every start).
	const http = await import('node:http');
	const server = http.createServer((req, res) => {
		// Any request target a client can send (`//`, absolute-form, junk) is answered, never thrown on.
		if (requestPath(req.url) !== '/metrics') {
			res.writeHead(404, {'content-type': 'text/plain'}).end('burntop serves /metrics\n');
			return;
		}

		if (req.method !== 'GET' && req.method !== 'HEAD') {
			res.writeHead(405, {allow: 'GET, HEAD'}).end();
			return;
		}

		const om = /application\/openmetrics-text/.test(req.headers.accept ?? '');
		let body: string;
		try {
			body = render(families(), om);
		} catch (error) {
			res.writeHead(500, {'content-type': 'text/plain'}).end(`burntop: ${(error as Error).message}\n`);
			return;
		}

		res.writeHead(200, {'content-type': om ? OPENMETRICS_TYPE : PROMETHEUS_TYPE, 'content-length': Buffer.byteLength(body)});
		res.end(req.method === 'HEAD' ? undefined : body);
	});
	server.keepAliveTimeout = 5000;
	// Malformed requests and oversized headers: a 400 (431) and the connection closed, the server goes on.
	server.on('clientError', (error: NodeJS.ErrnoException, socket) => {
		if (!socket.writable) return socket.destroy();
		socket.end(error.code === 'HPE_HEADER_OVERFLOW' ? 'HTTP/1.1 431 Request Header Fields Too Large\r\nconnection: close\r\n\r\n' : 'HTTP/1.1 400 Bad Request\r\nconnection: close\r\n\r\n');
	});
	return new Promise((resolve, reject) => {
		server.once('error', (error: NodeJS.ErrnoException) => {
			reject(new Error(error.code === 'EADDRINUSE'
				? `--serve-metrics: ${at.host}:${at.port} is already in use`
				: `--serve-metrics: cannot listen on ${at.host}:${at.port}: ${error.code ?? error.message}`));
		});
		server.listen(at.port, at.host, () => {
			const addr = server.address();
			const port = typeof addr === 'object' && addr ? addr.port : at.port;
			const host = at.host.includes(':') ? `[${at.host}]` : at.host;
			server.unref();
			resolve({
				url: `http://${host}:${port}/metrics`,
				close: () => new Promise(r => {
					server.closeAllConnections();
					server.close(() => r());
				}),
			});
		});
	});
}

// The metrics endpoint faces any local process (any host when bound to 0.0.0.0): malformed
// request targets, absolute-form URLs, oversized headers and random bytes get an answer, and
// the server keeps serving. Bounded: loopback only, a fixed number of requests.
import assert from 'node:assert/strict';
import net from 'node:net';
import {describe, it} from 'node:test';
import {requestPath, serveMetrics} from '../../src/telemetry/openmetrics.js';
import {rng} from '../helpers/corpus.js';

function raw(port: number, bytes: string | Buffer): Promise<string> {
	return new Promise(resolve => {
		const socket = net.connect(port, '127.0.0.1');
		let out = '';
		const done = () => resolve(out);
		socket.setTimeout(2000, () => socket.destroy());
		socket.on('data', d => (out += d.toString('latin1')));
		socket.on('close', done);
		socket.on('error', done);
		socket.end(bytes);
	});
}

describe('metrics server under malformed requests', () => {
	it('reads the path of every kind of request target without throwing', () => {
		assert.equal(requestPath('/metrics?x=1'), '/metrics');
		assert.equal(requestPath('http://evil.example/metrics'), '/metrics');
		assert.equal(requestPath('//'), '//');
		assert.equal(requestPath('http://[::1'), undefined);
		assert.equal(requestPath('*'), undefined);
		assert.equal(requestPath(undefined), undefined);
	});

	it('answers 400/404/431 and keeps serving /metrics', async () => {
		const server = await serveMetrics({host: '127.0.0.1', port: 0}, () => []);
		const port = Number(new URL(server.url).port);
		try {
			const cases = [
				'GET // HTTP/1.1\r\nhost: x\r\n\r\n',
				'GET //metrics HTTP/1.1\r\nhost: x\r\n\r\n',
				'GET http://evil.example/metrics HTTP/1.1\r\nhost: x\r\n\r\n',
				'GET http://[::1 HTTP/1.1\r\nhost: x\r\n\r\n',
				'GET %zz%00 HTTP/1.1\r\nhost: x\r\n\r\n',
				'GET * HTTP/1.1\r\nhost: x\r\n\r\n',
				`GET /metrics HTTP/1.1\r\nhost: x\r\nx-big: ${'a'.repeat(20_000)}\r\n\r\n`,
				'\u0000\u0001garbage\r\n\r\n',
				'GET /metrics HTTP/9.9\r\n\r\n',
			];
			const r = rng(7);
			for (let i = 0; i < 30; i++) cases.push(Buffer.from(Array.from({length: 1 + Math.floor(r() * 200)}, () => Math.floor(r() * 256))).toString('latin1'));
			for (const c of cases) {
				const answer = await raw(port, c);
				assert.ok(answer === '' || /^HTTP\/1\.1 (200|400|404|405|431|505)/.test(answer), `${JSON.stringify(c.slice(0, 40))} → ${answer.slice(0, 60)}`);
			}

			assert.match(await raw(port, 'GET http://evil.example/metrics HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n'), /^HTTP\/1\.1 200/);
			const ok = await fetch(server.url);
			assert.equal(ok.status, 200, 'still serving after all of it');
		} finally {
			await server.close();
		}
	});
});

import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import {describe, it} from 'node:test';
import {claudeAssistant as a, claudePath, runCli, tempHome, write} from './helpers/home.js';

function home3(): string {
	const home = tempHome();
	write(claudePath(home, '-p', 's.jsonl'), [
		a({id: 'm1', ts: '2026-03-01T10:00:00.000Z', output: 1}),
		a({id: 'm2', ts: '2026-03-02T10:00:00.000Z', output: 10}),
		a({id: 'm3', ts: '2026-03-03T10:00:00.000Z', output: 100}),
	]);
	return home;
}

const json = async (argv: string[], home: string) => {
	const r = await runCli(['--once', '--json', ...argv], {HOME: home, TZ: 'UTC'});
	assert.equal(r.code, 0, r.stderr);
	return JSON.parse(r.stdout);
};

describe('CLI --once', () => {
	it('--since and --until select calls by time; a bare --until date includes that day', async () => {
		const home = home3();
		assert.equal((await json(['--since', '2026-03-02T00:00:00Z'], home)).totals.outputTokens, 110);
		assert.equal((await json(['--until', '2026-03-02T23:59:59Z'], home)).totals.outputTokens, 11);
		assert.equal((await json(['--since', '2026-03-02T00:00:00Z', '--until', '2026-03-02T12:00:00Z'], home)).totals.outputTokens, 10);
		assert.equal((await json(['--since', '2026-03-01T10:00:00Z', '--until', '2026-03-03T10:00:00Z'], home)).totals.outputTokens, 111);
	});

	it('--now evaluates as if at that instant: later calls do not exist yet', async () => {
		const home = home3();
		const doc = await json(['--now', '2026-03-02T12:00:00Z'], home);
		assert.equal(doc.now, '2026-03-02T12:00:00.000Z');
		assert.equal(doc.totals.outputTokens, 11);
		assert.equal(doc.sessions[0].lastAt, '2026-03-02T10:00:00.000Z');
	});

	it('BURNTOP_TIMING prints its phases to stderr, in order, and leaves stdout alone', async () => {
		const home = home3();
		const plain = await runCli(['--once', '--json', '--now', '2026-03-04T00:00:00Z'], {HOME: home, TZ: 'UTC'});
		const timed = await runCli(['--once', '--json', '--now', '2026-03-04T00:00:00Z'], {HOME: home, TZ: 'UTC', BURNTOP_TIMING: '1'});
		assert.equal(plain.stderr, '');
		const phases = [...timed.stderr.matchAll(/^burntop timing: (.+) at (\d+) ms, RSS (\d+) MB \(V8 heap \d+, external \d+\)$/gm)];
		assert.deepEqual(phases.map(m => m[1]), ['start of the scan', 'files found, index loaded', 'transcripts read', 'snapshot ready', 'output written', 'index saved']);
		assert.ok(phases.every(m => Number(m[3]) > 10), 'RSS in MB');
		const at = phases.map(m => Number(m[2]));
		assert.deepEqual([...at].sort((x, y) => x - y), at);
		assert.equal(JSON.parse(timed.stdout).totals.outputTokens, JSON.parse(plain.stdout).totals.outputTokens);
	});

	it('rejects bad dates with a clear message and exit 2', async () => {
		const home = home3();
		const bad = await runCli(['--once', '--since', 'yesterday'], {HOME: home});
		assert.equal(bad.code, 2);
		assert.match(bad.stderr, /--since: "yesterday" is not a date/);
		const feb30 = await runCli(['--once', '--until', '2026-02-30'], {HOME: home});
		assert.match(feb30.stderr, /not a calendar date/);
		const order = await runCli(['--once', '--since', '2026-03-03', '--until', '2026-03-01'], {HOME: home});
		assert.equal(order.code, 2);
		assert.match(order.stderr, /--since is after --until/);
	});

	it('--version prints the package version and nothing else', async () => {
		const r = await runCli(['--version'], {HOME: tempHome()});
		assert.equal(r.code, 0, r.stderr);
		assert.equal(r.stdout, `${JSON.parse(fs.readFileSync(new URL('../package.json', import.meta.url), 'utf8')).version}\n`);
	});

	it('-v and -h as people type them; a flag missing its value or a number that is not one exits 2 with a message', async () => {
		const h = tempHome();
		const version = `${JSON.parse(fs.readFileSync(new URL('../package.json', import.meta.url), 'utf8')).version}\n`;
		assert.deepEqual(await runCli(['-v'], {HOME: h}).then(r => [r.code, r.stdout]), [0, version]);
		const help = await runCli(['-h'], {HOME: h});
		assert.equal(help.code, 0);
		assert.match(help.stdout, /-h, --help/);
		for (const [argv, message] of [
			[['--once', '--since'], /--since needs a value/],
			[['--until', '--once'], /--until needs a value/],
			[['--watch', '--json', '--interval', 'abc'], /--interval must be a number of milliseconds/],
			[['--once', '--otlp-interval', 'soon'], /--otlp-interval must be a number of milliseconds/],
			[['-x'], /unknown option -x/],
		] as const) {
			const r = await runCli([...argv], {HOME: h});
			assert.equal(r.code, 2, argv.join(' '));
			assert.match(r.stderr, message);
		}
	});

	it('rejects unknown flags', async () => {
		const r = await runCli(['--once', '--bogus'], {HOME: home3()});
		assert.equal(r.code, 2);
		assert.match(r.stderr, /unknown option --bogus/);
	});

	it('reports a broken config file by path and field, exit 2', async () => {
		const home = home3();
		write(path.join(home, '.config', 'burntop', 'config.json'), '{"prices": {"x": {"input": "cheap", "output": 1}}}');
		const r = await runCli(['--once'], {HOME: home});
		assert.equal(r.code, 2);
		assert.match(r.stderr, /config\.json: prices\["x"\]\.input must be a non-negative number/);
	});

	it('config aliases price an unknown model', async () => {
		const home = tempHome();
		write(claudePath(home, '-p', 's.jsonl'), [a({id: 'm1', ts: '2026-03-01T10:00:00.000Z', output: 1000, model: 'my-gateway-sonnet'})]);
		const before = await json([], home);
		assert.equal(before.health.unpricedModels[0].model, 'my-gateway-sonnet');
		write(path.join(home, '.config', 'burntop', 'config.json'), JSON.stringify({aliases: {'my-gateway-sonnet': 'claude-sonnet-4-5'}}));
		const after = await json([], home);
		assert.equal(after.health.unpricedModels.length, 0);
		assert.ok(after.totals.costUSD > 0.015);
	});

	it('prints a readable table without --json, marking unpriced and estimated figures', async () => {
		const home = home3();
		const r = await runCli(['--once'], {HOME: home});
		assert.equal(r.code, 0);
		assert.match(r.stdout, /claude-code\s+3\s/);
		assert.match(r.stdout, /Read 1 files/);
	});

	it('without a terminal and without flags prints the table, a hint about --watch --json, exit 0', async () => {
		const r = await runCli([], {HOME: home3()});
		assert.equal(r.code, 0);
		assert.match(r.stdout, /claude-code\s+3\s/);
		assert.match(r.stdout, /no terminal: printed one snapshot.*--watch --json/);
		const demo = await runCli(['--demo'], {HOME: home3()});
		assert.equal(demo.code, 2);
		assert.match(demo.stderr, /--demo .* needs a terminal/);
	});

	it('with no stores at all it says where it looked', async () => {
		const r = await runCli(['--once'], {HOME: tempHome()});
		assert.equal(r.code, 0);
		assert.match(r.stdout, /No model calls found/);
	});
});

// `burntop export`: stable columns, every grouping adds up to the snapshot's totals on the real
// fixture home, CSV quoting that spreadsheets read safely, clear errors.
import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {FIGURE_COLUMNS, KEY_COLUMNS} from '../src/core/export.js';
import {claudeAssistant as a, claudePath, FIXTURE_HOME, runCli, sharedAvailable, tempHome, write} from './helpers/home.js';

const skip = !sharedAvailable() && 'needs ../shared (required when CI=true)';
const NOW = '2030-01-01T00:00:00Z';

/** Minimal RFC 4180 reader (quoted fields, doubled quotes, CRLF). */
function parseCsv(text: string): string[][] {
	const rows: string[][] = [];
	let row: string[] = [];
	let cell = '';
	let quoted = false;
	for (let i = 0; i < text.length; i++) {
		const ch = text[i]!;
		if (quoted) {
			if (ch === '"' && text[i + 1] === '"') {
				cell += '"';
				i++;
			} else if (ch === '"') quoted = false;
			else cell += ch;
		} else if (ch === '"') quoted = true;
		else if (ch === ',') {
			row.push(cell);
			cell = '';
		} else if (ch === '\r' && text[i + 1] === '\n') {
			row.push(cell);
			rows.push(row);
			row = [];
			cell = '';
			i++;
		} else cell += ch;
	}

	return rows;
}

describe('export on the fixture home', {skip}, () => {
	for (const by of ['day', 'project', 'model', 'session'] as const) {
		it(`--by ${by}: CSV and JSON rows add up to the snapshot totals`, async () => {
			const env = {HOME: FIXTURE_HOME};
			const snap = JSON.parse((await runCli(['--once', '--json', '--now', NOW], env)).stdout);
			const csv = await runCli(['export', '--by', by, '--now', NOW], env);
			assert.equal(csv.code, 0, csv.stderr);
			const [header, ...rows] = parseCsv(csv.stdout);
			assert.deepEqual(header, [...KEY_COLUMNS[by], ...FIGURE_COLUMNS]);
			const col = (name: string) => header!.indexOf(name);
			const sum = (name: string) => rows.reduce((n, r) => n + Number(r[col(name)]), 0);
			assert.equal(sum('calls'), snap.totals.calls);
			assert.equal(sum('calls'), 305, 'the shared README total');
			assert.equal(sum('input_tokens'), snap.totals.inputTokens);
			assert.equal(sum('output_tokens'), snap.totals.outputTokens);
			assert.equal(sum('cache_read_tokens'), snap.totals.cacheReadTokens);
			assert.equal(sum('cache_write_tokens'), snap.totals.cacheWriteTokens);
			assert.ok(Math.abs(sum('cost_usd') - snap.totals.costUSD) < 1e-6 * rows.length + 1e-9, `${sum('cost_usd')} vs ${snap.totals.costUSD}`);
			const j = JSON.parse((await runCli(['export', '--by', by, '--format', 'json', '--now', NOW], env)).stdout);
			assert.equal(j.by, by);
			assert.deepEqual(j.columns, header);
			assert.equal(j.rows.length, rows.length);
			assert.equal(j.rows.reduce((n: number, r: {calls: number}) => n + r.calls, 0), 305);
			if (by === 'session') assert.equal(rows.length, snap.sessions.length);
			if (by === 'model') assert.equal(rows.length, snap.models.length);
		});
	}
});

describe('export rows', () => {
	it('days are local dates, in order; --since/--until filter; text is quoted and formula-safe', async () => {
		const home = tempHome();
		const cwd = '/home/u/=HYPERLINK("x"),a';
		write(claudePath(home, '-x', 's.jsonl'), [
			a({id: 'm1', ts: '2026-03-01T23:30:00Z', output: 10, cwd}),
			a({id: 'm2', ts: '2026-03-02T01:30:00Z', output: 20, cwd}),
			a({id: 'm3', ts: '2026-03-03T12:00:00Z', output: 40, cwd}),
		]);
		// In New York, 23:30Z and 01:30Z on the 1st/2nd are both the evening of March 1st.
		// The CLI runs in this process: the zone is the process's own.
		process.env['TZ'] = 'America/New_York';
		const ny = await runCli(['export', '--now', NOW], {HOME: home});
		const rows = parseCsv(ny.stdout);
		assert.deepEqual(rows.map(r => [r[0], r[3]]), [['date', 'output_tokens'], ['2026-03-01', '30'], ['2026-03-03', '40']]);
		process.env['TZ'] = 'UTC';
		const utc = parseCsv((await runCli(['export', '--since', '2026-03-02', '--until', '2026-03-02', '--now', NOW], {HOME: home})).stdout);
		assert.deepEqual(utc.slice(1).map(r => [r[0], r[3]]), [['2026-03-02', '20']]);
		const p = await runCli(['export', '--by', 'project', '--now', NOW], {HOME: home});
		assert.match(p.stdout, /^project,remote,calls,/);
		assert.match(p.stdout, /\r\n"\/home\/u\/=HYPERLINK\(""x""\),a",,3,/, 'quoted; a leading / is not a formula');
		assert.deepEqual(parseCsv(p.stdout)[1]!.slice(0, 3), [cwd, '', '3']);
		const formula = tempHome();
		write(claudePath(formula, '-y', 's.jsonl'), [a({id: 'f1', ts: '2026-03-01T10:00:00Z', output: 1, cwd: '=cmd|calc'})]);
		assert.match((await runCli(['export', '--by', 'project', '--now', NOW], {HOME: formula})).stdout, /\r\n'=cmd\|calc,/);
	});

	it('refuses a bad --format or --by, and those flags outside export', async () => {
		const home = tempHome();
		let r = await runCli(['export', '--format', 'xlsx'], {HOME: home});
		assert.equal(r.code, 2);
		assert.match(r.stderr, /--format must be csv or json, not "xlsx"/);
		r = await runCli(['export', '--by', 'week'], {HOME: home});
		assert.match(r.stderr, /--by must be one of day, project, model, session, not "week"/);
		r = await runCli(['--once', '--by', 'day'], {HOME: home});
		assert.match(r.stderr, /--format and --by belong to `burntop export`/);
		r = await runCli(['export'], {HOME: home});
		assert.equal(r.code, 0);
		assert.equal(r.stdout, 'date,calls,input_tokens,output_tokens,cache_read_tokens,cache_write_tokens,reasoning_tokens,cost_usd,unpriced_calls,estimated,unrecorded_output_tokens_estimate,unrecorded_cost_usd_estimate\r\n', 'no history: the header only');
	});
});

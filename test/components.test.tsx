// Single components rendered from props alone, colours included where they carry meaning (the
// rest of the UI tests render the whole app). Colour is forced on before Ink loads: under the
// test runner stdout is not a terminal.
import assert from 'node:assert/strict';
import {describe, it} from 'node:test';

process.env['FORCE_COLOR'] = '1';
const React = await import('react');
const {render} = await import('ink-testing-library');
const {Header} = await import('../src/components/header.js');
const {Table} = await import('../src/components/table.js');
const {emptyTotals} = await import('../src/core/totals.js');
type LiveSnapshot = import('../src/engine.js').LiveSnapshot;
type BudgetStatus = import('../src/core/budgets.js').BudgetStatus;

const RED = '\u001B[31m';
const GREEN = '\u001B[32m';

function live(o: {budget?: Partial<BudgetStatus>; trend?: 'up' | 'down' | 'flat'} = {}): LiveSnapshot {
	const rate = {usdPerMin: 0.5, tokensPerMin: 1000, usd: 2.5, tokens: 5000, calls: 3};
	const budget: BudgetStatus = {id: 'day:*:*', label: 'daily', period: 'day', budgetUSD: 10, spentUSD: 12, fraction: 1.2, level: 'over', periodStart: '', periodEnd: '', text: 'over budget: $12.00 of $10.00 today', ...o.budget};
	return {
		totals: emptyTotals(), tools: [{tool: 'claude-code', ...emptyTotals()}], budgets: o.budget ? [budget] : [],
		burn: {windows: {'5m': rate, '60m': rate}, trend: o.trend ?? 'flat', spentTodayUSD: 12, spentThisHourUSD: 2.5, projection: {hourUSD: 30, dayUSD: 100}, perMinute: [], byTool: [], byProject: [], sessions: [], activeSessions: 1},
		progress: {filesRead: 1, filesTotal: 1, bytesRead: 1, bytesTotal: 1, done: true},
	} as unknown as LiveSnapshot;
}

describe('Header', () => {
	it('an exceeded budget is red and bold; a warning is not red', () => {
		const over = render(React.createElement(Header, {live: live({budget: {}}), width: 100})).lastFrame()!;
		assert.match(over, new RegExp(`${RED.replace('[', '\\[')}(\\u001B\\[1m)?budget daily: over budget`));
		const warn = render(React.createElement(Header, {live: live({budget: {level: 'warn', text: '$8.50 of $10.00 today (85%)'}}), width: 100})).lastFrame()!;
		assert.match(warn, /budget daily: \$8\.50 of \$10\.00 today/);
		assert.doesNotMatch(warn, new RegExp(`${RED.replace('[', '\\[')}[^\\n]*budget`));
	});

	it('rising spend is red, falling green; the guard shows when armed', () => {
		assert.ok(render(React.createElement(Header, {live: live({trend: 'up'}), width: 100})).lastFrame()!.includes(`${RED}$0.50/min ↑`));
		assert.ok(render(React.createElement(Header, {live: live({trend: 'down'}), width: 100})).lastFrame()!.includes(`${GREEN}$0.50/min ↓`));
		assert.match(render(React.createElement(Header, {live: live(), width: 100, guard: 'on'})).lastFrame()!, /guard on/);
	});
});

describe('Table', () => {
	it('a flagged row is red, the others are not; the selection is inverse', () => {
		const f = render(React.createElement(Table, {columns: [{title: 'session', width: 12, flex: true}, {title: 'cost', width: 8, align: 'right'}], rows: [['healthy', '$1.00'], ['looping', '$9.00']], hot: new Set([1]), selected: 0, width: 40, height: 5})).lastFrame()!;
		const lines = f.split('\n');
		assert.ok(lines.find(l => l.includes('looping'))!.includes(RED), 'flagged row in red');
		assert.ok(!lines.find(l => l.includes('healthy'))!.includes(RED));
		assert.ok(lines.find(l => l.includes('healthy'))!.includes('\u001B[7m'), 'the selected row is inverse');
	});
});

describe('Chart', () => {
	const labels = (frame: string) => frame.split('\n').map(l => /^\s*(\$[\d.]+)/.exec(l)?.[1]).filter(Boolean);

	it('dollar labels carry two significant digits of the top, however small the spend', async () => {
		const {Chart} = await import('../src/components/chart.js');
		const {usdLabel} = await import('../src/components/tabs.js');
		for (const [top, want] of [[0.0003, '$0.00030'], [0.004, '$0.0040'], [0.5, '$0.500'], [12.5, '$12.50']] as const) {
			const series = Array.from({length: 40}, (_, i) => (i === 20 ? top : 0));
			const got = labels(render(React.createElement(Chart, {series, width: 60, height: 6, format: usdLabel})).lastFrame()!);
			assert.equal(got[0], want, `top label for ${top}`);
			// Every row its own value: $0.000 on every row said nothing.
			assert.equal(new Set(got).size, got.length, `distinct labels for ${top}: ${got.join(' ')}`);
		}

		assert.equal(usdLabel(0, 0), '$0.000');
		assert.equal(usdLabel(1e-12, 1e-12).length <= 9, true, 'fits the 9-character label');
	});
});

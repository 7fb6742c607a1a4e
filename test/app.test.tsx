// The monitor with ink-testing-library: every tab, drill-down, keys, resize, empty state.
// Frames are asserted before unmount (under CI=true Ink only keeps the last frame after it).
import assert from 'node:assert/strict';
import {after, describe, it} from 'node:test';
import {render} from 'ink-testing-library';
import {App} from '../src/app.js';
import {Engine} from '../src/engine.js';
import {commandFor, footerText, helpSections, KEYMAP, KEYMAPS} from '../src/keymap.js';
import {LiveStore} from '../src/live-store.js';
import {initialUiState, reduce} from '../src/ui-state.js';
import {claudeAssistant as a, claudePath, claudeUser, codexMeta, codexPath, codexTokens, codexTurn, tempHome, write} from './helpers/home.js';

const NOW = Date.parse('2026-03-10T14:30:00Z');
const iso = (minsAgo: number) => new Date(NOW - minsAgo * 60_000).toISOString();
// Ink flushes a lone Esc on a setImmediate and React renders on the next one: wait past both
// before the timer, or a timer that is already due reads the frame before the render.
const tick = () => new Promise(r => setImmediate(() => setImmediate(() => setImmediate(() => setTimeout(r, 0)))));
const strip = (s: string | undefined) => (s ?? '').replace(/\u001B\[[0-9;]*m/g, '');

function home(): string {
	const h = tempHome();
	const calls = [];
	for (let i = 0; i < 12; i++) calls.push(a({id: `w${i}`, ts: iso(50 - i * 4), output: 500, cacheRead: 40_000, cacheWrite: 2000, sessionId: 'web-1', cwd: '/home/u/webapp', tools: [{name: i % 2 ? 'Edit' : 'Read'}]}));
	write(claudePath(h, '-home-u-webapp', 'web-1.jsonl'), [claudeUser('add a settings page', {ts: iso(55), sessionId: 'web-1', cwd: '/home/u/webapp'}), ...calls]);
	const loop = [];
	for (let i = 0; i < 12; i++) loop.push(a({id: `l${i}`, ts: iso(12 - i), output: 300, input: i > 6 ? 150_000 : 20, cacheRead: i > 6 ? 0 : 150_000, sessionId: 'loop-1', cwd: '/home/u/etl', model: 'claude-opus-4-6', tools: [{name: 'Bash', input: {command: 'npm test'}}]}));
	write(claudePath(h, '-home-u-etl', 'loop-1.jsonl'), loop);
	const id = '019c0000-0000-7000-8000-0000000000ab';
	write(codexPath(h, `rollout-2026-03-10T14-00-00-${id}.jsonl`), [
		codexMeta(id, iso(30)),
		codexTurn(iso(29)),
		codexTokens(iso(28), {input: 5000, cached: 4000, output: 100}, {input: 5000, cached: 4000, output: 100}, {primary: {used_percent: 42, window_minutes: 300, resets_at: Math.floor(NOW / 1000) + 3 * 3600}}),
	]);
	return h;
}

const stores: LiveStore[] = [];
after(() => stores.forEach(s => s.close()));

/** A store over a scanned home at the fixed clock. */
function storeFor(h: string): {engine: Engine; store: LiveStore} {
	const engine = new Engine({env: {home: h, env: {HOME: h}, platform: process.platform}, clock: () => NOW});
	engine.discover();
	engine.scanAll();
	engine.progress.done = true;
	const store = new LiveStore(engine, () => NOW, 0);
	stores.push(store);
	return {engine, store};
}

function setup(h = home(), size = {columns: 100, rows: 30}) {
	const {engine, store} = storeFor(h);
	let quit = 0;
	const ui = render(<App store={store} size={size} onQuit={() => quit++} />);
	return {ui, store, engine, quits: () => quit};
}

async function keys(ui: ReturnType<typeof render>, ...ks: string[]): Promise<string> {
	await tick();
	for (const k of ks) {
		ui.stdin.write(k);
		await tick();
	}

	return strip(ui.lastFrame());
}

const ESC = '\u001B';
const DOWN = '\u001B[B';
const ENTER = '\r';

describe('monitor (ink-testing-library)', () => {
	it('live tab: header figures, the chart, projections, rate-limit bars and active sessions by burn', async () => {
		const {ui} = setup();
		const f = await keys(ui);
		assert.match(f, /burntop {2}today \$\d+\.\d\d/);
		assert.match(f, /active 2/);
		assert.match(f, /\$ per minute, last 60 min/);
		assert.match(f, /projected: hour \$[\d.]+, day \$[\d.]+/);
		assert.match(f, /codex limits {2}5h ████░░░░░░ 42%/);
		const rows = f.split('\n').filter(l => /\/home\/u\//.test(l));
		// The looping session burns faster and is listed first.
		assert.match(rows[0]!, /\/home\/u\/etl\s+claude-code\s+claude-opus-4-6/);
		assert.ok(f.split('\n').length <= 29, 'frame shorter than the terminal');
		ui.unmount();
	});

	it('t toggles the chart to tokens per minute', async () => {
		const {ui} = setup();
		assert.match(await keys(ui, 't'), /tokens per minute, last 60 min/);
		ui.unmount();
	});

	it('projects tab: totals per project; b cycles the breakdown; p the period; s the sort', async () => {
		const {ui} = setup();
		let f = await keys(ui, '2');
		assert.match(f, /by project \(b\) {2}period today \(p\) {2}sort cost \(s, r reverses\)/);
		assert.match(f, /\/home\/u\/etl\s+\$[\d.]+\s+12\s/);
		assert.match(f, /\/home\/u\/webapp\s+\$[\d.]+\s+12\s/);
		f = await keys(ui, 'b');
		assert.match(f, /by model/);
		assert.match(f, /claude-opus-4-6/);
		f = await keys(ui, 'b');
		assert.match(f, /by activity/);
		assert.match(f, /testing/);
		f = await keys(ui, 'b');
		assert.match(f, /by tool/);
		assert.match(f, /codex\s+\$/);
		f = await keys(ui, 's');
		assert.match(f, /sort calls/);
		const order = f.split('\n').filter(l => /^(claude-code|codex) /.test(l)).map(l => l.split(/\s+/)[0]);
		assert.deepEqual(order, ['claude-code', 'codex']);
		f = await keys(ui, 'p', 'p', 'p');
		assert.match(f, /period all/);
		ui.unmount();
	});

	it('letters that arrive together are each a key: "2ssss" then "jj" as one write each, as a paste or a slow link delivers them', async () => {
		const {ui} = setup();
		let f = await keys(ui, '2ssss');
		assert.match(f, /sort name/);
		f = await keys(ui, 'jj', ENTER);
		assert.match(f, /sessions of \/home\/u\/webapp/, 'both j moved the selection');
		ui.unmount();
	});

	it('Enter on a project lists its sessions; Enter again opens the session; Esc goes back', async () => {
		const {ui} = setup();
		let f = await keys(ui, '2', 's', 's', 's', 's');
		assert.match(f, /sort name/);
		// By name: /home/u/codexproj, /home/u/etl, /home/u/webapp.
		f = await keys(ui, DOWN, DOWN, ENTER);
		assert.match(f, /sessions of \/home\/u\/webapp/);
		assert.match(f, /web-1\s+claude-code/);
		f = await keys(ui, ENTER);
		assert.match(f, /claude-code session web-1/);
		assert.match(f, /12 calls/);
		assert.match(f, /context per call/);
		assert.match(f, /tools: Read×6 Edit×6/);
		f = await keys(ui, ESC);
		assert.match(f, /sessions of \/home\/u\/webapp/);
		f = await keys(ui, ESC);
		assert.match(f, /by project/);
		ui.unmount();
	});

	it('session drill-down from the live tab shows the per-call timeline', async () => {
		const {ui} = setup();
		const f = await keys(ui, ENTER);
		assert.match(f, /claude-code session loop-1/);
		assert.match(f, /time\s+model\s+input\s+c\.read\s+c\.write\s+output\s+cost\s+activity/);
		assert.match(f, /claude-opus-4-6\s+150\.0k\s+0\s+0\s+300\s+\$[\d.]+\s+testing/);
		ui.unmount();
	});

	it('cache tab: hourly sparklines and the session whose cache collapsed with its extra cost', async () => {
		const {ui} = setup();
		const f = await keys(ui, '3');
		assert.match(f, /cache hit rate per hour/);
		assert.match(f, /claude-code\s+[▁▂▃▄▅▆▇█ ]+\s+\d+\.\d%/);
		assert.match(f, /\/home\/u\/etl\s+claude-code\s+100\.0%\s+0\.0%\s+150\.0k\s+\$[\d.]+/);
		ui.unmount();
	});

	it('loops tab lists the runaway session with its reasons and advice; Tab and Shift-Tab cycle tabs', async () => {
		const {ui} = setup();
		let f = await keys(ui, '4');
		assert.match(f, /possible runaway loops, by projected cost of the next hour/);
		assert.match(f, /\/home\/u\/etl\s+claude-code\s+\d+\s+\$[\d.]+\s+\$[\d.]+\s+`npm test` run 12×/);
		assert.match(f, /→ Stop the agent \(x\)/);
		assert.match(f, /session file: .*loop-1\.jsonl/);
		f = await keys(ui, '\t');
		assert.match(f, /\$ per minute/);
		f = await keys(ui, '\u001B[Z');
		assert.match(f, /possible runaway loops/);
		ui.unmount();
	});

	it('x on a flagged session asks before signalling, names the process, and n sends nothing', async () => {
		const sent: string[] = [];
		const proc = {pid: 4242, uid: 0, command: 'node /usr/bin/claude', cwd: '/home/u/etl', startedAt: 0, agent: 'claude-code'};
		const {store} = storeFor(home());
		const ui = render(<App store={store} size={{columns: 100, rows: 30}} onQuit={() => {}} findProcess={q => (q.project === '/home/u/etl' && q.tool === 'claude-code' ? {process: proc, candidates: [proc]} : {candidates: []})} signal={(p, sig) => (sent.push(`${sig} ${p.pid}`), {ok: true, signal: sig})} />);
		let f = await keys(ui, '4', 'x');
		assert.match(f, /Send SIGINT to PID 4242 \(node \/usr\/bin\/claude\) in \/home\/u\/etl\? y\/n/);
		f = await keys(ui, 'n');
		assert.match(f, /nothing sent/);
		assert.deepEqual(sent, []);
		f = await keys(ui, 'x', 'y');
		assert.deepEqual(sent, ['SIGINT 4242']);
		assert.match(f, /SIGINT sent to 4242/);
		ui.unmount();
	});

	it('x says so when no process is found, and shows the session file', async () => {
		const {store} = storeFor(home());
		const ui = render(<App store={store} size={{columns: 200, rows: 30}} onQuit={() => {}} findProcess={() => ({candidates: []})} signal={() => assert.fail('no signal without a process')} />);
		const f = await keys(ui, '4', 'x');
		assert.match(f, /no running claude-code process found for this session \(cwd \/home\/u\/etl\); session file: .*loop-1\.jsonl/);
		ui.unmount();
	});

	it('x lists the candidates and chooses none when two processes could be the session\'s', async () => {
		const {store} = storeFor(home());
		const two = [4242, 4343].map(pid => ({pid, uid: 0, command: `claude --resume ${pid}`, cwd: '/home/u/etl', startedAt: 0, agent: 'claude-code'}));
		const ui = render(<App store={store} size={{columns: 200, rows: 30}} onQuit={() => {}} findProcess={() => ({candidates: two})} signal={() => assert.fail('never a guess between two')} />);
		const f = await keys(ui, '4', 'x', 'y');
		assert.match(f, /2 claude-code processes could be this session's, not choosing: PID 4242 \(claude --resume 4242\), PID 4343/);
		ui.unmount();
	});

	it('/ filters lists by project or tool; Esc clears', async () => {
		const {ui} = setup();
		let f = await keys(ui, '/', 'w', 'e', 'b');
		assert.match(f, /filter: web▏/);
		assert.doesNotMatch(f, /\/home\/u\/etl/);
		assert.match(f, /\/home\/u\/webapp/);
		f = await keys(ui, ENTER);
		assert.match(f, /filter: web$/m);
		f = await keys(ui, '/', ESC);
		assert.doesNotMatch(f, /filter:/);
		assert.match(f, /\/home\/u\/etl/);
		ui.unmount();
	});

	it('the selection follows its row when the live list re-sorts: Enter opens what was picked', async () => {
		const h = home();
		const {ui, engine, store} = setup(h);
		let f = await keys(ui, '2', 'j');
		assert.match(f, /\/home\/u\/webapp/);
		// A new, costlier project arrives on top: every row moves down one.
		write(claudePath(h, '-home-u-zz', 'zz-1.jsonl'), Array.from({length: 30}, (_, i) => a({id: `zz${i}`, ts: iso(20 - i * 0.5), sessionId: 'zz-1', cwd: '/home/u/zz', model: 'claude-opus-4-6', input: 200_000, output: 5000})));
		engine.discover();
		engine.scanAll();
		store.refresh();
		f = await keys(ui);
		assert.match(f, /\/home\/u\/zz/);
		f = await keys(ui, ENTER);
		assert.match(f, /sessions of \/home\/u\/webapp/, 'the row picked before the re-sort (second by cost then) is opened');
		ui.unmount();
	});

	it('the session timeline shows the date of calls from another day, only the time for today\'s', async () => {
		const h = home();
		write(claudePath(h, '-home-u-old', 'old-1.jsonl'), [a({id: 'o1', ts: iso(26 * 60), sessionId: 'old-1', cwd: '/home/u/old', output: 10}), a({id: 'o2', ts: iso(5), sessionId: 'old-1', cwd: '/home/u/old', output: 20})]);
		const {ui} = setup(h);
		await keys(ui, '2', 's', 's', 's', 's');
		const f = await keys(ui, DOWN, DOWN, ENTER, ENTER);
		assert.match(f, /claude-code session old-1/);
		const d = new Date(NOW - 26 * 60 * 60_000);
		const pad = (n: number) => String(n).padStart(2, '0');
		assert.match(f, new RegExp(`${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`));
		assert.match(f, new RegExp(new Date(NOW - 5 * 60_000).toTimeString().slice(0, 8)));
		ui.unmount();
	});

	it('Loops with a filter that hides the flagged session says so, not "nothing looks like a loop"', async () => {
		const {ui} = setup();
		let f = await keys(ui, '4');
		assert.match(f, /\/home\/u\/etl/, 'the loop is flagged');
		f = await keys(ui, '/', 'w', 'e', 'b', ENTER);
		assert.match(f, /no flagged session matches the filter "web" \(1 hidden; Esc clears it\)/);
		assert.doesNotMatch(f, /nothing looks like a runaway loop/);
		assert.doesNotMatch(f, /\/home\/u\/etl/, 'the steepest-burn list keeps to the filter too');
		ui.unmount();
	});

	it('? shows help generated from the key tables of every mode; q quits', async () => {
		const {ui, quits} = setup(home(), {columns: 160, rows: 40});
		const f = await keys(ui, '?');
		// On the Live tab with history: every key that acts there, the other modes' keys too; not d (the empty state's) nor x (Loops and sessions).
		const sections = helpSections(initialUiState, {empty: false});
		for (const s of sections) assert.ok(f.includes(s.title), s.title);
		for (const b of sections[0]!.bindings) assert.ok(f.includes(b.help), b.help);
		for (const s of sections.slice(1)) for (const b of s.bindings) assert.ok(f.includes(`${b.keys} ${b.help}`), b.help);
		assert.doesNotMatch(f, /start the demo|stop its agent/);

		await keys(ui, ESC, 'q');
		assert.equal(quits(), 1);
		ui.unmount();
	});

	it('fits small terminals: never taller than the terminal, columns dropped by priority, paths keep their end', async () => {
		for (const size of [{columns: 80, rows: 24}, {columns: 40, rows: 12}, {columns: 20, rows: 5}]) {
			const {ui} = setup(home(), size);
			const f = await keys(ui);
			const lines = f.split('\n');
			assert.ok(lines.length <= size.rows - 1, `${lines.length} lines at ${size.rows} rows`);
			for (const tab of ['1', '2', '3', '4']) {
				const t = (await keys(ui, tab)).split('\n');
				assert.ok(t.every(l => l.length <= size.columns), `tab ${tab} at ${size.columns} columns:\n${t.join('\n')}`);
				assert.ok(t.length <= size.rows - 1);
			}

			ui.unmount();
		}

		const {ui} = setup(home(), {columns: 60, rows: 20});
		let f = await keys(ui);
		assert.match(f, /\/home\/u\/etl/, 'the project name whole at 60 columns: less telling columns made room');
		assert.doesNotMatch(f, /context/);
		f = await keys(ui, '2');
		const header = f.split('\n').find(l => /^project/.test(l))!;
		assert.match(header, /cost▼\s+calls/);
		assert.doesNotMatch(header, /c\.write|input/, 'cache writes and input go first');
		assert.ok(f.split('\n').every(l => l.length <= 60), 'nothing wider than the terminal');
		ui.unmount();
		const long = home();
		write(claudePath(long, '-x', 'x.jsonl'), [a({id: 'x1', ts: iso(2), output: 10_000_000, sessionId: 'x-1', cwd: '/home/someone/work/clients/acme/monorepo-frontend'})]);
		const narrow = setup(long, {columns: 60, rows: 20});
		assert.match(await keys(narrow.ui), /…[\w/-]*monorepo-frontend/, 'a long path keeps its repository name');
		narrow.ui.unmount();
	});

	it('re-renders on terminal resize', async () => {
		const {store} = storeFor(home());
		const ui = render(<App store={store} onQuit={() => {}} />);
		await tick();
		const wide = strip(ui.lastFrame());
		Object.defineProperty(ui.stdout, 'columns', {value: 60, configurable: true});
		ui.stdout.emit('resize');
		await tick();
		const narrow = strip(ui.lastFrame());
		assert.ok(Math.max(...wide.split('\n').map(l => l.length)) > 60);
		assert.ok(Math.max(...narrow.split('\n').map(l => l.length)) <= 60);
		ui.unmount();
	});

	it('empty state names the paths searched and offers the demo on d', async () => {
		const h = tempHome();
		const engine = new Engine({env: {home: h, env: {HOME: h}, platform: process.platform}, clock: () => NOW});
		engine.discover();
		const store = new LiveStore(engine, () => NOW, 0);
		stores.push(store);
		let demo = 0;
		const ui = render(<App store={store} size={{columns: 100, rows: 30}} onQuit={() => {}} onDemo={() => demo++} />);
		const f = await keys(ui);
		assert.match(f, /No agent sessions found yet/);
		assert.ok(f.includes(`${h}/.claude/projects (+1 more)  — not found`));
		assert.ok(f.includes(`${h}/.codex/sessions (+1 more)  — not found`));
		assert.match(f, /gemini-cli\s+.*\.gemini\/tmp/);
		assert.match(f, /Press d to start the demo/);
		await keys(ui, 'd');
		assert.equal(demo, 1);
		ui.unmount();
		// 80×24: every line fits, the hint wraps between words and the demo offer is on screen.
		const small = render(<App store={store} size={{columns: 80, rows: 24}} onQuit={() => {}} onDemo={() => demo++} />);
		const g = await keys(small);
		const lines = g.split('\n');
		assert.ok(lines.length <= 24 && lines.every(l => l.length <= 80), g);
		assert.match(g.replace(/\n/g, ' '), /Point burntop elsewhere with CLAUDE_CONFIG_DIR, CODEX_HOME/);
		assert.ok(!lines.some(l => l.trim() === 'with'), g);
		assert.match(g, /Press d to start the demo/);
		small.unmount();
	});

	it('updates when new calls arrive (live store notification)', async () => {
		const h = home();
		const {ui, store, engine} = setup(h);
		const before = await keys(ui);
		write(claudePath(h, '-home-u-new', 'n.jsonl'), [a({id: 'n1', ts: iso(1), output: 900_000, sessionId: 'new-1', cwd: '/home/u/newproj'})]);
		engine.discover();
		engine.scanAll();
		store.refresh();
		const after = await keys(ui);
		assert.notEqual(before, after);
		assert.match(after, /\/home\/u\/newproj/);
		ui.unmount();
	});

	it('the sorted column is marked; r reverses it; PgDn and End reach the last row', async () => {
		const h = home();
		for (let i = 0; i < 30; i++) write(claudePath(h, `-home-u-p${i}`, `p${i}.jsonl`), [a({id: `p${i}`, ts: iso(20), output: 100 * (i + 1), sessionId: `p-${i}`, cwd: `/home/u/proj-${String(i).padStart(2, '0')}`})]);
		const {ui} = setup(h, {columns: 100, rows: 24});
		let f = await keys(ui, '2');
		assert.match(f, /cost▼/);
		const rowsOf = (frame: string) => frame.split('\n').filter(l => /\/home\/u\//.test(l)).map(l => /\/home\/u\/[\w-]+/.exec(l)![0]);
		const first = rowsOf(f)[0];
		f = await keys(ui, 'r');
		assert.match(f, /cost▲/);
		assert.match(f, /sort cost, reversed/);
		assert.notEqual(rowsOf(f)[0], first, 'reversed: the cheapest row comes first');
		f = await keys(ui, 's', 's', 's', 's');
		assert.match(f, /project▲/, 'names sort A first');
		f = await keys(ui, '\u001B[4~');
		const paged = rowsOf(f);
		f = await keys(ui, '\u001B[F');
		const lastRows = rowsOf(f);
		assert.equal(lastRows.at(-1), '/home/u/webapp', 'End shows the last row by name');
		assert.notDeepEqual(paged, rowsOf(await keys(ui, 'g')), 'g goes back to the top');
		ui.unmount();
	});

	it('a message clears by itself', async () => {
		const {store} = storeFor(home());
		const ui = render(<App store={store} size={{columns: 100, rows: 30}} onQuit={() => {}} noticeMs={60} />);
		let f = await keys(ui, '1', 'x');
		assert.equal(f.includes('select a session first'), false, 'x does nothing on the Live tab');
		f = await keys(ui, '4', 'x');
		assert.match(f, /no running claude-code process|select a session first|processes could be/);
		await new Promise(r => setTimeout(r, 120));
		f = await keys(ui);
		assert.doesNotMatch(f, /no running claude-code process|select a session first|processes could be/);
		ui.unmount();
	});

	it('--since / --until: the Projects tab keeps to the window and the header shows it', async () => {
		const h = home();
		// The webapp's calls are 50–6 min ago, the loop's 12–1 min ago: a window ending 15 min ago holds only the webapp.
		const {engine} = storeFor(h);
		const until = NOW - 15 * 60_000;
		const store = new LiveStore(engine, () => NOW, 0, {since: NOW - 3 * 3_600_000, until});
		stores.push(store);
		const ui = render(<App store={store} size={{columns: 100, rows: 30}} onQuit={() => {}} />);
		const f = await keys(ui, '2', 'p', 'p', 'p');
		assert.match(f, /window \d{4}-\d\d-\d\d \d\d:\d\d → \d{4}-\d\d-\d\d \d\d:\d\d/);
		assert.match(f, /\/home\/u\/webapp/);
		assert.doesNotMatch(f, /\/home\/u\/etl/);
		const inWindow = engine.totals({now: NOW, since: NOW - 3 * 3_600_000, until}, NOW).totals.calls;
		assert.equal(store.getSnapshot().period('all').totals.calls, inWindow);
		assert.ok(inWindow > 0 && inWindow < engine.totals({now: NOW}, NOW).totals.calls);
		ui.unmount();
	});

	it('an armed guard says so in the header; none, no word', async () => {
		const {engine} = storeFor(home());
		for (const [guard, text] of [['on', /guard on {2}/], ['dry', /guard dry run {2}/], [undefined, undefined]] as const) {
			const store = new LiveStore(engine, () => NOW, 0, {}, guard);
			stores.push(store);
			const ui = render(<App store={store} size={{columns: 80, rows: 24}} onQuit={() => {}} />);
			const f = await keys(ui);
			if (text) assert.match(f.split('\n')[1]!, text);
			else assert.doesNotMatch(f, /guard/);
			ui.unmount();
		}
	});
});

describe('key table and reducer', () => {
	const ctx = {empty: false};
	it('one table drives handling and the footer', () => {
		assert.equal(footerText(), '1-4 tabs  ↑↓ j/k move  Enter open  Esc/⌫ back  x stop  p period  / filter  ? help  q/Ctrl-C quit');
		// At 80 columns the footer fits: whole bindings dropped from the end of the table, help and quit kept.
		const narrow = footerText(80);
		assert.ok(narrow.length <= 80, narrow);
		assert.match(narrow, /^1-4 tabs {2}↑↓ j\/k move .*\? help {2}q\/Ctrl-C quit$/);
		assert.ok(footerText(40).length <= 40 || footerText(40) === '? help  q/Ctrl-C quit');
		assert.deepEqual(commandFor('2', {}, initialUiState, ctx), {type: 'action', action: {type: 'tab', tab: 'projects'}});
		assert.deepEqual(commandFor('', {tab: true, shift: true}, initialUiState, ctx), {type: 'action', action: {type: 'prev-tab'}});
		assert.deepEqual(commandFor('k', {}, initialUiState, ctx), {type: 'move', by: -1});
		assert.deepEqual(commandFor('', {downArrow: true}, initialUiState, ctx), {type: 'move', by: 1});
		assert.deepEqual(commandFor('q', {}, initialUiState, ctx), {type: 'quit'});
		// Each mode's keys come from its table: what help lists is what a press does.
		const filtering = {...initialUiState, editingFilter: true};
		assert.deepEqual(commandFor('q', {}, filtering, ctx), {type: 'action', action: {type: 'filter-input', text: 'q'}}, 'q is text while filtering');
		assert.deepEqual(commandFor('', {escape: true}, filtering, ctx), {type: 'action', action: {type: 'filter-cancel'}});
		const asking = {...initialUiState, confirm: {} as never};
		assert.deepEqual(commandFor('Y', {}, asking, ctx), {type: 'confirm-yes'});
		assert.deepEqual(commandFor('n', {}, asking, ctx), {type: 'action', action: {type: 'confirm-cancel'}});
		for (const mode of ['filter', 'confirm'] as const) assert.ok(KEYMAPS[mode].some(b => b.keys === 'Ctrl-C'), `${mode}: Ctrl-C quits`);
		assert.equal(KEYMAP, KEYMAPS.normal);
		assert.deepEqual(commandFor('c', {ctrl: true}, initialUiState, ctx), {type: 'quit'});
		assert.equal(commandFor('d', {}, initialUiState, ctx), undefined);
		assert.deepEqual(commandFor('d', {}, initialUiState, {empty: true}), {type: 'demo'});
		assert.equal(commandFor('x', {}, initialUiState, ctx), undefined, 'x stops an agent only where there is one to stop');
		// In a session view and on the Loops tab, j/k still move; x is the stop key.
		const inSession = {...initialUiState, stack: [{kind: 'session' as const, key: 'claude-code:s'}]};
		assert.deepEqual(commandFor('k', {}, inSession, ctx), {type: 'move', by: -1});
		assert.deepEqual(commandFor('k', {}, {...initialUiState, tab: 'loops'}, ctx), {type: 'move', by: -1});
		assert.deepEqual(commandFor('x', {}, inSession, ctx), {type: 'kill'});
	});

	it('PgUp/PgDn move a page, Home/End and g/G go to the ends, r reverses the sort', () => {
		assert.deepEqual(commandFor('', {pageDown: true}, initialUiState, ctx), {type: 'page', by: 1});
		assert.deepEqual(commandFor('', {pageUp: true}, initialUiState, ctx), {type: 'page', by: -1});
		assert.deepEqual(commandFor('', {end: true}, initialUiState, ctx), {type: 'move', by: Number.POSITIVE_INFINITY});
		assert.deepEqual(commandFor('g', {}, initialUiState, ctx), {type: 'move', by: Number.NEGATIVE_INFINITY});
		const last = reduce(initialUiState, {type: 'move', by: Number.POSITIVE_INFINITY, rows: 40});
		assert.equal(last.selected, 39);
		assert.equal(reduce(last, {type: 'move', by: Number.NEGATIVE_INFINITY, rows: 40}).selected, 0);
		const r = reduce(initialUiState, {type: 'reverse-sort'});
		assert.equal(r.reverse, true);
		assert.equal(reduce(r, {type: 'cycle-sort'}).reverse, false, 'a new sort column starts in its natural order');
	});

	it('while filtering, letters are text, not commands', () => {
		const s = reduce(initialUiState, {type: 'filter-start'});
		assert.deepEqual(commandFor('q', {}, s, ctx), {type: 'action', action: {type: 'filter-input', text: 'q'}});
		assert.deepEqual(commandFor('', {escape: true}, s, ctx), {type: 'action', action: {type: 'filter-cancel'}});
	});

	it('the reducer clamps moves, returns the same state on no-ops and keeps a drill-down stack', () => {
		let s = reduce(initialUiState, {type: 'move', by: -1, rows: 5});
		assert.equal(s, initialUiState);
		s = reduce(s, {type: 'move', by: 10, rows: 5});
		assert.equal(s.selected, 4);
		s = reduce(s, {type: 'open', view: {kind: 'session', key: 'claude-code:x'}});
		assert.equal(s.selected, 0);
		assert.equal(reduce(reduce(s, {type: 'back'}), {type: 'back'}).stack.length, 0);
		assert.equal(reduce(initialUiState, {type: 'back'}), initialUiState);
	});
});

describe('budgets on screen', () => {
	it('the header shows the most pressing budget; the Projects tab shows a project budget column', async () => {
		const h = home();
		const engine = new Engine({env: {home: h, env: {HOME: h}, platform: process.platform}, clock: () => NOW, budgets: [{period: 'month', usd: 1000, project: '/home/u/etl'}, {period: 'day', usd: 0.5}]});
		engine.discover();
		engine.scanAll();
		engine.progress.done = true;
		const store = new LiveStore(engine, () => NOW, 0);
		stores.push(store);
		const spent = engine.budgets(NOW)[1]!.spentUSD;
		assert.ok(spent > 0.5, `today's spend ${spent} is over the $0.50 test budget`);
		const ui = render(<App store={store} size={{columns: 120, rows: 30}} onQuit={() => {}} />);
		let f = await keys(ui);
		assert.match(f, new RegExp(`budget daily: over budget: \\$${spent.toFixed(2)} of \\$0\\.50 today`));
		f = await keys(ui, '2');
		assert.match(f, /budget\s*$/m);
		const etl = f.split('\n').find(l => l.includes('/home/u/etl'))!;
		assert.match(etl, /0% of \$1000\/mo/);
		const web = f.split('\n').find(l => l.includes('/home/u/webapp'))!;
		assert.doesNotMatch(web, /of \$/);
		ui.unmount();
	});
});

// Session text is data: escape sequences in a folder name, a session id, a model, a shell command
// or a tool's error output (which an untrusted repository's test output controls) never reach
// the terminal as escape sequences, in any text output or on the monitor's screen.
import assert from 'node:assert/strict';
import {after, describe, it} from 'node:test';
import {render} from 'ink-testing-library';
import {App} from '../src/app.js';
import {terminalSafe} from '../src/core/terminal-safe.js';
import {Engine} from '../src/engine.js';
import {LiveStore} from '../src/live-store.js';
import {claudeAssistant, claudePath, runCli, tempHome, write} from './helpers/home.js';

const TITLE = '\u001B]0;pwned\u0007';
const CLIPBOARD = '\u001B]52;c;cm0gLXJmIH4=\u0007';
const CLEAR = '\u001B[2J';
const C1_CSI = '\u009B2J';
const EVIL = [TITLE, CLIPBOARD, CLEAR, C1_CSI];
const NOW = Date.parse('2026-12-01T12:00:00Z');

function hostile(): string {
	const h = tempHome('burntop-esc-');
	const cwd = `/home/u/repo${TITLE}`;
	const lines = [];
	for (let i = 0; i < 14; i++) {
		const t = new Date(NOW - (14 - i) * 60_000).toISOString();
		lines.push(claudeAssistant({id: `m${i}`, ts: t, sessionId: `s${CLIPBOARD}`, cwd, model: `claude-opus-4-6${C1_CSI}`, input: 150_000, output: 100, tools: [{name: 'Bash', input: {command: `npm test ${CLEAR}`}}]}));
		lines.push({type: 'user', cwd, sessionId: `s${CLIPBOARD}`, uuid: `r${i}`, timestamp: t, message: {role: 'user', content: [{type: 'tool_result', tool_use_id: `toolu_m${i}_0`, is_error: true, content: `FAIL ${TITLE}${CLEAR} expected 1`}]}});
	}

	write(claudePath(h, '-home-u-repo', 'evil.jsonl'), lines);
	return h;
}

const controls = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]|\r(?!\n)/;

describe('session text never acts on the terminal', () => {
	it('terminalSafe shows controls as pictures and keeps text, newlines and tabs', () => {
		assert.equal(terminalSafe(`a${TITLE}b`), 'a\u241b]0;pwned\u2407b');
		assert.equal(terminalSafe('line 1\n\tline 2 ✓ 日本\r\n'), 'line 1\n\tline 2 ✓ 日本\r\n');
		assert.equal(terminalSafe('fake\rreal'), 'fake\u240dreal');
		assert.equal(terminalSafe(C1_CSI), '\ufffd2J');
		assert.doesNotMatch(terminalSafe(EVIL.join('')), controls);
	});

	it('--once text, --check, doctor and the CSV export print none of it raw', async () => {
		const h = hostile();
		const env = {HOME: h, CLAUDE_CONFIG_DIR: '', CODEX_HOME: ''};
		const clock = () => NOW;
		for (const argv of [['--once', '--now', '2026-12-01T12:00:00Z'], ['--check'], ['doctor'], ['export', '--format', 'csv', '--by', 'session'], ['export', '--format', 'csv', '--by', 'project']]) {
			const r = await runCli(argv, env, clock);
			for (const out of [r.stdout, r.stderr]) assert.doesNotMatch(out, controls, `${argv.join(' ')}: ${JSON.stringify(out.slice(0, 300))}`);
			if (argv[0] === 'export') assert.match(r.stdout, /\u241b/, 'the text is still there, visibly');
		}

		// JSON escapes controls itself and keeps the exact text for scripts.
		const json = JSON.parse((await runCli(['--once', '--json'], env, clock)).stdout);
		assert.ok(json.sessions.some((s: {sessionId: string}) => s.sessionId === `s${CLIPBOARD}`));
	});

	it('the monitor draws it as characters: no title, clipboard or clear-screen sequence in any frame', async () => {
		const h = hostile();
		const engine = new Engine({env: {home: h, env: {HOME: h}, platform: process.platform}, clock: () => NOW});
		engine.discover();
		engine.scanAll();
		engine.progress.done = true;
		const store = new LiveStore(engine, () => NOW, 0);
		after(() => store.close());
		const ui = render(<App store={store} size={{columns: 160, rows: 40}} onQuit={() => {}} />);
		const tick = () => new Promise(r => setImmediate(() => setTimeout(r, 0)));
		const frames: string[] = [];
		await tick();
		frames.push(ui.lastFrame() ?? '');
		// Every tab, then the session view of the looping session.
		for (const k of ['2', '3', '4', '1', '\r', 'x']) {
			ui.stdin.write(k);
			await tick();
			frames.push(ui.lastFrame() ?? '');
		}

		ui.unmount();
		const all = frames.join('\n');
		assert.match(all, /repo␛\]0;pwned/, 'the folder is shown, its escape as a picture');
		// Ink's own colour codes are CSI … m; nothing else may appear.
		const foreign = all.replace(/\u001B\[[0-9;]*m/g, '');
		assert.doesNotMatch(foreign, controls);
	});
});

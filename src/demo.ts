// `burntop --demo`: replays sample sessions into a temporary home in real time, so the whole
// pipeline (tail → aggregate → screen) runs for real on a machine with no agent history.
// Three agents: a human-driven Claude Code session, a Codex session with rate limits, and a
// Claude Code agent stuck re-running the same failing `npm test` whose cache then collapses.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export type Demo = {home: string; stop: () => void};

type Writer = {file: string; next: () => string[]; every: number};

export function startDemo(opts: {clock?: () => number; speed?: number; root?: string} = {}): Demo {
	const realClock = opts.clock ?? Date.now;
	// While the backlog is written, `past` stamps the lines with earlier times.
	let past: number | undefined;
	const clock = () => past ?? realClock();
	const speed = opts.speed ?? 1;
	const home = opts.root ?? fs.mkdtempSync(path.join(os.tmpdir(), 'burntop-demo-'));
	const claude = path.join(home, '.claude', 'projects');
	const codexDay = (t: number) => {
		const d = new Date(t);
		return path.join(home, '.codex', 'sessions', String(d.getFullYear()), String(d.getMonth() + 1).padStart(2, '0'), String(d.getDate()).padStart(2, '0'));
	};

	let n = 0;
	const id = (p: string) => `${p}${(++n).toString(36).padStart(8, '0')}`;
	const iso = (t: number) => new Date(t).toISOString();

	const assistant = (session: string, cwd: string, t: number, model: string, u: {input: number; read: number; write: number; output: number}, tool: Record<string, unknown>) => {
		const mid = id('msg_demo');
		const rid = id('req_demo');
		const base = {parentUuid: null, isSidechain: false, userType: 'external', cwd, sessionId: session, version: '2.1.38', type: 'assistant', timestamp: iso(t), requestId: rid};
		const usage = {input_tokens: u.input, cache_creation_input_tokens: u.write, cache_read_input_tokens: u.read, cache_creation: {ephemeral_5m_input_tokens: u.write, ephemeral_1h_input_tokens: 0}, service_tier: 'standard'};
		// Streamed like Claude Code: a placeholder line first, then the final one.
		return [
			JSON.stringify({...base, uuid: id('u'), message: {model, id: mid, type: 'message', role: 'assistant', content: [{type: 'text', text: '…'}], usage: {...usage, output_tokens: 3}}}),
			JSON.stringify({...base, uuid: id('u'), message: {model, id: mid, type: 'message', role: 'assistant', content: [tool], usage: {...usage, output_tokens: u.output}}}),
		];
	};

	const user = (session: string, cwd: string, t: number, content: unknown) => JSON.stringify({type: 'user', cwd, sessionId: session, uuid: id('u'), timestamp: iso(t), message: {role: 'user', content}});

	// 1. A person working on a web app: prompts, edits, a steady cache.
	const webSession = 'demo-web-0001';
	const webCwd = '/home/demo/webapp';
	let webContext = 30_000;
	const webPrompts = ['add a dark mode toggle to the settings page', 'now write tests for it', 'fix the failing snapshot test', 'commit this'];
	let webStep = 0;
	const web: Writer = {
		file: path.join(claude, '-home-demo-webapp', `${webSession}.jsonl`),
		every: 9000,
		next: () => {
			const t = clock();
			const lines: string[] = [];
			if (webStep % 4 === 0) lines.push(user(webSession, webCwd, t - 500, webPrompts[(webStep / 4) % webPrompts.length]!));
			webContext += 2500;
			const tool = webStep % 3 === 0 ? {type: 'tool_use', id: id('toolu_'), name: 'Edit', input: {file_path: 'src/settings.tsx'}} : {type: 'tool_use', id: id('toolu_'), name: 'Read', input: {file_path: 'src/theme.ts'}};
			lines.push(...assistant(webSession, webCwd, t, 'claude-sonnet-4-5-20250929', {input: 12, read: webContext - 2400, write: 2400, output: 400 + (webStep % 5) * 120}, tool));
			webStep++;
			return lines;
		},
	};

	// 2. Codex on an API service, with rate-limit windows.
	const codexId = '019d0000-demo-7000-8000-000000000001';
	const codexCwd = '/home/demo/api';
	const codexFile = path.join(codexDay(clock()), `rollout-demo-${codexId}.jsonl`);
	const codexTotal = {input_tokens: 0, cached_input_tokens: 0, output_tokens: 0, reasoning_output_tokens: 0, total_tokens: 0};
	let codexUsed = 11;
	let codexStarted = false;
	const codex: Writer = {
		file: codexFile,
		every: 12_000,
		next: () => {
			const t = clock();
			const lines: string[] = [];
			if (!codexStarted) {
				codexStarted = true;
				lines.push(JSON.stringify({timestamp: iso(t), type: 'session_meta', payload: {id: codexId, timestamp: iso(t), cwd: codexCwd, originator: 'codex_cli_rs', cli_version: '0.104.0'}}));
				lines.push(JSON.stringify({timestamp: iso(t), type: 'event_msg', payload: {type: 'user_message', message: 'add pagination to the /orders endpoint'}}));
			}

			lines.push(JSON.stringify({timestamp: iso(t), type: 'turn_context', payload: {turn_id: id('t'), cwd: codexCwd, model: 'gpt-5.3-codex'}}));
			// A healthy agent: it reads, patches and tests different things as it goes.
			const step = codexTotal.output_tokens / 600;
			if (step % 3 === 1) {
				lines.push(JSON.stringify({timestamp: iso(t), type: 'response_item', payload: {type: 'custom_tool_call', name: 'apply_patch', input: `*** Begin Patch\n*** Update File: src/orders/page${step}.ts\n*** End Patch`, call_id: id('c')}}));
			} else {
				const cmd = step % 3 === 2 ? `npm test -- orders/page${step}` : `rg -n "page${step}" src/orders`;
				lines.push(JSON.stringify({timestamp: iso(t), type: 'response_item', payload: {type: 'function_call', name: 'shell', arguments: JSON.stringify({command: ['bash', '-lc', cmd]}), call_id: id('c')}}));
			}

			const last = {input_tokens: 42_000 + codexTotal.output_tokens, cached_input_tokens: 38_000, output_tokens: 600, reasoning_output_tokens: 250, total_tokens: 0};
			last.total_tokens = last.input_tokens + last.output_tokens;
			for (const k of Object.keys(codexTotal) as Array<keyof typeof codexTotal>) codexTotal[k] += last[k];
			codexUsed = Math.min(99, codexUsed + 1);
			lines.push(JSON.stringify({timestamp: iso(t + 50), type: 'event_msg', payload: {type: 'token_count', info: {total_token_usage: {...codexTotal}, last_token_usage: last, model_context_window: 258_400}, rate_limits: {primary: {used_percent: codexUsed, window_minutes: 300, resets_at: Math.floor(t / 1000) + 3 * 3600}, secondary: {used_percent: 7, window_minutes: 10_080, resets_at: Math.floor(t / 1000) + 5 * 86_400}}}}));
			return lines;
		},
	};

	// 3. An overnight agent stuck in a loop: same failing test, large context, then no cache.
	const loopSession = 'demo-loop-0001';
	const loopCwd = '/home/demo/etl-pipeline';
	let loopStep = 0;
	const loop: Writer = {
		file: path.join(claude, '-home-demo-etl-pipeline', `${loopSession}.jsonl`),
		// Fast enough that the Loops tab catches it within 10 seconds of the loop starting.
		every: 1500,
		next: () => {
			const t = clock();
			const lines: string[] = [];
			if (loopStep === 0) lines.push(user(loopSession, loopCwd, t - 1000, 'make the nightly ETL tests pass, keep going until they do'));
			const context = 160_000 + loopStep * 800;
			const collapsed = loopStep >= 12;
			const u = collapsed ? {input: context - 1500, read: 0, write: 1500, output: 350} : {input: 20, read: context - 1500, write: 1500, output: 350};
			const tool = {type: 'tool_use', id: id('toolu_'), name: 'Bash', input: {command: 'npm test -- --runInBand'}};
			lines.push(...assistant(loopSession, loopCwd, t, 'claude-opus-4-6', u, tool));
			lines.push(user(loopSession, loopCwd, t + 800, [{tool_use_id: 'toolu_x', type: 'tool_result', content: 'FAIL test/etl.test.ts\n  ● loads orders › expected 1200 rows, received 0', is_error: true}]));
			loopStep++;
			return lines;
		},
	};

	const writers = [web, codex, loop];
	// An hour of history so the charts have a shape from the first frame.
	const now = realClock();
	for (const w of writers) fs.mkdirSync(path.dirname(w.file), {recursive: true});
	const backlog = (w: Writer, every: number, from: number) => {
		const out: string[] = [];
		for (past = from; past < now - 30_000; past += every) out.push(...w.next());
		past = undefined;
		return out;
	};

	fs.writeFileSync(web.file, backlog(web, 45_000, now - 60 * 60_000).join('\n') + '\n');
	fs.writeFileSync(codex.file, backlog(codex, 60_000, now - 50 * 60_000).join('\n') + '\n');
	fs.writeFileSync(loop.file, '');

	const timers = writers.map(w => setInterval(() => fs.appendFileSync(w.file, w.next().join('\n') + '\n'), w.every / speed));
	// The loop starts at once, so the Loops tab fills within seconds.
	fs.appendFileSync(loop.file, loop.next().join('\n') + '\n');
	return {
		home,
		stop: () => {
			for (const t of timers) clearInterval(t);
			// A folder made here is removed (q, Ctrl-C and SIGTERM all end here); one given is the caller's.
			if (!opts.root) fs.rmSync(home, {recursive: true, force: true});
		},
	};
}

// Generates a realistic Claude Code + Codex history of a given size under DIR/home, and
// DIR/expected.json with its exact totals. Realistic means: streamed duplicate lines with
// placeholder output, resume replays in new files, subagent files plus agent_progress copies,
// large tool results that also contain the word "usage", Codex re-emitted totals, forks
// replaying their parent, 20 KB session_meta lines, failed tool calls, and sessions in git
// repositories (DIR/code).
//
//   tsx bench/generate.ts --out .bench-data/100mb --mb 100 [--seed 1]
import fs from 'node:fs';
import path from 'node:path';

type Totals = {calls: number; input: number; output: number; cacheRead: number; cacheWrite: number};
const zero = (): Totals => ({calls: 0, input: 0, output: 0, cacheRead: 0, cacheWrite: 0});

/** Seeded PRNG (mulberry32): the generator's and the tests' randomness. */
export function rng(seed: number): () => number {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

const FILLER = 'const value = compute(input); // lorem ipsum dolor sit amet, usage of the API is metered per token. \n'.repeat(400);

export type Expected = {claude: Totals; codex: Totals; files: number; bytes: number};

export function generate(out: string, targetMB: number, seed = 1, baseTime = Date.parse('2026-11-01T00:00:00Z')): Expected {
	const r = rng(seed);
	const failures = rng(seed ^ 0x5bd1e995);
	const int = (lo: number, hi: number) => lo + Math.floor(r() * (hi - lo + 1));
	const home = path.join(out, 'home');
	fs.rmSync(out, {recursive: true, force: true});
	fs.mkdirSync(home, {recursive: true});
	// The sessions' folders, beside the home: git repositories as users' projects mostly are (with
	// an origin remote, but every fourth without one), some sessions in a repository's subfolder.
	// Attribution then does its work, as for users (folders that do not exist cost it nothing).
	const code = path.join(out, 'code');
	for (let n = 1; n <= 40; n++) {
		const repo = path.join(code, `proj${n}`);
		fs.mkdirSync(path.join(repo, '.git'), {recursive: true});
		fs.mkdirSync(path.join(repo, 'packages', 'app'), {recursive: true});
		const remote = n % 4 === 0 ? '' : `[remote "origin"]\n\turl = https://github.com/acme/proj${n}.git\n`;
		fs.writeFileSync(path.join(repo, '.git', 'config'), `[core]\n\tbare = false\n${remote}`);
	}

	const cwdOf = (n: number) => path.join(code, `proj${n}`, ...(n % 5 === 0 ? ['packages', 'app'] : []));
	const target = targetMB * 1024 * 1024;
	const expected: Expected = {claude: zero(), codex: zero(), files: 0, bytes: 0};
	let uid = 0;
	const id = (p: string) => `${p}${(++uid).toString(36).padStart(10, '0')}`;
	const toolResult = (n: number) => FILLER.slice(0, n);
	const claudeSeen = new Map<string, {output: number}>();
	let written = 0;
	let fileNo = 0;

	const writeFile = (file: string, lines: string[], mtime: number) => {
		fs.mkdirSync(path.dirname(file), {recursive: true});
		const text = lines.join('\n') + '\n';
		fs.writeFileSync(file, text);
		fs.utimesSync(file, mtime / 1000, mtime / 1000);
		written += Buffer.byteLength(text);
		expected.files++;
	};

	const countClaude = (key: string, u: {input: number; output: number; cacheRead: number; cacheWrite: number}) => {
		const prev = claudeSeen.get(key);
		const t = expected.claude;
		if (prev) {
			// Same call seen again (replay): counted once, at its largest output.
			if (u.output > prev.output) {
				t.output += u.output - prev.output;
				prev.output = u.output;
			}

			return;
		}

		claudeSeen.set(key, {output: u.output});
		t.calls++;
		t.input += u.input;
		t.output += u.output;
		t.cacheRead += u.cacheRead;
		t.cacheWrite += u.cacheWrite;
	};

	const claudeLines: string[][] = [];

	while (written < target) {
		fileNo++;
		const daysAgo = r() * 60;
		let ts = baseTime - daysAgo * 86_400_000;
		const iso = () => new Date((ts += int(300, 30_000))).toISOString();
		if (r() < 0.6) {
			// Claude Code session (sometimes a resume replaying an earlier session's lines).
			const n = int(1, 40);
			const project = `-home-u-proj${n}`;
			const cwd = cwdOf(n);
			const sid = id('sess-');
			const lines: string[] = [];
			const prior = claudeLines.length > 0 && r() < 0.15 ? claudeLines[int(0, claudeLines.length - 1)]! : undefined;
			if (prior) {
				const replay = prior.slice(0, int(1, prior.length));
				lines.push(...replay);
				for (const l of replay) {
					const o = JSON.parse(l);
					if (o.type === 'assistant') countClaude(`${o.message.id}:${o.requestId}`, usageOf(o.message.usage));
				}
			}

			const subLines: string[] = [];
			const size = int(20_000, 1_500_000);
			let bytes = 0;
			while (bytes < size) {
				const prompt = JSON.stringify({type: 'user', cwd, sessionId: sid, uuid: id('u-'), timestamp: iso(), message: {role: 'user', content: 'please fix the failing build and add tests'}});
				lines.push(prompt);
				for (let c = int(1, 6); c > 0; c--) {
					const mid = id('msg_');
					const rid = id('req_');
					const model = r() < 0.6 ? 'claude-sonnet-4-5-20250929' : r() < 0.5 ? 'claude-opus-4-6' : 'claude-haiku-4-5-20251001';
					const usage = {input_tokens: int(1, 40), cache_creation_input_tokens: int(0, 8000), cache_read_input_tokens: int(0, 150_000), output_tokens: 0};
					const blocks = int(1, 4);
					const finalOut = int(30, 4000);
					const when = iso();
					const sub = r() < 0.05;
					for (let b = 0; b < blocks; b++) {
						const out = b === blocks - 1 ? finalOut : int(1, 30);
						const tool = sub ? {type: 'tool_use', id: id('toolu_'), name: 'Task', input: {subagent_type: 'explore', prompt: 'look around'}} : {type: 'tool_use', id: id('toolu_'), name: ['Read', 'Edit', 'Bash', 'Grep'][int(0, 3)], input: {command: 'npm test', file_path: '/x.ts'}};
						lines.push(JSON.stringify({parentUuid: null, isSidechain: false, userType: 'external', cwd, sessionId: sid, version: '2.1.38', type: 'assistant', uuid: id('a-'), timestamp: when, requestId: rid, message: {model, id: mid, type: 'message', role: 'assistant', content: [tool], stop_reason: null, usage: {...usage, cache_creation: {ephemeral_5m_input_tokens: 0, ephemeral_1h_input_tokens: usage.cache_creation_input_tokens}, output_tokens: out, service_tier: 'standard'}}}));
					}

					countClaude(`${mid}:${rid}`, usageOf({...usage, output_tokens: finalOut}));
					if (sub) {
						// A subagent: its calls in its own file and streamed into the parent as agent_progress.
						for (let k = int(1, 4); k > 0; k--) {
							const smid = id('msg_');
							const srid = id('req_');
							const su = {input_tokens: int(1, 10), cache_creation_input_tokens: int(0, 3000), cache_read_input_tokens: int(0, 40_000), output_tokens: int(5, 800)};
							const inner = {type: 'assistant', timestamp: iso(), requestId: srid, uuid: id('sa-'), message: {model: 'claude-haiku-4-5-20251001', id: smid, type: 'message', role: 'assistant', content: [{type: 'tool_use', id: id('toolu_'), name: 'Read', input: {}}], usage: su}};
							subLines.push(JSON.stringify({...inner, isSidechain: true, agentId: 'a1', sessionId: sid, cwd}));
							lines.push(JSON.stringify({type: 'progress', cwd, sessionId: sid, timestamp: inner.timestamp, uuid: id('p-'), data: {type: 'agent_progress', agentId: 'a1', message: inner}}));
							countClaude(`${smid}:${srid}`, usageOf(su));
						}
					}

					const result = toolResult(int(200, 30_000));
					// About one tool call in twelve fails, as in the shared fixtures (their text is read for
					// loop detection). Drawn from a stream of its own: the rest of the history stays as it was.
					const failed = failures() < 0.08 ? {is_error: true} : {};
					lines.push(JSON.stringify({type: 'user', cwd, sessionId: sid, uuid: id('u-'), timestamp: iso(), message: {role: 'user', content: [{tool_use_id: 'toolu_x', type: 'tool_result', content: result, ...failed}]}, toolUseResult: {stdout: result.slice(0, 2000)}}));
					bytes += result.length + 2500;
				}
			}

			writeFile(path.join(home, '.claude', 'projects', project, `${sid}.jsonl`), lines, ts);
			if (subLines.length) writeFile(path.join(home, '.claude', 'projects', project, sid, 'subagents', 'agent-a1.jsonl'), subLines, ts);
			if (claudeLines.length < 50) claudeLines.push(lines.slice(0, 200));
		} else {
			// Codex rollout, sometimes a fork that replays a parent's token counts.
			const sid = `019c${int(0, 0xffff).toString(16).padStart(4, '0')}-0000-7000-8000-${(++uid).toString(16).padStart(12, '0')}`;
			const d = new Date(ts);
			const dir = path.join(home, '.codex', 'sessions', String(d.getUTCFullYear()), String(d.getUTCMonth() + 1).padStart(2, '0'), String(d.getUTCDate()).padStart(2, '0'));
			const lines: string[] = [];
			const fork = r() < 0.05;
			const metaTs = iso();
			lines.push(JSON.stringify({timestamp: metaTs, type: 'session_meta', payload: {id: sid, timestamp: metaTs, cwd: cwdOf(int(1, 40)), originator: 'codex_cli_rs', cli_version: '0.104.0', base_instructions: {text: FILLER.slice(0, 20_000)}, ...(fork ? {forked_from_id: 'parent-' + sid} : {})}}));
			const total = {input_tokens: 0, cached_input_tokens: 0, output_tokens: 0, reasoning_output_tokens: 0, total_tokens: 0};
			if (fork) {
				// The parent's history replayed within the fork's first second.
				for (let k = int(2, 8); k > 0; k--) {
					total.input_tokens += 5000;
					total.output_tokens += 100;
					total.total_tokens += 5100;
					lines.push(JSON.stringify({timestamp: metaTs, type: 'event_msg', payload: {type: 'token_count', info: {total_token_usage: {...total}, last_token_usage: {input_tokens: 5000, cached_input_tokens: 0, output_tokens: 100, reasoning_output_tokens: 0, total_tokens: 5100}}}}));
				}

				ts += 5000;
			}

			const size = int(20_000, 2_000_000);
			let bytes = 0;
			while (bytes < size) {
				lines.push(JSON.stringify({timestamp: iso(), type: 'event_msg', payload: {type: 'user_message', message: 'run the tests and fix failures'}}));
				for (let c = int(1, 8); c > 0; c--) {
					lines.push(JSON.stringify({timestamp: iso(), type: 'turn_context', payload: {turn_id: id('t'), cwd: '/home/u/x', model: 'gpt-5.3-codex', effort: 'medium'}}));
					const input = int(2000, 120_000);
					const last = {input_tokens: input, cached_input_tokens: int(0, input), output_tokens: int(20, 3000), reasoning_output_tokens: 0, total_tokens: 0};
					last.reasoning_output_tokens = int(0, last.output_tokens);
					last.total_tokens = last.input_tokens + last.output_tokens;
					total.input_tokens += last.input_tokens;
					total.cached_input_tokens += last.cached_input_tokens;
					total.output_tokens += last.output_tokens;
					total.reasoning_output_tokens += last.reasoning_output_tokens;
					total.total_tokens += last.total_tokens;
					const out = toolResult(int(100, 40_000));
					lines.push(JSON.stringify({timestamp: iso(), type: 'response_item', payload: {type: 'function_call', name: 'shell', arguments: JSON.stringify({command: ['bash', '-lc', 'npm test']}), call_id: id('c')}}));
					lines.push(JSON.stringify({timestamp: iso(), type: 'response_item', payload: {type: 'function_call_output', call_id: 'c', output: out}}));
					const tc = JSON.stringify({timestamp: iso(), type: 'event_msg', payload: {type: 'token_count', info: {total_token_usage: {...total}, last_token_usage: last, model_context_window: 258400}, rate_limits: {primary: {used_percent: 12, window_minutes: 300, resets_at: 1771864834}}}});
					lines.push(tc);
					if (r() < 0.5) {
						// Re-emitted totals after the next turn_context.
						lines.push(JSON.stringify({timestamp: iso(), type: 'turn_context', payload: {turn_id: id('t'), cwd: '/home/u/x', model: 'gpt-5.3-codex'}}));
						lines.push(tc);
					}

					const t = expected.codex;
					t.calls++;
					t.input += last.input_tokens - last.cached_input_tokens;
					t.cacheRead += last.cached_input_tokens;
					t.output += last.output_tokens;
					bytes += out.length + 1500;
				}
			}

			const stamp = new Date(metaTs).toISOString().slice(0, 19).replace(/:/g, '-');
			writeFile(path.join(dir, `rollout-${stamp}-${sid}.jsonl`), lines, ts);
		}
	}

	expected.bytes = written;
	fs.writeFileSync(path.join(out, 'expected.json'), JSON.stringify(expected, null, 2));
	return expected;
}

function usageOf(u: {input_tokens: number; output_tokens: number; cache_read_input_tokens: number; cache_creation_input_tokens: number}) {
	return {input: u.input_tokens, output: u.output_tokens, cacheRead: u.cache_read_input_tokens, cacheWrite: u.cache_creation_input_tokens};
}

// Run as a script (not when bundled into another bench: the bundle's URL is then argv[1] too).
if (import.meta.url === `file://${process.argv[1]}` && /generate\.[cm]?[jt]s$/.test(process.argv[1] ?? '')) {
	const arg = (k: string, d: string) => {
		const i = process.argv.indexOf(k);
		return i === -1 ? d : process.argv[i + 1]!;
	};

	const t = performance.now();
	const e = generate(arg('--out', '.bench-data/100mb'), Number(arg('--mb', '100')), Number(arg('--seed', '1')));
	console.log(`wrote ${e.files} files, ${(e.bytes / 1e6).toFixed(1)} MB in ${((performance.now() - t) / 1000).toFixed(1)} s`);
	console.log(JSON.stringify({claude: e.claude, codex: e.codex}));
}

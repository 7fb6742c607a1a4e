// Seeded generators of realistic session content (Claude streaming, Codex re-emits and forks).
import {claudeAssistant, claudeUser, codexMeta, codexTokens, codexTurn} from './home.js';

export {rng} from '../../bench/generate.js';

export const pick = <T>(r: () => number, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
export const int = (r: () => number, lo: number, hi: number) => lo + Math.floor(r() * (hi - lo + 1));

const PROMPTS = ['fix the failing upload test ✓', 'add a 日本語 locale', 'refactor the 🚀 launcher', 'why does the build break?', 'write docs'];
const MODELS = ['claude-sonnet-4-5-20250929', 'claude-opus-4-6', 'claude-haiku-4-5-20251001'];

/** Lines of one Claude session: prompts, streamed duplicates with growing output, replays. */
export function claudeSession(r: () => number, sessionId: string, calls: number, t0: number, idPrefix: string, replay: string[] = []): string[] {
	const lines: string[] = [...replay];
	let t = t0;
	for (let i = 0; i < calls; i++) {
		if (r() < 0.3) lines.push(JSON.stringify(claudeUser(pick(r, PROMPTS), {ts: new Date(t).toISOString(), sessionId, uuid: `${sessionId}-u${i}`})));
		const id = `${idPrefix}${i}`;
		const model = pick(r, MODELS);
		const base = {id, model, sessionId, input: int(r, 1, 50), cacheRead: int(r, 0, 90_000), cacheWrite: int(r, 0, 5000), cwd: `/home/u/${sessionId.slice(0, 3)}`};
		const blocks = int(r, 1, 4);
		const finalOut = int(r, 20, 3000);
		for (let b = 0; b < blocks; b++) {
			const out = b === blocks - 1 ? finalOut : int(r, 1, 30);
			lines.push(JSON.stringify(claudeAssistant({...base, ts: new Date(t + b * 300).toISOString(), output: out, uuid: `${id}-b${b}`, tools: [{name: pick(r, ['Read', 'Edit', 'Bash', 'Grep']), input: {command: 'npm test', note: '✓ 日本'}}]})));
		}

		t += int(r, 2000, 60_000);
	}

	return lines;
}

/** Lines of one Codex rollout with re-emitted totals (and null-info events). */
export function codexRollout(r: () => number, id: string, calls: number, t0: number): string[] {
	let t = t0;
	const iso = () => new Date((t += int(r, 500, 20_000))).toISOString();
	const lines = [JSON.stringify(codexMeta(id, iso())), JSON.stringify(codexTurn(iso(), pick(r, ['gpt-5.3-codex', 'gpt-5.2-codex'])))];
	const total = {input: 0, cached: 0, output: 0, reasoning: 0};
	for (let i = 0; i < calls; i++) {
		if (r() < 0.2) lines.push(JSON.stringify(codexTokens(iso(), null, null)));
		const input = int(r, 1000, 80_000);
		const last = {input, cached: int(r, 0, input), output: int(r, 10, 2000), reasoning: 0};
		last.reasoning = int(r, 0, last.output);
		total.input += last.input;
		total.cached += last.cached;
		total.output += last.output;
		total.reasoning += last.reasoning;
		lines.push(JSON.stringify(codexTokens(iso(), {...total}, last)));
		if (r() < 0.5) {
			lines.push(JSON.stringify(codexTurn(iso())));
			lines.push(JSON.stringify(codexTokens(iso(), {...total}, last)));
		}
	}

	return lines;
}
